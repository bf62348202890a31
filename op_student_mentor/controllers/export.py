from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request

MAX_INT = 2**31 - 1


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
        content = meetings._mentor_ics_file("PUBLISH")
        return request.make_response(
            content.encode(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", content_disposition("mentor-meetings.ics")),
            ],
        )
