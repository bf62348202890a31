from odoo import fields, models
from odoo.tools import SQL

from ..models.op_mentor_subject_standing import _param_sql


class OpMentorUnmatchedReport(models.Model):
    """Unmatched Students: per batch, the students who need help (a subject below the threshold, or
    flagged at risk) and have no active mentor there, and the approved mentors' free places.

    A SQL view over the subject standings (op.mentor.subject.standing), so the thresholds of the settings apply.
    """

    _name = "op.mentor.unmatched.report"
    _description = "Unmatched Students"
    _auto = False
    _order = "batch_id, kind, weakest_percentage, free_places desc, student_id"
    _rec_name = "student_id"
    _depends = {
        "op.mentor.allocation": ["batch_id", "mentor_id", "student_ids", "active"],
        "op.mentor.details": ["batch_id", "student_id", "status"],
        "op.student": ["mentor_at_risk", "mentor_capacity", "active"],
        "op.student.course": ["student_id", "batch_id", "course_id"],
        "op.result.line": ["marks", "exam_id", "student_id"],
    }

    kind = fields.Selection(
        [("mentee", "Needs a Mentor"), ("mentor", "Mentor with Free Places")], "Type", readonly=True
    )
    batch_id = fields.Many2one("op.batch", readonly=True)
    course_id = fields.Many2one("op.course", readonly=True)
    student_id = fields.Many2one("op.student", readonly=True)
    need_count = fields.Integer("Subjects Needing Help", readonly=True)
    weakest_subject_id = fields.Many2one("op.subject", readonly=True)
    weakest_percentage = fields.Float("Weakest Result (%)", digits=(5, 2), readonly=True, aggregator="min")
    at_risk = fields.Boolean(readonly=True)
    nbr_unmatched = fields.Integer("Students Without a Mentor", readonly=True)
    mentee_count = fields.Integer("Current Mentees", readonly=True)
    mentee_limit = fields.Integer(readonly=True, aggregator="sum", help="0: no limit.")
    free_places = fields.Integer(readonly=True, help="Empty when the mentor has no limit.")

    @property
    def _table_query(self):
        standing = self.env["op.mentor.subject.standing"]._table_query
        return SQL(
            """
            WITH standing AS (%(standing)s),
            allocated AS (
                SELECT DISTINCT a.batch_id, rel.student_id
                  FROM op_mentor_allocation a
                  JOIN op_mentor_allocation_student_rel rel ON rel.allocation_id = a.id
                 WHERE a.active
            ),
            needs AS (
                SELECT DISTINCT ON (batch_id, student_id) batch_id, student_id, subject_id, percentage,
                       COUNT(*) OVER (PARTITION BY batch_id, student_id) AS need_count
                  FROM standing WHERE needs_help
                 ORDER BY batch_id, student_id, percentage, subject_id
            ),
            enrolled AS (
                SELECT DISTINCT ON (sc.batch_id, sc.student_id) sc.id, sc.batch_id, sc.course_id, sc.student_id,
                       s.mentor_at_risk
                  FROM op_student_course sc JOIN op_student s ON s.id = sc.student_id AND s.active
                 ORDER BY sc.batch_id, sc.student_id, sc.id
            ),
            mentees AS (
                SELECT e.id * 2 AS id, 'mentee' AS kind, e.batch_id, e.course_id, e.student_id, COALESCE(n.need_count, 0) AS need_count,
                       n.subject_id AS weakest_subject_id, n.percentage AS weakest_percentage,
                       COALESCE(e.mentor_at_risk, FALSE) AS at_risk, 1 AS nbr_unmatched,
                       0 AS mentee_count, 0 AS mentee_limit, NULL::int AS free_places
                  FROM enrolled e
                  LEFT JOIN needs n ON n.batch_id = e.batch_id AND n.student_id = e.student_id
                 WHERE (n.student_id IS NOT NULL OR e.mentor_at_risk)
                   AND NOT EXISTS (SELECT 1 FROM allocated al
                                    WHERE al.batch_id = e.batch_id AND al.student_id = e.student_id)
            ),
            loads AS (
                SELECT a.mentor_id, COUNT(DISTINCT rel.student_id) AS load
                  FROM op_mentor_allocation a
                  JOIN op_mentor_allocation_student_rel rel ON rel.allocation_id = a.id
                 WHERE a.active
                 GROUP BY a.mentor_id
            ),
            mentors AS (
                SELECT DISTINCT ON (d.batch_id, d.student_id) d.id * 2 + 1 AS id, 'mentor' AS kind, d.batch_id,
                       d.course_id,
                       d.student_id, 0 AS need_count, NULL::int AS weakest_subject_id,
                       NULL::numeric AS weakest_percentage, FALSE AS at_risk, 0 AS nbr_unmatched,
                       COALESCE(l.load, 0) AS mentee_count,
                       COALESCE(NULLIF(s.mentor_capacity, 0), %(capacity)s)::int AS mentee_limit
                  FROM op_mentor_details d
                  JOIN op_student s ON s.id = d.student_id AND s.active
                  LEFT JOIN loads l ON l.mentor_id = d.student_id
                 WHERE d.status = 'approve'
                 ORDER BY d.batch_id, d.student_id, d.id
            )
            -- stable ids: the enrolment's (mentees) or the application's (mentors), never both
            SELECT * FROM mentees
            UNION ALL
            SELECT id, kind, batch_id, course_id, student_id, need_count, weakest_subject_id, weakest_percentage,
                       at_risk, nbr_unmatched, mentee_count, mentee_limit,
                       CASE WHEN mentee_limit > 0 THEN GREATEST(mentee_limit - mentee_count, 0) END AS free_places
                  FROM mentors
             WHERE mentee_limit = 0 OR mentee_count < mentee_limit
            """,
            standing=standing,
            capacity=_param_sql("capacity"),
        )
