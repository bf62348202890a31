from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import formatLang

FUNDED_TYPES = ("apprenticeship", "employee", "social_program")


def format_percentage(env, value):
    """A percentage as the school reads it: "92 %", "92.5 %" (the language's decimal separator)."""
    digits = 0 if float(value).is_integer() else 1
    return f"{formatLang(env, value, digits=digits)}\N{NO-BREAK SPACE}%"


class OpStudent(models.Model):
    _inherit = "op.student"

    is_mentor = fields.Boolean(
        "Approved Mentor",
        compute="_compute_is_mentor",
        store=True,
        index=True,
        help="Set when one of the student's mentor applications is approved.",
    )
    mentor_application_ids = fields.One2many("op.mentor.details", "student_id", string="Mentor Applications")
    mentor_allocation_ids = fields.One2many("op.mentor.allocation", "mentor_id", string="Mentor Allocations")
    mentee_allocation_ids = fields.Many2many(
        "op.mentor.allocation",
        "op_mentor_allocation_student_rel",
        "student_id",
        "allocation_id",
        string="Allocated to Mentors",
    )
    achievement_ids = fields.One2many("op.student.achievement", "student_id", string="Achievements")
    skill_ids = fields.One2many("op.student.skill", "student_id", string="Skills")
    mentor_application_count = fields.Integer(compute="_compute_mentorship_counts")
    mentor_allocation_count = fields.Integer(compute="_compute_mentorship_counts")
    # Funding profile (mentoring guides): it sets the session length, the training calendar
    # and whether each session checks the student is on track to finish before the funding ends.
    mentor_funding_type = fields.Selection(
        [
            ("self_funded", "Self-funded"),
            ("apprenticeship", "Apprenticeship"),
            ("employee", "Employee (employer-funded)"),
            ("social_program", "Social program"),
        ],
        "Funding Type",
        default="self_funded",
        tracking=True,
        # Required in the form only: a NOT NULL column would refuse every student created while this
        # addon's Python is not loaded (OpenEduCat's own data, tests or imports on update).
        help="Required on the student form; a student without one counts as self-funded.",
    )
    mentor_is_funded = fields.Boolean("Funded", compute="_compute_mentor_is_funded", store=True)
    training_end_date = fields.Date(
        "Training End", tracking=True, help="End of the training calendar or funding deadline of a funded student."
    )
    weekly_study_hours = fields.Float(help="Personal study time the student commits to each week.")
    # Cancellations and no-shows: as the hosting mentor and as a mentee of the meetings.
    mentor_cancel_count = fields.Integer(
        "Cancelled (as Mentor)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentor_late_cancel_count = fields.Integer(
        "Late Cancellations (as Mentor)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentor_missed_count = fields.Integer(
        "No-shows (as Mentor)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentee_cancel_count = fields.Integer(
        "Cancelled (as Mentee)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentee_late_cancel_count = fields.Integer(
        "Late Cancellations (as Mentee)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
    )
    mentee_missed_count = fields.Integer(
        "No-shows (as Mentee)",
        compute="_compute_meeting_close_counts",
        groups="op_student_mentor.group_op_mentor_faculty",
        help="Meetings of the student's mentors marked missed, and meetings held without the student (absent): "
        "once per meeting.",
    )
    mentor_at_risk = fields.Boolean("At Risk", readonly=True, copy=False, tracking=True, index=True)
    mentor_at_risk_reason = fields.Text("At-risk Reason", readonly=True, copy=False)
    # Program rules (docs/admin.md): capacity per mentor, recognition of a completed term.
    mentor_capacity = fields.Integer(
        "Mentee Limit",
        tracking=True,
        help="Most mentees this mentor may have in active allocations; 0 uses the program default "
        "(Settings). Only a mentorship administrator changes it.",
    )
    mentor_capacity_limit = fields.Integer(
        "Effective Mentee Limit", compute="_compute_mentor_load", help="0: no limit."
    )
    mentor_mentee_count = fields.Integer("Current Mentees", compute="_compute_mentor_load")
    mentor_recognized = fields.Boolean("Mentoring Term Completed", compute="_compute_mentor_recognized")
    # The candidate and mentee pickers of an application (context mentor_picker_batch_id): what a faculty
    # chooses on, and nothing else of the student's file.
    mentor_picker_grade = fields.Char("Grade", compute="_compute_mentor_picker")
    mentor_picker_role = fields.Char("Mentorship Role", compute="_compute_mentor_picker")

    # ------------------------------------------------------------
    # COMPUTE
    # ------------------------------------------------------------

    @api.depends("mentor_application_ids.status")
    def _compute_is_mentor(self):
        # a stored compute: the ORM runs it as superuser, so every faculty's approval counts
        approved = self.env["op.mentor.details"]._read_group(
            [("student_id", "in", self.ids), ("status", "=", "approve")], ["student_id"]
        )
        mentor_ids = {student.id for (student,) in approved}
        for student in self:
            student.is_mentor = student.id in mentor_ids

    @api.depends_context("mentor_picker_batch_id")
    def _compute_mentor_picker(self):
        info = self._mentor_picker_info(self.env.context.get("mentor_picker_batch_id"))
        for student in self:
            grade, role = info.get(student.id, (None, ""))
            student.mentor_picker_grade = format_percentage(self.env, grade) if grade is not None else ""
            student.mentor_picker_role = role

    @api.depends_context("mentor_picker_batch_id")
    def _compute_display_name(self):
        super()._compute_display_name()
        if not self.env.context.get("mentor_picker_batch_id"):
            return
        for student in self:
            details = [part for part in (student.mentor_picker_grade, student.mentor_picker_role) if part]
            if details and student.display_name:
                student.display_name = f"{student.display_name} ({', '.join(details)})"

    @api.depends("mentor_funding_type")
    def _compute_mentor_is_funded(self):
        for student in self:
            student.mentor_is_funded = student.mentor_funding_type in FUNDED_TYPES

    @api.depends("mentor_capacity")
    def _compute_mentor_load(self):
        loads = self.env["op.mentor.allocation"]._mentor_loads(self.filtered("id"))
        limits = self._mentor_capacity_limits()
        for student in self:
            student.mentor_mentee_count = loads.get(student.id, 0)
            student.mentor_capacity_limit = limits[student.id]

    def _compute_mentor_recognized(self):
        recognized = {
            student.id
            for (student,) in self.env["op.student.achievement"]._read_group(
                [("student_id", "in", self.ids), ("achievement_type", "=", "mentoring")], ["student_id"]
            )
        }
        for student in self:
            student.mentor_recognized = student.id in recognized

    def _compute_mentorship_counts(self):
        # Shown on the student form only: one read_group for applications,
        # a count per student for allocations (as mentor or as mentee).
        app_counts = dict(
            self.env["op.mentor.details"]._read_group([("student_id", "in", self.ids)], ["student_id"], ["__count"])
        )
        Allocation = self.env["op.mentor.allocation"].with_context(active_test=False)
        for student in self:
            student.mentor_application_count = app_counts.get(student, 0)
            student.mentor_allocation_count = Allocation.search_count(
                ["|", ("mentor_id", "=", student.id), ("student_ids", "in", student.id)]
            )

    def _compute_meeting_close_counts(self):
        # Two grouped reads for the whole recordset, on the meetings the current user may read.
        Meeting = self.env["op.mentor.meeting"]
        aggregates = ["cancel_count:sum", "late_cancel_count:sum", "missed_count:sum"]
        by_role = {}
        for role, fname in (("mentor", "student_id"), ("mentee", "meeting_students")):
            groups = Meeting._read_group([(fname, "in", self.ids)], [fname], aggregates) if self.ids else []
            by_role[role] = {student.id: counts for student, *counts in groups}
        # A mentee's no-shows also count the meetings held without them (only done meetings have absentees).
        absences = {
            student.id: count
            for student, count in (
                Meeting._read_group([("absent_student_ids", "in", self.ids)], ["absent_student_ids"], ["__count"])
                if self.ids
                else []
            )
        }
        for student in self:
            for role, counts in by_role.items():
                cancelled, late, missed = counts.get(student.id, (0, 0, 0))
                student[f"{role}_cancel_count"] = cancelled
                student[f"{role}_late_cancel_count"] = late
                student[f"{role}_missed_count"] = missed
            student.mentee_missed_count += absences.get(student.id, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("mentor_funding_type", "training_end_date")
    def _check_training_end_date(self):
        for student in self:
            if student.mentor_funding_type in FUNDED_TYPES and not student.training_end_date:
                raise ValidationError(
                    self.env._(
                        "%(student)s is a funded student: set the training end date (funding deadline).",
                        student=student.name,
                    )
                )

    @api.constrains("mentor_capacity")
    def _check_mentor_capacity(self):
        for student in self:
            if student.mentor_capacity < 0:
                raise ValidationError(
                    self.env._("The mentee limit of %(student)s cannot be negative.", student=student.name)
                )

    @api.constrains("weekly_study_hours")
    def _check_weekly_study_hours(self):
        for student in self:
            if not 0 <= student.weekly_study_hours <= 168:
                raise ValidationError(self.env._("Weekly study hours are between 0 and 168."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """In an application's candidate picker, the best grades first (a batch is small: sorted here)."""
        batch_id = self.env.context.get("mentor_picker_batch_id")
        if not batch_id:
            return super().name_search(name, args, operator, limit)
        found = self.browse([student_id for student_id, _name in super().name_search(name, args, operator, None)])
        info = found._mentor_picker_info(batch_id)
        found = found.sorted(lambda s: (-(info.get(s.id, (None,))[0] or -1.0), s.name or ""))
        return [(student.id, student.display_name) for student in found[:limit]]

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("mentor_capacity") for vals in vals_list):
            self._check_mentor_capacity_access()
        return super().create(vals_list)

    def write(self, vals):
        if "mentor_capacity" in vals:
            self._check_mentor_capacity_access()
            if set(vals) == {"mentor_capacity"} and not self.env.su:
                # A mentorship administrator may have only read access to students: the limit is theirs.
                self.check_access("read")
                return super(OpStudent, self.sudo()).write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_mentorship(self):
        """Applications, allocations, meetings and follow-ups are the program's history: a student
        who takes part is archived, not deleted. (Foreign keys restrict too, also when the student's
        partner or user is deleted; this says it clearly and covers the mentee lists.)"""
        env = self.env(su=True)
        involved = self.browse()
        for model, fnames in (
            ("op.mentor.meeting", ("student_id", "meeting_students")),
            ("op.mentor.followup", ("student_id",)),
            ("op.mentor.allocation", ("mentor_id", "student_ids")),
            ("op.mentor.details", ("student_id", "student_detail_ids")),
        ):
            Model = env[model].with_context(active_test=False)
            for fname in fnames:
                for (student,) in Model._read_group([(fname, "in", self.ids)], [fname]):
                    involved |= student
        involved &= self
        if involved:
            raise UserError(
                self.env._(
                    "%(students)s take(s) part in the mentorship program (applications, allocations, meetings "
                    "or follow-ups). Archive the student instead of deleting them, so that this history is kept.",
                    students=", ".join(involved.mapped("name")),
                )
            )

    def _check_mentor_capacity_access(self):
        if not self.env.su and not self.env.user.has_group("op_student_mentor.group_op_mentor_admin"):
            raise AccessError(self.env._("Only a mentorship administrator may change a mentor's mentee limit."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_mentoring_certificate(self):
        self.check_access("read")
        missing = self.filtered(lambda s: not s.mentor_recognized)
        if missing:
            raise UserError(
                self.env._(
                    "%(student)s has not completed a mentoring term yet: %(progress)s.",
                    student=missing[0].name,
                    progress=missing[0]._mentor_term_progress(),
                )
            )
        return self.env.ref("op_student_mentor.action_report_mentoring_certificate").report_action(self)

    def action_view_mentor_applications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_details_action")
        action.update(
            domain=[("student_id", "=", self.id)],
            context={"default_student_id": self.id},
            name=self.env._("Mentor Applications"),
        )
        return action

    def action_view_mentor_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("op_student_mentor.op_mentor_allocation_action")
        action.update(
            domain=["|", ("mentor_id", "=", self.id), ("student_ids", "in", self.id)],
            context={"active_test": False},
            name=self.env._("Mentor Allocations"),
        )
        return action

    def action_mentor_resolve_at_risk(self):
        """Clear the at-risk flag and close the Student Success activities."""
        self.check_access("read")
        # sudo: the Student Success team may only read students; the flag and its activities are theirs to close
        students = self.sudo().filtered("mentor_at_risk")
        students.write({"mentor_at_risk": False, "mentor_at_risk_reason": False})
        students.activity_feedback(["op_student_mentor.mail_act_mentor_at_risk"], feedback=self.env._("Resolved"))
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _mentor_flag_at_risk(self, reason):
        """Flag at risk (called as superuser once the caller's access is checked): one activity per
        Student Success user, not repeated while the flag is up."""
        users = self.env["res.config.settings"]._mentor_success_users()
        for student in self:
            reasons = [r for r in (student.mentor_at_risk_reason, reason) if r]
            already = student.mentor_at_risk
            student.write({"mentor_at_risk": True, "mentor_at_risk_reason": "\n".join(dict.fromkeys(reasons))})
            if already:
                continue
            for user in users:
                student.activity_schedule(
                    "op_student_mentor.mail_act_mentor_at_risk",
                    summary=self.env._("%(student)s is at risk", student=student.name),
                    note=reason,
                    user_id=user.id,
                )

    def _mentor_flag_repeated_misses(self, missed_statuses):
        """Two missed or cancelled meetings in a row for one of these mentees raise the at-risk alert (the
        guides: missed sessions cost funded students their funding); a meeting held without them (absent) is
        missed for them. Called as superuser (the mentee's meetings with any host, the flag on the student)."""
        for mentee in self:
            latest = self.env["op.mentor.meeting"].search(
                [("meeting_students", "in", mentee.ids), ("status", "not in", ("scheduled", "reschedule"))],
                order="date desc, id desc",
                limit=2,
            )
            if len(latest) == 2 and all(m.status in missed_statuses or mentee in m.absent_student_ids for m in latest):
                mentee._mentor_flag_at_risk(self.env._("Two meetings missed or cancelled in a row."))

    def _mentor_lock(self):
        """Serialize the transactions that decide something about these students (their mentor
        applications, their mentees): the first one goes on, the others wait for it to end, then fail
        with a serialization error that the server retries on a fresh snapshot (which then sees what
        the first one wrote, and refuses with the usual message).

        A lock alone does not do it: under PostgreSQL's REPEATABLE READ the second transaction, once
        it gets the lock, still reads from its older snapshot; only a row that was updated makes it
        fail. So the lock updates the row (a no-op ``write_date = write_date``). The lock is
        ``FOR NO KEY UPDATE`` (what that update takes), not ``FOR UPDATE``: a transaction that already
        inserted a record pointing to the student (its application) holds the foreign key's
        ``KEY SHARE`` lock on the row, which ``FOR UPDATE`` would wait for, and two such transactions
        would deadlock. Rows are locked in id order so that bulk operations cannot deadlock either.
        The failure is expected and retried: not a bad query worth an ERROR in the log.
        """
        if not self:
            return
        ids = tuple(sorted(self.ids))
        self.env.cr.execute(
            "SELECT id FROM op_student WHERE id IN %s ORDER BY id FOR NO KEY UPDATE", [ids], log_exceptions=False
        )
        self.env.cr.execute("UPDATE op_student SET write_date = write_date WHERE id IN %s", [ids])

    def _mentor_capacity_limits(self):
        """{student id: mentee limit} (0: no limit): the student's own limit, else the program default."""
        return {
            student.id: student.sudo().mentor_capacity or student._mentor_company()._mentor_setting("capacity")
            for student in self
        }

    def _mentor_term_stats(self):
        """{student id: (meetings held, follow-ups completed, mentees)} over all the mentor's allocations."""
        # sudo: the term counts every meeting and follow-up of the mentor, whichever faculty reads it
        env = self.sudo().env
        meetings = dict(
            env["op.mentor.meeting"]._read_group(
                [("student_id", "in", self.ids), ("status", "=", "done")], ["student_id"], ["__count"]
            )
        )
        allocations = (
            env["op.mentor.allocation"].with_context(active_test=False).search([("mentor_id", "in", self.ids)])
        )
        followups = dict(
            env["op.mentor.followup"]._read_group(
                [("allocation_id", "in", allocations.ids), ("status", "=", "completed")], ["allocation_id"], ["__count"]
            )
        )
        stats = {}
        for student in self:
            own = allocations.filtered(lambda a, student=student: a.mentor_id == student)
            stats[student.id] = (
                meetings.get(student, 0),
                sum(followups.get(allocation, 0) for allocation in own),
                len(own.student_ids),
            )
        return stats

    def _mentor_term_progress(self):
        self.ensure_one()
        setting = self._mentor_company()._mentor_setting
        meetings, followups, _mentees = self._mentor_term_stats()[self.id]
        return self.env._(
            "%(meetings)s of %(term_meetings)s meetings held, %(followups)s of %(term_followups)s follow-ups completed",
            meetings=meetings,
            term_meetings=setting("term_meetings"),
            followups=followups,
            term_followups=setting("term_followups"),
        )

    def _mentor_check_term(self):
        """Record the mentoring achievement of each approved mentor who completed a term, once:
        called when a meeting is marked done and when a follow-up is completed."""
        mentors = self.sudo().filtered("is_mentor")
        if not mentors:
            return self.env["op.student.achievement"]
        Achievement = mentors.env["op.student.achievement"]  # as the system, as the mentors above
        done = Achievement.search([("student_id", "in", mentors.ids), ("achievement_type", "=", "mentoring")])
        todo = mentors - done.student_id
        stats = todo._mentor_term_stats()
        vals_list = []
        for mentor in todo:
            meetings, followups, mentees = stats[mentor.id]
            setting = mentor._mentor_company()._mentor_setting  # the term of the mentor's school
            if meetings < setting("term_meetings") or followups < setting("term_followups"):
                continue
            vals_list.append(
                {
                    "name": self.env._("Peer mentoring term completed"),
                    "student_id": mentor.id,
                    "achievement_type": "mentoring",
                    "date": fields.Date.context_today(self),
                    "description": self.env._(
                        "Mentored %(mentees)s students: %(meetings)s meetings held and %(followups)s follow-ups "
                        "completed.",
                        mentees=mentees,
                        meetings=meetings,
                        followups=followups,
                    ),
                }
            )
        achievements = Achievement.create(vals_list)
        for achievement in achievements:
            achievement.student_id.message_post(
                body=self.env._(
                    "%(student)s completed a mentoring term; the certificate of mentoring can be printed.",
                    student=achievement.student_id.name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return achievements

    def _mentor_picker_info(self, batch_id):
        """{student id: (latest percentage for the batch, else the latest one, or None; role)} in three
        queries for the whole recordset: the grade and role shown by the application's pickers."""
        students = self.filtered("id")
        if not students or not batch_id:
            return {}
        # sudo: a result's batch is on its exam session, which faculty may not read; the roles come from every
        # faculty's allocations and applications. Only a grade and a role per student are shown.
        env = self.sudo().env
        Line = env["op.marksheet.line"]
        grades = {}
        lines = Line.search_fetch(
            [("student_id", "in", students.ids)],
            ["student_id", "percentage", "marksheet_reg_id"],
            order="generated_date desc, id desc",
        )
        in_batch = set(
            Line.search([("id", "in", lines.ids), ("marksheet_reg_id.exam_session_id.batch_id", "=", batch_id)]).ids
        )
        for line in lines:  # newest first: the first of the batch wins, else the first at all
            current = grades.get(line.student_id.id)
            if current is None or (line.id in in_batch and not current[1]):
                grades[line.student_id.id] = (line.percentage, line.id in in_batch)
        allocations = env["op.mentor.allocation"].search(
            ["|", ("mentor_id", "in", students.ids), ("student_ids", "in", students.ids)]
        )
        pending = {
            student.id
            for (student,) in env["op.mentor.details"]._read_group(
                [("student_id", "in", students.ids), ("batch_id", "=", batch_id), ("status", "=", "pending")],
                ["student_id"],
            )
        }
        info = {}
        for student in students:
            mentors = allocations.filtered(lambda a, s=student: s in a.student_ids).mentor_id
            if student.is_mentor:
                role = self.env._("mentor")
            elif student.id in pending:
                role = self.env._("nominated, pending approval")
            elif mentors:
                role = self.env._("mentee of %(mentors)s", mentors=", ".join(mentors.mapped("name")))
            else:
                role = ""
            grade = grades.get(student.id)
            info[student.id] = (grade[0] if grade else None, role)
        return info

    def _mentor_active_mentees(self):
        """Mentees of this mentor's active allocations."""
        # sudo: a portal mentor reads their allocations but not the op.student rows of the mentees
        allocations = self.env["op.mentor.allocation"].sudo().search([("mentor_id", "in", self.ids)])
        return allocations.student_ids.sudo(False)

    # ------------------------------------------------------------
    # PORTAL ACCESS
    # ------------------------------------------------------------

    # What a portal student reads of their own record (rule op_student_rule_portal_self): their name (through
    # their own partner) and whether they mentor, never the faculty's part (at-risk reason, escalation) nor
    # OpenEduCat's personal data.
    _MENTOR_PORTAL_FIELDS = frozenset({"id", "display_name", "name", "user_id", "partner_id", "active", "is_mentor"})

    @api.model
    def check_field_access_rights(self, operation, field_names):
        if self.env.su or not self.env.user.share:
            return super().check_field_access_rights(operation, field_names)
        if not field_names:
            allowed = super().check_field_access_rights(operation, None)
            return [name for name in allowed if name in self._MENTOR_PORTAL_FIELDS]
        hidden = sorted(name for name in field_names if name in self._fields and name not in self._MENTOR_PORTAL_FIELDS)
        if hidden:
            raise AccessError(
                self.env._("You may not read these fields of a student: %(fields)s.", fields=", ".join(hidden))
            )
        return super().check_field_access_rights(operation, field_names)

    def _fetch_field(self, field):
        # the prefetch of a share user's read takes the portal fields only (the others would be refused)
        records = self if self.env.su or not self.env.user.share else self.with_context(prefetch_fields=False)
        return super(OpStudent, records)._fetch_field(field)

    def _mentor_company(self):
        """The student's school, whose settings apply to them: the student's company, else their user's (a
        portal user belongs to one school), else the current company."""
        self.ensure_one()
        student = self.sudo()  # a mentee's settings are read in the mentor's or the cron's name too
        return student.company_id or student.user_id.company_id or self.env.company
