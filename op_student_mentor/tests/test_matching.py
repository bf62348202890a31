from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMatching(MentorCommon):
    """Matching on the exam results, on a batch of its own: three subjects, two approved mentors
    with two places each, five students who need help (one only flagged at risk)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Subject = cls.env["op.subject"]
        cls.programming = Subject.create({"name": "Programming Fundamentals", "code": "MPF"})
        cls.databases = Subject.create({"name": "Database Systems", "code": "MDB"})
        cls.networks = Subject.create({"name": "Networks", "code": "MNW"})
        cls.mbatch = cls._create_batch("CS-MATCH", cls.course)
        cls.exams = cls._create_subject_exams(cls.mbatch, cls.programming | cls.databases | cls.networks)
        cls.students = {}
        for key, first, marks in (
            ("maya", "Mara", (95, 50, 85)),
            ("noah", "Nico", (70, 92, 60)),
            ("ann", "Ann", (30, 70, 70)),
            ("ben", "Ben", (70, 20, 70)),
            ("cat", "Cat", (35, 35, 70)),
            ("dan", "Dan", (25, 60, 60)),
            ("eve", "Eve", (60, 60, 60)),
            ("fay", "Fay", (85, 85, 85)),
        ):
            _user, student = cls._create_student(f"m_{key}", first, "Match", cls.mbatch, portal=False)
            cls._create_results(student, dict(zip(cls.exams.values(), marks, strict=True)))
            cls.students[key] = student
        s = cls.students
        s["eve"].sudo().write({"mentor_at_risk": True, "mentor_at_risk_reason": "Missed three sessions"})
        cls.app_maya = cls._create_application(s["maya"], s["maya"].browse(), batch=cls.mbatch)
        cls.app_noah = cls._create_application(s["noah"], s["noah"].browse(), batch=cls.mbatch)
        (cls.app_maya | cls.app_noah).with_user(cls.user_admin).action_submit()
        (cls.app_maya | cls.app_noah).with_user(cls.user_admin).action_approve()
        (s["maya"] | s["noah"]).with_user(cls.user_admin).write({"mentor_capacity": 2})
        cls.Matching = cls.env["op.mentor.matching"]

    def _propose(self, user=None):
        wizard = (
            self.env["op.mentor.match.wizard"].with_user(user or self.user_admin).create({"batch_id": self.mbatch.id})
        )
        wizard.action_propose()
        return wizard

    def _pairs(self, wizard):
        return [(line.mentor_id, line.student_id) for line in wizard.line_ids]

    def _allocations(self):
        allocations = self.env["op.mentor.allocation"].search([("batch_id", "=", self.mbatch.id)], order="id")
        return {
            (a.mentor_id.id, a.application_id.id, a.faculty_id.id, frozenset(a.student_ids.ids)) for a in allocations
        }

    # ------------------------------------------------------------
    # STANDINGS
    # ------------------------------------------------------------

    def test_standings_per_subject(self):
        rows = (
            self.env["op.mentor.subject.standing"]
            .with_user(self.user_admin)
            .search([("batch_id", "=", self.mbatch.id), ("subject_id", "=", self.programming.id)])
        )
        by_student = {row.student_id: row for row in rows}
        s = self.students
        self.assertEqual(len(rows), 8, "one row per student with a result")
        self.assertEqual(by_student[s["maya"]].rank, 1)
        self.assertEqual(by_student[s["maya"]].standing, "strong")
        self.assertEqual(by_student[s["ann"]].percentage, 30.0)
        self.assertEqual(by_student[s["ann"]].standing, "need", "30 % is below the passing marks (40 %)")
        self.assertEqual(by_student[s["eve"]].standing, "neither")
        self.assertEqual(by_student[s["dan"]].rank, 8)
        self.assertFalse(
            self.env["op.mentor.subject.standing"]
            .search([("student_id", "=", self.student_other.id)])
            .filtered(lambda r: r.batch_id == self.mbatch),
            "no result in the batch: neither strong nor in need",
        )

    def test_latest_result_counts(self):
        later = self._create_subject_exams(self.mbatch, self.programming)
        later[self.programming].write({"start_time": "2026-09-20 09:00:00", "end_time": "2026-09-20 11:00:00"})
        self._create_results(self.students["ann"], {later[self.programming]: 75})
        row = self.env["op.mentor.subject.standing"].search(
            [("student_id", "=", self.students["ann"].id), ("subject_id", "=", self.programming.id)]
        )
        self.assertEqual(row.percentage, 75.0)
        self.assertFalse(row.needs_help)

    def test_thresholds_from_settings(self):
        Standing = self.env["op.mentor.subject.standing"]
        domain = [("student_id", "=", self.students["ben"].id), ("subject_id", "=", self.programming.id)]
        self.assertFalse(Standing.search(domain).needs_help, "70 % passes the exam's 40 %")
        settings = self.env["res.config.settings"].create(
            {"mentor_match_need_threshold": 75.0, "mentor_match_strong_threshold": 90.0}
        )
        settings.execute()
        self.env.invalidate_all()
        self.assertTrue(Standing.search(domain).needs_help, "below the 75 % of the settings")
        maya = Standing.search([("student_id", "=", self.students["maya"].id), ("subject_id", "=", self.networks.id)])
        self.assertFalse(maya.strong, "85 % is below the strong threshold of 90 %")

    # ------------------------------------------------------------
    # MATCH THE BATCH
    # ------------------------------------------------------------

    def test_match_batch_gives_weak_students_strong_mentors(self):
        wizard = self._propose()
        s = self.students
        pairs = {student: mentor for mentor, student in self._pairs(wizard)}
        self.assertEqual(pairs[s["ann"]], s["maya"], "Ann failed Programming, Mara topped it")
        self.assertEqual(pairs[s["ben"]], s["noah"], "Ben failed Databases, Nico topped it")
        self.assertEqual(len(pairs), 4, "four places for five students in need")
        self.assertNotIn(s["eve"], pairs, "at risk without a weak subject: served after those who failed")
        for line in wizard.line_ids:
            self.assertGreater(line.score, 0)
            self.assertIn("%", line.reasons)
        line = wizard.line_ids.filtered(lambda line: line.student_id == s["ann"])
        self.assertEqual(line.reasons, "Programming Fundamentals: 30 % — Mara 95 %")
        self.assertEqual(wizard.needing_count, 5)
        self.assertEqual(wizard.free_places, 4)

    def test_match_batch_respects_capacity_batches_and_self(self):
        # A third mentor in another batch, and Fay (strong everywhere) approved here with one place.
        self.students["fay"].with_user(self.user_admin).write({"mentor_capacity": 1})
        app = self._create_application(self.students["fay"], self.students["fay"].browse(), batch=self.mbatch)
        app.with_user(self.user_admin).action_submit()
        app.with_user(self.user_admin).action_approve()
        wizard = self._propose()
        loads = {}
        enrolled = self.mbatch.ids
        for mentor, student in self._pairs(wizard):
            self.assertNotEqual(mentor, student)
            self.assertIn(self.mbatch, student.course_detail_ids.batch_id)
            self.assertIn(self.mbatch, mentor.mentor_application_ids.filtered(lambda a: a.status == "approve").batch_id)
            loads[mentor] = loads.get(mentor, 0) + 1
        self.assertTrue(enrolled)
        for mentor, load in loads.items():
            self.assertLessEqual(load + mentor.mentor_mentee_count, mentor.mentor_capacity_limit)
        self.assertEqual(len(wizard.line_ids), 5, "five places now: everyone in need is matched")
        self.assertNotIn(self.student_mentor, [m for m, _s in self._pairs(wizard)], "a mentor of another batch")

    def test_same_data_same_proposal(self):
        first = [(line.mentor_id.id, line.student_id.id, line.score) for line in self._propose().line_ids]
        second = [(line.mentor_id.id, line.student_id.id, line.score) for line in self._propose().line_ids]
        self.assertTrue(first)
        self.assertEqual(first, second)

    def test_apply_equals_by_hand(self):
        wizard = self._propose()
        pairs = [(line.mentor_id, line.student_id) for line in wizard.line_ids]
        before = self._allocations()
        with self.env.cr.savepoint() as savepoint:
            wizard.with_user(self.user_admin).action_apply()
            applied = self._allocations()
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertEqual(self._allocations(), before)
        Allocation = self.env["op.mentor.allocation"].with_user(self.user_admin)
        for mentor, student in pairs:
            allocation = Allocation.search([("batch_id", "=", self.mbatch.id), ("mentor_id", "=", mentor.id)])
            allocation.write({"student_ids": [Command.link(student.id)]})
        self.assertEqual(self._allocations(), applied)
        self.assertNotEqual(applied, before)

    def test_apply_checks_capacity_and_notifies(self):
        wizard = self._propose()
        maya_line = wizard.line_ids.filtered(lambda line: line.mentor_id == self.students["maya"])[:1]
        # A mentor of another batch, set by hand: refused, never across batches.
        maya_line.mentor_id = self.student_mentor
        with self.assertRaises(UserError):
            wizard.with_user(self.user_admin).action_apply()
        maya_line.mentor_id = self.students["maya"]
        # Edited by hand: every pair to Mara, above her limit of 2: refused, nothing written.
        wizard.line_ids.write({"mentor_id": self.students["maya"].id})
        before = self._allocations()
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            wizard.with_user(self.user_admin).action_apply()
        self.env.invalidate_all()
        self.assertEqual(self._allocations(), before)
        # Two lines only: applied, and the nominating faculty hears of it.
        (wizard.line_ids - maya_line)[1:].unlink()
        with self.mock_mail_app():
            wizard.with_user(self.user_admin).action_apply()
        allocation = self.app_maya.allocation_ids
        self.assertEqual(len(allocation.student_ids), 2)
        self.assertIn(self.faculty.partner_id, self._new_msgs.notification_ids.res_partner_id)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_faculty_cannot_match_a_batch(self):
        with self.assertRaises(AccessError):
            self._propose(user=self.user_faculty)
        wizard = self._propose()
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_faculty).action_apply()
        with self.assertRaises(AccessError):
            self.Matching.with_user(self.user_faculty)._check_admin()

    def test_match_batch_query_count_does_not_grow(self):
        def count(batch):
            wizard = self.env["op.mentor.match.wizard"].with_user(self.user_admin).create({"batch_id": batch.id})
            self.env.flush_all()  # what is pending is not the proposal's
            self.env.invalidate_all()
            self.env.registry.clear_cache()  # both measured cold (record rules, settings): the same start
            start = self.env.cr.sql_log_count
            wizard.action_propose()
            self.env.flush_all()
            return self.env.cr.sql_log_count - start, len(wizard.line_ids)

        small, lines_small = count(self.mbatch)
        # The same batch with three times as many students in need and mentors.
        for i in range(10):
            _user, student = self._create_student(f"m_more{i}", f"More{i}", "Match", self.mbatch, portal=False)
            self._create_results(
                student, dict(zip(self.exams.values(), (20 + i, 30, 95 if i < 3 else 50), strict=True))
            )
            if i < 3:
                app = self._create_application(student, student.browse(), batch=self.mbatch)
                app.with_user(self.user_admin).action_submit()
                app.with_user(self.user_admin).action_approve()
        large, lines_large = count(self.mbatch)
        self.assertGreater(lines_large, lines_small)
        self.assertEqual(large, small, "the proposal's queries do not grow with the batch")
        self.assertLessEqual(small, 25, "cold caches included, a few queries: the batch is read in bulk")

    # ------------------------------------------------------------
    # SUGGEST MENTEES
    # ------------------------------------------------------------

    def test_suggest_mentees_on_own_application(self):
        s = self.students
        application = self._create_application(s["fay"], s["fay"].browse(), batch=self.mbatch)
        s["fay"].with_user(self.user_admin).write({"mentor_capacity": 3})
        application.with_user(self.user_faculty).action_suggest_mentees()
        # Fay is strong in the three subjects: the largest benefits first (Cat in two subjects, then Ben 20 %,
        # Dan 25 %; not Ann 30 %), Eve not (at risk, no weak subject), never Fay herself.
        self.assertEqual(application.student_detail_ids, s["cat"] | s["ben"] | s["dan"])
        reasons = application.with_user(self.user_faculty).mentee_match_reasons
        self.assertIn("Programming Fundamentals: 25 % — Fay 85 %", reasons)
        # The faculty removes one and adds another; a second click fills the free place again.
        application.with_user(self.user_faculty).write({"student_detail_ids": [Command.unlink(s["dan"].id)]})
        application.with_user(self.user_faculty).action_suggest_mentees()
        self.assertEqual(application.student_detail_ids, s["cat"] | s["ben"] | s["dan"], "Dan is still the best")

    def test_suggest_mentees_focus_subjects_and_allocated(self):
        s = self.students
        self.app_maya.allocation_ids.with_user(self.user_admin).write({"student_ids": [Command.link(s["cat"].id)]})
        application = self._create_application(
            s["fay"], s["fay"].browse(), batch=self.mbatch, mentor_focus_subject_ids=[Command.set(self.databases.ids)]
        )
        application.with_user(self.user_faculty).action_suggest_mentees()
        self.assertEqual(application.student_detail_ids, s["ben"], "Databases only; Cat already has a mentor")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_suggest_mentees_refusals(self):
        application = self._create_application(self.students["fay"], self.students["fay"].browse(), batch=self.mbatch)
        with self.assertRaises(AccessError):
            application.with_user(self.user_faculty_other).action_suggest_mentees()
        self.students["fay"].with_user(self.user_admin).write({"mentor_capacity": 1})
        application.student_detail_ids = self.students["ann"]
        with self.assertRaises(UserError):
            application.with_user(self.user_faculty).action_suggest_mentees()

    # ------------------------------------------------------------
    # FIND A MENTOR
    # ------------------------------------------------------------

    def test_find_a_mentor_and_add(self):
        ann = self.students["ann"]
        Wizard = self.env["op.mentor.find.wizard"].with_user(self.user_faculty)
        wizard = Wizard.with_context(default_student_id=ann.id).create({})
        self.assertEqual(wizard.line_ids[0].mentor_id, self.students["maya"])
        self.assertLessEqual(len(wizard.line_ids), 3)
        self.assertEqual(wizard.line_ids[0].reasons, "Programming Fundamentals: 30 % — Mara 95 %")
        with self.mock_mail_app():
            wizard.line_ids[0].action_add()
        # The allocation's chatter says it (its faculty added the student: Odoo notifies no one of their own act).
        self.assertIn(
            "Ann Match", "".join(self._new_msgs.filtered(lambda m: m.model == "op.mentor.allocation").mapped("body"))
        )
        self.assertIn(ann, self.app_maya.allocation_ids.student_ids)
        again = Wizard.with_context(default_student_id=ann.id).create({})
        self.assertFalse(again.line_ids, "Ann has a mentor in her batch now")
        self.assertTrue(again.message)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_find_a_mentor_roles(self):
        ann = self.students["ann"]
        with self.assertRaises(AccessError):
            self.env["op.mentor.find.wizard"].with_user(self.user_faculty_other).with_context(
                default_student_id=ann.id
            ).create({})
        with self.assertRaises(AccessError):
            self.env["op.mentor.find.wizard"].with_user(self.user_mentor).with_context(
                default_student_id=ann.id
            ).create({})

    # ------------------------------------------------------------
    # UNMATCHED STUDENTS, ACCESS
    # ------------------------------------------------------------

    def test_unmatched_report(self):
        Report = self.env["op.mentor.unmatched.report"].with_user(self.user_admin)
        rows = Report.search([("batch_id", "=", self.mbatch.id)])
        mentees = rows.filtered(lambda r: r.kind == "mentee")
        self.assertEqual(
            mentees.student_id,
            self.students["ann"]
            | self.students["ben"]
            | self.students["cat"]
            | self.students["dan"]
            | self.students["eve"],
        )
        mentors = rows.filtered(lambda r: r.kind == "mentor")
        self.assertEqual(
            {(r.student_id, r.free_places) for r in mentors}, {(self.students["maya"], 2), (self.students["noah"], 2)}
        )
        cat = mentees.filtered(lambda r: r.student_id == self.students["cat"])
        self.assertEqual((cat.need_count, cat.weakest_percentage), (2, 35.0))
        self._propose().with_user(self.user_admin).action_apply()
        self.env.invalidate_all()
        rows = Report.search([("batch_id", "=", self.mbatch.id)])
        self.assertEqual(rows.student_id, self.students["eve"], "matched: only Eve waits, no mentor has a place")
        # Faculty read the batches of their program; faculty of another program nothing.
        self.assertTrue(self.env["op.mentor.unmatched.report"].with_user(self.user_faculty).search([]))
        self.assertFalse(
            self.env["op.mentor.unmatched.report"]
            .with_user(self.user_faculty_other)
            .search([("batch_id", "=", self.mbatch.id)])
        )

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_students_never_see_scores(self):
        for user in (self.user_mentor, self.user_mentee, self.user_student_other):
            for model in ("op.mentor.subject.standing", "op.mentor.unmatched.report", "op.mentor.match.wizard"):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["op.mentor.details"].with_user(user).search([]).mentee_match_reasons  # noqa: B018
        self.assertFalse(
            self.env["op.mentor.subject.standing"]
            .with_user(self.user_faculty_other)
            .search([("batch_id", "=", self.mbatch.id)]),
            "a faculty of another program reads no standing",
        )
        self.assertTrue(
            self.env["op.mentor.subject.standing"]
            .with_user(self.user_faculty)
            .search([("batch_id", "=", self.mbatch.id)])
        )


# Access rights of the matching's models per role, as readme/ROLES.md states them: r read,
# c create, w write, d delete. The record rules (a faculty's program) are tested in TestMatching.
MATCH_ACCESS = {
    "user_admin": {"standing": "r", "unmatched": "r", "match": "rcwd", "match_line": "rcwd", "find": "rcwd"},
    "user_faculty": {"standing": "r", "unmatched": "r", "match": "", "match_line": "", "find": "rcwd"},
    "user_mentor": {},
    "user_mentee": {},
    "user_student_other": {},
}
MATCH_MODELS = {
    "standing": "op.mentor.subject.standing",
    "unmatched": "op.mentor.unmatched.report",
    "match": "op.mentor.match.wizard",
    "match_line": "op.mentor.match.wizard.line",
    "find": "op.mentor.find.wizard",
}


@tagged("post_install", "-at_install")
class TestMatchingAccess(MentorCommon):
    def test_access_matrix(self):
        operations = {"r": "read", "c": "create", "w": "write", "d": "unlink"}
        for user_attr, rights in MATCH_ACCESS.items():
            user = getattr(self, user_attr)
            for key, model in MATCH_MODELS.items():
                for letter, operation in operations.items():
                    with self.subTest(user=user.login, model=model, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(user).has_access(operation),
                            letter in rights.get(key, ""),
                        )
