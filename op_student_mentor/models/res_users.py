from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    mentor_faculty_ids = fields.Many2many(
        "op.faculty",
        compute="_compute_mentor_faculty_ids",
        string="Own Faculty Records",
        help="The faculty records of this user (same contact, or the faculty's employee). The faculty's record "
        "rule on meetings uses their ids, so PostgreSQL plans it on constants.",
    )

    mentor_program_course_ids = fields.Many2many(
        "op.course",
        compute="_compute_mentor_program_course_ids",
        string="Courses of the Faculty's Program",
        help="Courses sharing a subject with the user's faculty records (those they nominate mentors in): the "
        "faculty's record rule on subject standings and their Find a mentor use them.",
    )

    def _compute_mentor_faculty_ids(self):
        Faculty = self.env["op.faculty"].sudo().with_context(active_test=False)
        for user in self:
            user.mentor_faculty_ids = Faculty.search(
                ["|", ("partner_id", "=", user.partner_id.id), ("emp_id.user_id", "=", user.id)]
            )

    def _compute_mentor_program_course_ids(self):
        Course = self.env["op.course"].sudo()
        for user in self:
            subjects = user.mentor_faculty_ids.sudo().faculty_subject_ids
            user.mentor_program_course_ids = (
                Course.search([("subject_ids", "in", subjects.ids)]) if subjects else Course
            )
