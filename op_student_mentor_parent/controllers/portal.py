from odoo import fields, http
from odoo.addons.op_student_mentor.controllers.portal import MentorCustomerPortal
from odoo.addons.op_student_mentor.controllers.portal_input import MAX_INT
from odoo.exceptions import UserError
from odoo.http import request

from ..models.op_mentor_parent_consent import WITHDRAW_REASON_MAX_LENGTH

# Meetings shown per child on the parent's page (upcoming, then past): a page, not the whole history.
MEETINGS_SHOWN = 20
FOLLOWUPS_SHOWN = 10


class MentorParentPortal(MentorCustomerPortal):
    """The parents' pages: ``/my/child`` (OpenEduCat's login sends parents there) and one page per child.

    A parent is a user with an active ``op.parent`` record; their children are its students. Parents have
    no access to the mentorship's models (record rules of op_student_mentor): every page first checks that
    the child is the parent's, then reads as superuser only what the settings let parents see.
    """

    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "parent_child_count" in counters:
            parent = self._mentor_portal_parent()
            if parent:  # parents only: the card is hidden for everyone else
                values["parent_child_count"] = len(parent.student_ids)
        return values

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    def _mentor_portal_parent(self):
        """The current user's op.parent, as superuser (empty for anyone else)."""
        # sudo: parents cannot read op.parent (OpenEduCat gives them no access); the search is on the user
        Parent = request.env["op.parent"].sudo()
        if request.env.user._is_public():
            return Parent
        return Parent.search([("user_id", "=", request.env.uid)], limit=1)

    def _mentor_parent_child(self, parent, student_id):
        """The child ``student_id`` of ``parent`` as superuser, or None when it is not theirs."""
        if not parent or not 0 < student_id <= MAX_INT:
            return None
        child = parent.student_ids.filtered(lambda s: s.id == student_id)
        return child or None

    def _mentor_not_found(self):
        # rendered here: a NotFound would send the URL to Odoo's attachment lookup (see the main addon)
        return request.render("http_routing.404", {}, status=404)

    def _mentor_parent_values(self, children, detail=False):
        """What the settings let parents see of ``children`` (superuser records): for the list of children
        (grouped searches, not one per meeting) or, ``detail``, for the page of one child."""
        settings = request.env["res.config.settings"]
        visibility = settings._mentor_parent_setting("visibility")
        show_link = settings._mentor_parent_setting("show_link")
        # The children are the parent's (checked by the caller) and read as superuser: their mentorship is
        # read in the same environment, parents have no access to the mentorship's models.
        env_sudo = children.env
        allocations = env_sudo["op.mentor.allocation"].search([("student_ids", "in", children.ids)], order="id")
        mentors = {
            child.id: allocations.filtered(lambda a, c=child: c in a.student_ids).mentor_id for child in children
        }
        upcoming, past, followups, goals = {}, {}, {}, {}
        Meeting = env_sudo["op.mentor.meeting"]
        now = fields.Datetime.now()
        if visibility in ("schedule", "goals") and not detail:
            # the list of children: their next meetings in one search
            for meeting in Meeting.search(
                [("meeting_students", "in", children.ids), ("status", "=", "scheduled"), ("date_end", ">=", now)],
                order="date asc, id asc",
            ):
                for child in meeting.meeting_students & children:
                    upcoming.setdefault(child.id, meeting)
        elif visibility in ("schedule", "goals"):
            domain = [("meeting_students", "in", children.ids)]
            upcoming[children.id] = Meeting.search(
                domain + [("status", "=", "scheduled"), ("date_end", ">=", now)],
                order="date asc, id asc",
                limit=MEETINGS_SHOWN,
            )
            past[children.id] = Meeting.search(
                domain + ["!", "&", ("status", "=", "scheduled"), ("date_end", ">=", now)], limit=MEETINGS_SHOWN
            )
        if visibility == "goals" and detail:
            # the same records as the mentee reads (op_student_mentor's portal rules): shared with the mentee
            followups[children.id] = env_sudo["op.mentor.followup"].search(
                [("student_id", "=", children.id), ("visibility", "=", "mentee")],
                order="meeting_date desc, id desc",
                limit=FOLLOWUPS_SHOWN,
            )
            goals[children.id] = env_sudo["op.mentor.goal"].search(
                [("student_id", "=", children.id), ("visibility", "=", "mentee")], order="deadline, id"
            )
        Meeting = request.env["op.mentor.meeting"]
        return {
            "visibility": visibility,
            "show_link": show_link,
            "mentors": mentors,
            "upcoming": upcoming,
            "past": past,
            "followups": followups,
            "goals": goals,
            "meeting_status": dict(Meeting._fields["status"]._description_selection(request.env)),
            "tz": self._mentor_portal_tz(),
        }

    # ------------------------------------------------------------
    # PARENT PAGES
    # ------------------------------------------------------------

    @http.route("/my/child", type="http", auth="user", website=True)
    def portal_parent_children(self, **kw):
        """OpenEduCat's login redirect of parents: their children's mentorship; anyone else goes to /my."""
        parent = self._mentor_portal_parent()
        if not parent:
            return request.redirect("/my")
        children = parent.student_ids.sorted("name")
        values = self._prepare_portal_layout_values()
        values.update(self._mentor_parent_values(children), page_name="parent_children", children=children)
        return request.render("op_student_mentor_parent.portal_my_children", values)

    def _mentor_parent_child_page(self, parent, child, message=None, error=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(
            self._mentor_parent_values(child, detail=True),
            page_name="parent_child",
            child=child,
            message=message,
            error=error,
            withdraw_max=WITHDRAW_REASON_MAX_LENGTH,
        )
        return request.render("op_student_mentor_parent.portal_my_child", values, status=status)

    @http.route("/my/child/<int:student_id>", type="http", auth="user", website=True)
    def portal_parent_child(self, student_id, message=None, **kw):
        parent = self._mentor_portal_parent()
        child = self._mentor_parent_child(parent, student_id)
        if not child:
            return self._mentor_not_found()
        messages = {
            "given": request.env._("Thank you: your consent is recorded."),
            "withdrawn": request.env._("Your consent is withdrawn; the upcoming meetings are cancelled."),
        }
        return self._mentor_parent_child_page(parent, child, message=messages.get(message))

    @http.route("/my/child/<int:student_id>/consent", type="http", auth="user", website=True, methods=["POST"])
    def portal_parent_consent_give(self, student_id, **kw):
        parent = self._mentor_portal_parent()
        child = self._mentor_parent_child(parent, student_id)
        if not child:
            return self._mentor_not_found()
        consent = request.env["op.mentor.parent.consent"]._mentor_for_students(child)[child.id]
        consent._mentor_give(parent, "portal")
        return request.redirect(f"/my/child/{child.id}?message=given")

    @http.route("/my/child/<int:student_id>/consent/withdraw", type="http", auth="user", website=True, methods=["POST"])
    def portal_parent_consent_withdraw(self, student_id, reason=None, **kw):
        parent = self._mentor_portal_parent()
        child = self._mentor_parent_child(parent, student_id)
        if not child:
            return self._mentor_not_found()
        consent = request.env["op.mentor.parent.consent"]._mentor_for_students(child)[child.id]
        try:
            with request.env.cr.savepoint():
                consent._mentor_withdraw(parent, reason if isinstance(reason, str) else "")
        except UserError as error:
            return self._mentor_parent_child_page(parent, child, error=error.args[0], status=400)
        return request.redirect(f"/my/child/{child.id}?message=withdrawn")

    @http.route("/my/child/<path:unknown>", type="http", auth="public", website=True, sitemap=False, readonly=True)
    def portal_parent_child_unknown(self, unknown=None, **kw):
        """The website's 404 page for what is not a child's id (``/my/child/abc``, ``/my/child/%00``): without
        this route Odoo looks the URL up as an attachment, which fails on a NUL (see op_student_mentor)."""
        return self._mentor_not_found()

    # ------------------------------------------------------------
    # E-MAILED CONSENT LINK
    # ------------------------------------------------------------

    @http.route(
        "/mentorship/consent/<int:consent_id>/<int:parent_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        methods=["GET", "POST"],
    )
    def portal_parent_consent_link(self, consent_id, parent_id, token, **kw):
        """The link of the consent request e-mail. GET shows what the parent consents to (mail scanners open
        links: a GET changes nothing), the button POSTs; once used, the link (and every other) is void."""
        # sudo: a token-authenticated route (public); the token is checked below before anything is shown or written
        Consent = request.env["op.mentor.parent.consent"].sudo()
        consent = Consent.browse(consent_id).exists() if 0 < consent_id <= MAX_INT else Consent
        parent = Consent.env["op.parent"].browse(parent_id).exists() if 0 < parent_id <= MAX_INT else None
        valid = (
            consent
            and parent
            and consent.student_id in parent.student_ids
            and consent._mentor_check_link_token(parent, token)
        )
        if not valid:
            return request.render(
                "op_student_mentor_parent.portal_parent_consent_link", {"state": "invalid"}, status=404
            )
        values = {"consent": consent, "parent": parent, "token": token, "state": "ask"}
        if consent.state == "given":
            values["state"] = "already"
        elif request.httprequest.method == "POST":
            consent._mentor_give(parent, "email")
            values["state"] = "done"
        return request.render("op_student_mentor_parent.portal_parent_consent_link", values)
