from odoo import http
from odoo.addons.calendar.controllers.main import CalendarController
from odoo.http import request


class MentorCalendarController(CalendarController):
    @http.route(website=True)  # the refusal page uses the website's layout (as every portal page here)
    def calendar_join_videocall(self, access_token):
        """Calendar lets anyone holding a Discuss room's link in (auth public). A mentor meeting's room is for
        its mentor and mentees, its faculty and the mentorship administrators: meetings between minors are
        not open to whoever has the link. Others get a page that says so (403), logged-out visitors a login."""
        if not isinstance(access_token, str):
            raise request.not_found()
        event = request.env["calendar.event"].sudo().search([("access_token", "=", access_token)], limit=1)
        meeting = event and event._mentor_meeting()
        if meeting and not meeting._mentor_may_join_video_room(request.env.user):
            values = {"meeting_name": meeting.meeting_name, "is_public": request.env.user._is_public()}
            values["login_url"] = f"/web/login?redirect=/calendar/join_videocall/{access_token}"
            return request.render("op_student_mentor.portal_mentor_videocall_refused", values, status=403)
        return super().calendar_join_videocall(access_token)
