from . import (
    op_mentor_certificate_report,
    op_mentor_report,
    op_mentor_unmatched_report,
    report_mentee_summary,
    report_mentor_activity,
)
