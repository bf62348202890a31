import uuid
from datetime import date as date_cls
from datetime import datetime, timedelta

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from ..models.op_mentor_meeting import DATE_MAX_YEARS_AHEAD as DEADLINE_MAX_YEARS_AHEAD
from . import portal_input
from .portal import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, MentorCustomerPortal

NEW_GOAL_ROWS = 3
REVIEW_CHOICES = ("open", "achieved", "partly", "not_achieved", "carry")
PORTAL_VISIBILITY = ("mentee", "mentor")  # a mentor never writes faculty-only notes (they could not read them)
SHARED_NOTES_LIMIT = 10
ACHIEVED_GOALS_LIMIT = 20


class MentorPracticePortal(MentorCustomerPortal):
    """Portal pages of the mentoring practice, apart from the meeting pages.

    The mentor records each session (``/my/mentor/meetings/<id>/session``): per mentee, the
    guide's notes, project progress, the review of last session's goals and new SMART goals,
    then plans the next session. The mentee reads the goals and notes shared with them
    (``/my/mentorship/goals``). Writes run as the mentor, so the record rules of note
    visibility apply; ``sudo()`` only reads names and sets the at-risk alert, after the
    host / allocation check.
    """

    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "mentorship_goal_count" not in counters:
            return values
        student = self._mentor_portal_student()
        Goal = request.env["op.mentor.goal"]
        if not student or not Goal.has_access("read"):
            return values
        count = Goal.search_count(self._mentor_shared_goals_domain(student))
        if count or student.mentee_allocation_ids:
            values["mentorship_goal_count"] = count
        return values

    # ------------------------------------------------------------
    # MENTEE: GOALS AND SHARED NOTES
    # ------------------------------------------------------------

    @staticmethod
    def _mentor_shared_goals_domain(student, state="open"):
        return [("student_id", "=", student.id), ("visibility", "=", "mentee"), ("state", "=", state)]

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
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "mentorship_goals",
                # names of the mentors (op.student) need the superuser; the records were found as the user
                "goals": goals.sudo(),
                "achieved_goals": achieved.sudo(),
                "notes": notes.sudo(),
                "today": fields.Date.context_today(request.env.user),
            }
        )
        return request.render("op_student_mentor.portal_my_mentorship_goals", values)

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
        allocations = request.env["op.mentor.allocation"].sudo().search([("mentor_id", "=", student.id)])
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
        mentees = request.env["op.student"].sudo().browse([mentee.id for mentee, _allocation in attendees])
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
            followup = recorded_by_mentee.get(mentee.id, Followup.sudo())
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

    def _mentor_local_date(self, value):
        return pytz.utc.localize(value).astimezone(pytz.timezone(self._mentor_portal_tz())).date()

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
        planned = (
            request.env["op.mentor.meeting"]
            .search(
                [
                    ("student_id", "=", student.id),
                    ("status", "=", "scheduled"),
                    ("date", ">", meeting_sudo.date),
                    ("meeting_students", "in", meeting_sudo.meeting_students.ids),
                ],
                order="date asc, id asc",
                limit=1,
            )
            .sudo()
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

    def _mentor_done_meeting(self, meeting_id):
        """``(mentor, meeting as superuser, None)`` when the current user is a mentor hosting this meeting and it
        took place (done): what the session record and the next session start from. Otherwise
        ``(None, None, response)``: the refusal page (not a mentor), a redirect to the meeting (not done yet).

        :raise NotFound: the meeting does not exist or is not hosted by the current user (the ownership check,
            before any sudo read).
        """
        student = self._mentor_portal_student()
        if not student.is_mentor:
            return None, None, self._mentor_refusal()
        meeting_sudo = self._mentor_meeting_get(meeting_id, "host")
        if not meeting_sudo:
            raise request.not_found()
        if meeting_sudo.status != "done":
            return None, None, request.redirect(f"/my/mentor/meetings/{meeting_sudo.id}?message=not_done")
        return student, meeting_sudo, None

    def _mentor_portal_messages(self):
        messages = super()._mentor_portal_messages()
        messages["not_done"] = request.env._("Mark the meeting done first, then record the session.")
        return messages

    @http.route(
        "/my/mentor/meetings/<int:meeting_id>/session", type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_mentor_session(self, meeting_id, message=None, **post):
        student, meeting_sudo, response = self._mentor_done_meeting(meeting_id)
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
        latest_deadline = today + relativedelta(years=DEADLINE_MAX_YEARS_AHEAD)
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
            for field_name in ("catch_up", "progress", "obstacles", "at_risk"):
                if len(entry[field_name]) > DESCRIPTION_MAX_LENGTH:
                    errors.append(
                        request.env._(
                            "%(mentee)s: a note is too long (at most %(max)s characters).",
                            mentee=name,
                            max=DESCRIPTION_MAX_LENGTH,
                        )
                    )
                    break
            progress = None
            if entry["project_progress"]:
                progress = self._mentor_to_int(entry["project_progress"]) if entry["project_progress"] != "0" else 0
                if progress is None or progress > 100:
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
                if len(goal["name"]) > NAME_MAX_LENGTH or len(goal["indicator"]) > NAME_MAX_LENGTH:
                    errors.append(
                        request.env._(
                            "%(mentee)s: a goal is too long (at most %(max)s characters).",
                            mentee=name,
                            max=NAME_MAX_LENGTH,
                        )
                    )
                deadline = None
                if goal["deadline"]:
                    try:
                        deadline = datetime.strptime(goal["deadline"], "%Y-%m-%d").date()
                    except ValueError:
                        errors.append(request.env._("%(mentee)s: a goal deadline is not a valid date.", mentee=name))
                    else:
                        if deadline < today:
                            errors.append(request.env._("%(mentee)s: a goal deadline is in the past.", mentee=name))
                        elif deadline > latest_deadline:
                            errors.append(
                                request.env._(
                                    "%(mentee)s: a goal deadline is more than %(years)s years ahead.",
                                    mentee=name,
                                    years=DEADLINE_MAX_YEARS_AHEAD,
                                )
                            )
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
                followup.sudo().at_risk_reason = data["at_risk"]
                followup.student_id.sudo()._mentor_flag_at_risk(data["at_risk"])

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
    def portal_mentor_next_session(self, meeting_id, **post):
        student, meeting_sudo, response = self._mentor_done_meeting(meeting_id)
        if response is not None:
            return response
        text = self._mentor_text
        next_form = {
            "date": text(post.get("date"))[:10],
            "time": text(post.get("time"))[:5],
            "meeting_link": text(post.get("meeting_link")),
            "token": text(post.get("token")),
        }
        if len(next_form["token"]) > 64 or not next_form["token"].isalnum():
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
        mentees = meeting_sudo.meeting_students & student._mentor_active_mentees().sudo()
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
            # as the mentor, once per form token (see portal.py)
            response = self._mentor_create_meeting_once(student, vals, next_form, errors)
            if response:
                return response
        values = self._mentor_session_page_values(meeting_sudo, student, next_form=next_form, next_errors=errors)
        return request.render("op_student_mentor.portal_mentor_session_page", values)
