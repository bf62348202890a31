"""18.0.1.3.0: the faculty rules on applications, allocations, follow-ups, SMART goals and the overview
compare a stored, indexed faculty column with the ids of the user's faculty records.

They joined through the faculty's contact and employee on every search; the result is the same faculty
(``res.users.mentor_faculty_ids``: same contact, or the faculty's employee), as the meeting rule of
18.0.1.1.0. Record rules are loaded with noupdate="1", as in Odoo's own addons, so an update keeps the
old domains: set them here. The goal's new stored ``faculty_id`` is computed by the update itself.
"""

from odoo import SUPERUSER_ID, api

OWN_FACULTY = "('faculty_id', 'in', user.mentor_faculty_ids.ids)"
DOMAINS = {
    "op_mentor_details_rule_faculty_read": f"[{OWN_FACULTY}]",
    "op_mentor_details_rule_faculty_draft": f"[('status', '=', 'draft'), {OWN_FACULTY}]",
    "op_mentor_allocation_rule_faculty": f"[{OWN_FACULTY}]",
    "op_mentor_followup_rule_faculty": f"[{OWN_FACULTY}]",
    "op_mentor_goal_rule_faculty": f"[{OWN_FACULTY}]",
    "op_mentor_report_rule_faculty": f"[{OWN_FACULTY}]",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in DOMAINS.items():
        rule = env.ref(f"op_student_mentor.{xmlid}", raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
