import psycopg2
from werkzeug.exceptions import BadRequest

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from . import portal_input
from .portal import MentorCustomerPortal

SHARED_NOTES_LIMIT = 10
ACHIEVED_GOALS_LIMIT = 20


class MentorPortalMentee(MentorCustomerPortal):
    """The mentees' pages (``/my/mentorship/...``): the meetings they attend (answer the invitation,
    rate a meeting held) and the goals and notes their mentor shared with them.

    Everything is found as the mentee: the record rules let through the meetings they attend and
    what is shared with them (``visibility`` mentee); the domains say it again so a page never
    depends on a rule alone.
    """

    # ------------------------------------------------------------
    # MEETINGS
    # ------------------------------------------------------------

    @http.route(
        ["/my/mentorship/meetings", "/my/mentorship/meetings/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_mentorship_meetings(self, page=1, sortby=None, filterby=None, search=None, **kw):
        student = self._mentor_portal_student()
        values = self._prepare_portal_layout_values()
        values.update(
            self._mentor_meeting_list_values(
                [("meeting_students", "in", student.ids)] if student else [(0, "=", 1)],
                "/my/mentorship/meetings",
                page,
                sortby,
                filterby,
                search,
            )
        )
        values["page_name"] = "mentorship_meetings"
        return request.render("op_student_mentor.portal_my_mentorship_meetings", values)

    def _mentorship_meeting_page_values(self, meeting_sudo, message=None, error=None, pulse_form=None):
        student = self._mentor_portal_student()
        rating = request.env["op.mentor.meeting.rating"]
        if meeting_sudo.status == "done":
            # as the mentee: the record rules let their own rating through
            rating = rating.search([("meeting_id", "=", meeting_sudo.id), ("student_id", "=", student.id)])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "mentorship_meeting",
                "mentorship_meeting": meeting_sudo,
                # where the meeting moved to, among the meetings this mentee attends
                "next_meetings": meeting_sudo.rescheduled_to_ids.filtered(
                    lambda m: m.meeting_students & meeting_sudo.meeting_students
                ),
                "pulse_rating": rating,
                "pulse_absent": student in meeting_sudo.absent_student_ids,
                "pulse_form": pulse_form
                or {"rating": str(rating.rating) if rating else "", "comment": rating.comment or ""},
                "message": self._mentor_portal_messages().get(message),
                "error": error,
                "tz": self._mentor_portal_tz(),
                "now": fields.Datetime.now(),
            }
        )
        return values

    @http.route("/my/mentorship/meetings/<int:meeting_id>", type="http", auth="user", website=True)
    def portal_mentorship_meeting(self, meeting_id, message=None, **kw):
        meeting_sudo = self._mentor_meeting_get(meeting_id, "attendee")
        if not meeting_sudo:
            if self._mentor_meeting_get(meeting_id, "host"):
                return request.redirect(f"/my/mentor/meetings/{meeting_id}")
            raise request.not_found()
        return request.render(
            "op_student_mentor.portal_mentorship_meeting_page",
            self._mentorship_meeting_page_values(meeting_sudo, message),
        )

    @http.route(
        "/my/mentorship/meetings/<int:meeting_id>/rate", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_mentorship_meeting_rate(self, meeting_id, rating=None, comment=None, **kw):
        """The mentee's pulse of a meeting held: created once, a new post updates it (never a second one)."""
        meeting_sudo = self._mentor_meeting_get(meeting_id, "attendee")
        if not meeting_sudo:
            raise request.not_found()
        url = f"/my/mentorship/meetings/{meeting_sudo.id}"
        if meeting_sudo.status != "done":
            return request.redirect(url)
        student = self._mentor_portal_student()
        form = {"rating": self._mentor_text(rating)[:2], "comment": self._mentor_text(comment)}
        value = self._mentor_to_int(form["rating"])
        Rating = request.env["op.mentor.meeting.rating"]  # as the mentee: the record rules apply
        try:
            unsavable = self._mentor_form_error(["rating", "comment"])
            if unsavable:
                form = {key: portal_input.clean(val) for key, val in form.items()}
                raise ValidationError(unsavable)
            Rating._validate_values(value, form["comment"])
            existing = Rating.search([("meeting_id", "=", meeting_sudo.id), ("student_id", "=", student.id)])
            with request.env.cr.savepoint():
                if existing:
                    existing.write({"rating": value, "comment": form["comment"] or False})
                else:
                    Rating.create(
                        {
                            "meeting_id": meeting_sudo.id,
                            "student_id": student.id,
                            "rating": value,
                            "comment": form["comment"] or False,
                        }
                    )
        except psycopg2.IntegrityError:
            # the same form posted twice at the same moment: the unique constraint let one through
            return request.redirect(f"{url}?message=rating_updated")
        except (ValidationError, UserError, AccessError) as error:
            values = self._mentorship_meeting_page_values(meeting_sudo, error=error.args[0], pulse_form=form)
            return request.render("op_student_mentor.portal_mentorship_meeting_page", values)
        return request.redirect(f"{url}?message={'rating_updated' if existing else 'rated'}")

    @http.route(
        "/my/mentorship/meetings/<int:meeting_id>/rsvp", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_mentorship_meeting_rsvp(self, meeting_id, answer=None, **kw):
        """The mentee answers the invitation from the page, as from calendar's e-mail links."""
        meeting_sudo = self._mentor_meeting_get(meeting_id, "attendee")
        if not meeting_sudo:
            raise request.not_found()
        if answer not in ("accept", "decline"):
            # only the page's two buttons post here: anything else is a malformed request, and changes nothing
            raise BadRequest(request.env._("An invitation is answered with I'll come or I can't come."))
        url = f"/my/mentorship/meetings/{meeting_sudo.id}"
        attendee = meeting_sudo.calendar_attendee_ids.filtered(lambda a: a.partner_id == request.env.user.partner_id)
        if meeting_sudo.status != "scheduled" or not attendee:
            return request.redirect(url)
        if answer == "accept":
            attendee[:1].do_accept()
        else:
            attendee[:1].do_decline()
        return request.redirect(f"{url}?message=rsvp_{answer}")

    # ------------------------------------------------------------
    # GOALS AND SHARED NOTES
    # ------------------------------------------------------------

    @http.route("/my/mentorship/goals", type="http", auth="user", website=True)
    def portal_mentorship_goals(self, **kw):
        student = self._mentor_portal_student()
        Goal = request.env["op.mentor.goal"]
        Followup = request.env["op.mentor.followup"]
        goals, achieved, notes = Goal, Goal, Followup
        if student:
            # As the student: the record rules let only what is shared with them through; the
            # domain says it again so the page never depends on a rule alone.
            goals = Goal.search(self._mentor_shared_goals_domain(student), order="deadline asc, id asc")
            # reached goals stay on the page, as achieved (the latest first)
            achieved = Goal.search(
                self._mentor_shared_goals_domain(student, "achieved"),
                order="write_date desc, id desc",
                limit=ACHIEVED_GOALS_LIMIT,
            )
            notes = Followup.search(
                [("student_id", "=", student.id), ("visibility", "=", "mentee")],
                order="meeting_date desc, id desc",
                limit=SHARED_NOTES_LIMIT,
            )
        # sudo: found as the mentee above; the page names the goals' mentor (op.student) and the notes'
        # meetings, which the mentee may no longer attend
        goals, notes = goals.sudo(), notes.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "mentorship_goals",
                "goals": goals,
                "achieved_goals": achieved,
                "notes": notes,
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return request.render("op_student_mentor.portal_my_mentorship_goals", values)
