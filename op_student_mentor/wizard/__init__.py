from . import (
    base_language_install,
    op_mentor_meeting_close_wizard,
    op_mentor_meeting_reschedule_wizard,
    op_mentor_reject_wizard,
)
