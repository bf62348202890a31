"""18.0.1.2.0: the faculty rule on pulse ratings reads the stored ``faculty_ids`` of the rated meeting.

Record rules are loaded with noupdate="1", as in Odoo's own addons, so an update keeps the old domain
(the same faculty, found through every allocation of the rated meeting's host): set it here, in the
shape of the meeting rule (migrations/18.0.1.1.0).
"""

from odoo import SUPERUSER_ID, api

FACULTY_RATING_DOMAIN = "[('meeting_id.faculty_ids', 'in', user.mentor_faculty_ids.ids)]"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref("op_student_mentor.op_mentor_meeting_rating_rule_faculty", raise_if_not_found=False)
    if rule:
        rule.domain_force = FACULTY_RATING_DOMAIN
