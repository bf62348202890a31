from odoo import api, fields, models
from odoo.tools import SQL

from .res_config_settings import MENTOR_SETTINGS

STANDINGS = [("need", "Needs Help"), ("strong", "Strong"), ("neither", "Neither")]


def _param_sql(name):
    """The setting ``name`` read in SQL as ``_mentor_setting`` reads it: the stored number when it is one and in
    range, else the default (a view cannot call Python, and the thresholds change without an update)."""
    setting = MENTOR_SETTINGS[name]
    return SQL(
        """COALESCE((SELECT CASE WHEN value ~ '^[0-9]+(\\.[0-9]+)?$' AND value::numeric BETWEEN %(low)s AND %(high)s
                                 THEN value::numeric END
                       FROM ir_config_parameter WHERE key = %(key)s), %(default)s)""",
        low=setting.low,
        high=setting.high,
        key=setting.param,
        default=setting.default,
    )


class OpMentorSubjectStanding(models.Model):
    """Strengths and needs per subject: one row per student, batch and subject, from the student's latest result
    in an exam of that batch (``op.result.line`` → ``op.exam``), as a percentage of the exam's total marks.

    A SQL view, so that one query gives a whole batch (the matching reads it in bulk) and the thresholds of the
    settings apply at once. The id is the result line's: one latest result per row.
    """

    _name = "op.mentor.subject.standing"
    _description = "Subject Standing"
    _auto = False
    _order = "batch_id, subject_id, rank, student_id"
    _rec_name = "subject_id"
    _depends = {
        "op.result.line": ["marks", "exam_id", "student_id", "marksheet_line_id"],
        "op.exam": ["batch_id", "course_id", "subject_id", "total_marks", "min_marks", "state", "active", "end_time"],
        "op.marksheet.line": ["active"],
        "op.student": ["active"],
        "op.student.course": ["student_id", "batch_id"],
    }

    student_id = fields.Many2one("op.student", readonly=True)
    batch_id = fields.Many2one("op.batch", readonly=True)
    course_id = fields.Many2one("op.course", readonly=True)
    subject_id = fields.Many2one("op.subject", readonly=True)
    exam_id = fields.Many2one("op.exam", "Latest Exam", readonly=True)
    percentage = fields.Float("Result (%)", digits=(5, 2), readonly=True, aggregator="avg")
    passing_percentage = fields.Float("Passing Marks (%)", digits=(5, 2), readonly=True, aggregator="avg")
    need_threshold = fields.Float(
        "Needs Help Below (%)",
        digits=(5, 2),
        readonly=True,
        aggregator="avg",
        help="The setting, or the exam's passing marks when the setting is 0.",
    )
    rank = fields.Integer("Rank in Batch", readonly=True, aggregator="min", help="1: the best result of the batch.")
    ranked_count = fields.Integer("Results in Batch", readonly=True, aggregator="max")
    standing = fields.Selection(STANDINGS, readonly=True)
    needs_help = fields.Boolean(readonly=True)
    strong = fields.Boolean(readonly=True)

    @api.depends("subject_id", "percentage")
    def _compute_display_name(self):
        for row in self:
            row.display_name = f"{row.subject_id.name}: {row.percentage:g} %"

    @property
    def _table_query(self):
        return SQL(
            """
            WITH params AS (
                SELECT %(need)s AS need, %(strong)s AS strong
            ), latest AS (
                SELECT DISTINCT ON (x.batch_id, r.student_id, x.subject_id)
                       r.id, x.batch_id, x.course_id, r.student_id, x.subject_id, r.exam_id,
                       round(r.marks * 100.0 / x.total_marks, 2) AS percentage,
                       round(x.min_marks * 100.0 / x.total_marks, 2) AS passing_percentage
                  FROM op_result_line r
                  JOIN op_exam x ON x.id = r.exam_id
                  JOIN op_student s ON s.id = r.student_id
                  LEFT JOIN op_marksheet_line ml ON ml.id = r.marksheet_line_id
                 WHERE x.active AND x.state != 'cancel' AND x.total_marks > 0 AND x.batch_id IS NOT NULL
                   AND s.active AND (ml.id IS NULL OR ml.active IS NOT FALSE)
                   AND EXISTS (SELECT 1 FROM op_student_course sc
                                WHERE sc.student_id = r.student_id AND sc.batch_id = x.batch_id)
                 ORDER BY x.batch_id, r.student_id, x.subject_id, x.end_time DESC NULLS LAST, r.id DESC
            ), judged AS (
                SELECT l.*, CASE WHEN p.need > 0 THEN p.need ELSE l.passing_percentage END AS need_threshold,
                       p.strong AS strong_threshold
                  FROM latest l CROSS JOIN params p
            )
            SELECT j.id, j.batch_id, j.course_id, j.student_id, j.subject_id, j.exam_id, j.percentage,
                   j.passing_percentage, j.need_threshold,
                   RANK() OVER (PARTITION BY j.batch_id, j.subject_id ORDER BY j.percentage DESC)::int AS rank,
                   COUNT(*) OVER (PARTITION BY j.batch_id, j.subject_id)::int AS ranked_count,
                   j.percentage < j.need_threshold AS needs_help,
                   j.percentage >= j.strong_threshold AND j.percentage >= j.need_threshold AS strong,
                   CASE WHEN j.percentage < j.need_threshold THEN 'need'
                        WHEN j.percentage >= j.strong_threshold THEN 'strong'
                        ELSE 'neither' END AS standing
              FROM judged j
            """,
            need=_param_sql("match_need_threshold"),
            strong=_param_sql("match_strong_threshold"),
        )

    @api.model
    def _mentor_batch_standings(self, batch_ids, student_ids=None):
        """{(batch id, student id): {subject id: (percentage, needs help, strong, rank, ranked count)}} of the
        batches, in one query (as superuser: callers decide who sees what)."""
        if not batch_ids:
            return {}
        self.env.flush_all()
        where = SQL("batch_id IN %s", tuple(batch_ids))
        if student_ids is not None:
            if not student_ids:
                return {}
            where = SQL("%s AND student_id IN %s", where, tuple(student_ids))
        self.env.cr.execute(
            SQL(
                "SELECT batch_id, student_id, subject_id, percentage, needs_help, strong, rank, ranked_count "
                "FROM (%s) AS standing WHERE %s ORDER BY batch_id, student_id, subject_id",
                self._table_query,
                where,
            )
        )
        result = {}
        for batch, student, subject, percentage, need, strong, rank, count in self.env.cr.fetchall():
            result.setdefault((batch, student), {})[subject] = (float(percentage), need, strong, rank, count)
        return result
