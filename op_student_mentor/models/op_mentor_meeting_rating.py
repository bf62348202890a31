from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

COMMENT_MAX_LENGTH = 2000


class OpMentorMeetingRating(models.Model):
    """A mentee's post-meeting pulse: 1 to 5 and a comment, once per mentee and meeting.

    Readable by its author (the mentee), the faculty of the mentor's allocation and the
    administrators; never by the mentor, who only sees averages (see the portal).
    """

    _name = "op.mentor.meeting.rating"
    _description = "Mentor Meeting Pulse Rating"
    _check_company_auto = True
    _order = "meeting_date desc, id desc"
    _rec_name = "meeting_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    meeting_id = fields.Many2one("op.mentor.meeting", required=True, index=True, ondelete="cascade")
    student_id = fields.Many2one(
        "op.student", "Mentee", required=True, index=True, ondelete="cascade", check_company=True
    )
    mentor_id = fields.Many2one(related="meeting_id.student_id", string="Mentor", store=True, index=True)
    meeting_date = fields.Datetime(related="meeting_id.date", string="Meeting Date", store=True)
    rating = fields.Integer(required=True, aggregator="avg", help="From 1 (poor) to 5 (excellent).")
    comment = fields.Text()
    company_id = fields.Many2one(related="meeting_id.company_id", store=True)

    _sql_constraints = [
        ("meeting_student_unique", "UNIQUE(meeting_id, student_id)", "A mentee rates a meeting once."),
        ("rating_range", "CHECK(rating >= 1 AND rating <= 5)", "A rating is between 1 and 5."),
    ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("rating", "comment")
    def _check_rating(self):
        for rating in self:
            rating._validate_values(rating.rating, rating.comment)

    @api.model
    def _validate_values(self, value, comment):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(self.env._("Choose a rating between 1 and 5."))
        if len(comment or "") > COMMENT_MAX_LENGTH:
            raise ValidationError(
                self.env._("The comment is too long (at most %(max)s characters).", max=COMMENT_MAX_LENGTH)
            )

    @api.constrains("meeting_id", "student_id")
    def _check_meeting(self):
        for rating in self:
            meeting = rating.meeting_id.sudo()  # the mentee may not read the meeting's absences
            if meeting.status != "done":
                raise ValidationError(self.env._("Only a meeting that took place (done) can be rated."))
            if rating.student_id not in meeting.meeting_students:
                raise ValidationError(self.env._("Only the mentees of a meeting can rate it."))
            if rating.student_id in meeting.absent_student_ids:
                # the pulse says how the session went: only those who were there can tell
                raise ValidationError(
                    self.env._(
                        "%(mentee)s was marked absent from this meeting and cannot rate it.",
                        mentee=rating.student_id.name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:  # a clear message before the CHECK constraint of the database
            self._validate_values(vals.get("rating"), vals.get("comment"))
        ratings = super().create(vals_list)
        ratings._mentor_flag_low()
        return ratings

    def write(self, vals):
        if not self.env.su and ({"meeting_id", "student_id"} & set(vals)):
            raise UserError(self.env._("A rating stays with its meeting and its mentee."))
        if {"rating", "comment"} & set(vals):
            for rating in self:
                self._validate_values(vals.get("rating", rating.rating), vals.get("comment", rating.comment))
        result = super().write(vals)
        if "rating" in vals:
            self._mentor_flag_low()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _mentor_flag_low(self):
        """A low rating (Settings) is a risk signal: the mentee is flagged at risk for the Student Success team."""
        # as the system: the at-risk flag of the student record, which the mentee may not write
        for rating in self.sudo().filtered(lambda r: r.rating <= r.company_id._mentor_setting("pulse_low_rating")):
            rating.student_id._mentor_flag_at_risk(
                self.env._(
                    "Rated the meeting %(meeting)s of %(date)s %(rating)s/5 (post-meeting pulse).",
                    meeting=rating.meeting_id.meeting_name,
                    date=fields.Date.to_string(rating.meeting_id.date.date()),
                    rating=rating.rating,
                )
            )
