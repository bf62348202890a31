import functools
import io
import subprocess

from odoo import models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def _wkhtmltopdf_patched_qt():
    """Whether wkhtmltopdf is a "patched qt" build (wkhtmltopdf.org); Debian's package is not."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # not installed: Odoo itself reports it
    return "patched qt" in version


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        """Debian's wkhtmltopdf (unpatched Qt) accepts one page per run and writes nothing for more:
        the mentorship reports printed for several records are rendered one record at a time and merged."""
        run = super()._run_wkhtmltopdf
        options = {
            "report_ref": report_ref,
            "header": header,
            "footer": footer,
            "landscape": landscape,
            "specific_paperformat_args": specific_paperformat_args,
            "set_viewport_size": set_viewport_size,
        }
        if len(bodies) < 2 or _wkhtmltopdf_patched_qt() or not self._is_mentor_report(report_ref):
            return run(bodies, **options)
        streams = [io.BytesIO(run([body], **options)) for body in bodies]
        merged = self._merge_pdfs(streams)
        return merged.getvalue()

    def _is_mentor_report(self, report_ref):
        if not report_ref:
            return False
        report = self._get_report(report_ref)
        return (report.report_name or "").startswith("op_student_mentor.")
