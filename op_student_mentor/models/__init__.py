# isort: off
# First the mixins that the models below inherit (a model's parents must be in the registry before it).
from . import op_mentor_workflow_mixin, op_mentor_eligibility, op_mentor_escalation, op_mentor_company_check
from . import op_mentor_meeting_agenda, op_mentor_meeting_calendar, op_mentor_meeting_notification

# isort: on
from . import (
    calendar_alarm_manager,
    calendar_attendee,
    calendar_event,
    hr_employee,
    ir_actions_report,
    op_faculty,
    op_mentor_allocation,
    op_mentor_details,
    op_mentor_details_matching,
    op_mentor_focus,
    op_mentor_followup,
    op_mentor_goal,
    op_mentor_matching,
    op_mentor_meeting,
    op_mentor_meeting_rating,
    op_mentor_subject_standing,
    op_student,
    op_student_achievement,
    op_student_skill,
    res_company,
    res_config_settings,
    res_users,
)
