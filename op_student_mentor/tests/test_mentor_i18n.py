"""French and Spanish: the portal pages, the e-mails to mentees and the PDF reports in the user's language."""

from pathlib import Path

import polib

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import MentorCommon, activate_portal_languages

I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install", "mentor_i18n")
class TestMentorTranslations(HttpCase, MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_portal_languages(cls.env, ["op_student_mentor", "calendar"])

    def _page(self, url, login):
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def test_portal_pages_in_french_and_spanish(self):
        self.user_mentor.lang = "fr_FR"
        html = self._page("/fr/my/mentor/meetings", "mentor")
        for text in ("Rencontres de mentorat", "Nouvelle rencontre", "Ajouter au calendrier", "Planifiée"):
            self.assertIn(text, html)
        self.assertNotIn("Add to calendar", html)
        html = self._page(f"/fr/my/mentor/meetings/{self.meeting.id}", "mentor")
        # the meeting has not started: no "Mark done" yet, and the page says when (in French)
        self.assertIn("Elle pourra être marquée comme tenue dès son heure de début.", html)
        self.assertNotIn("Mark done", html)
        self.user_mentee.lang = "es_ES"
        html = self._page("/es/my/mentorship/meetings", "mentee")
        for text in ("Mi mentoría", "Añadir al calendario", "Programada"):
            self.assertIn(text, html)
        # a student who is not a mentor is refused in their language
        self.user_student_other.lang = "es_ES"
        self.authenticate("student_other", "student_other")
        response = self.url_open("/es/my/mentor/meetings")
        self.assertEqual(response.status_code, 403)
        self.assertIn("Solo los mentores aprobados pueden gestionar las reuniones de mentoría", response.text)

    def _mails(self, meeting):
        return self.env["mail.mail"].sudo().search([("model", "=", meeting._name), ("res_id", "=", meeting.id)])

    def test_notifications_in_the_mentee_language(self):
        """Invitations and cancellations are calendar's mails, each in the attendee's language."""
        self.user_mentee.partner_id.lang = "fr_FR"
        self.user_mentee_other.partner_id.lang = "es_ES"
        meeting = self.env["op.mentor.meeting"].create(
            {
                "meeting_name": "Bilan",
                "meeting_link": "https://meet.example.com/bilan",
                "date": self.meeting.date,
                "student_id": self.student_mentor.id,
                "meeting_students": [Command.set(self.student_mentee.ids)],
            }
        )
        mail = self._mails(meeting.calendar_event_id)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Invitation à Bilan")
        self.assertIn("Accepter", mail.body_html)
        self.assertNotIn("invited you", mail.body_html)
        # Babel writes the date in French too
        self.assertRegex(mail.body_html, r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)")

        self.meeting_other._action_cancel("illness")
        mail = self._mails(self.meeting_other.calendar_event_id)
        self.assertEqual(mail.subject, "Cancelada: Other check-in")
        self.assertIn("está cancelada", mail.body_html)

    def test_reports_in_french(self):
        Report = self.env["ir.actions.report"].with_context(lang="fr_FR")
        html = Report._render_qweb_html("op_student_mentor.action_report_mentor_activity", self.allocation.ids)[0]
        html = html.decode()
        for text in ("Activité du mentor", "Rencontres tenues", "Suivis manqués", "Mentorés"):
            self.assertIn(text, html)
        html = Report._render_qweb_html("op_student_mentor.action_report_mentee_summary", self.student_mentee.ids)[0]
        self.assertIn("Bilan du mentorat", html.decode())

    def test_translation_files_follow_the_template(self):
        """fr.po and es.po have the template's strings (tools/dev pot keeps them in step) and translate
        every string of the portal pages and the e-mails to mentees."""
        pot = polib.pofile(str(I18N / "op_student_mentor.pot"))
        for lang in ("fr", "es"):
            po = polib.pofile(str(I18N / f"{lang}.po"))
            self.assertEqual({e.msgid for e in po}, {e.msgid for e in pot}, f"{lang}.po: run tools/dev pot")
            untranslated = [
                e.msgid
                for e in po
                if not e.msgstr
                and any(
                    marker in occurrence
                    for occurrence, _line in e.occurrences
                    for marker in (".portal_", "controllers/portal", "mail.template")
                )
            ]
            self.assertFalse(untranslated, f"{lang}.po: translate these portal / e-mail strings: {untranslated}")

    def test_every_string_translated_in_french_and_spanish(self):
        """Each string of the template, backend ones included (program rules, settings, certificate...),
        has a French and a Spanish translation that keeps its placeholders and markup."""
        self.assertTranslationsComplete(I18N, "op_student_mentor.pot", 500)

    def test_backend_refusals_in_french(self):
        """A refusal of the program rules reaches a French administrator in French, placeholders filled."""
        self.user_admin.lang = "fr_FR"
        self.env["res.config.settings"].create({"mentor_capacity": 1}).execute()
        Allocation = self.env["op.mentor.allocation"].with_user(self.user_admin).with_context(lang="fr_FR")
        with self.assertRaises(ValidationError) as refusal, self.env.cr.savepoint():
            Allocation.create(
                {
                    "mentor_id": self.student_mentor.id,
                    "course_id": self.course.id,
                    "batch_id": self.batch.id,
                    "student_ids": [Command.set(self.student_other.ids)],
                }
            )
        message = str(refusal.exception)
        self.assertIn("Capacité du mentor atteinte : Maya Mentor peut accompagner au plus 1 ", message)
        self.assertIn("Choisissez un autre mentor, ou faites enregistrer par un administrateur", message)
        self.assertNotIn("Mentor capacity reached", message)
        self.assertNotIn("%(", message)
        # Two translated strings in one: the refusal and the term progress inside it.
        with self.assertRaises(UserError) as refusal:
            self.student_mentor.with_user(self.user_admin).with_context(
                lang="fr_FR"
            ).action_print_mentoring_certificate()
        self.assertIn(
            "Maya Mentor n'a pas encore accompli de cycle de mentorat : 0 rencontres tenues sur 6, "
            "0 suivis réalisés sur 3.",
            str(refusal.exception),
        )
