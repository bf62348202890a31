"""18.0.1.5.0: the school policy settings belong to each company.

Session lengths, late cancellation window, inactivity and escalation days, pulse thresholds, program rules,
meeting reminders and the faculty as attendees were global ir.config_parameter values: each company gets the
value the database had (or the default where there was none), so the upgrade changes nothing; the parameters
are then removed, nothing reads them any more. The matching thresholds and the Student Success team stay
global parameters.
"""

from odoo import SUPERUSER_ID, Command, api
from odoo.addons.op_student_mentor.models.res_config_settings import (
    CALENDAR_ALARMS_PARAM,
    COMPANY_SETTINGS,
    DEFAULT_ALARMS,
    MENTOR_SETTINGS,
)

FACULTY_ATTENDEE_PARAM = "op_student_mentor.calendar_faculty_attendee"


def _old_value(raw, setting):
    """The value the previous version read from the parameter ``raw``: the default unless a number of the
    setting's type within its range."""
    try:
        number = float(raw or "")
        value = setting.kind(number)
    except (TypeError, ValueError, OverflowError):
        return setting.default
    return value if value == number and setting.low <= value <= setting.high else setting.default


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    companies = env["res.company"].with_context(active_test=False).search([])
    values = {}
    for name in COMPANY_SETTINGS:
        setting = MENTOR_SETTINGS[name]
        values[f"mentor_{name}"] = _old_value(params.get_param(setting.param), setting)
    # the reminders: a missing parameter meant the two default ones, " " none
    raw = params.get_param(CALENDAR_ALARMS_PARAM)
    if raw is False:
        alarms = [env.ref(xmlid).id for xmlid in DEFAULT_ALARMS if env.ref(xmlid, raise_if_not_found=False)]
    else:
        alarms = env["calendar.alarm"].browse(int(i) for i in raw.split(",") if i.strip().isdigit()).exists().ids
    values["mentor_calendar_alarm_ids"] = [Command.set(alarms)]
    values["mentor_calendar_faculty_attendee"] = bool(params.get_param(FACULTY_ATTENDEE_PARAM))
    companies.write(values)
    keys = [MENTOR_SETTINGS[name].param for name in COMPANY_SETTINGS] + [CALENDAR_ALARMS_PARAM, FACULTY_ATTENDEE_PARAM]
    params.search([("key", "in", keys)]).unlink()
