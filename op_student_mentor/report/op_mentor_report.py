from odoo import fields, models, tools
from odoo.tools import SQL

APPLICATION_STATUS = [
    ("draft", "Draft"),
    ("pending", "Pending Approval"),
    ("approve", "Approved"),
    ("reject", "Rejected"),
]
MEETING_STATUS = [
    ("scheduled", "Scheduled"),
    ("reschedule", "Rescheduled"),
    ("done", "Done"),
    ("missed", "Missed"),
    ("cancel", "Cancelled"),
]
FOLLOWUP_STATUS = [("draft", "Draft"), ("scheduled", "Scheduled"), ("completed", "Completed"), ("missed", "Missed")]


class OpMentorReport(models.Model):
    """Mentorship Overview: one row per application, active allocation x mentee, meeting and follow-up.

    A SQL view (like ``hr.leave.report``): the graph and pivot views sum the ``nbr_*``
    measures by month, course, batch, faculty or mentor. Every row carries the faculty of
    its allocation (of the application for applications), which is what the record rules
    of faculty match: a faculty sees the figures of their own program only.
    """

    _name = "op.mentor.report"
    _description = "Mentorship Overview"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    # What the view reads: flushed before each search / read_group on it.
    _depends = {
        "op.mentor.details": [
            "name",
            "create_date",
            "faculty_id",
            "course_id",
            "batch_id",
            "student_id",
            "company_id",
            "status",
        ],
        "op.mentor.allocation": [
            "name",
            "create_date",
            "faculty_id",
            "course_id",
            "batch_id",
            "mentor_id",
            "student_ids",
            "company_id",
            "active",
        ],
        "op.mentor.meeting": [
            "meeting_name",
            "date",
            "date_end",
            "student_id",
            "company_id",
            "status",
            "meeting_students",
            "absent_student_ids",
        ],
        "op.mentor.followup": ["name", "meeting_date", "allocation_id", "student_id", "company_id", "status"],
        "op.student": ["mentor_at_risk"],
    }

    kind = fields.Selection(
        [
            ("application", "Application"),
            ("allocation", "Mentor Allocation"),
            ("meeting", "Meeting"),
            ("no_show", "Mentee No-show"),
            ("followup", "Follow-up"),
        ],
        "Record Type",
        readonly=True,
    )
    res_id = fields.Integer("Record ID", readonly=True)
    name = fields.Char("Reference", readonly=True)
    date = fields.Date(
        readonly=True,
        help="Applications and allocations: creation date; meetings: meeting date; follow-ups: meeting date.",
    )
    faculty_id = fields.Many2one("op.faculty", readonly=True)
    course_id = fields.Many2one("op.course", readonly=True)
    batch_id = fields.Many2one("op.batch", readonly=True)
    mentor_id = fields.Many2one("op.student", readonly=True)
    mentee_id = fields.Many2one("op.student", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    application_status = fields.Selection(APPLICATION_STATUS, readonly=True)
    meeting_status = fields.Selection(MEETING_STATUS, readonly=True)
    followup_status = fields.Selection(FOLLOWUP_STATUS, "Follow-up Status", readonly=True)
    nbr_applications = fields.Integer("Applications", readonly=True)
    nbr_applications_pending = fields.Integer("Applications Pending", readonly=True)
    nbr_applications_approved = fields.Integer("Applications Approved", readonly=True)
    nbr_applications_rejected = fields.Integer("Applications Rejected", readonly=True)
    nbr_mentors = fields.Integer("Active Mentors", readonly=True, help="Active allocations: a mentor in a batch.")
    nbr_mentees = fields.Integer("Active Mentees", readonly=True, help="Mentees of the active allocations.")
    nbr_at_risk = fields.Integer(
        "Mentees at Risk", readonly=True, help="Mentees of active allocations flagged at risk."
    )
    nbr_meetings = fields.Integer("Meetings", readonly=True)
    nbr_meetings_done = fields.Integer("Meetings Held", readonly=True)
    nbr_meetings_cancelled = fields.Integer("Meetings Cancelled", readonly=True)
    nbr_meetings_missed = fields.Integer(
        "Meetings Missed",
        readonly=True,
        help="Marked missed (no-show), or still scheduled after their end: neither held nor cancelled.",
    )
    nbr_mentee_no_shows = fields.Integer(
        "Mentee No-shows",
        readonly=True,
        help="Per mentee: the meetings marked missed and the meetings held without them (absent), once per "
        "mentee and meeting. Group by Mentee.",
    )
    nbr_followups = fields.Integer("Follow-ups", readonly=True)
    nbr_followups_completed = fields.Integer("Follow-ups Completed", readonly=True)
    nbr_followups_missed = fields.Integer("Follow-ups Missed", readonly=True)

    # ------------------------------------------------------------
    # SQL
    # ------------------------------------------------------------

    _MEASURES = (
        "nbr_applications",
        "nbr_applications_pending",
        "nbr_applications_approved",
        "nbr_applications_rejected",
        "nbr_mentors",
        "nbr_mentees",
        "nbr_at_risk",
        "nbr_meetings",
        "nbr_meetings_done",
        "nbr_meetings_cancelled",
        "nbr_meetings_missed",
        "nbr_mentee_no_shows",
        "nbr_followups",
        "nbr_followups_completed",
        "nbr_followups_missed",
    )

    def _measures(self, **values):
        """The measure columns of one part of the union: the given SQL expressions, 0 for the others."""
        return SQL(", ").join(
            SQL("(%s)::integer AS %s", values.get(name, SQL("0")), SQL.identifier(name)) for name in self._MEASURES
        )

    def _select_applications(self):
        return SQL(
            """
            SELECT 'application' AS kind, d.id AS res_id, d.name AS name, d.create_date::date AS date,
                   d.faculty_id, d.course_id, d.batch_id, d.student_id AS mentor_id, NULL::integer AS mentee_id,
                   d.company_id, d.status AS application_status, NULL AS meeting_status, NULL AS followup_status,
                   %s
              FROM op_mentor_details d
            """,
            self._measures(
                nbr_applications=SQL("1"),
                nbr_applications_pending=SQL("d.status = 'pending'"),
                nbr_applications_approved=SQL("d.status = 'approve'"),
                nbr_applications_rejected=SQL("d.status = 'reject'"),
            ),
        )

    def _select_allocations(self):
        """Active allocations, one row per mentee (one row without mentee for an allocation that has none)."""
        return SQL(
            """
            SELECT 'allocation' AS kind, a.id AS res_id, a.name AS name, a.create_date::date AS date,
                   a.faculty_id, a.course_id, a.batch_id, a.mentor_id, rel.student_id AS mentee_id,
                   a.company_id, NULL AS application_status, NULL AS meeting_status, NULL AS followup_status,
                   %s
              FROM op_mentor_allocation a
         LEFT JOIN op_mentor_allocation_student_rel rel ON rel.allocation_id = a.id
         LEFT JOIN op_student mentee ON mentee.id = rel.student_id
             WHERE a.active
            """,
            self._measures(
                nbr_mentors=SQL("row_number() OVER (PARTITION BY a.id ORDER BY rel.student_id) = 1"),
                nbr_mentees=SQL("rel.student_id IS NOT NULL"),
                nbr_at_risk=SQL("COALESCE(mentee.mentor_at_risk, FALSE)"),
            ),
        )

    # The course, batch and faculty of a meeting ``m``: those of the host's allocation (the active, latest one).
    _MEETING_ALLOCATION = SQL(
        """
        LEFT JOIN LATERAL (
                    SELECT a.faculty_id, a.course_id, a.batch_id
                      FROM op_mentor_allocation a
                     WHERE a.mentor_id = m.student_id
                  ORDER BY a.active DESC, a.id DESC
                     LIMIT 1
                   ) alloc ON TRUE
        """
    )

    def _select_meetings(self):
        """Meetings, with the course, batch and faculty of the host's allocation."""
        return SQL(
            """
            SELECT 'meeting' AS kind, m.id AS res_id, m.meeting_name AS name, m.date::date AS date,
                   alloc.faculty_id, alloc.course_id, alloc.batch_id, m.student_id AS mentor_id,
                   NULL::integer AS mentee_id, m.company_id, NULL AS application_status,
                   m.status AS meeting_status, NULL AS followup_status,
                   %s
              FROM op_mentor_meeting m
              %s
            """,
            self._measures(
                nbr_meetings=SQL("1"),
                nbr_meetings_done=SQL("m.status = 'done'"),
                nbr_meetings_cancelled=SQL("m.status = 'cancel'"),
                nbr_meetings_missed=SQL(
                    "m.status = 'missed' OR "
                    "(m.status = 'scheduled' AND COALESCE(m.date_end, m.date) < (now() AT TIME ZONE 'UTC'))"
                ),
            ),
            self._MEETING_ALLOCATION,
        )

    def _select_no_shows(self):
        """One row per mentee and meeting they missed: the meeting marked missed, or held without them."""
        return SQL(
            """
            SELECT 'no_show' AS kind, m.id AS res_id, m.meeting_name AS name, m.date::date AS date,
                   alloc.faculty_id, alloc.course_id, alloc.batch_id, m.student_id AS mentor_id,
                   rel.student_id AS mentee_id, m.company_id, NULL AS application_status,
                   m.status AS meeting_status, NULL AS followup_status,
                   %s
              FROM op_mentor_meeting m
              JOIN op_mentor_meeting_student_rel rel ON rel.meeting_id = m.id
              %s
             WHERE m.status = 'missed'
                OR EXISTS (
                    SELECT 1 FROM op_mentor_meeting_absent_rel absent
                     WHERE absent.meeting_id = m.id AND absent.student_id = rel.student_id
                   )
            """,
            self._measures(nbr_mentee_no_shows=SQL("1")),
            self._MEETING_ALLOCATION,
        )

    def _select_followups(self):
        return SQL(
            """
            SELECT 'followup' AS kind, f.id AS res_id, f.name AS name, f.meeting_date AS date,
                   a.faculty_id, a.course_id, a.batch_id, a.mentor_id, f.student_id AS mentee_id,
                   f.company_id, NULL AS application_status, NULL AS meeting_status,
                   f.status AS followup_status,
                   %s
              FROM op_mentor_followup f
         LEFT JOIN op_mentor_allocation a ON a.id = f.allocation_id
            """,
            self._measures(
                nbr_followups=SQL("1"),
                nbr_followups_completed=SQL("f.status = 'completed'"),
                nbr_followups_missed=SQL("f.status = 'missed'"),
            ),
        )

    def _query(self):
        parts = SQL(" UNION ALL ").join(
            [
                self._select_applications(),
                self._select_allocations(),
                self._select_meetings(),
                self._select_no_shows(),
                self._select_followups(),
            ]
        )
        return SQL(
            "SELECT row_number() OVER (ORDER BY rows.kind, rows.res_id, rows.mentee_id) AS id, rows.* FROM (%s) rows",
            parts,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_record(self):
        """Open the application, allocation, meeting or follow-up the row comes from."""
        self.ensure_one()
        model = {
            "application": "op.mentor.details",
            "allocation": "op.mentor.allocation",
            "meeting": "op.mentor.meeting",
            "no_show": "op.mentor.meeting",
            "followup": "op.mentor.followup",
        }[self.kind]
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
