from odoo import fields, models

from .res_config_settings import PARENT_VISIBILITY


class ResCompany(models.Model):
    """What each school (company) lets parents see and whether it asks their consent: Settings shows those of
    the current company, the code reads those of the meeting's, allocation's or student's company."""

    _inherit = "res.company"

    mentor_parent_visibility = fields.Selection(
        PARENT_VISIBILITY,
        "What Parents See",
        default="schedule",
        required=True,
        help="What a parent reads about their child's mentorship on the portal. Faculty-only and mentor-only notes, "
        "ratings and applications never reach parents.",
    )
    mentor_parent_show_link = fields.Boolean(
        "Parents See the Video Link", help="Show parents the video call link of their child's upcoming meetings."
    )
    mentor_parent_notify_mentor = fields.Boolean("E-mail Parents When Their Child Gets a Mentor")
    mentor_parent_notify_meetings = fields.Boolean(
        "E-mail Parents About Meetings",
        help="E-mail parents when a meeting of their child is scheduled, moved or cancelled.",
    )
    mentor_parent_consent_required = fields.Boolean(
        "Parental Consent for Minors",
        help="A mentee under 18 (from the student's birth date) has no first meeting until a parent gave their "
        "consent, from the portal or from the e-mail link.",
    )
