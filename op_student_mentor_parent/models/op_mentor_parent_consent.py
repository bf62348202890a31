import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import consteq
from odoo.tools.misc import hmac

CONSENT_AGE = 18
WITHDRAW_REASON_MAX_LENGTH = 1500  # the cancelled meetings keep it in their details (2,000 characters)


class OpMentorParentConsent(models.Model):
    """A parent's consent to their child's mentorship: one record per student, its chatter is the history
    (every consent and withdrawal, with who, when and from where)."""

    _name = "op.mentor.parent.consent"
    _description = "Parental Consent to Mentorship"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "student_id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    student_id = fields.Many2one(
        "op.student", required=True, readonly=True, index=True, ondelete="cascade", tracking=True
    )
    state = fields.Selection(
        [("pending", "Waiting for a Parent"), ("given", "Given"), ("withdrawn", "Withdrawn")],
        "Consent",
        default="pending",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    parent_id = fields.Many2one(
        "op.parent",
        "Decided By",
        readonly=True,
        tracking=True,
        ondelete="set null",
        help="The parent who gave or withdrew the consent last.",
    )
    user_id = fields.Many2one("res.users", "Decided By User", readonly=True, tracking=True, ondelete="set null")
    decision_date = fields.Datetime("Decided On", readonly=True, tracking=True)
    channel = fields.Selection(
        [("portal", "Portal"), ("email", "E-mail link")], "Decided From", readonly=True, tracking=True
    )
    withdraw_reason = fields.Text("Reason for Withdrawal", readonly=True, tracking=True)
    request_date = fields.Datetime("Last Request Sent", readonly=True)
    access_token = fields.Char(
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="Secret of the e-mailed consent links; renewed when one is used, so each link works once.",
    )

    _sql_constraints = [
        ("student_unique", "UNIQUE(student_id)", "A student has one consent record."),
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(set(vals) - {"student_id"} for vals in vals_list):
            # a record is created pending; only a parent's decision (the methods below) changes it
            raise UserError(
                self.env._("A parent gives or withdraws the consent, from the portal or the e-mailed link.")
            )
        for vals in vals_list:
            vals["access_token"] = secrets.token_urlsafe(32)
        return super().create(vals_list)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send_request(self):
        """E-mail every parent of the student their consent link (backend button)."""
        self._mentor_send_request()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _mentor_for_students(self, students):
        """The consent record of each student ({student id: consent}), created (pending) when missing."""
        # sudo: the consent is asked of parents on their portal or by a tokened link, who have no rights on it
        Consent = self.sudo()
        consents = Consent.search([("student_id", "in", students.ids)])
        missing = students - consents.student_id
        if missing:
            consents |= Consent.create([{"student_id": student.id} for student in missing])
        return {consent.student_id.id: consent for consent in consents}

    def _mentor_give(self, parent, channel):
        """``parent`` (an op.parent of the student) consents, from ``channel``. Called on the system's records by
        the route that checked who the parent is (their portal, or the signed link): parents have no rights on
        consents, op.parent nor op.student (OpenEduCat's)."""
        self.ensure_one()
        if self.state == "given":
            return False
        self._mentor_decide("given", parent, channel)
        self.message_post(
            body=self.env._(
                "%(parent)s gave their consent to the mentorship of %(student)s.",
                parent=parent.name.name,
                student=self.student_id.name,
            ),
            author_id=parent.name.id,
        )
        return True

    def _mentor_withdraw(self, parent, reason, channel="portal"):
        """``parent`` withdraws the consent: the child's upcoming meetings are cancelled (or the child leaves
        a group meeting that others still attend), with the reason. Called on the system's records, as
        _mentor_give."""
        self.ensure_one()
        # the child's name is read once, before the cancellations (the calendar's sync of the cancelled meetings
        # empties the cache it was prefetched in)
        student_name = self.student_id.name
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why you withdraw your consent: the mentor and the school read it."))
        if len(reason) > WITHDRAW_REASON_MAX_LENGTH:
            raise UserError(
                self.env._("The reason is too long (at most %(max)s characters).", max=WITHDRAW_REASON_MAX_LENGTH)
            )
        if self.state != "given":
            raise UserError(self.env._("There is no consent to withdraw for %(student)s.", student=student_name))
        self._mentor_decide("withdrawn", parent, channel, withdraw_reason=reason)
        note = self.env._("A parent withdrew their consent to the mentorship: %(reason)s", reason=reason)
        # in the system's environment (see above): the parent cancels their child's meetings, which they may not read
        meetings = self.env["op.mentor.meeting"].search(
            [
                ("meeting_students", "in", self.student_id.ids),
                ("status", "=", "scheduled"),
                ("date", ">", fields.Datetime.now()),
            ]
        )
        alone = meetings.filtered(lambda m: m.meeting_students == self.student_id)
        alone._action_cancel("other", note)
        for meeting in meetings - alone:
            meeting.meeting_students = [fields.Command.unlink(self.student_id.id)]
            meeting.message_post(body=note)
        self.message_post(
            body=self.env._(
                "%(parent)s withdrew their consent to the mentorship of %(student)s (%(count)s upcoming meetings "
                "cancelled): %(reason)s",
                parent=parent.name.name,
                student=student_name,
                count=len(meetings),
                reason=reason,
            ),
            author_id=parent.name.id,
        )
        return meetings

    def _mentor_decide(self, state, parent, channel, withdraw_reason=False):
        # the parent's decision, on the system's records (see _mentor_give)
        self.write(
            {
                "state": state,
                "parent_id": parent.id,
                "user_id": self.env.uid if not self.env.user._is_public() else parent.user_id.id,
                "decision_date": fields.Datetime.now(),
                "channel": channel,
                "withdraw_reason": withdraw_reason,
                "access_token": secrets.token_urlsafe(32),  # every e-mailed link of before stops working
            }
        )

    def _mentor_send_request(self):
        # sudo: sending mail, the Odoo way (and the links are signed with the consents' secret tokens)
        consents = self.sudo()
        template = consents.env.ref("op_student_mentor_parent.mail_template_parent_consent_request")
        for consent in consents.filtered(lambda c: c.state != "given"):
            for parent in consent.student_id._mentor_parents().filtered(lambda p: p.name.email):
                template.with_context(
                    consent_url=consent._mentor_consent_url(parent), parent_lang=parent.name.lang
                ).send_mail(
                    consent.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [fields.Command.set(parent.name.ids)]},
                )
            consent.request_date = fields.Datetime.now()

    # ------------------------------------------------------------
    # TOKENS
    # ------------------------------------------------------------

    def _mentor_link_token(self, parent):
        """The secret of ``parent``'s link: tied to the parent and to the current access token."""
        self.ensure_one()
        secret = self.access_token  # the system's field: called by the mail and the signed link, as the system
        return secret and hmac(self.env(su=True), "op_student_mentor_parent.consent", (self.id, parent.id, secret))

    def _mentor_check_link_token(self, parent, token):
        self.ensure_one()
        expected = self._mentor_link_token(parent)
        return bool(token) and bool(expected) and consteq(expected, token)

    def _mentor_consent_url(self, parent):
        base = self.get_base_url()
        return f"{base}/mentorship/consent/{self.id}/{parent.id}/{self._mentor_link_token(parent)}"
