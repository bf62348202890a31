from odoo import api, models


def report_labels(env):
    """Labels of the key figures of the mentorship PDF reports (translated in the printing user's language)."""
    return {
        "mentees": env._("Mentees"),
        "meetings_done": env._("Meetings held"),
        "meetings_cancelled": env._("Meetings cancelled"),
        "meetings_upcoming": env._("Upcoming meetings"),
        "followups_completed": env._("Follow-ups completed"),
        "followups_missed": env._("Follow-ups missed"),
    }


class ReportMenteeSummary(models.AbstractModel):
    """Data of the Mentorship Summary of a mentee (PDF): read as the printing user, so record rules apply."""

    _name = "report.op_student_mentor.report_mentee_summary"
    _description = "Mentorship Summary of a Mentee"

    @api.model
    def _get_report_values(self, docids, data=None):
        students = self.env["op.student"].browse(docids)
        meetings = self.env["op.mentor.meeting"].search([("meeting_students", "in", students.ids)], order="date, id")
        followups = self.env["op.mentor.followup"].search(
            [("student_id", "in", students.ids)], order="meeting_date, id"
        )
        goals = self.env["op.mentor.goal"].search([("student_id", "in", students.ids)], order="deadline, id")
        allocations = self.env["op.mentor.allocation"].search([("student_ids", "in", students.ids)])
        summary = {}
        for student in students:
            student_meetings = meetings.filtered(lambda m, s=student: s in m.meeting_students)
            student_followups = followups.filtered(lambda f, s=student: f.student_id == s)
            with_progress = student_followups.filtered(lambda f: f.status != "draft" and f.project_progress)
            summary[student.id] = {
                "allocations": allocations.filtered(lambda a, s=student: s in a.student_ids),
                "meetings": student_meetings,
                "meetings_done": len(student_meetings.filtered(lambda m: m.status == "done")),
                "meetings_cancelled": len(student_meetings.filtered(lambda m: m.status == "cancel")),
                "meetings_upcoming": len(student_meetings.filtered(lambda m: m.status == "scheduled")),
                "followups": student_followups,
                "followups_completed": len(student_followups.filtered(lambda f: f.status == "completed")),
                "followups_missed": len(student_followups.filtered(lambda f: f.status == "missed")),
                "goals": goals.filtered(lambda g, s=student: g.student_id == s),
                "latest_progress": with_progress[-1:],
            }
        return {
            "doc_ids": students.ids,
            "doc_model": "op.student",
            "docs": students,
            "summary": summary,
            "labels": report_labels(self.env),
        }
