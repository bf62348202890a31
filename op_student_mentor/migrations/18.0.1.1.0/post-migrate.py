"""18.0.1.1.0: the faculty rule on meetings reads the stored ``faculty_ids``.

Record rules are loaded with noupdate="1", as in Odoo's own addons, so an update keeps the old domain
(correct, but it joins every allocation of the faculty's mentors and grows with the data): set it here.
"""

from odoo import SUPERUSER_ID, api

FACULTY_MEETING_DOMAIN = "[('faculty_ids', 'in', user.mentor_faculty_ids.ids)]"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("op_student_mentor.op_mentor_meeting_rule_faculty", raise_if_not_found=False)
    if rule:
        rule.domain_force = FACULTY_MEETING_DOMAIN
