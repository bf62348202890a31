from odoo import api, models
from odoo.exceptions import UserError


class ReportMentoringCertificate(models.AbstractModel):
    _name = "report.op_student_mentor.report_mentoring_certificate"
    _description = "Certificate of Mentoring"

    @api.model
    def _get_report_values(self, docids, data=None):
        students = self.env["op.student"].browse(docids)
        students.check_access("read")  # the reader's rights on the students; the term's figures cover every faculty
        achievements = {
            achievement.student_id.id: achievement
            for achievement in self.env["op.student.achievement"].search(
                [("student_id", "in", students.ids), ("achievement_type", "=", "mentoring")]
            )
        }
        missing = students.filtered(lambda s: s.id not in achievements)
        if missing:
            raise UserError(
                self.env._(
                    "%(student)s has not completed a mentoring term yet: %(progress)s.",
                    student=missing[0].name,
                    progress=missing[0]._mentor_term_progress(),
                )
            )
        stats = students._mentor_term_stats()
        # sudo: the certificate names every batch and faculty of the mentor, not only the reader's
        allocations = (
            self.env["op.mentor.allocation"]
            .sudo()
            .with_context(active_test=False)
            .search([("mentor_id", "in", students.ids)])
        )
        certificates = {}
        for student in students:
            meetings, followups, mentees = stats[student.id]
            own = allocations.filtered(lambda a, student=student: a.mentor_id == student)
            certificates[student.id] = {
                "achievement": achievements[student.id],
                "meetings": meetings,
                "followups": followups,
                "mentees": mentees,
                "batches": ", ".join(own.batch_id.mapped("display_name")),
                "faculty": ", ".join(own.faculty_id.mapped("name")),
            }
        return {
            "doc_ids": students.ids,
            "doc_model": "op.student",
            "docs": students,
            "certificates": certificates,
        }
