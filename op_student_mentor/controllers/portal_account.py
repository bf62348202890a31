import pytz
from werkzeug.urls import url_parse, url_quote

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class MentorPortalAccount(CustomerPortal):
    """Language and timezone on the portal's account page (``/my/account``), as Odoo's portal extends it
    (``_get_optional_fields``, ``details_form_validate``): students choose the language of their pages and
    e-mails and the timezone of their meetings."""

    def _get_optional_fields(self):
        return super()._get_optional_fields() + ["lang", "tz"]

    def _mentor_account_langs(self):
        """[(code, name)] offered: the languages of the website, which serves the portal pages."""
        langs = request.website.language_ids.sorted("name")
        return [(lang.code, lang.name) for lang in langs]

    def details_form_validate(self, data, partner_creation=False):
        error, error_message = super().details_form_validate(data, partner_creation=partner_creation)
        if "lang" in data and data["lang"] not in dict(self._mentor_account_langs()):
            error["lang"] = "error"
            error_message.append(request.env._("Choose your language among those offered."))
        if "tz" in data:
            if not data["tz"]:
                del data["tz"]  # left on "—": the timezone stays as it is
            elif data["tz"] not in pytz.all_timezones_set:
                error["tz"] = "error"
                error_message.append(request.env._("Choose your timezone among those offered."))
        return error, error_message

    @http.route()
    def account(self, redirect=None, **post):
        lang_before = request.env.user.lang
        response = super().account(redirect=redirect, **post)
        if getattr(response, "is_qweb", False):  # the form, first shown or back with the errors
            partner = request.env.user.partner_id
            response.qcontext.update(
                {
                    "mentor_account_langs": self._mentor_account_langs(),
                    "mentor_account_tzs": partner._fields["tz"]._description_selection(request.env),
                    "mentor_account_lang": post.get("lang") or partner.lang,
                    "mentor_account_tz": post.get("tz") or partner.tz or "",
                }
            )
            return response
        lang = request.env.user.lang
        if lang != lang_before and response.status_code in (301, 302, 303):
            # Saved in another language: through the website's language switch, which sets the language
            # cookie of the pages (it would keep showing them in the former language otherwise).
            target = url_parse(response.headers["Location"])
            path = target.path + (f"?{target.query}" if target.query else "")
            url_code = request.env["res.lang"]._get_data(code=lang).url_code
            return request.redirect(f"/website/lang/{url_code}?r={url_quote(path)}")
        return response
