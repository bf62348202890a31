from odoo import api, fields, models


class OpMentorAllocation(models.Model):
    _inherit = "op.mentor.allocation"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        allocations = super().create(vals_list)
        if not allocations._mentor_parent_news():
            return allocations
        allocations.filtered("active")._mentor_new_mentor(
            {allocation.id: allocation.student_ids for allocation in allocations}
        )
        return allocations

    def write(self, vals):
        if not {"mentor_id", "student_ids", "active"} & set(vals) or not self._mentor_parent_news():
            return super().write(vals)
        before = {
            allocation.id: (
                allocation.mentor_id,
                allocation.student_ids if allocation.active else allocation.student_ids.browse(),
            )
            for allocation in self
        }
        result = super().write(vals)
        new_by_allocation = {}
        for allocation in self.filtered("active"):
            mentor, students = before[allocation.id]
            # a new mentor is new to every mentee; otherwise only the mentees added (or reactivated) are
            new_by_allocation[allocation.id] = (
                allocation.student_ids if allocation.mentor_id != mentor else allocation.student_ids - students
            )
        self._mentor_new_mentor(new_by_allocation)
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _mentor_parent_news(self):
        """(e-mail parents of a new mentor, consent required) in the schools (companies) of these allocations: a
        school with neither pays no query here."""
        settings = self.env["res.config.settings"]
        companies = self.company_id or self.env.company
        notify = any(settings._mentor_parent_setting("notify_mentor", company) for company in companies)
        consent = any(settings._mentor_parent_setting("consent_required", company) for company in companies)
        return (notify, consent) if notify or consent else ()

    def _mentor_new_mentor(self, students_by_allocation):
        """Students who just got a mentor: their parents hear of it (Settings) and, when consent is required,
        get the consent request."""
        news = self._mentor_parent_news()
        if not news:
            return
        notify, consent = news
        # as the system: sending mail, the Odoo way (the approver need not read the template), to the parents,
        # whom only OpenEduCat's own staff read
        allocations = self.sudo()
        template = allocations.env.ref("op_student_mentor_parent.mail_template_parent_mentor_assigned")
        waiting = self.env["op.student"]
        settings = self.env["res.config.settings"]
        for allocation in allocations:
            students = students_by_allocation.get(allocation.id, self.env["op.student"]).with_env(allocations.env)
            if notify and settings._mentor_parent_setting("notify_mentor", allocation.company_id):
                for parent in students._mentor_parents().filtered(lambda p: p.name.email):
                    children = parent.student_ids & students
                    template.with_context(
                        parent_children=", ".join(children.mapped("name")), parent_lang=parent.name.lang
                    ).send_mail(
                        allocation.id,
                        email_layout_xmlid="mail.mail_notification_light",
                        email_values={"recipient_ids": [fields.Command.set(parent.name.ids)]},
                    )
            if consent and settings._mentor_parent_setting("consent_required", allocation.company_id):
                waiting |= students._mentor_waiting_consent()
        if waiting:
            consents = self.env["op.mentor.parent.consent"]._mentor_for_students(waiting)
            self.env["op.mentor.parent.consent"].concat(*consents.values())._mentor_send_request()
