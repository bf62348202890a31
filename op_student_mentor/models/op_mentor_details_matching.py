from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .op_mentor_matching import SUGGEST_UNLIMITED


class OpMentorDetails(models.Model):
    """Suggest mentees: the application's part of the matching, kept apart from the workflow."""

    _inherit = "op.mentor.details"

    mentor_focus_subject_ids = fields.Many2many(
        "op.subject",
        "op_mentor_details_focus_subject_rel",
        "details_id",
        "subject_id",
        string="Focus Subjects",
        help="Where set, Suggest mentees only looks for students needing help in these subjects.",
    )
    mentee_match_reasons = fields.Html(
        "Why These Mentees",
        compute="_compute_mentee_match_reasons",
        sanitize=False,
        groups="op_student_mentor.group_op_mentor_faculty",
        help="For each mentee, the subjects where they need help and the candidate is strong, from the latest "
        "exam results.",
    )

    @api.depends("student_id", "batch_id", "student_detail_ids", "mentor_focus_subject_ids")
    def _compute_mentee_match_reasons(self):
        Matching = self.env["op.mentor.matching"]
        for application in self:
            if not (application.student_id and application.batch_id and application.student_detail_ids):
                application.mentee_match_reasons = False
                continue
            data = Matching._batch_data(application.batch_id._origin or application.batch_id)
            subjects = set(application.mentor_focus_subject_ids._origin.ids) or None
            candidate_id = application.student_id._origin.id or application.student_id.id
            items = []
            for mentee in application.student_detail_ids:
                reason = Matching._reasons(data, mentee._origin.id or mentee.id, candidate_id, subjects)
                items.append(
                    Markup("<li><strong>%s</strong>: %s</li>")
                    % (mentee.name, reason or self.env._("no weak subject where the candidate is strong"))
                )
            application.mentee_match_reasons = Markup("<ul class='mb-0'>%s</ul>") % Markup().join(items)

    def action_suggest_mentees(self):
        """Fill the mentees, up to the candidate's free places, with the batch's students who need help in the
        candidate's strong subjects, best first; the mentees already chosen stay."""
        self.ensure_one()
        if self.status not in ("draft", "pending"):
            raise UserError(self.env._("Mentees are suggested for applications in draft or pending approval."))
        self.check_access("write")
        self.env["op.mentor.matching"]._check_program_access(self.student_id)
        candidate = self.student_id
        limit = candidate._mentor_capacity_limits()[candidate.id]
        load = self.env["op.mentor.allocation"]._mentor_loads(candidate).get(candidate.id, 0)
        places = (limit - load if limit else SUGGEST_UNLIMITED) - len(self.student_detail_ids)
        if places <= 0:
            raise UserError(
                self.env._(
                    "%(student)s has no free place for more mentees (limit %(limit)s, %(load)s already mentored, "
                    "%(chosen)s chosen here).",
                    student=candidate.name,
                    limit=limit,
                    load=load,
                    chosen=len(self.student_detail_ids),
                )
            )
        suggestions = self.env["op.mentor.matching"]._suggest_for(
            self.batch_id,
            candidate.id,
            places,
            exclude=self.student_detail_ids.ids,
            subject_ids=self.mentor_focus_subject_ids.ids or None,
        )
        if not suggestions:
            raise UserError(
                self.env._(
                    "No student of %(batch)s without a mentor needs help in a subject where %(student)s is strong "
                    "(latest exam results; thresholds in the settings).",
                    batch=self.batch_id.display_name,
                    student=candidate.name,
                )
            )
        self.student_detail_ids = [fields.Command.link(student_id) for student_id, _score, _reason in suggestions]
        return True
