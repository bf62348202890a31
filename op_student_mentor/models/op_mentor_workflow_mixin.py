from odoo import models
from odoo.exceptions import UserError


class OpMentorWorkflowMixin(models.AbstractModel):
    """The status workflow of applications, meetings and follow-ups: one transition table per model and
    one check of it, the way ``hr.leave`` has one ``_check_approval_update``.

    A model inheriting it has a ``status`` selection field and declares:

    - ``_mentor_transitions``: {target status: the statuses it may be reached from};
    - ``_mentor_status_refusal(current, target)``: the message refusing the move of ``self`` (one record)
      from the label ``current`` to the label ``target``;
    - optionally ``_mentor_status_access(status)``, who may make the move (default: whoever may write the
      records, by the record rules) and ``_mentor_status_group_check(status)``, what is checked before the
      records are (default: nothing).
    """

    _name = "op.mentor.workflow.mixin"
    _description = "Mentorship Status Workflow"

    _mentor_transitions = {}

    def _check_status_update(self, status):
        """The one place that decides whether these records may move to ``status``; it writes nothing."""
        self._mentor_status_group_check(status)
        labels = dict(self._fields["status"]._description_selection(self.env))
        allowed = self._mentor_transitions.get(status, ())
        for record in self:
            if record.status not in allowed:
                raise UserError(record._mentor_status_refusal(labels[record.status], labels.get(status, status)))
        self._mentor_status_access(status)

    def _mentor_status_group_check(self, status):
        """Refuse a user who may not make this move at all, before looking at the records."""

    def _mentor_status_access(self, status):
        """Refuse a user who may not make this move on these records: by default, the record rules."""
        self.check_access("write")

    def _mentor_status_refusal(self, current, target):
        """The message of the UserError refusing to move ``self`` from ``current`` to ``target`` (labels)."""
        raise NotImplementedError(f"{self._name} must say why a status change is refused")
