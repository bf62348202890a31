from . import (
    op_faculty,
    op_mentor_allocation,
    op_mentor_details,
    op_mentor_focus,
    op_mentor_followup,
    op_mentor_goal,
    op_mentor_meeting,
    op_mentor_meeting_rating,
    op_student,
    op_student_achievement,
    op_student_skill,
    res_config_settings,
)
