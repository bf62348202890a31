import hashlib
import uuid
from datetime import date as date_cls
from datetime import datetime, timedelta

import psycopg2
import pytz

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.limits import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH
from . import portal_input
from .portal import MentorCustomerPortal, mentor_required
from .portal_input import LINK_MAX_LENGTH, TOKEN_MAX_LENGTH

NEW_GOAL_ROWS = 3
REVIEW_CHOICES = ("open", "achieved", "partly", "not_achieved", "carry")
PORTAL_VISIBILITY = ("mentee", "mentor")  # a mentor never writes faculty-only notes (they could not read them)


class MentorPortalMentor(MentorCustomerPortal):
    """The mentors' pages (``/my/mentor/...``): their mentees, the meetings they host (new, reschedule,
    done / cancel / missed) and, once a meeting took place, the session record (per mentee: the guide's
    notes, project progress, the review of last session's goals, new SMART goals) and the next session.

    Every route is guarded by :func:`~.portal.mentor_required`; a meeting is then found as the mentor
    (:meth:`_mentor_meeting_get` with role ``host``) and written as the mentor: the record rules and the
    models' constraints decide, the pages show their refusal next to the form.
    """

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

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

    @staticmethod
    def _mentor_first_by_mentee(records, mentees_field):
        """{mentee id: the first of ``records`` (in their order) whose ``mentees_field`` holds that mentee}."""
        first = {}
        for record in records:
            for mentee in record[mentees_field]:
                first.setdefault(mentee.id, record)
        return first

    @staticmethod
    def _mentor_allocations(student):
        """The allocations of the mentor ``student``, found as the mentor (record rules)."""
        allocations = request.env["op.mentor.allocation"].search([("mentor_id", "=", student.id)])
        return allocations.sudo()  # sudo: the pages name the mentees (op.student), which students cannot read

    @staticmethod
    def _mentor_latest_of_chain(meeting):
        while meeting.rescheduled_to_ids:
            meeting = meeting.rescheduled_to_ids.sorted("id")[-1]
        return meeting

    # ------------------------------------------------------------
    # MENTOR: MENTEES
    # ------------------------------------------------------------

    @http.route("/my/mentor/mentees", type="http", auth="user", website=True)
    @mentor_required
    def portal_mentor_mentees(self, student, **kw):
        allocations = self._mentor_allocations(student)
        mentees = allocations.student_ids
        allocation_by_mentee = self._mentor_first_by_mentee(allocations, "student_ids")
        # Two queries for every mentee's next meeting, one grouped read for the last follow-ups.
        next_meeting = self._mentor_next_meeting_by_mentee(student, mentees)
        followup_groups = (
            request.env["op.mentor.followup"]
            .sudo()  # every follow-up of the mentor's mentees counts, faculty-only ones too: only dates leave
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
    @mentor_required
    def portal_mentor_meetings(self, student, page=1, sortby=None, filterby=None, search=None, **kw):
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
        mentees = self._mentor_allocations(student).student_ids.sorted("name")
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
        if form["meeting_link"]:  # empty: a Discuss video room (calendar)
            errors += self._mentor_link_errors(form["meeting_link"])
        date = self._mentor_parse_datetime(form["date"], form["time"], errors)
        duration = self._mentor_to_int(form["duration"])
        if form["duration"] and (not duration or duration > 600):
            duration = None
            errors.append(request.env._("The duration is a number of minutes between 1 and 600."))
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
                meeting.sudo()._set_portal_submit_token(form["token"])  # a technical field no user writes
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
    @mentor_required
    def portal_mentor_meeting_new(self, student, **post):
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
    @mentor_required
    def portal_mentor_meeting(self, student, meeting_id, message=None, **kw):
        meeting_sudo = self._mentor_meeting_get(meeting_id, "host")
        if not meeting_sudo:
            raise request.not_found()
        return request.render(
            "op_student_mentor.portal_mentor_meeting_page", self._mentor_meeting_page_values(meeting_sudo, message)
        )

    def _mentor_meeting_action(self, student, meeting_id, status, post=None):
        """Common part of the Done / Cancel / Missed buttons: a repeated POST only redirects with a message.

        Cancel and Missed need a reason (select + details): without one the page comes back with the
        error and nothing is written.
        """
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
                    meeting._action_cancel(close_form["reason"], close_form["note"])
                else:
                    meeting._action_mark_missed(close_form["reason"], close_form["note"])
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
    @mentor_required
    def portal_mentor_meeting_done(self, student, meeting_id, **kw):
        return self._mentor_meeting_action(student, meeting_id, "done")

    @http.route("/my/mentor/meetings/<int:meeting_id>/cancel", type="http", auth="user", website=True, methods=["POST"])
    @mentor_required
    def portal_mentor_meeting_cancel(self, student, meeting_id, **post):
        return self._mentor_meeting_action(student, meeting_id, "cancel", post)

    @http.route("/my/mentor/meetings/<int:meeting_id>/missed", type="http", auth="user", website=True, methods=["POST"])
    @mentor_required
    def portal_mentor_meeting_missed(self, student, meeting_id, **post):
        return self._mentor_meeting_action(student, meeting_id, "missed", post)

    @http.route(
        "/my/mentor/meetings/<int:meeting_id>/reschedule", type="http", auth="user", website=True, methods=["POST"]
    )
    @mentor_required
    def portal_mentor_meeting_reschedule(self, student, meeting_id, date=None, time=None, meeting_link=None, **kw):
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
                    new_meeting = meeting_sudo.with_user(request.env.user)._action_reschedule(
                        new_date, form["meeting_link"] or None
                    )
            except (ValidationError, UserError, AccessError) as error:
                errors.append(error.args[0])
            else:
                return request.redirect(f"/my/mentor/meetings/{new_meeting.id}?message=rescheduled")
        values = self._mentor_meeting_page_values(meeting_sudo, error=" ".join(errors), reschedule_form=form)
        return request.render("op_student_mentor.portal_mentor_meeting_page", values)

    # ------------------------------------------------------------
    # MENTOR: SESSION RECORD
    # ------------------------------------------------------------

    def _mentor_session_messages(self):
        return {
            "saved": request.env._("Session recorded. Plan the next session below."),
            "planned": request.env._("Next session planned. Your mentees have been notified."),
        }

    def _mentor_session_attendees(self, meeting_sudo, student):
        """[(mentee, allocation)] of the meeting's mentees still allocated to the hosting mentor."""
        allocations = self._mentor_allocations(student)
        allocation_by_mentee = self._mentor_first_by_mentee(allocations, "student_ids")
        return [
            (mentee, allocation_by_mentee[mentee.id])
            for mentee in meeting_sudo.meeting_students.sorted("name")
            if mentee.id in allocation_by_mentee
        ]

    def _mentor_session_rows(self, meeting_sudo, student):
        """Per attendee: the follow-up of this session (as the mentor), the goals to review and this session's goals."""
        user = request.env.user
        Followup = request.env["op.mentor.followup"]
        Goal = request.env["op.mentor.goal"]
        attendees = self._mentor_session_attendees(meeting_sudo, student)
        mentees = request.env["op.student"].browse([mentee.id for mentee, _allocation in attendees])  # ids only
        # One search for every attendee's record of this session, as superuser to see faculty-only
        # ones too (the mentor may not write those: the page says so instead of failing).
        recorded = Followup.sudo().search([("meeting_id", "=", meeting_sudo.id), ("student_id", "in", mentees.ids)])
        recorded_by_mentee = {followup.student_id.id: followup for followup in recorded}
        readable = recorded.with_user(user)._filtered_access("write")
        # One search for the previous follow-ups the mentor may read, before this session.
        session_day = self._mentor_local_date(meeting_sudo.date)
        previous = Followup.search(
            [
                ("student_id", "in", mentees.ids),
                ("id", "not in", recorded.ids),
                "|",
                ("meeting_date", "<=", session_day),
                ("meeting_date", "=", False),
            ],
            order="meeting_date desc, id desc",
        )
        previous_by_mentee = self._mentor_first_by_mentee(previous, "student_id")
        review_goals = Goal.search(
            [("followup_id", "in", [f.id for f in previous_by_mentee.values()]), ("state", "=", "open")],
            order="deadline asc, id asc",
        )
        session_goals = Goal.search([("followup_id", "in", readable.ids)], order="id asc")
        rows = []
        for mentee, allocation in attendees:
            followup = recorded_by_mentee.get(mentee.id, Followup)
            previous_followup = previous_by_mentee.get(mentee.id, Followup)
            rows.append(
                {
                    "mentee": mentee,
                    "allocation": allocation,
                    "followup": followup.with_user(user) if followup in readable else Followup,
                    "locked": bool(followup) and followup not in readable,
                    "review_goals": review_goals.filtered(lambda g, p=previous_followup: g.followup_id == p),
                    "session_goals": session_goals.filtered(lambda g, f=followup: g.followup_id == f),
                }
            )
        return rows

    def _mentor_session_form_defaults(self, rows):
        form = {}
        for row in rows:
            key = row["mentee"].id
            followup = row["followup"]
            form[key] = {
                "visibility": followup.visibility if followup else "mentor",
                "catch_up": followup.note_catch_up or "",
                "progress": followup.note_progress or "",
                "obstacles": followup.note_obstacles or "",
                "project_progress": str(followup.project_progress) if followup else "",
                "on_track": followup.on_track_training or "",
                "at_risk": "",
                "review": {goal.id: "open" for goal in row["review_goals"]},
                "goals": [{"name": "", "indicator": "", "deadline": "", "shared": True} for _i in range(NEW_GOAL_ROWS)],
            }
        return form

    def _mentor_next_session_defaults(self, meeting_sudo):
        start = max(meeting_sudo.date + timedelta(days=7), fields.Datetime.now() + timedelta(hours=1))
        local = pytz.utc.localize(start).astimezone(pytz.timezone(self._mentor_portal_tz()))
        return {
            "date": local.strftime("%Y-%m-%d"),
            "time": local.strftime("%H:%M"),
            "meeting_link": meeting_sudo.meeting_link,
            "token": uuid.uuid4().hex,
        }

    def _mentor_session_page_values(
        self, meeting_sudo, student, form=None, errors=None, next_form=None, absent_ids=None, **extra
    ):
        rows = self._mentor_session_rows(meeting_sudo, student)
        planned = request.env["op.mentor.meeting"].search(
            [
                ("student_id", "=", student.id),
                ("status", "=", "scheduled"),
                ("date", ">", meeting_sudo.date),
                ("meeting_students", "in", meeting_sudo.meeting_students.ids),
            ],
            order="date asc, id asc",
            limit=1,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "mentor_session",
                "mentor_meeting": meeting_sudo,
                "rows": rows,
                "form": form or self._mentor_session_form_defaults(rows),
                "absent_ids": set(meeting_sudo.absent_student_ids.ids) if absent_ids is None else absent_ids,
                "errors": errors or [],
                "next_form": next_form or self._mentor_next_session_defaults(meeting_sudo),
                "next_errors": [],
                "planned": planned,
                "message": None,
                "goal_rows": range(NEW_GOAL_ROWS),
                "visibility_labels": dict(request.env["op.mentor.followup"]._fields["visibility"].selection),
                "review_choices": [
                    ("open", request.env._("Still open")),
                    ("achieved", request.env._("Achieved")),
                    ("partly", request.env._("Partly achieved")),
                    ("not_achieved", request.env._("Not achieved")),
                    ("carry", request.env._("Carry over")),
                ],
                "tz": self._mentor_portal_tz(),
            }
        )
        values.update(extra)
        return values

    def _mentor_done_meeting(self, student, meeting_id):
        """``(meeting as superuser, None)`` when the mentor ``student`` hosts this meeting and it took place
        (done): what the session record and the next session start from. Otherwise ``(None, response)``:
        a redirect to the meeting (not done yet).

        :raise NotFound: the meeting does not exist or is not hosted by the current user (the ownership check,
            before any sudo read).
        """
        meeting_sudo = self._mentor_meeting_get(meeting_id, "host")
        if not meeting_sudo:
            raise request.not_found()
        if meeting_sudo.status != "done":
            return None, request.redirect(f"/my/mentor/meetings/{meeting_sudo.id}?message=not_done")
        return meeting_sudo, None

    @http.route(
        "/my/mentor/meetings/<int:meeting_id>/session", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    @mentor_required
    def portal_mentor_session(self, student, meeting_id, message=None, **post):
        meeting_sudo, response = self._mentor_done_meeting(student, meeting_id)
        if response is not None:
            return response
        if request.httprequest.method != "POST":
            values = self._mentor_session_page_values(
                meeting_sudo, student, message=self._mentor_session_messages().get(message)
            )
            return request.render("op_student_mentor.portal_mentor_session_page", values)
        rows = self._mentor_session_rows(meeting_sudo, student)
        form, parsed, errors = self._mentor_session_parse(rows, post)
        # Mentees who did not come (any attendee, also one whose notes the faculty recorded).
        absent_ids = {row["mentee"].id for row in rows if self._mentor_text(post.get(f"{row['mentee'].id}-absent"))}
        if not errors:
            try:
                with request.env.cr.savepoint():
                    self._mentor_session_save(meeting_sudo, rows, parsed)
                    self._mentor_session_save_absences(meeting_sudo, rows, absent_ids)
            except psycopg2.IntegrityError:
                errors.append(request.env._("This session was recorded meanwhile; reload the page."))
            except (ValidationError, UserError, AccessError) as error:
                errors.append(error.args[0])
            else:
                return request.redirect(f"/my/mentor/meetings/{meeting_sudo.id}/session?message=saved")
        values = self._mentor_session_page_values(
            meeting_sudo, student, form=form, errors=errors, absent_ids=absent_ids
        )
        return request.render("op_student_mentor.portal_mentor_session_page", values)

    def _mentor_session_parse(self, rows, post):
        """(form values to show again, validated values per mentee, errors) of the posted session record."""
        errors = []
        form, parsed = {}, {}
        today = fields.Date.context_today(request.env.user)
        for row in rows:
            if row["locked"]:
                continue
            mentee = row["mentee"]
            prefix = f"{mentee.id}-"

            def get(name, size=DESCRIPTION_MAX_LENGTH, prefix=prefix):
                # text only (a file posted under a field's name reads as empty), without what cannot be
                # saved (NUL, invalid UTF-8): the page says so once (below)
                return portal_input.clean(self._mentor_text(post.get(prefix + name))[: size + 1])

            entry = {
                "visibility": get("visibility", 10),
                "catch_up": get("catch_up"),
                "progress": get("progress"),
                "obstacles": get("obstacles"),
                "project_progress": get("project_progress", 10),
                "on_track": get("on_track", 10),
                "at_risk": get("at_risk"),
                "review": {},
                "goals": [],
            }
            form[mentee.id] = entry
            name = mentee.name
            if entry["visibility"] not in PORTAL_VISIBILITY:
                errors.append(request.env._("%(mentee)s: choose who may read the notes.", mentee=name))
            # the lengths of the notes and goals, the range of the progress and the goals' latest deadline are
            # the models' constraints: the save below shows their message, and writes nothing
            progress = None
            if entry["project_progress"]:
                progress = self._mentor_to_int(entry["project_progress"]) if entry["project_progress"] != "0" else 0
                if progress is None:
                    errors.append(
                        request.env._("%(mentee)s: project progress is a percentage between 0 and 100.", mentee=name)
                    )
            if entry["on_track"] not in ("", "yes", "no", "unsure"):
                errors.append(request.env._("%(mentee)s: choose whether the training calendar holds.", mentee=name))
            for goal in row["review_goals"]:
                choice = get(f"review-{goal.id}", 20) or "open"
                entry["review"][goal.id] = choice
                if choice not in REVIEW_CHOICES:
                    errors.append(request.env._("%(mentee)s: choose how each goal went.", mentee=name))
            new_goals = []
            for index in range(NEW_GOAL_ROWS):
                goal = {
                    "name": get(f"goal-{index}-name", NAME_MAX_LENGTH),
                    "indicator": get(f"goal-{index}-indicator", NAME_MAX_LENGTH),
                    "deadline": get(f"goal-{index}-deadline", 10),
                    "shared": bool(self._mentor_text(post.get(f"{prefix}goal-{index}-shared"))),
                }
                entry["goals"].append(goal)
                if not (goal["name"] or goal["indicator"] or goal["deadline"]):
                    continue
                if not goal["name"]:
                    errors.append(
                        request.env._("%(mentee)s: name the skill or criterion of each new goal.", mentee=name)
                    )
                deadline = None
                if goal["deadline"]:
                    try:
                        deadline = datetime.strptime(goal["deadline"], "%Y-%m-%d").date()
                    except ValueError:
                        errors.append(request.env._("%(mentee)s: a goal deadline is not a valid date.", mentee=name))
                    else:
                        # a form rule, not the model's: the backend records goals agreed in the past (and
                        # overdue ones, as the demo does); the portal sets the next ones
                        if deadline < today:
                            errors.append(request.env._("%(mentee)s: a goal deadline is in the past.", mentee=name))
                new_goals.append(
                    {
                        "name": goal["name"],
                        "indicator": goal["indicator"] or False,
                        "visibility": "mentee" if goal["shared"] else "mentor",
                        **({"deadline": deadline} if isinstance(deadline, date_cls) else {}),
                    }
                )
            parsed[mentee.id] = {
                "followup": {
                    "visibility": entry["visibility"],
                    "note_catch_up": entry["catch_up"] or False,
                    "note_progress": entry["progress"] or False,
                    "note_obstacles": entry["obstacles"] or False,
                    "project_progress": progress or 0,
                    "on_track_training": entry["on_track"] or False,
                },
                "review": entry["review"],
                "new_goals": new_goals,
                "at_risk": entry["at_risk"],
            }
        prefixes = tuple(f"{row['mentee'].id}-" for row in rows)
        posted = set(request.httprequest.form) | set(request.httprequest.files)
        unsavable = self._mentor_form_error(sorted(name for name in posted if name.startswith(prefixes)))
        if unsavable:
            errors.append(unsavable)
        if not parsed:
            errors.append(
                request.env._(
                    "Nothing to record: these mentees are no longer allocated to you, or the faculty recorded the session."
                )
            )
        return form, parsed, errors

    def _mentor_session_save(self, meeting_sudo, rows, parsed):
        """Write the session record as the mentor (record rules apply); the caller holds a savepoint."""
        user = request.env.user
        Followup = request.env["op.mentor.followup"].with_user(user).with_context(mail_create_nosubscribe=True)
        Goal = request.env["op.mentor.goal"].with_user(user)
        session_day = self._mentor_local_date(meeting_sudo.date)
        for row in rows:
            data = parsed.get(row["mentee"].id)
            if not data:
                continue
            followup = row["followup"]
            if followup:
                followup.write(data["followup"])
            else:
                followup = Followup.create(
                    {
                        "student_id": row["mentee"].id,
                        "allocation_id": row["allocation"].id,
                        "meeting_id": meeting_sudo.id,
                        "meeting_date": session_day,
                        **data["followup"],
                    }
                )
            if followup.status in ("draft", "scheduled"):
                followup.action_complete()
            for goal in row["review_goals"].with_user(user):
                choice = data["review"].get(goal.id, "open")
                if choice == "carry":
                    goal.with_context(carry_to_followup_id=followup.id).action_carry_over()
                elif choice != "open":
                    goal.write({"state": choice})
            if data["new_goals"]:
                Goal.create([{"followup_id": followup.id, **vals} for vals in data["new_goals"]])
            if data["at_risk"]:
                # the mentor may not read the at-risk reason (faculty only): set as superuser, after
                # the host and allocation checks above and the mentor's own write on the follow-up
                followup_sudo = followup.sudo()
                followup_sudo.at_risk_reason = data["at_risk"]
                followup_sudo.student_id._mentor_flag_at_risk(data["at_risk"])

    def _mentor_session_save_absences(self, meeting_sudo, rows, absent_ids):
        """Mark absent the attendees ticked "Did not come", present the others of the page, as the mentor
        (the host writes their meeting; the meeting checks they are its mentees)."""
        on_page = {row["mentee"].id for row in rows}
        current = set(meeting_sudo.absent_student_ids.ids)
        wanted = (current - on_page) | absent_ids
        if wanted != current:
            request.env["op.mentor.meeting"].browse(meeting_sudo.id).write(
                {"absent_student_ids": [Command.set(sorted(wanted))]}
            )

    # ------------------------------------------------------------
    # MENTOR: NEXT SESSION
    # ------------------------------------------------------------

    @http.route("/my/mentor/meetings/<int:meeting_id>/next", type="http", auth="user", website=True, methods=["POST"])
    @mentor_required
    def portal_mentor_next_session(self, student, meeting_id, **post):
        meeting_sudo, response = self._mentor_done_meeting(student, meeting_id)
        if response is not None:
            return response
        text = self._mentor_text
        next_form = {
            "date": text(post.get("date"))[:10],
            "time": text(post.get("time"))[:5],
            "meeting_link": text(post.get("meeting_link")),
            "token": text(post.get("token")),
        }
        if len(next_form["token"]) > TOKEN_MAX_LENGTH or not next_form["token"].isalnum():
            next_form["token"] = uuid.uuid4().hex
        existing = self._mentor_meeting_by_token(next_form["token"])
        if existing.student_id == student:
            return request.redirect(f"/my/mentor/meetings/{existing.id}?message=duplicate")
        errors = []
        if existing:
            next_form["token"] = uuid.uuid4().hex
            errors.append(request.env._("This form was already sent. Check the values and send it again."))
        unsavable = self._mentor_form_error(["date", "time", "meeting_link"])
        if unsavable:
            errors.append(unsavable)
            next_form.update({key: portal_input.clean(value) for key, value in next_form.items()})
        new_date = self._mentor_parse_datetime(next_form["date"], next_form["time"], errors)
        errors += self._mentor_link_errors(next_form["meeting_link"])
        mentees = meeting_sudo.meeting_students & student._mentor_active_mentees()
        if not mentees:
            errors.append(request.env._("None of these mentees is allocated to you any more."))
        if not errors:
            vals = {
                "meeting_name": meeting_sudo.meeting_name,
                "meeting_link": next_form["meeting_link"],
                "date": new_date,
                "student_id": student.id,
                "meeting_students": [fields.Command.set(mentees.ids)],
                "session_type": "regular",
            }
            # as the mentor, once per form token (see _mentor_create_meeting_once)
            response = self._mentor_create_meeting_once(student, vals, next_form, errors)
            if response:
                return response
        values = self._mentor_session_page_values(meeting_sudo, student, next_form=next_form, next_errors=errors)
        return request.render("op_student_mentor.portal_mentor_session_page", values)
