from datetime import timedelta

from odoo import api, fields, models

INACTIVITY_ACTIVITY = "op_student_mentor.mail_act_mentor_inactivity"


class OpMentorEscalation(models.AbstractModel):
    """Inactivity and escalation of an allocation: the daily check alerts the faculty when no meeting was
    held for the days of the settings (or a follow-up is overdue), then the administrators after the
    escalation days, and closes the alert once a meeting is held.

    A mixin of ``op.mentor.allocation``: ``self`` is the allocation, whose fields (``escalation_state``,
    ``escalation_date``, ``escalation_reason``, ``date_start``) stay in its own file.
    """

    _name = "op.mentor.escalation.mixin"
    _description = "Mentor Allocation Inactivity Escalation"

    def action_mentor_check_inactivity(self):
        """The daily check, now, on these allocations (administrators)."""
        self.check_access("write")
        self._mentor_check_inactivity()
        return True

    @api.model
    def _cron_mentor_inactivity(self):
        """Daily: alert the faculty of allocations without a meeting held or with an overdue follow-up."""
        self.search([("student_ids", "!=", False)])._mentor_check_inactivity()

    def _mentor_last_meeting_held(self):
        """{allocation id: date of the latest done meeting of its mentor with one of its mentees}, one query."""
        if not self.ids:
            return {}
        # sudo: the faculty of the allocation reads it, and every meeting of its mentor with its mentees counts
        groups = (
            self.env["op.mentor.meeting"]
            .sudo()
            ._read_group(
                [
                    ("status", "=", "done"),
                    ("student_id", "in", self.mentor_id.ids),
                    ("meeting_students", "in", self.student_ids.ids),
                ],
                ["student_id", "meeting_students"],
                ["date:max"],
            )
        )
        last = {(mentor.id, mentee.id): held for mentor, mentee, held in groups}
        return {
            allocation.id: max(
                (
                    last[(allocation.mentor_id.id, mentee_id)]
                    for mentee_id in allocation.student_ids.ids
                    if (allocation.mentor_id.id, mentee_id) in last
                ),
                default=None,
            )
            for allocation in self
        }

    def _mentor_check_inactivity(self):
        """Raise, escalate or close the inactivity alert of each allocation (by the cron, or an administrator):
        a run never schedules an activity twice, whatever the number of runs a day."""
        today = fields.Date.context_today(self)
        allocations = self.filtered(lambda a: a.active and a.student_ids)
        last_held = allocations._mentor_last_meeting_held()
        overdue = dict(
            self.env["op.mentor.followup"]._read_group(
                [("allocation_id", "in", allocations.ids), ("status", "=", "scheduled"), ("meeting_date", "<", today)],
                ["allocation_id"],
                ["meeting_date:min"],
            )
        )
        for allocation in allocations:
            days = allocation.company_id._mentor_setting("inactivity_days")  # the rules of the allocation's school
            extra_days = allocation.company_id._mentor_setting("escalation_days")
            reasons = allocation._mentor_inactivity_reasons(
                today, days, last_held.get(allocation.id), overdue.get(allocation)
            )
            if not reasons:
                if allocation.escalation_state != "none":
                    allocation._mentor_escalation_resolve(
                        self.env._("No longer inactive: the inactivity alert is closed.")
                    )
                continue
            if allocation.escalation_state == "none":
                allocation._mentor_escalate("faculty", reasons, today)
            elif allocation.escalation_state == "faculty" and today >= allocation.escalation_date + timedelta(
                days=extra_days
            ):
                allocation._mentor_escalate("admin", reasons, today)

    def _mentor_inactivity_reasons(self, today, days, last_held, overdue_since):
        self.ensure_one()
        reasons = []
        started = self.date_start or self.create_date.date()
        since = max(last_held.date(), started) if last_held else started
        if (today - since).days >= days:
            if last_held and last_held.date() >= started:
                reasons.append(
                    self.env._(
                        "No meeting held for %(days)s days (last one on %(date)s).",
                        days=(today - since).days,
                        date=since,
                    )
                )
            else:
                reasons.append(
                    self.env._(
                        "No meeting held in the %(days)s days since the mentoring started (%(date)s).",
                        days=(today - since).days,
                        date=since,
                    )
                )
        if overdue_since:
            reasons.append(self.env._("A follow-up is overdue since %(date)s.", date=overdue_since))
        return reasons

    def _mentor_escalate(self, stage, reasons, today):
        """Alert the faculty (stage ``faculty``) or the Mentorship Administrators (stage ``admin``)."""
        self.ensure_one()
        admins = self.env["res.users"]._mentor_admin_users()
        users = self.faculty_id._mentor_users() if stage == "faculty" else admins
        if not users:  # a faculty without a user: straight to the administrators
            stage, users = "admin", admins
        activity_type = self.env.ref(INACTIVITY_ACTIVITY)
        already = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).user_id
        note = "\n".join(reasons)
        summary = (
            self.env._(
                "Mentoring %(allocation)s of %(mentor)s is inactive", allocation=self.name, mentor=self.mentor_id.name
            )
            if stage == "faculty"
            else self.env._(
                "Escalated: mentoring %(allocation)s of %(mentor)s is still inactive",
                allocation=self.name,
                mentor=self.mentor_id.name,
            )
        )
        for user in users - already:
            self.activity_schedule(INACTIVITY_ACTIVITY, summary=summary, note=note, user_id=user.id)
        self.write({"escalation_state": stage, "escalation_date": today, "escalation_reason": note})

    def _mentor_escalation_resolve(self, feedback):
        """Close the inactivity alert: the activities are marked done with ``feedback`` (the caller
        has the rights: the cron, an administrator, or a meeting held, which reads the allocations as superuser)."""
        alerted = self.filtered(lambda a: a.escalation_state != "none")
        if not alerted:
            return
        alerted.activity_feedback([INACTIVITY_ACTIVITY], feedback=feedback)
        alerted.write({"escalation_state": "none", "escalation_date": False, "escalation_reason": False})

    @api.model
    def _mentor_resolve_inactivity(self, meetings):
        """A meeting held (``meetings``, just done) closes the inactivity alert of the allocations it concerns."""
        allocations = self.sudo().search(  # as the system: the mentor who closes the meeting cannot read them
            [("mentor_id", "in", meetings.student_id.ids), ("escalation_state", "!=", "none")]
        )
        for allocation in allocations:
            held = meetings.filtered(
                lambda m, a=allocation: m.student_id == a.mentor_id and m.meeting_students & a.student_ids
            )[:1]
            if held:
                allocation._mentor_escalation_resolve(
                    self.env._(
                        "Meeting %(meeting)s held on %(date)s: the inactivity alert is closed.",
                        meeting=held.meeting_name,
                        date=fields.Date.to_string(held.date.date()),
                    )
                )
