"""Access rights of the mentorship program: one matrix, role x model x operation.

``ACCESS_MATRIX`` below is the contract (``readme/ROLES.md`` is the same table for a
school's administrator). Every cell is tried on the records of the role itself
("own") and on those of the other faculty / mentor ("foreign"), and must either
work or raise ``AccessError`` — or ``UserError`` where the cell says so: decided
applications are locked for everyone, the administrator included.
"""

from contextlib import closing
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import MentorCommon

# ------------------------------------------------------------
# THE MATRIX
# ------------------------------------------------------------

# Scopes: which records of a model a role may read / create / write / delete.
ALL = "all"  # every record
OWN = "own"  # the role's records (see "Ownership" below)
OWN_DRAFT = "own draft"  # the role's records while in draft
UNDECIDED = "undecided"  # draft and pending applications; decided ones are locked (UserError)
UNUSED = "unused"  # allocations without follow-ups; the others are archived, not deleted (UserError)
OWN_SHARED = "own shared"  # the role's notes / goals marked "shared with the mentee"
OWN_NOT_INTERNAL = "own not faculty-only"  # the role's notes / goals shared with the mentee or with the mentor
NONE = "-"  # nothing: AccessError

READ, CREATE, WRITE, UNLINK = "read", "create", "write", "unlink"
OPERATIONS = (READ, CREATE, WRITE, UNLINK)

DETAILS = "op.mentor.details"
ALLOCATION = "op.mentor.allocation"
MEETING = "op.mentor.meeting"
FOLLOWUP = "op.mentor.followup"
FOCUS = "op.mentor.focus"
ACHIEVEMENT = "op.student.achievement"
SKILL = "op.student.skill"
GOAL = "op.mentor.goal"
RATING = "op.mentor.meeting.rating"
REPORT = "op.mentor.report"
STANDING = "op.mentor.subject.standing"
UNMATCHED = "op.mentor.unmatched.report"
MODELS = (DETAILS, ALLOCATION, MEETING, FOLLOWUP, FOCUS, ACHIEVEMENT, SKILL, GOAL, RATING, REPORT, STANDING, UNMATCHED)

# role x model: the scope of each operation (readme/ROLES.md is the same table).
ACCESS_TABLE = """
role          | model                  | read | create | write     | unlink
administrator | op.mentor.details      | all  | all    | undecided | undecided
administrator | op.mentor.allocation   | all  | all    | all       | unused
administrator | op.mentor.meeting      | all  | all    | all       | all
administrator | op.mentor.followup     | all  | all    | all       | all
administrator | op.mentor.focus        | all  | all    | all       | all
administrator | op.student.achievement | all  | all    | all       | all
administrator | op.student.skill       | all  | all    | all       | all
administrator | op.mentor.goal         | all  | all    | all       | all
administrator | op.mentor.meeting.rating | all  | all    | all       | all
administrator | op.mentor.report       | all  | -      | -         | -
administrator | op.mentor.subject.standing | all  | -      | -         | -
administrator | op.mentor.unmatched.report | all  | -      | -         | -
faculty       | op.mentor.details      | own  | own    | own draft | own draft
faculty       | op.mentor.allocation   | own  | -      | -         | -
faculty       | op.mentor.meeting      | own  | -      | -         | -
faculty       | op.mentor.followup     | own  | own    | own       | -
faculty       | op.mentor.focus        | all  | -      | -         | -
faculty       | op.student.achievement | all  | all    | all       | -
faculty       | op.student.skill       | all  | all    | all       | -
faculty       | op.mentor.goal         | own  | own    | own       | -
faculty       | op.mentor.meeting.rating | own  | -      | -         | -
faculty       | op.mentor.report       | own  | -      | -         | -
faculty       | op.mentor.subject.standing | own  | -      | -         | -
faculty       | op.mentor.unmatched.report | own  | -      | -         | -
other faculty | op.mentor.details      | own  | own    | own draft | own draft
other faculty | op.mentor.allocation   | own  | -      | -         | -
other faculty | op.mentor.meeting      | own  | -      | -         | -
other faculty | op.mentor.followup     | own  | own    | own       | -
other faculty | op.mentor.focus        | all  | -      | -         | -
other faculty | op.student.achievement | all  | all    | all       | -
other faculty | op.student.skill       | all  | all    | all       | -
other faculty | op.mentor.goal         | own  | own    | own       | -
other faculty | op.mentor.meeting.rating | own  | -      | -         | -
other faculty | op.mentor.report       | own  | -      | -         | -
other faculty | op.mentor.subject.standing | own  | -      | -         | -
other faculty | op.mentor.unmatched.report | own  | -      | -         | -
mentor        | op.mentor.details      | -    | -      | -         | -
mentor        | op.mentor.allocation   | own  | -      | -         | -
mentor        | op.mentor.meeting      | own  | own    | own       | -
mentor        | op.mentor.followup     | own not faculty-only | own not faculty-only | own not faculty-only | -
mentor        | op.mentor.focus        | -    | -      | -         | -
mentor        | op.student.achievement | -    | -      | -         | -
mentor        | op.student.skill       | -    | -      | -         | -
mentor        | op.mentor.goal         | own not faculty-only | own not faculty-only | own not faculty-only | -
mentor        | op.mentor.meeting.rating | -    | -      | -         | -
mentor        | op.mentor.report       | -    | -      | -         | -
mentor        | op.mentor.subject.standing | -    | -      | -         | -
mentor        | op.mentor.unmatched.report | -    | -      | -         | -
other mentor  | op.mentor.details      | -    | -      | -         | -
other mentor  | op.mentor.allocation   | own  | -      | -         | -
other mentor  | op.mentor.meeting      | own  | own    | own       | -
other mentor  | op.mentor.followup     | own not faculty-only | own not faculty-only | own not faculty-only | -
other mentor  | op.mentor.focus        | -    | -      | -         | -
other mentor  | op.student.achievement | -    | -      | -         | -
other mentor  | op.student.skill       | -    | -      | -         | -
other mentor  | op.mentor.goal         | own not faculty-only | own not faculty-only | own not faculty-only | -
other mentor  | op.mentor.meeting.rating | -    | -      | -         | -
other mentor  | op.mentor.report       | -    | -      | -         | -
other mentor  | op.mentor.subject.standing | -    | -      | -         | -
other mentor  | op.mentor.unmatched.report | -    | -      | -         | -
mentee        | op.mentor.details      | -    | -      | -         | -
mentee        | op.mentor.allocation   | -    | -      | -         | -
mentee        | op.mentor.meeting      | own  | -      | -         | -
mentee        | op.mentor.followup     | own shared | -    | -         | -
mentee        | op.mentor.focus        | -    | -      | -         | -
mentee        | op.student.achievement | -    | -      | -         | -
mentee        | op.student.skill       | -    | -      | -         | -
mentee        | op.mentor.goal         | own shared | -    | -         | -
mentee        | op.mentor.meeting.rating | own  | own    | own       | -
mentee        | op.mentor.report       | -    | -      | -         | -
mentee        | op.mentor.subject.standing | -    | -      | -         | -
mentee        | op.mentor.unmatched.report | -    | -      | -         | -
other student | op.mentor.details      | -    | -      | -         | -
other student | op.mentor.allocation   | -    | -      | -         | -
other student | op.mentor.meeting      | -    | -      | -         | -
other student | op.mentor.followup     | -    | -      | -         | -
other student | op.mentor.focus        | -    | -      | -         | -
other student | op.student.achievement | -    | -      | -         | -
other student | op.student.skill       | -    | -      | -         | -
other student | op.mentor.goal         | -    | -      | -         | -
other student | op.mentor.meeting.rating | -    | -      | -         | -
other student | op.mentor.report       | -    | -      | -         | -
other student | op.mentor.subject.standing | -    | -      | -         | -
other student | op.mentor.unmatched.report | -    | -      | -         | -
"""


def _parse_access_table(text):
    """{role: {model: (read, create, write, unlink)}} from ACCESS_TABLE."""
    matrix = {}
    for line in text.strip().splitlines()[1:]:
        role, model, *scopes = (cell.strip() for cell in line.split("|"))
        matrix.setdefault(role, {})[model] = tuple(scopes)
    return matrix


ACCESS_MATRIX = _parse_access_table(ACCESS_TABLE)

# Ownership. The fixtures hold two separate "worlds" of the program:
#   A: faculty -> application -> mentor -> allocation -> mentee, meeting, follow-up
#   B: faculty_other -> application_other -> mentor_other -> allocation_other -> mentee_other, ...
# A role owns the records of its world: a faculty the applications it nominated and
# what comes from them, a mentor their allocations and the meetings they host, a
# mentee the meetings they attend. Focus areas, achievements and skills are nobody's.
# role: (user attribute of MentorCommon, world owned)
ROLES = {
    "administrator": ("user_admin", None),
    "faculty": ("user_faculty", "A"),
    "other faculty": ("user_faculty_other", "B"),
    "mentor": ("user_mentor", "A"),
    "other mentor": ("user_mentor_other", "B"),
    "mentee": ("user_mentee", "A"),
    "other student": ("user_student_other", None),
}

# What a read reads: the fields of the public contract (SPEC.md) and a few computed ones.
READ_FIELDS = {
    DETAILS: [
        "name",
        "faculty_id",
        "course_id",
        "batch_id",
        "mentor_focus_id",
        "student_id",
        "student_detail_ids",
        "gradebook_id",
        "percentage",
        "achivement_ids",
        "skill_ids",
        "status",
        "reason_for_mentorship",
        "rejection_reason",
        "allocation_count",
        "can_approve",
    ],
    ALLOCATION: ["name", "mentor_id", "course_id", "batch_id", "student_ids", "faculty_id", "active", "mentee_count"],
    MEETING: ["meeting_name", "meeting_link", "date", "student_id", "meeting_students", "description", "status"],
    FOLLOWUP: [
        "name",
        "student_id",
        "allocation_id",
        "faculty_id",
        "follow_purpose",
        "meeting_date",
        "feedback",
        "checklist",
        "followup_notes",
        "status",
        "visibility",
        "note_catch_up",
        "note_progress",
        "project_progress",
    ],
    FOCUS: ["name", "description"],
    ACHIEVEMENT: ["name", "student_id", "achievement_type", "date", "description"],
    SKILL: ["name", "student_id", "level", "description"],
    GOAL: ["name", "followup_id", "student_id", "indicator", "deadline", "state", "is_smart", "visibility"],
    RATING: ["meeting_id", "student_id", "mentor_id", "meeting_date", "rating", "comment"],
    REPORT: ["kind", "name", "date", "faculty_id", "course_id", "batch_id", "mentor_id", "mentee_id", "nbr_meetings"],
    STANDING: ["student_id", "batch_id", "subject_id", "percentage", "rank", "standing"],
    UNMATCHED: ["kind", "batch_id", "student_id", "need_count", "weakest_percentage", "free_places"],
}

WRITE_VALS = {
    DETAILS: {"reason_for_mentorship": "Changed reason."},
    ALLOCATION: {"active": True},
    MEETING: {"description": "Changed agenda."},
    FOLLOWUP: {"followup_notes": "Changed next steps."},
    FOCUS: {"description": "Changed description."},
    ACHIEVEMENT: {"description": "Changed description."},
    SKILL: {"description": "Changed description."},
    GOAL: {"indicator": "Changed indicator."},
    RATING: {"comment": "Changed comment."},
    REPORT: {"name": "Changed."},
    STANDING: {"percentage": 99.0},
    UNMATCHED: {"need_count": 9},
}

OK = "allowed"
RULE_LOGGERS = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")


class MentorSecurityCommon(MentorCommon):
    """The fixtures of MentorCommon plus draft and pending applications in both worlds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        candidates = [
            cls._create_student(f"candidate_{i}", f"Cand{i}", "Idate", cls.batch, marks=80 + i, portal=False)[1]
            for i in range(4)
        ]
        cls.application_draft = cls._create_application(candidates[0], cls.env["op.student"], faculty=cls.faculty)
        cls.application_pending = cls._create_application(candidates[1], cls.env["op.student"], faculty=cls.faculty)
        cls.application_draft_other = cls._create_application(
            candidates[2], cls.env["op.student"], faculty=cls.faculty_other
        )
        cls.application_pending_other = cls._create_application(
            candidates[3], cls.env["op.student"], faculty=cls.faculty_other
        )
        (cls.application_pending | cls.application_pending_other).with_user(cls.user_admin).action_submit()
        cls.achievement = cls.env["op.student.achievement"].create(
            {"name": "Olympiad medal", "student_id": cls.student_mentor.id}
        )
        cls.achievement_other = cls.env["op.student.achievement"].create(
            {"name": "Chess cup", "student_id": cls.student_mentor_other.id}
        )
        cls.skill = cls.env["op.student.skill"].create({"name": "Python", "student_id": cls.student_mentor.id})
        cls.skill_other = cls.env["op.student.skill"].create(
            {"name": "Drawing", "student_id": cls.student_mentor_other.id}
        )
        cls.goal = cls.env["op.mentor.goal"].create({"followup_id": cls.followup.id, "name": "Deliverable 2"})
        cls.goal_other = cls.env["op.mentor.goal"].create({"followup_id": cls.followup_other.id, "name": "Sketches"})
        # Note visibility: the fixtures' follow-ups and goals are faculty-only (the default); one of
        # each level more in world A, a shared one in world B.
        Followup = cls.env["op.mentor.followup"]
        cls.followup_mentor = Followup.create(
            {"student_id": cls.student_mentee.id, "allocation_id": cls.allocation.id, "visibility": "mentor"}
        )
        cls.followup_shared = Followup.create(
            {"student_id": cls.student_mentee.id, "allocation_id": cls.allocation.id, "visibility": "mentee"}
        )
        cls.followup_shared_other = Followup.create(
            {
                "student_id": cls.student_mentee_other.id,
                "allocation_id": cls.allocation_other.id,
                "visibility": "mentee",
            }
        )
        Goal = cls.env["op.mentor.goal"]
        cls.goal_mentor = Goal.create({"followup_id": cls.followup_mentor.id, "name": "Course part 1"})
        cls.goal_shared = Goal.create({"followup_id": cls.followup_shared.id, "name": "Deliverable 3"})
        cls.goal_shared_other = Goal.create({"followup_id": cls.followup_shared_other.id, "name": "Palette"})
        # Pulse ratings: meetings held in both worlds, one rated by its mentee, one left to rate.
        cls.meetings_held = cls.env["op.mentor.meeting"]
        for mentor, mentee in (
            (cls.student_mentor, cls.student_mentee),
            (cls.student_mentor_other, cls.student_mentee_other),
        ):
            for name in ("Held", "Held unrated"):
                cls.meetings_held |= cls._create_meeting(mentor, mentee, f"{name} {mentor.name}", days=1)
        cls._mark_done(cls.meetings_held)
        cls.meeting_held, cls.meeting_held_unrated, cls.meeting_held_other, cls.meeting_held_other_unrated = (
            cls.meetings_held
        )
        cls.rating = cls.env[RATING].create(
            {"meeting_id": cls.meeting_held.id, "student_id": cls.student_mentee.id, "rating": 4, "comment": "Useful."}
        )
        # Matching: a result in each program. World A: the exam of MentorCommon's batch (Computer
        # Science, faculty A's subject); world B: a Fine Arts student who failed (faculty B's subject).
        exam_fa = cls._create_subject_exams(cls.batch_other, cls.subject_other)[cls.subject_other]
        cls.student_fa = cls._create_student("student_fa", "Fern", "Arts", cls.batch_other, portal=False)[1]
        cls._create_results(cls.student_fa, {exam_fa: 20})
        cls.rating_other = cls.env[RATING].create(
            {"meeting_id": cls.meeting_held_other.id, "student_id": cls.student_mentee_other.id, "rating": 5}
        )

    # ------------------------------------------------------------
    # Tools
    # ------------------------------------------------------------

    def _world_records(self):
        """{model: [(label, record, world)]}: every record the matrix is tried on."""
        return {
            DETAILS: [
                ("approved A", self.application, "A"),
                ("pending A", self.application_pending, "A"),
                ("draft A", self.application_draft, "A"),
                ("approved B", self.application_other, "B"),
                ("pending B", self.application_pending_other, "B"),
                ("draft B", self.application_draft_other, "B"),
            ],
            ALLOCATION: [("A", self.allocation, "A"), ("B", self.allocation_other, "B")],
            MEETING: [("A", self.meeting, "A"), ("B", self.meeting_other, "B")],
            FOLLOWUP: [
                ("A faculty-only", self.followup, "A"),
                ("A mentor", self.followup_mentor, "A"),
                ("A shared", self.followup_shared, "A"),
                ("B faculty-only", self.followup_other, "B"),
                ("B shared", self.followup_shared_other, "B"),
            ],
            FOCUS: [("academic", self.focus, None)],
            ACHIEVEMENT: [("of mentor A", self.achievement, None), ("of mentor B", self.achievement_other, None)],
            SKILL: [("of mentor A", self.skill, None), ("of mentor B", self.skill_other, None)],
            GOAL: [
                ("A faculty-only", self.goal, "A"),
                ("A mentor", self.goal_mentor, "A"),
                ("A shared", self.goal_shared, "A"),
                ("B faculty-only", self.goal_other, "B"),
                ("B shared", self.goal_shared_other, "B"),
            ],
            RATING: [("A", self.rating, "A"), ("B", self.rating_other, "B")],
            REPORT: [("A", self._report_row(self.followup), "A"), ("B", self._report_row(self.followup_other), "B")],
            STANDING: [
                ("A", self.env[STANDING].search([("student_id", "=", self.student_mentor.id)]), "A"),
                ("B", self.env[STANDING].search([("student_id", "=", self.student_fa.id)]), "B"),
            ],
            UNMATCHED: [
                ("A mentor", self.env[UNMATCHED].search([("student_id", "=", self.student_mentor.id)]), "A"),
                ("B mentee", self.env[UNMATCHED].search([("student_id", "=", self.student_fa.id)]), "B"),
            ],
        }

    def _report_row(self, followup):
        """The Mentorship Overview row of a follow-up (a SQL view: no record to create)."""
        return self.env[REPORT].search([("kind", "=", "followup"), ("res_id", "=", followup.id)])

    def _create_vals(self, model, world):
        """Values of a new record of ``model`` in ``world`` (None: models nobody owns)."""
        a = world != "B"
        if model == DETAILS:
            return {
                "faculty_id": (self.faculty if a else self.faculty_other).id,
                "course_id": self.course.id,
                "batch_id": self.batch.id,
                "student_id": self.student_other.id,
                "mentor_focus_id": [Command.set(self.focus.ids)],
                "reason_for_mentorship": "Helps everyone.",
            }
        if model == ALLOCATION:
            return {
                "mentor_id": (self.student_mentor if a else self.student_mentor_other).id,
                "course_id": self.course.id,
                "batch_id": self.batch.id,
            }
        if model == MEETING:
            return {
                "meeting_name": "New meeting",
                "meeting_link": "https://meet.example.com/new",
                "date": datetime.now().replace(microsecond=0) + timedelta(days=5),
                "student_id": (self.student_mentor if a else self.student_mentor_other).id,
                "meeting_students": [Command.set((self.student_mentee if a else self.student_mentee_other).ids)],
            }
        if model == FOLLOWUP:
            return {
                "student_id": (self.student_mentee if a else self.student_mentee_other).id,
                "allocation_id": (self.allocation if a else self.allocation_other).id,
                "meeting_date": date.today(),
            }
        if model == FOCUS:
            return {"name": "Exam Preparation"}
        if model == GOAL:
            # on notes the mentor may read: a mentor's goal never sits on faculty-only notes
            return {"followup_id": (self.followup_mentor if a else self.followup_shared_other).id, "name": "New goal"}
        if model == RATING:
            return {
                "meeting_id": (self.meeting_held_unrated if a else self.meeting_held_other_unrated).id,
                "student_id": (self.student_mentee if a else self.student_mentee_other).id,
                "rating": 4,
            }
        if model == REPORT:
            return {"name": "New row"}
        if model in (STANDING, UNMATCHED):
            return dict(WRITE_VALS[model])
        return {"name": "New one", "student_id": self.student_mentee.id}  # achievement, skill

    def _attempt(self, user, model, operation, record=None, vals=None):
        """Run one operation as ``user``, always rolled back; the outcome as a short string."""
        Model = self.env[model].with_user(user)
        with closing(self.env.cr.savepoint()), mute_logger(*RULE_LOGGERS):
            try:
                if operation == READ:
                    Model.browse(record.id).read(READ_FIELDS[model])
                elif operation == CREATE:
                    Model.create(vals)
                elif operation == WRITE:
                    Model.browse(record.id).write(vals)
                else:
                    Model.browse(record.id).unlink()
                Model.env.flush_all()
            except AccessError:
                return "AccessError"
            except ValidationError as error:
                return f"ValidationError: {error}"
            except UserError:
                return "UserError"
        return OK

    def _visible(self, user, record):
        """Whether a search as ``user`` finds ``record`` (no access to the model: not visible)."""
        with mute_logger(*RULE_LOGGERS):
            try:
                return bool(record.with_user(user).search([("id", "=", record.id)]))
            except AccessError:
                return False

    @staticmethod
    def _expected(scope, owned, record, vals=None):
        """The outcome ``scope`` promises on ``record`` (``owned``: the record is the role's)."""
        status = record.status if record is not None and "status" in record._fields else None
        visibility = record.visibility if record is not None and "visibility" in record._fields else None
        visibility = visibility or (vals or {}).get("visibility")
        if scope == ALL:
            return OK
        if scope == OWN:
            return OK if owned else "AccessError"
        if scope == OWN_SHARED:
            return OK if owned and visibility == "mentee" else "AccessError"
        if scope == OWN_NOT_INTERNAL:
            return OK if owned and visibility in ("mentee", "mentor") else "AccessError"
        if scope == OWN_DRAFT:
            return OK if owned and status == "draft" else "AccessError"
        if scope == UNDECIDED:
            return OK if status in ("draft", "pending") else "UserError"
        if scope == UNUSED:
            used = record.env["op.mentor.followup"].sudo().search_count([("allocation_id", "=", record.id)])
            return "UserError" if used else OK
        return "AccessError"


@tagged("post_install", "-at_install", "security")
class TestAccessMatrix(MentorSecurityCommon):
    def test_access_matrix(self):
        """Every role x model x operation, on own and foreign records, as ACCESS_MATRIX says."""
        self.assertEqual(set(ACCESS_MATRIX), set(ROLES))
        for role, row in ACCESS_MATRIX.items():
            self.assertEqual(set(row), set(MODELS), role)
            for scopes in row.values():
                self.assertEqual(len(scopes), len(OPERATIONS), role)
                self.assertLessEqual(
                    set(scopes), {ALL, OWN, OWN_DRAFT, UNDECIDED, UNUSED, OWN_SHARED, OWN_NOT_INTERNAL, NONE}, role
                )
        records = self._world_records()
        mismatches = []
        for role, (user_attr, role_world) in ROLES.items():
            user = getattr(self, user_attr)
            for model in MODELS:
                for operation, scope in zip(OPERATIONS, ACCESS_MATRIX[role][model], strict=True):
                    if operation == CREATE:
                        worlds = (
                            ("A", "B") if model in (DETAILS, ALLOCATION, MEETING, FOLLOWUP, GOAL, RATING) else (None,)
                        )
                        cases = [
                            (f"new {world or ''}".strip(), None, world, self._create_vals(model, world))
                            for world in worlds
                        ]
                        if model in (FOLLOWUP, GOAL):  # one new record per note visibility level
                            cases = [
                                (f"{label} {level}", None, world, dict(vals, visibility=level))
                                for label, _record, world, vals in cases
                                for level in ("faculty", "mentor", "mentee")
                            ]
                    else:
                        cases = [(label, record, world, WRITE_VALS[model]) for label, record, world in records[model]]
                    for label, record, world, vals in cases:
                        owned = world is not None and world == role_world
                        expected = self._expected(scope, owned, record, vals if operation == CREATE else None)
                        # Subtests label the cells; mismatches are gathered and reported together
                        # (pytest has no subtest reporting), so one run shows the whole matrix.
                        with self.subTest(role=role, model=model, operation=operation, record=label):
                            outcome = self._attempt(user, model, operation, record, vals)
                            if operation == READ and outcome in (OK, "AccessError"):
                                visible = self._visible(user, record)
                                if visible != (outcome == OK):
                                    outcome += f" (but search {'finds' if visible else 'hides'} it)"
                            if outcome != expected:
                                mismatches.append(
                                    f"{role:14} {model:24} {operation:6} {label:18} "
                                    f"scope {scope!r}: expected {expected}, got {outcome}"
                                )
        self.assertFalse(mismatches, "access matrix mismatches:\n" + "\n".join(mismatches))

    def test_matrix_covers_every_model_of_the_addon(self):
        own_models = {
            name
            for name, model_class in self.env.registry.items()
            if model_class._original_module == "op_student_mentor"
            and not model_class._transient
            and not model_class._abstract
        }
        self.assertEqual(own_models, set(MODELS))


@tagged("post_install", "-at_install", "security")
class TestAccessWorkflow(MentorSecurityCommon):
    """What the matrix cannot say: workflow actions and field-level refusals."""

    @mute_logger(*RULE_LOGGERS)
    def test_faculty_cannot_decide_applications(self):
        pending = self.application_pending.with_user(self.user_faculty)
        for action in (pending.action_approve, lambda: pending._action_reject("No."), pending.action_reject):
            with self.subTest(action=action), self.assertRaises(AccessError):
                action()
        with self.assertRaises(AccessError):
            pending.action_draft()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.application_draft.with_user(self.user_faculty).write({"status": "approve"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            pending.write({"status": "approve"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["op.mentor.details"].with_user(self.user_faculty).create(
                dict(self._create_vals(DETAILS, "A"), status="approve")
            )
        self.assertEqual(self.application_pending.status, "pending")
        self.assertEqual(self.application_draft.status, "draft")
        self.assertFalse(self.application_draft.student_id.is_mentor)

    @mute_logger(*RULE_LOGGERS)
    def test_faculty_submits_own_drafts_only(self):
        with self.assertRaises(AccessError):
            self.application_draft_other.with_user(self.user_faculty).action_submit()
        self.application_draft.with_user(self.user_faculty).action_submit()
        self.assertEqual(self.application_draft.status, "pending")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.application_draft.with_user(self.user_faculty).write({"reason_for_mentorship": "Too late."})

    @mute_logger(*RULE_LOGGERS)
    def test_faculty_cannot_change_faculty(self):
        draft = self.application_draft.with_user(self.user_faculty)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            draft.write({"faculty_id": self.faculty_other.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["op.mentor.details"].with_user(self.user_faculty).create(self._create_vals(DETAILS, "B"))
        self.assertEqual(self.application_draft.faculty_id, self.faculty)
        # Their own name is the default, and rewriting it is fine.
        draft.write({"faculty_id": self.faculty.id})
        new = (
            self.env["op.mentor.details"]
            .with_user(self.user_faculty)
            .create({k: v for k, v in self._create_vals(DETAILS, "A").items() if k != "faculty_id"})
        )
        self.assertEqual(new.faculty_id, self.faculty)
        # The administrator may nominate in any faculty's name.
        self.application_draft.with_user(self.user_admin).write({"faculty_id": self.faculty_other.id})
        self.assertEqual(self.application_draft.faculty_id, self.faculty_other)

    @mute_logger(*RULE_LOGGERS)
    def test_faculty_cannot_write_submitted_applications(self):
        for application in (self.application_pending, self.application):
            with self.subTest(status=application.status):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    application.with_user(self.user_faculty).write({"reason_for_mentorship": "Changed."})
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    application.with_user(self.user_faculty).unlink()
        self.assertTrue(self.application_pending.exists() and self.application.exists())

    @mute_logger(*RULE_LOGGERS)
    def test_faculty_cannot_move_followup_to_foreign_allocation(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.followup.with_user(self.user_faculty).write(
                {"allocation_id": self.allocation_other.id, "student_id": self.student_mentee_other.id}
            )
        self.assertEqual(self.followup.allocation_id, self.allocation)

    @mute_logger(*RULE_LOGGERS)
    def test_followup_status_goes_through_workflow(self):
        followup = self.followup.with_user(self.user_faculty)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            followup.write({"status": "missed"})  # draft -> missed is no transition
        followup.action_complete()
        self.assertEqual(self.followup.status, "completed")
        with self.assertRaises(AccessError):
            self.followup_other.with_user(self.user_faculty).action_complete()
        self.assertEqual(self.followup_other.status, "draft")

    @mute_logger(*RULE_LOGGERS)
    def test_mentor_cannot_hand_meeting_to_another_mentor(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.meeting.with_user(self.user_mentor).write(
                {"student_id": self.student_mentor_other.id, "meeting_students": [Command.clear()]}
            )
        self.assertEqual(self.meeting.student_id, self.student_mentor)

    @mute_logger(*RULE_LOGGERS)
    def test_meeting_status_goes_through_workflow(self):
        meeting = self.meeting.with_user(self.user_mentor)
        meeting._action_cancel("mentor_unavailable")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.write({"status": "scheduled"})  # a cancelled meeting stays cancelled
        with self.assertRaises(UserError), self.env.cr.savepoint():
            meeting.write({"status": "done"})
        self.assertEqual(self.meeting.status, "cancel")

    @mute_logger(*RULE_LOGGERS)
    def test_meeting_actions_host_only(self):
        for user, meeting in (
            (self.user_mentee, self.meeting),  # attendee, not host
            (self.user_mentor, self.meeting_other),  # another mentor's meeting
            (self.user_faculty, self.meeting),  # faculty read meetings, mentors run them
        ):
            for action in ("action_done", "action_cancel"):
                with self.subTest(user=user.login, action=action), self.assertRaises(AccessError):
                    getattr(meeting.with_user(user), action)()
        self.assertEqual((self.meeting | self.meeting_other).mapped("status"), ["scheduled", "scheduled"])
        self._mark_done(self.meeting, self.user_mentor)
        self.assertEqual(self.meeting.status, "done")

    @mute_logger(*RULE_LOGGERS)
    def test_mentor_cannot_chain_foreign_meeting(self):
        """A reschedule link to another mentor's meeting would show it in both portal histories."""
        Meeting = self.env["op.mentor.meeting"].with_user(self.user_mentor)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Meeting.create(dict(self._create_vals(MEETING, "A"), rescheduled_from_id=self.meeting_other.id))
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.meeting.with_user(self.user_mentor).write({"rescheduled_from_id": self.meeting_other.id})
        self.assertFalse(self.meeting_other.rescheduled_to_ids)
        new_meeting = self.meeting.with_user(self.user_mentor)._action_reschedule(self.meeting.date + timedelta(days=7))
        self.assertEqual(new_meeting.rescheduled_from_id, self.meeting)

    def test_mentor_reads_own_allocation_without_internal_fields(self):
        """All readable fields of the allocation, as a mentor: no application, no follow-up count."""
        values = self.allocation.with_user(self.user_mentor).read()[0]
        self.assertEqual(values["mentor_id"][0], self.student_mentor.id)
        self.assertNotIn("application_id", values)
        self.assertNotIn("followup_count", values)
        self.assertNotIn("meeting_count", values)
        with mute_logger(*RULE_LOGGERS), self.assertRaises(AccessError):
            self.allocation.with_user(self.user_mentor).read(["application_id"])
        self.assertEqual(
            self.allocation.with_user(self.user_faculty).read(["application_id"])[0]["application_id"][0],
            self.application.id,
        )

    def test_portal_search_read_returns_only_own_records(self):
        """Whatever a portal user searches for, nothing of someone else comes back."""
        held, held_other = (
            self.meeting_held | self.meeting_held_unrated,
            self.meeting_held_other | self.meeting_held_other_unrated,
        )
        portal_users = {
            # a mentor finds no rating of their meetings: only the averages reach them
            self.user_mentor: {
                ALLOCATION: self.allocation,
                MEETING: self.meeting | held,
                FOLLOWUP: self.followup_mentor | self.followup_shared,
                GOAL: self.goal_mentor | self.goal_shared,
            },
            self.user_mentor_other: {
                ALLOCATION: self.allocation_other,
                MEETING: self.meeting_other | held_other,
                FOLLOWUP: self.followup_shared_other,
                GOAL: self.goal_shared_other,
            },
            self.user_mentee: {
                MEETING: self.meeting | held,
                FOLLOWUP: self.followup_shared,
                GOAL: self.goal_shared,
                RATING: self.rating,
            },
            self.user_mentee_other: {
                MEETING: self.meeting_other | held_other,
                FOLLOWUP: self.followup_shared_other,
                GOAL: self.goal_shared_other,
                RATING: self.rating_other,
            },
            self.user_student_other: {},
        }
        for user, own in portal_users.items():
            for model in MODELS:
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user).with_context(active_test=False)
                    try:
                        with mute_logger(*RULE_LOGGERS):
                            found = Model.search_read([], ["id"])
                    except AccessError:
                        found = []
                        self.assertNotIn(model, own)
                    self.assertEqual({r["id"] for r in found}, set(own.get(model, self.env[model]).ids))

    def test_faculty_reads_meetings_of_the_mentors_they_allocated(self):
        """The stored faculty of a meeting follows the host's active allocations: a mentor
        with allocations from two faculty is seen by both; archiving one, or changing the host, moves it."""
        Meeting = self.env[MEETING].with_user(self.user_faculty)
        # world A: the scheduled meeting and the two held ones of the pulse fixtures
        own = {self.meeting.id, self.meeting_held.id, self.meeting_held_unrated.id}
        other = {self.meeting_other.id, self.meeting_held_other.id, self.meeting_held_other_unrated.id}
        self.assertEqual(self.meeting.faculty_ids, self.faculty)
        self.assertEqual(set(Meeting.search([]).ids), own)
        # faculty A also allocates a (mentee-less) group to mentor B in another batch
        extra = self.env[ALLOCATION].create(
            {
                "mentor_id": self.student_mentor_other.id,
                "course_id": self.course.id,
                "batch_id": self.batch_b.id,
                "faculty_id": self.faculty.id,
            }
        )
        self.assertEqual(self.meeting_other.faculty_ids, self.faculty | self.faculty_other)
        self.assertEqual(set(Meeting.search([]).ids), own | other)
        self.assertEqual(self.meeting_other.with_user(self.user_faculty_other).meeting_name, "Other check-in")
        extra.active = False
        self.assertEqual(self.meeting_other.faculty_ids, self.faculty_other)
        self.assertEqual(set(Meeting.search([]).ids), own)
        # a new meeting (bulk or portal) and a host change carry the faculty along
        new = self._create_meeting(self.student_mentor_other, self.student_mentee_other, "New other")
        # searched before anything reads it: the rule sees the faculty still to be computed
        self.assertIn(new, self.env[MEETING].with_user(self.user_faculty_other).search([]))
        self.assertEqual(new.faculty_ids, self.faculty_other)
        new.write({"student_id": self.student_mentor.id, "meeting_students": [Command.set(self.student_mentee.ids)]})
        self.assertEqual(new.faculty_ids, self.faculty)
        self.assertIn(new, Meeting.search([]))

    def test_faculty_rule_follows_a_new_faculty_link(self):
        """The rule compares the meeting's faculty with the user's faculty records, cached per user:
        linking a user to a faculty record takes effect at once."""
        user = new_test_user(self.env, "faculty_new", groups="base.group_user,openeducat_core.group_op_faculty")
        Meeting = self.env[MEETING].with_user(user)
        self.assertFalse(Meeting.search([]))
        self.faculty_other.partner_id = user.partner_id
        hosted = self.env[MEETING].search([("student_id", "=", self.student_mentor_other.id)])
        self.assertIn(self.meeting_other, hosted)
        self.assertEqual(Meeting.search([]), hosted)

    def test_faculty_found_by_employee_user(self):
        """A faculty record may reach its user through its employee rather than its contact (OpenEduCat's
        two links): every faculty rule (one indexed faculty column against the user's faculty ids)
        grants that user the faculty's records, and moving the employee to another user moves them at once."""
        self.env[GOAL].create({"followup_id": self.followup_other.id, "name": "Unit tests", "indicator": "80%"})
        models = (DETAILS, ALLOCATION, MEETING, FOLLOWUP, GOAL, RATING, REPORT)
        expected = {model: self.env[model].with_user(self.user_faculty_other).search([]) for model in models}
        for model in models:
            self.assertTrue(expected[model], f"{model}: the fixtures give faculty B records")
        first = new_test_user(self.env, "faculty_emp1", groups="base.group_user,openeducat_core.group_op_faculty")
        second = new_test_user(self.env, "faculty_emp2", groups="base.group_user,openeducat_core.group_op_faculty")
        for model in models:
            self.assertFalse(self.env[model].with_user(first).search([]), f"{model}: not linked yet")
        employee = self.env["hr.employee"].create({"name": "Faculty B (employee)", "user_id": first.id})
        self.faculty_other.emp_id = employee
        for model in models:
            with self.subTest(model=model, user="employee's user"):
                self.assertEqual(self.env[model].with_user(first).search([]), expected[model])
        employee.user_id = second
        for model in models:
            with self.subTest(model=model, user="after the employee moved"):
                self.assertFalse(self.env[model].with_user(first).search([]))
                self.assertEqual(self.env[model].with_user(second).search([]), expected[model])

    @mute_logger(*RULE_LOGGERS)
    def test_faculty_reads_ratings_of_a_new_allocation_at_once(self):
        """The faculty rule on ratings reads the rated meeting's stored faculty_ids (as the meeting rule): an
        allocation created (or archived) in this transaction is seen by the very next search, not only once the
        pending recomputation of faculty_ids is flushed (Odoo does not flush a many2many used in a domain)."""
        Rating = self.env[RATING].with_user(self.user_faculty)
        self.assertEqual(Rating.search([]), self.rating)
        self.assertFalse(self.rating_other.with_user(self.user_faculty).has_access("read"))
        # faculty A also allocates a (mentee-less) group to mentor B: the very next search sees B's ratings
        extra = self.env[ALLOCATION].create(
            {
                "mentor_id": self.student_mentor_other.id,
                "course_id": self.course.id,
                "batch_id": self.batch_b.id,
                "faculty_id": self.faculty.id,
            }
        )
        self.assertEqual(Rating.search([]), self.rating | self.rating_other)
        self.assertEqual(Rating.search_count([("mentor_id", "=", self.student_mentor_other.id)]), 1)
        self.assertEqual(self.rating_other.with_user(self.user_faculty).read(["rating"])[0]["rating"], 5)
        self.assertEqual(self.env[RATING].with_user(self.user_faculty_other).search([]), self.rating_other)
        # archived: gone at once, also for a search that includes archived records
        extra.active = False
        self.assertEqual(Rating.search([]), self.rating)
        self.assertEqual(Rating.with_context(active_test=False).search([]), self.rating)
        with self.assertRaises(AccessError):
            self.rating_other.with_user(self.user_faculty).read(["rating"])


@tagged("post_install", "-at_install", "security")
class TestAccessHttp(MentorCommon, HttpCase):
    """The same refusals through the JSON-RPC endpoint a portal user can reach."""

    def _call_kw(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    @mute_logger("odoo.http", *RULE_LOGGERS)
    def test_portal_json_rpc(self):
        self.followup_other.sudo().visibility = "mentee"  # shared, but with another mentee
        self.authenticate("mentee", "menteexx")  # new_test_user: login padded to 8
        with self.assertRaises(JsonRpcException) as refusal:
            self._call_kw(DETAILS, "search_read", [], fields=["id"])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        # follow-ups: only those shared with this mentee (none yet), never the at-risk reason
        self.assertEqual(self._call_kw(FOLLOWUP, "search_read", [], fields=["id", "note_progress"]), [])
        self.assertEqual(self._call_kw(GOAL, "search_read", [], fields=["id"]), [])
        self.followup.sudo().visibility = "mentee"
        found = self._call_kw(FOLLOWUP, "search_read", [], fields=["id", "note_progress"])
        self.assertEqual([f["id"] for f in found], self.followup.ids)
        with self.assertRaises(JsonRpcException) as refusal:
            self._call_kw(FOLLOWUP, "read", self.followup.ids, fields=["at_risk_reason"])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException) as refusal:
            self._call_kw(FOLLOWUP, "write", self.followup.ids, {"note_progress": "Mine now."})
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        self.followup.sudo().visibility = "faculty"
        meetings = self._call_kw(MEETING, "search_read", [], fields=["id", "meeting_name"])
        self.assertEqual([m["id"] for m in meetings], self.meeting.ids)
        with self.assertRaises(JsonRpcException) as refusal:
            self._call_kw(MEETING, "read", self.meeting_other.ids, fields=["meeting_name", "meeting_link"])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")

        self.authenticate("mentor", "mentorxx")
        meetings = self._call_kw(
            MEETING, "search_read", [("id", "in", (self.meeting | self.meeting_other).ids)], fields=["id"]
        )
        self.assertEqual([m["id"] for m in meetings], self.meeting.ids)
        # faculty-only notes (the default) stay out of the mentor's reach
        self.assertEqual(self._call_kw(FOLLOWUP, "search_read", [], fields=["id", "feedback"]), [])
        with self.assertRaises(JsonRpcException) as refusal:
            self._call_kw(FOLLOWUP, "read", self.followup.ids, fields=["feedback"])
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        with self.assertRaises(JsonRpcException) as refusal:
            self._call_kw(MEETING, "write", self.meeting_other.ids, {"meeting_link": "https://evil.example.com"})
        self.assertEqual(str(refusal.exception), "odoo.exceptions.AccessError")
        self.assertEqual(self.meeting_other.meeting_link, "https://meet.example.com/other-check-in")


class TestPortalStudentRule(MentorSecurityCommon):
    """Portal students read their own op.student row (rule op_student_rule_portal_self), and of it only the
    fields the portal needs; nobody else's: not their mentor's nor their mentees' (op.student inherits
    res.partner, whose portal rule lets a student read their own partner only, and should: e-mail, phone
    and address of minors), the pages name those as superuser after the host / attendee check."""

    def test_portal_student_reads_self_only(self):
        everyone = (
            self.student_mentor
            | self.student_mentee
            | self.student_mentor_other
            | self.student_mentee_other
            | self.student_other
        )
        for user, student in (
            (self.user_mentor, self.student_mentor),
            (self.user_mentee, self.student_mentee),
            (self.user_student_other, self.student_other),
        ):
            with self.subTest(user=user.login):
                Student = self.env["op.student"].with_user(user)
                self.assertEqual(Student.search([]), student)
                self.assertEqual(Student.search([("id", "in", everyone.ids)]), student)
                self.assertEqual(
                    Student.browse(student.id).read(["name", "is_mentor"]),
                    [{"id": student.id, "name": student.name, "is_mentor": student.is_mentor}],
                )
                for other in everyone - student:  # their mentor, their mentees, any other student
                    with self.assertRaises(AccessError):
                        Student.browse(other.id).read(["name"])
                # of their own row, not the faculty's part nor OpenEduCat's personal data
                for field_name in ("mentor_at_risk_reason", "mentor_at_risk", "birth_date", "email"):
                    with self.assertRaises(AccessError):
                        Student.browse(student.id).read([field_name])
                self.assertEqual(
                    sorted(Student.browse(student.id).read()[0]),
                    ["active", "display_name", "id", "is_mentor", "name", "partner_id", "user_id"],
                )
                with self.assertRaises(AccessError):
                    Student.browse(student.id).write({"weekly_study_hours": 3})
