"""18.0.1.1.0: what parents see, the e-mails to parents and parental consent belong to each company (school).

Each company gets the value the global ir.config_parameter had, so the upgrade changes nothing; the parameters
are then removed, nothing reads them any more.
"""

from odoo import SUPERUSER_ID, api
from odoo.addons.op_student_mentor_parent.models.res_config_settings import (
    PARAM_PREFIX,
    PARENT_SETTINGS,
    PARENT_VISIBILITY,
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    params = env["ir.config_parameter"]
    values = {}
    for name in PARENT_SETTINGS:
        raw = params.get_param(PARAM_PREFIX + name)
        if name == "visibility":
            if raw in [value for value, _label in PARENT_VISIBILITY]:  # else the default, as it was read
                values["mentor_parent_visibility"] = raw
        else:
            values[f"mentor_parent_{name}"] = raw == "True"
    env["res.company"].with_context(active_test=False).search([]).write(values)
    params.search([("key", "in", [PARAM_PREFIX + name for name in PARENT_SETTINGS])]).unlink()
