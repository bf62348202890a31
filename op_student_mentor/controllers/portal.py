import functools
from datetime import timedelta

import pytz

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.osv.expression import AND

from ..models.limits import NAME_MAX_LENGTH
from . import portal_input
from .portal_input import MAX_INT


def mentor_required(route):
    """The one mentor guard of the portal routes: the route gets the current user's student as its first
    argument when they are a mentor (an approved student); anyone else gets the refusal page (403)."""

    @functools.wraps(route)
    def wrapper(self, *args, **kwargs):
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        kwargs.pop("student", None)  # a posted field of that name is not the mentor
        return route(self, student, *args, **kwargs)

    return wrapper


class MentorCustomerPortal(CustomerPortal):
    """What the portal pages of the mentorship program share: the home page, the current student,
    the refusal, the meeting lists' search bar.

    The pages themselves are split by audience, the way ``project`` splits its portal: the mentors'
    (``/my/mentor/...``) in ``portal_mentor.py``, the mentees' (``/my/mentorship/...``) in
    ``portal_mentee.py``, the calendar files in ``export.py``. Every record is found as the current
    user: the record rules of op_student_mentor decide (portal students read the ``op.student``
    rows of themselves, their mentors and their mentees).
    """

    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            # the home page itself (``/my``), not its counters: which entries to render at all
            values.update(self._mentor_home_values())
            return values
        if not {"mentor_meeting_count", "mentorship_meeting_count", "mentorship_goal_count"} & set(counters):
            return values
        student = self._mentor_portal_student()
        Meeting = request.env["op.mentor.meeting"]
        if not student or not Meeting.has_access("read"):
            return values
        # The keys are only returned to the students they concern: the portal home
        # then always shows their cards, even at 0 (see static/src/js/mentor_portal.js).
        if "mentor_meeting_count" in counters and student.is_mentor:
            values["mentor_meeting_count"] = Meeting.search_count([("student_id", "=", student.id)])
        if "mentorship_meeting_count" in counters:
            count = Meeting.search_count([("meeting_students", "in", student.ids)])
            if count or self._mentor_has_mentor(student):
                values["mentorship_meeting_count"] = count
        if "mentorship_goal_count" in counters:
            count = request.env["op.mentor.goal"].search_count(self._mentor_shared_goals_domain(student))
            if count or self._mentor_has_mentor(student):
                values["mentorship_goal_count"] = count
        return values

    def _mentor_home_values(self):
        """What the portal home shows of the program: the mentor and mentee entries only to the students
        they concern (anyone else would follow them to a refusal), and the next meeting with its Join button.
        """
        student = self._mentor_portal_student()
        Meeting = request.env["op.mentor.meeting"]
        values = {"mentor_home_is_mentor": False, "mentor_home_is_mentee": False, "mentor_home_next": Meeting}
        if not student or not Meeting.has_access("read"):
            return values
        is_mentee = self._mentor_has_mentor(student) or bool(
            Meeting.search_count([("meeting_students", "in", student.ids)], limit=1)
        )
        # As the student: the record rules let through the meetings they host or attend.
        next_meeting = Meeting.search(
            [
                ("status", "=", "scheduled"),
                ("date_end", ">=", fields.Datetime.now()),
                "|",
                ("student_id", "=", student.id),
                ("meeting_students", "in", student.ids),
            ],
            order="date asc, id asc",
            limit=1,
        ).sudo()  # found as the student above; sudo reads the names of its mentor and mentees (op.student)
        values.update(
            {
                "mentor_home_is_mentor": student.is_mentor,
                "mentor_home_is_mentee": is_mentee,
                "mentor_home_next": next_meeting,
                "mentor_home_next_hosted": next_meeting.student_id == student,
                "mentor_home_tz": self._mentor_portal_tz(),
            }
        )
        return values

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    def _mentor_portal_student(self):
        """The student record of the current user, as the user (rule ``op_student_rule_portal_self``);
        empty for the public user and for internal users who may not read students."""
        Student = request.env["op.student"]
        if request.env.user._is_public() or not Student.has_access("read"):
            return Student
        return Student.search([("user_id", "=", request.env.uid)], limit=1)

    @staticmethod
    def _mentor_has_mentor(student):
        """Whether ``student`` is allocated to a mentor."""
        # sudo: a mentee may not read allocations (the faculty's records), only learn that they have one
        return bool(student.sudo().mentee_allocation_ids)

    def _mentor_portal_tz(self):
        tz = request.env.user.tz or request.env.context.get("tz")
        return tz if tz in pytz.all_timezones_set else "UTC"

    def _mentor_refusal(self):
        values = self._prepare_portal_layout_values()
        values["page_name"] = "mentor_refused"
        return request.render("op_student_mentor.portal_mentor_refused", values, status=403)

    def _mentor_meeting_get(self, meeting_id, role):
        """The meeting as superuser if the current user may see it in ``role``, else ``None``.

        :param str role: ``host`` (the hosting mentor only), ``attendee`` (a mentee
            of the meeting only) or ``any`` (either of them).
        """
        if not 0 < meeting_id <= MAX_INT:
            return None
        try:
            meeting_sudo = self._document_check_access("op.mentor.meeting", meeting_id)
        except (AccessError, MissingError):
            return None
        student = self._mentor_portal_student()
        if not student:
            return None
        is_host = meeting_sudo.student_id == student
        is_attendee = student in meeting_sudo.meeting_students
        allowed = {"host": is_host, "attendee": is_attendee, "any": is_host or is_attendee}[role]
        return meeting_sudo if allowed else None

    def _mentor_portal_messages(self):
        return {
            "created": request.env._("Meeting scheduled. Your mentees have been notified."),
            "rsvp_accept": request.env._("Thank you: your mentor knows you will come."),
            "rsvp_decline": request.env._("Thank you: your mentor knows you cannot come."),
            "duplicate": request.env._("This form was already sent: here is the meeting it created."),
            "rescheduled": request.env._("Meeting rescheduled. Your mentees have been notified of the new date."),
            "already_rescheduled": request.env._("This meeting was already rescheduled: here is the new meeting."),
            "done": request.env._("Meeting marked as done."),
            "already_done": request.env._("This meeting is already marked as done."),
            "cancel": request.env._("Meeting cancelled. Your mentees have been notified."),
            "already_cancel": request.env._("This meeting is already cancelled."),
            "missed": request.env._("Meeting marked as missed."),
            "already_missed": request.env._("This meeting is already marked as missed."),
            "not_scheduled": request.env._("Only scheduled meetings can be changed."),
            "rated": request.env._("Thank you: your rating is saved."),
            "rating_updated": request.env._("Your rating is updated."),
            "not_done": request.env._("Mark the meeting done first, then record the session."),
        }

    @staticmethod
    def _mentor_text(value):
        """A posted or query-string value as stripped text; "" when missing or not text (e.g. a file
        uploaded under that name). NUL characters are kept: PostgreSQL refuses them, so the forms
        report them with :meth:`_mentor_form_error` and the searches drop them."""
        return portal_input.text(value)

    @staticmethod
    def _mentor_form_error(names):
        """The message when a posted field of ``names`` cannot be saved as text (a file, a NUL character,
        invalid UTF-8), else None: the form is then shown again with it, and nothing is written."""
        kind = portal_input.problem(request.httprequest, names)
        return portal_input.problem_message(request.env, kind) if kind else None

    @staticmethod
    def _mentor_to_int(value):
        """The positive PostgreSQL integer a browser posted, or None (never raises)."""
        return portal_input.to_int(value)

    @classmethod
    def _mentor_page(cls, page):
        """The page number of a URL (``/page/<int>``) or of a query string (``?page=``, any text)."""
        if isinstance(page, int):
            return page if 0 < page <= MAX_INT else 1
        return cls._mentor_to_int(page) or 1

    def _mentor_local_date(self, value):
        """The day of a UTC datetime in the user's timezone."""
        return pytz.utc.localize(value).astimezone(pytz.timezone(self._mentor_portal_tz())).date()

    @staticmethod
    def _mentor_shared_goals_domain(student, state="open"):
        return [("student_id", "=", student.id), ("visibility", "=", "mentee"), ("state", "=", state)]

    # ------------------------------------------------------------
    # MEETING LISTS
    # ------------------------------------------------------------

    def _mentor_meeting_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Upcoming first"), "order": False},
            "date_desc": {"label": request.env._("Newest date first"), "order": "date desc, id desc"},
            "name": {"label": request.env._("Name"), "order": "meeting_name asc, id asc"},
        }

    def _mentor_meeting_searchbar_filters(self):
        now = fields.Datetime.now()
        # the start bounds are redundant (a meeting lasts 1 to 600 minutes) but the date index can use them:
        # the filtered lists do not scan the user's whole history
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "upcoming": {
                "label": request.env._("Upcoming"),
                "domain": [
                    ("status", "=", "scheduled"),
                    ("date_end", ">=", now),
                    ("date", ">=", now - timedelta(minutes=600)),
                ],
            },
            "past": {"label": request.env._("Past"), "domain": [("date_end", "<", now), ("date", "<", now)]},
            "scheduled": {"label": request.env._("Scheduled"), "domain": [("status", "=", "scheduled")]},
            "done": {"label": request.env._("Done"), "domain": [("status", "=", "done")]},
            "cancel": {"label": request.env._("Cancelled"), "domain": [("status", "=", "cancel")]},
            "missed": {"label": request.env._("Missed"), "domain": [("status", "=", "missed")]},
            "reschedule": {"label": request.env._("Rescheduled"), "domain": [("status", "=", "reschedule")]},
        }

    def _mentor_meeting_search_page(self, domain, order, offset):
        """One page of meetings; without ``order``: meetings to come (soonest first), then past ones (latest first).

        Its cost does not grow with the user's history of meetings: no count beyond this page, and the dates
        bound the scan of the date index (a meeting ends 1 to 600 minutes after it starts, the model's
        ``duration_positive`` constraint), so that neither search walks through the meetings of the other kind.
        """
        Meeting = request.env["op.mentor.meeting"]
        limit = self._items_per_page
        if order:
            return Meeting.search(domain, order=order, limit=limit, offset=offset)
        now = fields.Datetime.now()
        upcoming_domain = AND([domain, [("date_end", ">=", now), ("date", ">=", now - timedelta(minutes=600))]])
        upcoming = Meeting.search(upcoming_domain, order="date asc, id asc", limit=limit, offset=offset)
        if len(upcoming) == limit:
            return upcoming
        # the meetings to come end on this page (or before it): the past ones follow them
        upcoming_count = (
            offset + len(upcoming) if upcoming or not offset else Meeting.search_count(upcoming_domain, limit=offset)
        )
        past = Meeting.search(
            AND([domain, [("date_end", "<", now), ("date", "<", now)]]),
            order="date desc, id desc",
            limit=limit - len(upcoming),
            offset=max(0, offset - upcoming_count),
        )
        return upcoming + past

    def _mentor_next_meeting_by_mentee(self, student, mentees):
        """{mentee id: the next meeting ``student`` hosts for them}, in two queries whatever the history: the
        first date of each mentee (grouped in SQL), then the meetings at those dates (not every meeting to come)."""
        Meeting = request.env["op.mentor.meeting"]
        now = fields.Datetime.now()
        domain = [
            ("student_id", "=", student.id),
            ("status", "=", "scheduled"),
            ("date_end", ">=", now),
            ("date", ">=", now - timedelta(minutes=600)),  # as in _mentor_meeting_search_page
            ("meeting_students", "in", mentees.ids),
        ]
        first_dates = {first for _mentee, first in Meeting._read_group(domain, ["meeting_students"], ["date:min"])}
        if not first_dates:
            return {}
        # found as the user (host domain); the mentees' names (op.student) are read as the superuser
        firsts = Meeting.search(AND([domain, [("date", "in", list(first_dates))]]), order="date asc, id asc").sudo()
        return self._mentor_first_by_mentee(firsts, "meeting_students")

    def _mentor_meeting_list_values(self, base_domain, url, page, sortby, filterby, search):
        Meeting = request.env["op.mentor.meeting"]
        searchbar_sortings = self._mentor_meeting_searchbar_sortings()
        searchbar_filters = self._mentor_meeting_searchbar_filters()
        sortby = sortby if isinstance(sortby, str) and sortby in searchbar_sortings else "date"
        filterby = filterby if isinstance(filterby, str) and filterby in searchbar_filters else "all"
        search = self._mentor_text(search).replace("\x00", "")[:NAME_MAX_LENGTH]
        page = self._mentor_page(page)
        domain = AND([base_domain, searchbar_filters[filterby]["domain"]])
        if search:
            domain = AND([domain, [("meeting_name", "ilike", search)]])
        step, scope = self._items_per_page, 5  # portal.pager's default scope: the pages it links to
        pager = portal_pager(
            url=url,
            url_args={"sortby": sortby, "filterby": filterby, "search": search, "search_in": "name"},
            # The pager links to at most ``scope`` pages after this one, never to the last: counting one row
            # past them renders the same pager as the whole count, at a cost that does not grow with the
            # user's history of meetings.
            total=Meeting.search_count(domain, limit=(page + scope) * step + 1),
            page=page,
            step=step,
            scope=scope,
        )
        meetings = self._mentor_meeting_search_page(domain, searchbar_sortings[sortby]["order"], pager["offset"])
        return {
            # found as the user with the host / attendee domain: reading the mentors' and
            # mentees' names (op.student) is what needs the superuser
            "meetings": meetings.sudo(),
            "pager": pager,
            "default_url": url,
            "searchbar_sortings": searchbar_sortings,
            "sortby": sortby,
            "searchbar_filters": searchbar_filters,
            "filterby": filterby,
            "searchbar_inputs": {"name": {"input": "name", "label": request.env._("Search in Name")}},
            "search_in": "name",
            "search": search,
            "tz": self._mentor_portal_tz(),
            "now": fields.Datetime.now(),
        }

    # ------------------------------------------------------------
    # ANY OTHER URL UNDER THE MEETING PAGES
    # ------------------------------------------------------------

    @http.route(
        ["/my/mentor/meetings/<path:unknown>", "/my/mentorship/meetings/<path:unknown>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def portal_mentor_meeting_unknown(self, unknown=None, **kw):
        """The website's 404 page for what is not a meeting id (``/my/mentor/meetings/abc/done``,
        ``…/page/x``, ``…/%00``).

        The meeting routes take ``<int:…>``; anything else matched no route at all, and Odoo then
        looked the URL up as an attachment (``ir.http._serve_fallback``), also when a route raises
        ``NotFound`` (``http_routing``'s ``_handle_error``). A NUL character in the URL
        (``/my/mentor/meetings/%00``) makes that lookup fail in psycopg2 ("A string literal cannot
        contain NUL"): a 500. So the page is rendered here, without that lookup. The ``<path>``
        converter ranks after every static part and other converter: this route only gets what no
        meeting route takes.
        """
        return request.render("http_routing.404", {}, status=404)
