"""Languages reach the portal: a language installed as the README says (Settings ->
Languages -> Add Languages) is on the website, and students choose language and timezone on /my/account."""

from unittest.mock import patch

from odoo import Command
from odoo.addons.base.models.ir_module import Module
from odoo.tests import tagged

from .common import MentorPortalCommon

TRANSLATED_MODULES = ("web", "portal", "website", "op_student_mentor")


@tagged("post_install", "-at_install")
class TestPortalLanguages(MentorPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env["website"].get_current_website()
        cls.french = cls.env["res.lang"].with_context(active_test=False).search([("code", "=", "fr_FR")])
        # The mandatory fields of Odoo's account form, so that a student only changes language and timezone.
        (cls.user_mentee | cls.user_mentor).partner_id.write(
            {
                "phone": "+32 2 555 01 01",
                "street": "Rue Haute 1",
                "city": "Brussels",
                "country_id": cls.env.ref("base.be").id,
            }
        )

    @classmethod
    def _install_french(cls):
        """Install French as Settings -> Languages -> Add Languages does (the wizard), loading the terms of the
        modules the portal pages use only (all of them would take a minute)."""
        original = Module._update_translations

        def update_some(modules, filter_lang=None, overwrite=False):
            return original(modules.filtered(lambda m: m.name in TRANSLATED_MODULES), filter_lang, overwrite)

        wizard = cls.env["base.language.install"].create({"lang_ids": [Command.set(cls.french.ids)]})
        with patch.object(Module, "_update_translations", update_some):
            wizard.lang_install()
        return wizard

    def _account_form(self, **values):
        partner = self.user_mentee.partner_id
        data = {
            "name": partner.name,
            "email": partner.email,
            "phone": partner.phone,
            "street": partner.street,
            "city": partner.city,
            "country_id": str(partner.country_id.id),
            "zipcode": "",
            "street2": "",
            "state_id": "",
        }
        data.update(values)
        return data

    def test_installed_language_reaches_the_website(self):
        self.assertNotIn(self.french, self.website.language_ids)
        self.assertEqual(
            self.env["base.language.install"].create({"lang_ids": self.french.ids}).website_ids, self.website
        )
        self._install_french()
        self.assertIn(self.french, self.website.language_ids)
        # a French student is sent to the French pages, which are in French
        self.user_mentee.lang = "fr_FR"
        response = self._get("/my", "mentee")
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/fr/my"), response.headers["Location"])
        response = self._get("/fr/my/mentorship/meetings", "mentee")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Mon mentorat", response.text)
        self.assertIn("Planifiée", response.text)

    def test_account_offers_language_and_timezone(self):
        self._install_french()
        html = self._get("/my/account", "mentee").text
        self.assertIn('name="lang"', html)
        self.assertIn('<option value="fr_FR">', html)
        self.assertIn('<option value="en_US" selected="True">', html)
        self.assertIn('<option value="Europe/Brussels" selected="True">', html)
        response = self._post("/my/account", self._account_form(lang="fr_FR", tz="America/Montreal"), login="mentee")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/website/lang/fr?r=/my/home", response.headers["Location"])
        self.assertRecordValues(self.user_mentee, [{"lang": "fr_FR", "tz": "America/Montreal"}])
        # the same language again: the usual redirection; "—" keeps the timezone
        response = self._post("/my/account", self._account_form(lang="fr_FR", tz=""), login="mentee")
        self.assertTrue(response.headers["Location"].endswith("/my/home"), response.headers["Location"])
        self.assertEqual(self.user_mentee.tz, "America/Montreal")

    def test_account_refuses_other_values(self):
        """A language the website does not offer (installed or not) or an unknown timezone: the form comes
        back with the error, nothing is written."""
        self.env["res.lang"]._activate_lang("es_ES")  # installed, not on the website
        for values in ({"lang": "es_ES"}, {"lang": "xx_XX"}, {"lang": "en_US", "tz": "Mars/Olympus"}):
            with self.subTest(values=values):
                response = self._post("/my/account", self._account_form(**values), login="mentee")
                self.assertEqual(response.status_code, 200)
                self.assertIn("among those offered", response.text)
                self.assertRecordValues(self.user_mentee, [{"lang": "en_US", "tz": "Europe/Brussels"}])

    def test_tour_student_chooses_french(self):
        self._install_french()
        self.start_tour("/my/account", "op_student_mentor_account_language", login="mentee")
        self.assertRecordValues(self.user_mentee, [{"lang": "fr_FR", "tz": "America/Montreal"}])
