from . import op_mentor_certificate_report
