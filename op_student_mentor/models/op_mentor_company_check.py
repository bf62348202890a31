from odoo import models
from odoo.exceptions import UserError


class MentorCompanyCheck(models.AbstractModel):
    """Company consistency of the program's records, to the last mentee.

    Odoo's ``_check_company`` accepts a many2many as soon as one of its records fits the company, so a
    company-B student would pass among company-A mentees. Here every record of a ``check_company``
    many2many must belong to the record's company (or to none). Inherited by applications, allocations and
    meetings (their mentees)."""

    _name = "op.mentor.company.check"
    _description = "Company Consistency of Mentorship Records"

    def _check_company(self, fnames=None):
        result = super()._check_company(fnames)
        if fnames is None or {"company_id"} & set(fnames):
            fnames = self._fields
        x2many = [
            name for name in fnames if self._fields[name].type == "many2many" and self._fields[name].check_company
        ]
        for record in self:
            for name in x2many:
                corecords = record.sudo()[name]  # as Odoo's check: the company of records the user may not read
                domain = corecords._check_company_domain(record.company_id)
                others = corecords - corecords.with_context(active_test=False).filtered_domain(domain)
                if others:
                    raise UserError(
                        self.env._(
                            "%(record)s belongs to %(company)s; %(field)s: %(names)s belong to another company.",
                            record=record.display_name,
                            company=record.company_id.name,
                            field=self._fields[name]._description_string(self.env),
                            names=", ".join(others.mapped("display_name")),
                        )
                    )
        return result
