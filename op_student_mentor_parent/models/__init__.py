from . import (
    op_mentor_allocation,
    op_mentor_meeting,
    op_mentor_parent_consent,
    op_student,
    res_company,
    res_config_settings,
)
