from odoo import api, models

from .report_mentee_summary import report_labels


class ReportMentorActivity(models.AbstractModel):
    """Data of the Mentor Activity report of an allocation (PDF): read as the printing user (record rules)."""

    _name = "report.op_student_mentor.report_mentor_activity"
    _description = "Mentor Activity Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        allocations = self.env["op.mentor.allocation"].with_context(active_test=False).browse(docids)
        meetings = self.env["op.mentor.meeting"].search(
            [("student_id", "in", allocations.mentor_id.ids), ("meeting_students", "in", allocations.student_ids.ids)],
            order="date, id",
        )
        followups = self.env["op.mentor.followup"].search(
            [("allocation_id", "in", allocations.ids)], order="meeting_date, id"
        )
        activity = {}
        for allocation in allocations:
            alloc_meetings = meetings.filtered(
                lambda m, a=allocation: m.student_id == a.mentor_id and m.meeting_students & a.student_ids
            )
            alloc_followups = followups.filtered(lambda f, a=allocation: f.allocation_id == a)
            mentees = []
            for mentee in allocation.student_ids.sorted("name"):
                mentee_followups = alloc_followups.filtered(lambda f, s=mentee: f.student_id == s)
                dated = mentee_followups.filtered("meeting_date")
                mentees.append(
                    {
                        "student": mentee,
                        "meetings_done": len(
                            alloc_meetings.filtered(lambda m, s=mentee: m.status == "done" and s in m.meeting_students)
                        ),
                        "followups_completed": len(mentee_followups.filtered(lambda f: f.status == "completed")),
                        "followups_missed": len(mentee_followups.filtered(lambda f: f.status == "missed")),
                        "last_followup": dated[-1:].meeting_date,
                    }
                )
            activity[allocation.id] = {
                "mentees": mentees,
                "meetings_held": alloc_meetings.filtered(lambda m: m.status == "done"),
                "meetings_cancelled": len(alloc_meetings.filtered(lambda m: m.status == "cancel")),
                "meetings_upcoming": alloc_meetings.filtered(lambda m: m.status == "scheduled"),
                "followups": alloc_followups,
                "followups_completed": len(alloc_followups.filtered(lambda f: f.status == "completed")),
                "followups_missed": len(alloc_followups.filtered(lambda f: f.status == "missed")),
            }
        return {
            "doc_ids": allocations.ids,
            "doc_model": "op.mentor.allocation",
            "docs": allocations,
            "activity": activity,
            "labels": report_labels(self.env),
        }
