from . import (
    base_language_install,
    op_mentor_find_wizard,
    op_mentor_find_wizard_line,
    op_mentor_match_wizard,
    op_mentor_match_wizard_line,
    op_mentor_meeting_close_wizard,
    op_mentor_meeting_reschedule_wizard,
    op_mentor_reject_wizard,
)
