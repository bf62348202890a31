from odoo import api, models


class BaseLanguageInstall(models.TransientModel):
    _inherit = "base.language.install"

    @api.model
    def default_get(self, fields):
        """A language installed for the school reaches its website, which serves the students' portal.

        The website module only fills *Websites to translate* from its own editor, and shows the field with
        several websites only: installing French from the Settings left the portal in English. The current
        website is proposed (with several websites, the administrator may untick it)."""
        defaults = super().default_get(fields)
        if "website_ids" in fields and not defaults.get("website_ids"):
            defaults["website_ids"] = self.env["website"].get_current_website().ids
        return defaults
