from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import plaintext2html


class OpMentorEligibility(models.AbstractModel):
    """The program's eligibility rules (Settings: minimum exam result, achievements, skills), judged on a
    mentor application: shown on its form, enforced at approval, re-checked daily on approved mentors.

    A mixin of ``op.mentor.details`` rather than a model of its own: the rules are settings and the results
    are computed per application, so the engine has no records of its own; its ``self`` is the application
    (its candidate, exam result and activities). The fields it computes stay on the application.
    """

    _name = "op.mentor.eligibility.mixin"
    _description = "Mentor Application Eligibility"

    @api.depends("percentage", "student_id", "gradebook_id")
    def _compute_eligibility(self):
        has_rules = self._eligibility_rules_set()
        for application in self:
            if not has_rules or not application.student_id:
                # nothing to judge: no banner (a blank form, or a program without rules)
                application.eligibility_status = application.eligibility_reasons = False
                continue
            failures, passes = application._eligibility_check(application.percentage)
            application.eligibility_status = "fails" if failures else "meets"
            application.eligibility_reasons = "\n".join(failures or passes)

    def _eligibility_check(self, percentage):
        """(failures, passes): the reasons this application's candidate does / does not meet each rule,
        ``percentage`` being the exam result judged (the application's, or the latest one)."""
        self.ensure_one()
        setting = self.company_id._mentor_setting  # the rules of the application's school
        student = self.student_id
        failures, passes = [], []
        checks = [
            (
                setting("min_percentage"),
                lambda: percentage,
                self.env._("Exam result %(value).2f%% is below the minimum of %(minimum).2f%%."),
                self.env._("Exam result %(value).2f%% reaches the minimum of %(minimum).2f%%."),
            ),
            (
                setting("min_achievements"),
                lambda: len(student.achievement_ids),
                self.env._("%(value)s achievements recorded, %(minimum)s required."),
                self.env._("%(value)s achievements recorded (%(minimum)s required)."),
            ),
            (
                setting("min_skills"),
                lambda: len(student.skill_ids),
                self.env._("%(value)s skills recorded, %(minimum)s required."),
                self.env._("%(value)s skills recorded (%(minimum)s required)."),
            ),
        ]
        for minimum, get_value, fails, meets in checks:
            if not minimum:
                continue  # rule switched off
            value = get_value()
            if value < minimum:
                failures.append(fails % {"value": value, "minimum": minimum})
            else:
                passes.append(meets % {"value": value, "minimum": minimum})
        if not failures and not passes:
            passes.append(self.env._("No eligibility rule is set in the program's settings."))
        return failures, passes

    @api.model
    def _eligibility_rules_set(self):
        setting = self.env["res.config.settings"]._mentor_setting
        return any(setting(rule) for rule in ("min_percentage", "min_achievements", "min_skills"))

    def _check_eligibility(self):
        for application in self:
            failures, _passes = application._eligibility_check(application.percentage)
            if failures:
                raise ValidationError(
                    self.env._(
                        "%(student)s does not meet the eligibility rules of the program (application %(name)s):\n"
                        "%(reasons)s\nReject the application, or change the rules in the settings.",
                        student=application.student_id.name,
                        name=application.name,
                        reasons="\n".join(failures),
                    )
                )

    @api.model
    def _cron_check_mentor_eligibility(self):
        """Daily: an activity for the administrators on each approved application whose mentor's own
        latest results fell below the rules (no revocation); closed when the mentor meets them again.
        The cron runs as its user, the superuser (uid 1) that installed it: no sudo needed."""
        activity_xmlid = "op_student_mentor.mail_act_mentor_eligibility"
        approved = self.search([("status", "=", "approve")])
        admins = self.env["res.users"]._mentor_admin_users()
        activity_type = self.env.ref(activity_xmlid)
        open_activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", approved.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        flagged = set(open_activities.mapped("res_id"))
        to_close = self.browse()
        vals_list = []
        for application in approved:
            latest = application._latest_marksheet_line() or application.gradebook_id
            failures, _passes = application._eligibility_check(latest.percentage)
            if not failures:
                if application.id in flagged:
                    to_close |= application
                continue
            if application.id in flagged:
                continue  # already flagged: one activity, not one per run
            note = self.env._(
                "%(student)s, an approved mentor, no longer meets the eligibility rules:\n%(reasons)s\n"
                "Review whether they should keep mentoring; nothing was revoked.",
                student=application.student_id.name,
                reasons="\n".join(failures),
            )
            for admin in admins:
                vals_list.append(
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": application.id,
                        "user_id": admin.id,
                        "automated": True,
                        "date_deadline": activity_type._get_date_deadline(),
                        "summary": self.env._(
                            "Mentor %(student)s below the eligibility rules", student=application.student_id.name
                        ),
                        "note": plaintext2html(note),
                    }
                )
        self.env["mail.activity"].create(vals_list)
        if to_close:
            to_close.activity_feedback([activity_xmlid], feedback=self.env._("The mentor meets the rules again."))
        return True
