import hashlib
import uuid
from datetime import datetime, timedelta

import psycopg2
import pytz
from werkzeug.exceptions import BadRequest

from odoo import fields, http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.osv.expression import AND

from . import portal_input

# Ids and numbers posted by a browser are checked against this before they reach PostgreSQL.
MAX_INT = 2**31 - 1
NAME_MAX_LENGTH = 200
LINK_MAX_LENGTH = 2000
DESCRIPTION_MAX_LENGTH = 10000
TOKEN_MAX_LENGTH = 64


class MentorCustomerPortal(CustomerPortal):
    """Portal pages of the mentorship program.

    Mentors (approved students) manage the meetings they host under
    ``/my/mentor/...``; mentees follow the meetings they attend under
    ``/my/mentorship/...``. Every record is found as the current user (record
    rules of op_student_mentor) and its host / attendee is checked again before
    anything is read with ``sudo()`` (portal users cannot read ``op.student``).
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
        if "mentor_meeting_count" not in counters and "mentorship_meeting_count" not in counters:
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
            if count or student.mentee_allocation_ids:
                values["mentorship_meeting_count"] = count
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
        is_mentee = bool(student.mentee_allocation_ids) or bool(
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
        ).sudo()
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
        """The student record of the current user, as superuser (portal users cannot read students)."""
        if request.env.user._is_public():
            return request.env["op.student"].sudo()
        return request.env["op.student"].sudo().search([("user_id", "=", request.env.uid)], limit=1)

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
        }

    def _mentor_parse_datetime(self, date_str, time_str, errors):
        """The UTC naive datetime of a date and a time typed in the user's timezone, or None."""
        date_str, time_str = self._mentor_text(date_str), self._mentor_text(time_str)
        if not date_str or not time_str:
            errors.append(request.env._("Choose the date and the time of the meeting."))
            return None
        try:
            local = datetime.strptime(f"{date_str} {time_str}"[:16], "%Y-%m-%d %H:%M")
            local = pytz.timezone(self._mentor_portal_tz()).localize(local)
            value = local.astimezone(pytz.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):
            errors.append(request.env._("The date or the time is not valid; use the date and time pickers."))
            return None
        if value <= fields.Datetime.now():
            errors.append(request.env._("A meeting must be scheduled in the future."))
            return None
        return value

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
    def _mentor_has_nul(*values):
        """Whether a text holds a NUL character (prefer :meth:`_mentor_form_error`, which also finds files
        and invalid UTF-8)."""
        return any(portal_input.NUL in value for value in values)

    @staticmethod
    def _mentor_to_int(value):
        """The positive PostgreSQL integer a browser posted, or None (never raises)."""
        return portal_input.to_int(value)

    def _mentor_pulse(self, count, average):
        """What a mentor may see of the pulse: the average only from the minimum count of the settings."""
        minimum = request.env["res.config.settings"]._mentor_setting("pulse_min_ratings")
        return {"count": count, "average": average if count >= minimum else None, "minimum": minimum}

    def _mentor_pulse_overall(self, student):
        """The pulse of all the meetings a mentor hosted: one grouped read, as superuser (mentors cannot
        read ratings), returned as an aggregate only."""
        groups = (
            request.env["op.mentor.meeting.rating"]
            .sudo()
            ._read_group([("mentor_id", "=", student.id)], [], ["__count", "rating:avg"])
        )
        count, average = groups[0] if groups else (0, None)
        return self._mentor_pulse(count, average)

    @staticmethod
    def _mentor_link_errors(link):
        if len(link) > LINK_MAX_LENGTH:
            return [request.env._("The meeting link is too long (at most %(max)s characters).", max=LINK_MAX_LENGTH)]
        try:
            request.env["op.mentor.meeting"]._validate_link(link)
        except ValidationError as error:
            return [error.args[0]]
        return []

    @classmethod
    def _mentor_page(cls, page):
        """The page number of a URL (``/page/<int>``) or of a query string (``?page=``, any text)."""
        if isinstance(page, int):
            return page if 0 < page <= MAX_INT else 1
        return cls._mentor_to_int(page) or 1

    @staticmethod
    def _mentor_first_by_mentee(records, mentees_field):
        """{mentee id: the first of ``records`` (in their order) whose ``mentees_field`` holds that mentee}."""
        first = {}
        for record in records:
            for mentee in record[mentees_field]:
                first.setdefault(mentee.id, record)
        return first

    @staticmethod
    def _mentor_latest_of_chain(meeting):
        while meeting.rescheduled_to_ids:
            meeting = meeting.rescheduled_to_ids.sorted("id")[-1]
        return meeting

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
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "upcoming": {
                "label": request.env._("Upcoming"),
                "domain": [("status", "=", "scheduled"), ("date_end", ">=", now)],
            },
            "past": {"label": request.env._("Past"), "domain": [("date_end", "<", now)]},
            "scheduled": {"label": request.env._("Scheduled"), "domain": [("status", "=", "scheduled")]},
            "done": {"label": request.env._("Done"), "domain": [("status", "=", "done")]},
            "cancel": {"label": request.env._("Cancelled"), "domain": [("status", "=", "cancel")]},
            "missed": {"label": request.env._("Missed"), "domain": [("status", "=", "missed")]},
            "reschedule": {"label": request.env._("Rescheduled"), "domain": [("status", "=", "reschedule")]},
        }

    def _mentor_meeting_search_page(self, domain, order, offset):
        """One page of meetings; without ``order``: meetings to come (soonest first), then past ones (latest first).

        Its cost does not grow with the user's history of meetings: nothing is counted beyond this page.
        """
        Meeting = request.env["op.mentor.meeting"]
        limit = self._items_per_page
        if order:
            return Meeting.search(domain, order=order, limit=limit, offset=offset)
        now = fields.Datetime.now()
        upcoming_domain = AND([domain, [("date_end", ">=", now)]])
        upcoming = Meeting.search(upcoming_domain, order="date asc, id asc", limit=limit, offset=offset)
        if len(upcoming) == limit:
            return upcoming
        # the meetings to come end on this page (or before it): the past ones follow them
        upcoming_count = (
            offset + len(upcoming) if upcoming or not offset else Meeting.search_count(upcoming_domain, limit=offset)
        )
        past = Meeting.search(
            AND([domain, [("date_end", "<", now)]]),
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
    # MENTOR: MENTEES
    # ------------------------------------------------------------

    @http.route("/my/mentor/mentees", type="http", auth="user", website=True)
    def portal_mentor_mentees(self, **kw):
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        allocations = request.env["op.mentor.allocation"].search([("mentor_id", "=", student.id)]).sudo()
        mentees = allocations.student_ids
        allocation_by_mentee = self._mentor_first_by_mentee(allocations, "student_ids")
        # Two queries for every mentee's next meeting, one grouped read for the last follow-ups.
        next_meeting = self._mentor_next_meeting_by_mentee(student, mentees)
        followup_groups = (
            request.env["op.mentor.followup"]
            .sudo()
            ._read_group(
                [
                    ("student_id", "in", mentees.ids),
                    ("allocation_id", "in", allocations.ids),
                    ("meeting_date", "!=", False),
                    ("status", "!=", "draft"),
                ],
                ["student_id"],
                ["meeting_date:max"],
            )
        )
        last_followup = {mentee.id: last_date for mentee, last_date in followup_groups}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "mentor_mentees",
                "mentees": mentees.sorted("name"),
                "allocation_by_mentee": allocation_by_mentee,
                "next_meeting": next_meeting,
                "last_followup": last_followup,
                "tz": self._mentor_portal_tz(),
            }
        )
        return request.render("op_student_mentor.portal_my_mentor_mentees", values)

    # ------------------------------------------------------------
    # MENTOR: MEETINGS
    # ------------------------------------------------------------

    @http.route(["/my/mentor/meetings", "/my/mentor/meetings/page/<int:page>"], type="http", auth="user", website=True)
    def portal_mentor_meetings(self, page=1, sortby=None, filterby=None, search=None, **kw):
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        values = self._prepare_portal_layout_values()
        values.update(
            self._mentor_meeting_list_values(
                [("student_id", "=", student.id)],
                "/my/mentor/meetings",
                page,
                sortby,
                filterby,
                search,
            )
        )
        values["page_name"] = "mentor_meetings"
        values["pulse"] = self._mentor_pulse_overall(student)
        return request.render("op_student_mentor.portal_my_mentor_meetings", values)

    def _mentor_meeting_form_values(self, student, form=None, errors=None):
        mentees = student._mentor_active_mentees().sudo().sorted("name")
        if form is None:
            tomorrow = pytz.utc.localize(fields.Datetime.now()).astimezone(
                pytz.timezone(self._mentor_portal_tz())
            ) + timedelta(days=1)
            preselected = mentees if len(mentees) == 1 else mentees.browse()
            form = {
                "meeting_name": "",
                "meeting_link": "",
                "date": tomorrow.strftime("%Y-%m-%d"),
                "time": "10:00",
                "duration": str(self._mentor_default_duration(preselected)),
                "description": "",
                "mentee_ids": set(preselected.ids),
                "token": uuid.uuid4().hex,
            }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "mentor_meeting_new",
                "mentees": mentees,
                "form": form,
                "errors": errors or [],
                "tz": self._mentor_portal_tz(),
                # the form's script sets the duration from the mentees ticked, as the backend does
                "duration_by_mentee": {mentee.id: self._mentor_default_duration(mentee) for mentee in mentees},
                "duration_self_funded": self._mentor_default_duration(mentees.browse()),
            }
        )
        return values

    @staticmethod
    def _mentor_default_duration(mentees_sudo):
        """The session length the backend would give a meeting with these mentees (funding type, settings)."""
        funding = "duration_funded" if mentees_sudo.filtered("mentor_is_funded") else "duration_self_funded"
        return request.env["res.config.settings"]._mentor_setting(funding)

    def _mentor_meeting_parse_form(self, student, post):
        """Validated values to create a meeting from the posted form, and the errors found."""
        form_data = request.httprequest.form
        errors = []
        text = self._mentor_text
        form = {
            "meeting_name": text(post.get("meeting_name")),
            "meeting_link": text(post.get("meeting_link")),
            "date": text(post.get("date"))[:10],
            "time": text(post.get("time"))[:5],
            "duration": text(post.get("duration"))[:10],
            "description": text(post.get("description")),
            "mentee_ids": set(),
            "token": text(post.get("token")),
        }
        # the token is any text: one that is not a plain token is hashed below
        unsavable = self._mentor_form_error([key for key in form if key != "token"])
        if unsavable:
            errors.append(unsavable)
            for key, value in form.items():
                if key != "token" and isinstance(value, str):
                    form[key] = portal_input.clean(value)
        if not form["meeting_name"]:
            errors.append(request.env._("Give the meeting a name."))
        elif len(form["meeting_name"]) > NAME_MAX_LENGTH:
            errors.append(
                request.env._("The meeting name is too long (at most %(max)s characters).", max=NAME_MAX_LENGTH)
            )
        if form["meeting_link"]:  # empty: a Discuss video room (calendar)
            errors += self._mentor_link_errors(form["meeting_link"])
        date = self._mentor_parse_datetime(form["date"], form["time"], errors)
        duration = self._mentor_to_int(form["duration"])
        if form["duration"] and (not duration or duration > 600):
            duration = None
            errors.append(request.env._("The duration is a number of minutes between 1 and 600."))
        if len(form["description"]) > DESCRIPTION_MAX_LENGTH:
            errors.append(
                request.env._("The agenda is too long (at most %(max)s characters).", max=DESCRIPTION_MAX_LENGTH)
            )
        allowed = set(student._mentor_active_mentees().ids)
        posted = [self._mentor_to_int(value) for value in form_data.getlist("mentee_ids")]
        if any(mentee_id not in allowed for mentee_id in posted):
            errors.append(request.env._("Choose your mentees among the students allocated to you."))
        form["mentee_ids"] = {mentee_id for mentee_id in posted if mentee_id in allowed}
        if not posted:
            errors.append(request.env._("Choose at least one mentee."))
        if not form["token"]:
            form["token"] = uuid.uuid4().hex  # a hand-made post: nothing to recognise a repeat by
        elif len(form["token"]) > TOKEN_MAX_LENGTH or not form["token"].isascii() or not form["token"].isalnum():
            # not a token this form made: the same text still gives the same token (and one meeting)
            form["token"] = hashlib.sha256(form["token"].encode(errors="replace")).hexdigest()
        vals = {
            "meeting_name": form["meeting_name"],
            "meeting_link": form["meeting_link"],
            "date": date,
            "duration": duration,
            "description": form["description"] or False,
            "student_id": student.id,
            "meeting_students": [fields.Command.set(sorted(form["mentee_ids"]))],
        }
        if not form["duration"]:
            del vals["duration"]  # left empty: the length of the mentees' funding type
        return vals, form, errors

    def _mentor_meeting_by_token(self, token):
        """The meeting a form with this one-time token already created (as superuser: the token is not readable)."""
        return request.env["op.mentor.meeting"].sudo().search([("portal_submit_token", "=", token)], limit=1)

    def _mentor_committed_meeting_by_token(self, token):
        """``(meeting id, host id)`` of the meeting another request just committed with this token.

        When the same form is posted twice at once, the second INSERT waits for the first
        transaction and then hits the unique token. This transaction's snapshot (repeatable
        read) predates the other's commit, so the meeting is read in a fresh transaction.
        """
        with request.env.registry.cursor() as cr:
            cr.execute("SELECT id, student_id FROM op_mentor_meeting WHERE portal_submit_token = %s", [token])
            return cr.fetchone() or (None, None)

    def _mentor_create_meeting_once(self, student, vals, form, errors):
        """Create a meeting as the mentor, once per form token (new meeting and next session forms).

        Returns the redirect to the new meeting, or to the one the same form already committed; otherwise
        None, with ``errors`` completed and ``form["token"]`` renewed so the form is shown again.
        """
        try:
            with request.env.cr.savepoint():
                # As the mentor: the record rules and the model's constraints apply.
                meeting = request.env["op.mentor.meeting"].create(vals)
                meeting.sudo()._set_portal_submit_token(form["token"])
        except psycopg2.IntegrityError:
            # the same form sent twice at the same moment: the unique token lets one through
            meeting_id, host_id = self._mentor_committed_meeting_by_token(form["token"])
            if meeting_id and host_id == student.id:
                return request.redirect(f"/my/mentor/meetings/{meeting_id}?message=duplicate")
            form["token"] = uuid.uuid4().hex
            errors.append(request.env._("The meeting could not be saved; check the values and try again."))
        except (ValidationError, UserError, AccessError) as error:
            errors.append(error.args[0])
        else:
            return request.redirect(f"/my/mentor/meetings/{meeting.id}?message=created")
        return None

    @http.route("/my/mentor/meetings/new", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_mentor_meeting_new(self, **post):
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        if request.httprequest.method != "POST":
            return request.render(
                "op_student_mentor.portal_mentor_meeting_form", self._mentor_meeting_form_values(student)
            )
        vals, form, errors = self._mentor_meeting_parse_form(student, post)
        existing = self._mentor_meeting_by_token(form["token"])
        if existing.student_id == student:
            return request.redirect(f"/my/mentor/meetings/{existing.id}?message=duplicate")
        if existing:  # someone else's form: never say which meeting it made
            form["token"] = uuid.uuid4().hex
            errors.append(request.env._("This form was already sent. Check the values and send it again."))
        if not errors:
            response = self._mentor_create_meeting_once(student, vals, form, errors)
            if response:
                return response
        return request.render(
            "op_student_mentor.portal_mentor_meeting_form", self._mentor_meeting_form_values(student, form, errors)
        )

    def _mentor_meeting_page_values(
        self, meeting_sudo, message=None, error=None, reschedule_form=None, close_form=None
    ):
        values = self._prepare_portal_layout_values()
        start = pytz.utc.localize(meeting_sudo.date).astimezone(pytz.timezone(self._mentor_portal_tz()))
        values.update(
            {
                "page_name": "mentor_meeting",
                "mentor_meeting": meeting_sudo,
                "chain": meeting_sudo._reschedule_chain(),
                "message": self._mentor_portal_messages().get(message) if isinstance(message, str) else None,
                "error": error,
                "reschedule_form": reschedule_form
                or {"date": (start + timedelta(days=7)).strftime("%Y-%m-%d"), "time": start.strftime("%H:%M")},
                "close_form": close_form or {},
                "pulse": self._mentor_pulse(meeting_sudo.pulse_rating_count, meeting_sudo.pulse_rating_avg),
                "close_reasons": request.env["op.mentor.meeting"]
                ._fields["close_reason"]
                ._description_selection(request.env),
                "tz": self._mentor_portal_tz(),
                "now": fields.Datetime.now(),
            }
        )
        return values

    @http.route("/my/mentor/meetings/<int:meeting_id>", type="http", auth="user", website=True)
    def portal_mentor_meeting(self, meeting_id, message=None, **kw):
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        meeting_sudo = self._mentor_meeting_get(meeting_id, "host")
        if not meeting_sudo:
            raise request.not_found()
        return request.render(
            "op_student_mentor.portal_mentor_meeting_page", self._mentor_meeting_page_values(meeting_sudo, message)
        )

    def _mentor_meeting_action(self, meeting_id, status, post=None):
        """Common part of the Done / Cancel / Missed buttons: a repeated POST only redirects with a message.

        Cancel and Missed need a reason (select + details): without one the page comes back with the
        error and nothing is written.
        """
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        meeting_sudo = self._mentor_meeting_get(meeting_id, "host")
        if not meeting_sudo:
            raise request.not_found()
        url = f"/my/mentor/meetings/{meeting_sudo.id}"
        if meeting_sudo.status == status:
            return request.redirect(f"{url}?message=already_{status}")
        if meeting_sudo.status != "scheduled":
            return request.redirect(f"{url}?message=not_scheduled")
        meeting = meeting_sudo.with_user(request.env.user)
        close_form = {}
        if status in ("cancel", "missed"):
            post = post or {}
            close_form = {
                "status": status,
                "reason": self._mentor_text(post.get("close_reason"))[:64],
                "note": self._mentor_text(post.get("close_note")),
            }
            error = self._mentor_form_error(["close_reason", "close_note"])
            if error:
                close_form = {key: portal_input.clean(value) for key, value in close_form.items()}
                values = self._mentor_meeting_page_values(meeting_sudo, error=error, close_form=close_form)
                return request.render("op_student_mentor.portal_mentor_meeting_page", values)
        try:
            with request.env.cr.savepoint():
                if status == "done":
                    meeting.action_done()
                elif status == "cancel":
                    meeting.action_cancel(close_form["reason"], close_form["note"])
                else:
                    meeting.action_mark_missed(close_form["reason"], close_form["note"])
        except UserError as error:  # ValidationError included: no reason, details missing or too long
            request.env.invalidate_all()
            if meeting_sudo.status != "scheduled":
                return request.redirect(f"{url}?message=not_scheduled")
            values = self._mentor_meeting_page_values(meeting_sudo, error=error.args[0], close_form=close_form)
            return request.render("op_student_mentor.portal_mentor_meeting_page", values)
        except AccessError:
            return request.redirect(f"{url}?message=not_scheduled")
        return request.redirect(f"{url}?message={status}")

    @http.route("/my/mentor/meetings/<int:meeting_id>/done", type="http", auth="user", website=True, methods=["POST"])
    def portal_mentor_meeting_done(self, meeting_id, **kw):
        return self._mentor_meeting_action(meeting_id, "done")

    @http.route("/my/mentor/meetings/<int:meeting_id>/cancel", type="http", auth="user", website=True, methods=["POST"])
    def portal_mentor_meeting_cancel(self, meeting_id, **post):
        return self._mentor_meeting_action(meeting_id, "cancel", post)

    @http.route("/my/mentor/meetings/<int:meeting_id>/missed", type="http", auth="user", website=True, methods=["POST"])
    def portal_mentor_meeting_missed(self, meeting_id, **post):
        return self._mentor_meeting_action(meeting_id, "missed", post)

    @http.route(
        "/my/mentor/meetings/<int:meeting_id>/reschedule", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_mentor_meeting_reschedule(self, meeting_id, date=None, time=None, meeting_link=None, **kw):
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        meeting_sudo = self._mentor_meeting_get(meeting_id, "host")
        if not meeting_sudo:
            raise request.not_found()
        url = f"/my/mentor/meetings/{meeting_sudo.id}"
        if meeting_sudo.status == "reschedule" and meeting_sudo.rescheduled_to_ids:
            latest = self._mentor_latest_of_chain(meeting_sudo)
            return request.redirect(f"/my/mentor/meetings/{latest.id}?message=already_rescheduled")
        if meeting_sudo.status != "scheduled":
            return request.redirect(f"{url}?message=not_scheduled")
        text = self._mentor_text
        form = {"date": text(date)[:10], "time": text(time)[:5], "meeting_link": text(meeting_link)}
        errors = []
        unsavable = self._mentor_form_error(["date", "time", "meeting_link"])
        if unsavable:
            errors.append(unsavable)
            form = {key: portal_input.clean(value) for key, value in form.items()}
        new_date = self._mentor_parse_datetime(form["date"], form["time"], errors)
        if form["meeting_link"]:
            errors += self._mentor_link_errors(form["meeting_link"])
        if not errors:
            try:
                with request.env.cr.savepoint():
                    new_meeting = meeting_sudo.with_user(request.env.user).action_reschedule(
                        new_date, form["meeting_link"] or None
                    )
            except (ValidationError, UserError, AccessError) as error:
                errors.append(error.args[0])
            else:
                return request.redirect(f"/my/mentor/meetings/{new_meeting.id}?message=rescheduled")
        values = self._mentor_meeting_page_values(meeting_sudo, error=" ".join(errors), reschedule_form=form)
        return request.render("op_student_mentor.portal_mentor_meeting_page", values)

    # ------------------------------------------------------------
    # MENTEE
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
            rating = rating.sudo().search([("meeting_id", "=", meeting_sudo.id), ("student_id", "=", student.id)])
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
            existing = Rating.sudo().search([("meeting_id", "=", meeting_sudo.id), ("student_id", "=", student.id)])
            with request.env.cr.savepoint():
                if existing:
                    existing.sudo(False).write({"rating": value, "comment": form["comment"] or False})
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

    @http.route("/my/mentorship/meetings/<int:meeting_id>/ics", type="http", auth="user", website=True)
    def portal_mentorship_meeting_ics(self, meeting_id, **kw):
        meeting_sudo = self._mentor_meeting_get(meeting_id, "any")
        if not meeting_sudo:
            raise request.not_found()
        content = meeting_sudo._mentor_ics_file("PUBLISH")
        return request.make_response(
            content.encode(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", content_disposition(f"meeting-{meeting_sudo.id}.ics")),
            ],
        )

    # ------------------------------------------------------------
    # CALENDAR FEEDS (.ics of every meeting)
    # ------------------------------------------------------------

    def _mentor_ics_response(self, meetings, filename):
        content = meetings._mentor_ics_file("PUBLISH")
        return request.make_response(
            content.encode(),
            headers=[
                ("Content-Type", "text/calendar; charset=utf-8"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route("/my/mentor/meetings/calendar.ics", type="http", auth="user", website=True)
    def portal_mentor_meetings_ics(self, **kw):
        """Every meeting the mentor hosts, for their calendar application."""
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return self._mentor_refusal()
        meetings = request.env["op.mentor.meeting"].search([("student_id", "=", student.id)], order="date, id")
        return self._mentor_ics_response(meetings.sudo(), "mentor-meetings.ics")

    @http.route("/my/mentorship/meetings/calendar.ics", type="http", auth="user", website=True)
    def portal_mentorship_meetings_ics(self, **kw):
        """Every meeting the student attends as a mentee."""
        student = self._mentor_portal_student()
        domain = [("meeting_students", "in", student.ids)] if student else [(0, "=", 1)]
        meetings = request.env["op.mentor.meeting"].search(domain, order="date, id")
        return self._mentor_ics_response(meetings.sudo(), "my-mentorship-meetings.ics")

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
