from odoo import api, fields, models

# The Mentorship Administrators: they decide applications, receive escalations and, by default, at-risk alerts.
MENTOR_ADMIN = "op_student_mentor.group_op_mentor_admin"


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

    @api.model
    def _mentor_admin_users(self):
        """The Mentorship Administrators who receive the program's activities and alerts."""
        return self._mentor_group_users(self.env.ref(MENTOR_ADMIN))

    @api.model
    def _mentor_group_users(self, group):
        """The active internal users of ``group``: who can be given an activity (OdooBot is inactive)."""
        # sudo: a faculty submitting, a mentor on the portal or the cron may not read the group's members
        return group.sudo().users.filtered(lambda user: user.active and not user.share)

    def _compute_mentor_faculty_ids(self):
        # sudo: OpenEduCat's "Faculty Login rule" hides a faculty's own record from them
        Faculty = self.env["op.faculty"].sudo().with_context(active_test=False)
        for user in self:
            user.mentor_faculty_ids = Faculty.search(
                ["|", ("partner_id", "=", user.partner_id.id), ("emp_id.user_id", "=", user.id)]
            )

    def _compute_mentor_program_course_ids(self):
        Course = self.env["op.course"]
        for user in self:
            # sudo: as above, the user's own faculty records
            subjects = user.mentor_faculty_ids.sudo().faculty_subject_ids
            user.mentor_program_course_ids = (
                Course.search([("subject_ids", "in", subjects.ids)]) if subjects else Course
            )
