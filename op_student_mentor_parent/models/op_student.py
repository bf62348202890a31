from dateutil.relativedelta import relativedelta

from odoo import fields, models

from .op_mentor_parent_consent import CONSENT_AGE


class OpStudent(models.Model):
    _inherit = "op.student"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    mentor_parent_consent_state = fields.Selection(
        [
            ("not_needed", "Not Needed"),
            ("pending", "Waiting for a Parent"),
            ("given", "Given"),
            ("withdrawn", "Withdrawn"),
        ],
        "Parental Consent",
        compute="_compute_mentor_parent_consent_state",
        compute_sudo=True,
        help="Whether a parent must consent before this student's first mentoring meeting (Settings: Parental "
        "Consent for Minors; students under 18, or without a birth date).",
    )

    def _compute_mentor_parent_consent_state(self):
        settings = self.env["res.config.settings"]
        minors = self.filtered(
            lambda s: settings._mentor_parent_setting("consent_required", s._mentor_company()) and s._mentor_is_minor()
        )
        consents = self.env["op.mentor.parent.consent"].search([("student_id", "in", minors.ids)])  # compute_sudo
        state_by_student = {consent.student_id.id: consent.state for consent in consents}
        for student in self:
            student.mentor_parent_consent_state = (
                state_by_student.get(student.id, "pending") if student in minors else "not_needed"
            )

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    def _mentor_is_minor(self, on_date=None):
        """Under CONSENT_AGE on ``on_date`` (today); a student without a birth date counts as a minor, so that
        a missing date never skips the consent."""
        self.ensure_one()
        if not self.birth_date:
            return True
        on_date = on_date or fields.Date.context_today(self)
        return self.birth_date + relativedelta(years=CONSENT_AGE) > on_date

    def _mentor_parents(self):
        """The active parents (op.parent) of these students. Called on the system's records (the mails to parents,
        the consent requests): OpenEduCat's parents are read by its own staff only."""
        return self.env["op.parent"].search([("student_ids", "in", self.ids)])

    def _mentor_waiting_consent(self):
        """The students among these who may not meet yet: consent required and not given."""
        return self.filtered(lambda s: s.mentor_parent_consent_state in ("pending", "withdrawn"))
