"""French and Spanish for the parents: every string translated, placeholders and markup kept; the parent's
page and e-mails in their language."""

from pathlib import Path

from odoo.addons.op_student_mentor.tests.common import activate_portal_languages
from odoo.tests import tagged

from .common import ParentPortalCommon

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestParentTranslations(ParentPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_portal_languages(cls.env, ["op_student_mentor", "op_student_mentor_parent"])

    def test_every_string_translated_in_french_and_spanish(self):
        self.assertTranslationsComplete(I18N, "op_student_mentor_parent.pot", 50)

    def test_parent_page_and_mail_in_french(self):
        self._set_parent_settings(consent_required=True, notify_meetings=True)
        self.user_parent.lang = "fr_FR"
        self._login("parent")
        response = self.url_open(f"/fr/my/child/{self.student_mentee.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("consentement", response.text)
        self.assertNotIn("Waiting for your consent", response.text)
        self.user_parent.partner_id.lang = "es_ES"
        self.meeting._mentor_notify_parents("cancelled")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "op.mentor.meeting"), ("res_id", "=", self.meeting.id)], order="id desc", limit=1)
        )
        self.assertIn(self.user_parent.partner_id, mail.recipient_ids)
        self.assertNotIn("cancelled", mail.subject)
        self.assertIn("cancelada", mail.body_html)
