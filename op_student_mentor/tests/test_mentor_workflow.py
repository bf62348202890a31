import inspect

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorWorkflow(MentorCommon):
    """The status workflow of applications, meetings and follow-ups (op.mentor.workflow.mixin): a move the
    model's table does not allow is refused with the model's own message, and nothing is written."""

    def _snapshot(self, record):
        record.env.flush_all()
        record.invalidate_recordset()
        return record.status, record.write_date, len(record.message_ids)

    def assertRefusedUnchanged(self, record, move, message, error=UserError):
        before = self._snapshot(record)
        with self.assertRaisesRegex(error, message):
            move()
        self.assertEqual(self._snapshot(record), before, "a refused move writes nothing")

    def test_models_share_the_workflow(self):
        for model in ("op.mentor.details", "op.mentor.meeting", "op.mentor.followup"):
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertIsInstance(Model, type(self.env["op.mentor.workflow.mixin"]))
                # every target of the table is a status of the model, and so is every origin
                statuses = set(Model._fields["status"].get_values(self.env))
                for target, origins in Model._mentor_transitions.items():
                    self.assertIn(target, statuses)
                    self.assertLessEqual(set(origins), statuses)

    def test_application_illegal_transition(self):
        draft = self._create_application(self.student_other, self.student_mentee.browse(), faculty=self.faculty)
        admin_draft = draft.with_user(self.user_admin)
        self.assertRefusedUnchanged(
            draft, admin_draft.action_approve, r"Application APP\d+ is Draft; it cannot be moved to Approved\."
        )
        self.assertRefusedUnchanged(
            draft,
            lambda: admin_draft.write({"status": "reject"}),
            r"Application APP\d+ is Draft; it cannot be moved to Rejected\.",
        )
        # who may decide is checked before the records: a faculty hears that only administrators decide
        self.assertRefusedUnchanged(
            draft,
            draft.with_user(self.user_faculty).action_approve,
            "Only a mentorship administrator can approve, reject or reset",
            error=AccessError,
        )
        self.assertEqual(draft.status, "draft")

    def test_meeting_illegal_transition(self):
        meeting = self.meeting.with_user(self.user_mentor)
        self.meeting.write({"status": "cancel", "close_reason": "illness"})
        self.assertRefusedUnchanged(
            self.meeting,
            meeting.action_done,
            r"Meeting Weekly check-in is cancelled; only scheduled meetings can be done\.",
        )
        self.assertRefusedUnchanged(
            self.meeting,
            lambda: meeting.write({"status": "missed"}),
            r"Meeting Weekly check-in is cancelled; only scheduled meetings can be missed\.",
        )

    def test_followup_illegal_transition(self):
        followup = self.followup.with_user(self.user_faculty)
        self.assertEqual(followup.status, "draft")
        self.assertRefusedUnchanged(
            self.followup, followup.action_missed, r"Follow-up FUP\d+ is draft; it cannot be set to missed\."
        )
        self.assertRefusedUnchanged(
            self.followup,
            lambda: followup.write({"status": "draft"}),
            r"Follow-up FUP\d+ is draft; it cannot be set to draft\.",
        )

    def test_public_actions_take_no_argument(self):
        """RPC may call any public method: the actions of the program's models take none (wizards call the
        private methods that take a reason)."""
        models = [
            "op.mentor.details",
            "op.mentor.allocation",
            "op.mentor.followup",
            "op.mentor.goal",
            "op.mentor.reject.wizard",
            "op.mentor.match.wizard",
            "op.mentor.find.wizard",
            "op.mentor.find.wizard.line",
        ]
        for model in models:
            Model = type(self.env[model])
            for name in dir(Model):
                if not name.startswith("action_"):
                    continue
                with self.subTest(model=model, action=name):
                    parameters = list(inspect.signature(getattr(Model, name)).parameters)
                    self.assertEqual(parameters, ["self"])
        # the student's actions added by the program
        Student = type(self.env["op.student"])
        for name in ("action_print_mentoring_certificate", "action_mentor_resolve_at_risk"):
            self.assertEqual(list(inspect.signature(getattr(Student, name)).parameters), ["self"])

    def test_reject_takes_its_reason_through_the_wizard(self):
        pending = self._create_application(self.student_other, self.student_mentee.browse(), faculty=self.faculty)
        pending.with_user(self.user_faculty).action_submit()
        action = pending.with_user(self.user_admin).action_reject()
        self.assertEqual(action["res_model"], "op.mentor.reject.wizard")
        self.assertEqual(pending.status, "pending", "opening the wizard decides nothing")
        wizard = (
            self.env["op.mentor.reject.wizard"]
            .with_user(self.user_admin)
            .with_context(**action["context"])
            .create({"reason": "Not this term."})
        )
        wizard.action_reject()
        self.assertEqual(pending.status, "reject")
        self.assertEqual(pending.rejection_reason, "Not this term.")
