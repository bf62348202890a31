from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request

from .portal import MentorCustomerPortal, mentor_required
from .portal_input import MAX_INT


def ics_response(meetings, filename):
    """The HTTP response of the calendar file (.ics) of ``meetings``, for the user's calendar application.

    The caller found ``meetings`` as the user (record rules, host / attendee check).
    """
    # sudo: the file names the mentor and the mentees (op.student), which portal students cannot read
    content = meetings.sudo()._mentor_ics_file("PUBLISH")
    return request.make_response(
        content.encode(),
        headers=[
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Disposition", content_disposition(filename)),
        ],
    )


class MentorMeetingExport(http.Controller):
    @http.route("/op_student_mentor/meetings.ics", type="http", auth="user")
    def meetings_ics(self, ids="", **kw):
        """Meetings chosen in the backend (Action > Export to Calendar) as one .ics file.

        Read as the current user: record rules decide, a meeting they may not read is a 404.
        """
        if not isinstance(ids, str):  # e.g. a file uploaded under that name
            raise request.not_found()
        try:
            meeting_ids = [int(i) for i in ids.split(",") if i.strip()]
        except ValueError:
            raise request.not_found() from None
        if not meeting_ids or len(meeting_ids) > 10000 or not all(0 < i <= MAX_INT for i in meeting_ids):
            raise request.not_found()
        meetings = request.env["op.mentor.meeting"].browse(meeting_ids).exists()
        try:
            if len(meetings) != len(set(meeting_ids)):
                raise AccessError(request.env._("Some meetings do not exist."))
            meetings.check_access("read")
        except AccessError:
            raise request.not_found() from None
        return ics_response(meetings, "mentor-meetings.ics")


class MentorPortalCalendarFiles(MentorCustomerPortal):
    """The portal's calendar files: one meeting, and every meeting a mentor hosts or a mentee attends."""

    @http.route("/my/mentorship/meetings/<int:meeting_id>/ics", type="http", auth="user", website=True)
    def portal_mentorship_meeting_ics(self, meeting_id, **kw):
        meeting_sudo = self._mentor_meeting_get(meeting_id, "any")
        if not meeting_sudo:
            raise request.not_found()
        return ics_response(meeting_sudo, f"meeting-{meeting_sudo.id}.ics")

    @http.route("/my/mentor/meetings/calendar.ics", type="http", auth="user", website=True)
    @mentor_required
    def portal_mentor_meetings_ics(self, student, **kw):
        """Every meeting the mentor hosts, for their calendar application."""
        meetings = request.env["op.mentor.meeting"].search([("student_id", "=", student.id)], order="date, id")
        return ics_response(meetings, "mentor-meetings.ics")

    @http.route("/my/mentorship/meetings/calendar.ics", type="http", auth="user", website=True)
    def portal_mentorship_meetings_ics(self, **kw):
        """Every meeting the student attends as a mentee."""
        student = self._mentor_portal_student()
        domain = [("meeting_students", "in", student.ids)] if student else [(0, "=", 1)]
        meetings = request.env["op.mentor.meeting"].search(domain, order="date, id")
        return ics_response(meetings, "my-mentorship-meetings.ics")
