from datetime import timedelta

from odoo import api, fields, models

from .op_student import FUNDED_TYPES


class OpMentorMeetingAgendaMixin(models.AbstractModel):
    """The mentoring guides' practice on a meeting: its length from the mentees' funding, discovery until a
    session took place, the agenda in the guide's structure, and the next session proposed once it is done."""

    _name = "op.mentor.meeting.agenda.mixin"
    _description = "Mentor Meeting: Session Agenda and Practice Defaults"

    _PRACTICE_FIELDS = ("duration", "session_type", "description")

    @api.model
    def _mentor_precompute(self, vals):
        """Length, type and agenda computed as superuser: a portal host may not read the mentees' records."""
        missing = [fname for fname in self._PRACTICE_FIELDS if fname not in vals]
        if not missing:
            return
        keys = ("student_id", "meeting_students", *self._PRACTICE_FIELDS)
        draft = self.sudo().new({key: value for key, value in vals.items() if key in keys})
        for fname in missing:
            vals[fname] = self._fields[fname].convert_to_write(draft[fname], draft)

    def _mentor_funded(self):
        """Whether a mentee is funded: a session with a funded student takes the funded length
        (read on the saved students: a form's copy may be stale)."""
        mentees = self.meeting_students._origin or self.meeting_students
        # the mentees' funding: a portal host may not read the students
        return any(funding in FUNDED_TYPES for funding in mentees.sudo().mapped("mentor_funding_type"))

    def _mentor_had_session(self):
        """Whether the host already held a (done) session with one of these mentees."""
        self.ensure_one()
        if not self.student_id or not self.meeting_students:
            return False
        done_pairs = self.env.context.get("mentor_done_pairs")
        if done_pairs is not None and not self._origin.id:
            # bulk create: the (host, mentee) pairs with a done session were read once for the batch
            return any((self.student_id.id, mentee_id) in done_pairs for mentee_id in self.meeting_students._origin.ids)
        domain = [
            ("student_id", "=", self.student_id.id),
            ("meeting_students", "in", self.meeting_students.ids),
            ("status", "=", "done"),
        ]
        if self._origin.id:
            domain.append(("id", "!=", self._origin.id))
        # the host's history with these mentees, also the sessions a portal host may not read (other hosts')
        return bool(self.sudo().search_count(domain, limit=1))

    def _mentor_agenda_focus(self, session_type):
        return {
            "discovery": self.env._(
                "Discovery session: get to know the student, their expectations, funding, "
                "training calendar and weekly study time; agree on how to work together."
            ),
            "review": self.env._(
                "Deliverable / code review: questions and constructive feedback, goals that address recurring errors."
            ),
            "mock_presentation": self.env._(
                "Mock presentation: is the student ready for the assessment, what still needs work?"
            ),
            "qa": self.env._("Q&A: explain concepts with concrete examples from professional life."),
        }.get(session_type, "")

    def _mentor_agenda(self, duration=None, session_type=None, funded=None):
        """The guide's session structure, minutes fitted to the duration."""
        duration = duration if duration is not None else self.duration or 30
        session_type = session_type or self.session_type or "regular"
        if funded is None:
            funded = self._mentor_funded()
        catch_up = goals = 5 if duration >= 20 else max(duration // 4, 1)
        core = max(duration - catch_up - goals, 0)
        lines = []
        focus = self._mentor_agenda_focus(session_type)
        if focus:
            lines += [focus, ""]
        lines += [
            self.env._(
                "1. Catch-up (%(minutes)s min): how is the student doing, what happened since last time?",
                minutes=catch_up,
            ),
            self.env._(
                "2. Progress and feedback (%(minutes)s min): progress on last session's goals, "
                "constructive feedback, obstacles and questions, project progress.",
                minutes=core,
            ),
        ]
        if funded:
            lines.append(
                self.env._("   On track for the training calendar / funding deadline? Strategies to finish on time.")
            )
        lines.append(
            self.env._("3. New SMART goals (%(minutes)s min): set the goals and save the session notes.", minutes=goals)
        )
        return "\n".join(lines)

    @api.model
    def _mentor_generated_agendas(self):
        """Every agenda the pre-fill may have written: those are replaced when duration or type change."""
        durations = {30, 45}
        for company in self.company_id | self.env.company:
            durations |= {company._mentor_setting("duration_self_funded"), company._mentor_setting("duration_funded")}
        durations |= set(self.mapped("duration")) | set(self._origin.mapped("duration"))
        types = [key for key, _label in self._fields["session_type"].selection]
        return {
            self._mentor_agenda(duration, session_type, funded)
            for duration in durations
            for session_type in types
            for funded in (False, True)
        }

    def _action_propose_next_session(self, days=7):
        """The form of the next session, a week later by default (the guides), not created."""
        self.ensure_one()
        next_date = max(self.date + timedelta(days=days), fields.Datetime.now() + timedelta(hours=1))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next Session"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_meeting_name": self.meeting_name,
                "default_student_id": self.student_id.id,
                "default_meeting_students": [fields.Command.set(self.meeting_students.ids)],
                "default_meeting_link": self.meeting_link,
                "default_date": fields.Datetime.to_string(next_date),
                "default_session_type": "regular",
            },
        }
