from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import MentorCommon


@tagged("post_install", "-at_install")
class TestMentorPractice(MentorCommon):
    """The mentoring guides' practice: funding profiles, session types, agendas."""

    def _meeting_vals(self, mentees=None, **vals):
        return {
            "meeting_name": "Weekly session",
            "meeting_link": "https://meet.example.com/weekly",
            "date": datetime(2031, 1, 15, 13, 0),
            "student_id": self.student_mentor.id,
            "meeting_students": [Command.set((mentees or self.student_mentee).ids)],
            **vals,
        }

    def _fund(self, student, funding_type="apprenticeship", end=date(2027, 6, 30)):
        student.write({"mentor_funding_type": funding_type, "training_end_date": end})

    # ------------------------------------------------------------
    # Funding profile and session length
    # ------------------------------------------------------------

    def test_funded_student_needs_training_end_date(self):
        self.assertEqual(self.student_mentee.mentor_funding_type, "self_funded")
        self.assertFalse(self.student_mentee.mentor_is_funded)
        for funding_type in ("apprenticeship", "employee", "social_program"):
            with (
                self.subTest(funding_type=funding_type),
                self.assertRaisesRegex(ValidationError, "set the training end date"),
                self.env.cr.savepoint(),
            ):
                self.student_mentee.write({"mentor_funding_type": funding_type, "training_end_date": False})
        self._fund(self.student_mentee, "social_program")
        self.assertTrue(self.student_mentee.mentor_is_funded)

    def test_duration_defaults_by_funding_type(self):
        Meeting = self.env["op.mentor.meeting"]
        self.assertEqual(Meeting.create(self._meeting_vals()).duration, 30)
        self._fund(self.student_mentee, "employee")
        self.assertEqual(Meeting.create(self._meeting_vals()).duration, 45)
        self.assertEqual(Meeting.create(self._meeting_vals(duration=60)).duration, 60, "an explicit length wins")
        self.assertEqual(Meeting.create(self._meeting_vals(meeting_students=[])).duration, 30, "no mentee: 30")

    def test_duration_follows_settings(self):
        settings = self.env["res.config.settings"].create(
            {"mentor_duration_self_funded": 25, "mentor_duration_funded": 50}
        )
        settings.execute()
        company = self.env.company  # the school's policy
        self.assertEqual((company.mentor_duration_self_funded, company.mentor_duration_funded), (25, 50))
        Meeting = self.env["op.mentor.meeting"]
        self.assertEqual(Meeting.create(self._meeting_vals()).duration, 25)
        self._fund(self.student_mentee)
        self.assertEqual(Meeting.create(self._meeting_vals()).duration, 50)

    def test_meeting_form_duration_follows_mentee(self):
        self._fund(self.student_mentee)
        form = Form(self.env["op.mentor.meeting"])
        form.meeting_name = "First session"
        form.meeting_link = "https://meet.example.com/first"
        form.date = datetime(2031, 1, 15, 13, 0)
        form.student_id = self.student_mentor
        self.assertEqual(form.duration, 30)
        form.meeting_students.add(self.student_mentee)
        self.assertEqual(form.duration, 45)
        self.assertIn("(35 min)", form.description, "the agenda follows the new length")
        meeting = form.save()
        self.assertEqual(meeting.duration, 45)

    # ------------------------------------------------------------
    # Session types and agenda
    # ------------------------------------------------------------

    def test_discovery_until_a_session_took_place(self):
        self.assertEqual(self.meeting.session_type, "discovery", "no session held yet with this mentee")
        Meeting = self.env["op.mentor.meeting"]
        self.assertEqual(Meeting.create(self._meeting_vals()).session_type, "discovery")
        self._mark_done(self.meeting)
        self.assertEqual(Meeting.create(self._meeting_vals()).session_type, "regular")
        self.assertEqual(self.meeting.session_type, "discovery", "the done session keeps its type")
        self.assertEqual(Meeting.create(self._meeting_vals(session_type="review")).session_type, "review")
        # Another mentor's first session with their own mentee is a discovery still.
        other = Meeting.create(
            self._meeting_vals(student_id=self.student_mentor_other.id, mentees=self.student_mentee_other)
        )
        self.assertEqual(other.session_type, "discovery")

    def test_agenda_prefilled_with_guide_structure(self):
        Meeting = self.env["op.mentor.meeting"]
        agenda = Meeting.create(self._meeting_vals(session_type="regular")).description
        self.assertIn("Catch-up (5 min)", agenda)
        self.assertIn("Progress and feedback (20 min)", agenda)
        self.assertIn("New SMART goals (5 min)", agenda)
        self.assertNotIn("funding deadline", agenda)
        self._fund(self.student_mentee)
        agenda = Meeting.create(self._meeting_vals(description="")).description
        self.assertIn("Progress and feedback (35 min)", agenda)
        self.assertIn("funding deadline", agenda, "funded students check the calendar")
        self.assertIn("Discovery session", agenda)
        own = Meeting.create(self._meeting_vals(description="Review the slides."))
        self.assertEqual(own.description, "Review the slides.", "a written agenda is kept")
        own.duration = 60
        self.assertEqual(own.description, "Review the slides.")

    def test_reschedule_keeps_type_length_and_agenda(self):
        self.meeting.write({"duration": 50, "session_type": "qa", "description": "Questions on recursion."})
        new = self.meeting._action_reschedule(datetime.now() + timedelta(days=10))
        self.assertEqual((new.duration, new.session_type, new.description), (50, "qa", "Questions on recursion."))

    # ------------------------------------------------------------
    # SMART goals
    # ------------------------------------------------------------

    def _goal(self, followup=None, **vals):
        return self.env["op.mentor.goal"].create(
            {"followup_id": (followup or self.followup).id, "name": "Compare 3 web technologies", **vals}
        )

    def test_goal_deadline_defaults_to_next_session(self):
        goal = self._goal(indicator="Comparison table with weighted criteria")
        self.assertEqual(goal.deadline, self.meeting.date.date(), "the next scheduled meeting with the mentee")
        self.assertEqual(goal.student_id, self.student_mentee)
        self.meeting._action_cancel("illness")
        with freeze_time("2031-03-02"):
            goal = self._goal()
            self.assertEqual(goal.deadline, date(2031, 3, 9), "no session planned: a week")
        self.assertEqual(self._goal(deadline=date(2031, 5, 1)).deadline, date(2031, 5, 1))

    def test_goal_smart_flag(self):
        self.assertFalse(self._goal().is_smart, "no measurable indicator")
        goal = self._goal(indicator="80% of the Vue.js course")
        self.assertTrue(goal.is_smart)
        goal.deadline = False
        self.assertFalse(goal.is_smart, "no deadline")

    def test_goals_to_review_and_carry_over(self):
        done = self._goal(indicator="Slides", state="achieved")
        open_goal = self._goal(indicator="First version of deliverable 2")
        Followup = self.env["op.mentor.followup"]
        later = Followup.create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_date": date.today() + timedelta(days=7),
            }
        )
        self.assertEqual(later.previous_goal_ids, open_goal, "only the open goals of the last follow-up")
        self.assertFalse(self.followup.previous_goal_ids)
        copy = open_goal.with_context(carry_to_followup_id=later.id).action_carry_over()
        self.assertEqual(open_goal.state, "carried_over")
        self.assertEqual(done.state, "achieved")
        self.assertEqual(copy.followup_id, later)
        self.assertEqual((copy.name, copy.indicator, copy.state), (open_goal.name, open_goal.indicator, "open"))
        self.assertEqual(copy.carried_from_id, open_goal)
        self.assertFalse(later.previous_goal_ids, "reviewed")
        with self.assertRaises(UserError):
            open_goal.action_carry_over()

    def test_carry_all_over_from_the_followup(self):
        goals = self._goal(indicator="A") | self._goal(indicator="B")
        later = self.env["op.mentor.followup"].create(
            {"student_id": self.student_mentee.id, "allocation_id": self.allocation.id}
        )
        later.meeting_date = date.today() + timedelta(days=1)
        later.action_carry_over_goals()
        self.assertEqual(set(goals.mapped("state")), {"carried_over"})
        self.assertEqual(sorted(later.goal_ids.mapped("indicator")), ["A", "B"])

    def test_faculty_works_on_goals_of_own_followups_only(self):
        goal = self._goal(indicator="Slides").with_user(self.user_faculty)
        goal.state = "partly"
        self.env["op.mentor.goal"].with_user(self.user_faculty).create(
            {"followup_id": self.followup.id, "name": "Unit tests", "indicator": "80% coverage"}
        )
        other = self._goal(self.followup_other)
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_rule"):
            other.with_user(self.user_faculty).read(["name"])
        # mentors and mentees read goals by note visibility only (test_note_visibility_*)
        self.assertFalse(self.env["op.mentor.goal"].with_user(self.user_mentor).search([]), "faculty-only by default")
        self.assertFalse(self.env["op.mentor.goal"].with_user(self.user_mentee).search([]))

    def test_goals_followed_across_mentees(self):
        """Faculty follow their mentees' goals in Mentorship > SMART Goals: open ones by default, overdue ones."""
        menu = self.env.ref("op_student_mentor.op_mentor_goal_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.user_faculty)._visible_menu_ids())
        action = self.env.ref("op_student_mentor.op_mentor_goal_action")
        Goal = self.env["op.mentor.goal"].with_user(self.user_faculty)
        views = Goal.get_views([(False, v) for v in action.view_mode.split(",")] + [(False, "search")])
        search = etree.fromstring(views["views"]["search"]["arch"])
        filters = {f.get("name"): f.get("domain") for f in search.iter("filter") if f.get("domain")}
        self.assertIn("search_default_open", action.context)
        late = self._goal(indicator="Slides", deadline=date(2031, 3, 1))
        self._goal(indicator="Report", deadline=date(2031, 3, 20))
        self._goal(indicator="Demo", deadline=date(2031, 2, 1), state="achieved")
        self._goal(self.followup_other, indicator="Other faculty's mentee", deadline=date(2031, 2, 1))
        with freeze_time("2031-03-10"):
            overdue = safe_eval(filters["overdue"], {"context_today": lambda: date.today()})
            self.assertEqual(Goal.search(overdue), late, "open, past its deadline, of the faculty's own mentees")
        self.assertEqual(Goal.search(safe_eval(filters["not_smart"])), Goal.browse())
        late.with_user(self.user_faculty).action_set_achieved()
        self.assertEqual(late.state, "achieved")

    # ------------------------------------------------------------
    # Session notes and schedule status
    # ------------------------------------------------------------

    def test_schedule_status(self):
        # Batch 2026-01-01 to 2027-12-31: mid-2026 is about a quarter of the calendar.
        self.followup.meeting_date = date(2026, 7, 2)
        for progress, status in ((25, "on_track"), (40, "ahead"), (10, "behind"), (34, "on_track")):
            self.followup.project_progress = progress
            self.assertEqual(self.followup.schedule_status, status, f"{progress}%")
        # A funded student's calendar ends at their training end date: half-way through.
        self._fund(self.student_mentee, end=date(2026, 12, 31))
        self.followup.project_progress = 25
        self.assertEqual(self.followup.schedule_status, "behind")
        self.followup.project_progress = 50
        self.assertEqual(self.followup.schedule_status, "on_track")
        with self.assertRaises(ValidationError):
            self.followup.project_progress = 101

    def test_structured_notes(self):
        self.followup.write(
            {
                "note_catch_up": "Moved house, less time this week.",
                "note_progress": "Deliverable 1 done; feedback on naming.",
                "note_obstacles": "Stuck on recursion.",
                "on_track_training": "unsure",
            }
        )
        self.assertFalse(self.followup.student_is_funded, "the calendar question is hidden for self-funded")
        self._fund(self.student_mentee)
        self.assertTrue(self.followup.student_is_funded)

    # ------------------------------------------------------------
    # At-risk alert
    # ------------------------------------------------------------

    def _at_risk_activities(self, student=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "op.student"),
                ("res_id", "=", (student or self.student_mentee).id),
                ("activity_type_id", "=", self.env.ref("op_student_mentor.mail_act_mentor_at_risk").id),
            ]
        )

    def test_two_missed_followups_flag_at_risk(self):
        admins = self.env.ref("op_student_mentor.group_op_mentor_admin").users.filtered(
            lambda u: u.active and not u.share
        )
        self.followup.action_schedule()
        self.followup.with_user(self.user_faculty).action_missed()
        self.assertFalse(self.student_mentee.mentor_at_risk, "one miss is not a pattern")
        second = self.env["op.mentor.followup"].create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_date": date.today() + timedelta(days=7),
            }
        )
        second.action_schedule()
        second.with_user(self.user_faculty).action_missed()
        self.assertTrue(self.student_mentee.mentor_at_risk)
        self.assertIn("Two follow-ups missed", self.student_mentee.mentor_at_risk_reason)
        activities = self._at_risk_activities()
        self.assertEqual(activities.user_id, admins, "the default Student Success team: mentorship administrators")
        self.assertIn(self.user_admin, activities.user_id)
        self.assertFalse(self._at_risk_activities(self.student_mentee_other))

    def test_two_missed_or_cancelled_meetings_flag_at_risk(self):
        """Two meetings in a row cancelled (or missed) for a mentee raise the alert; a held one in between resets it."""
        self.assertEqual(self.env["op.mentor.meeting"]._mentor_missed_statuses() & {"cancel"}, {"cancel"})
        first = self.meeting
        second = self._create_meeting(self.student_mentor, self.student_mentee, "Second", days=10)
        third = self._create_meeting(self.student_mentor, self.student_mentee, "Third", days=17)
        self._mark_done(first, self.user_mentor)
        second.with_user(self.user_mentor)._action_cancel("illness")
        self.assertFalse(self.student_mentee.mentor_at_risk, "one cancelled meeting is not a pattern")
        # a rescheduled meeting is replaced, not missed: it neither counts nor breaks the row
        fourth = self._create_meeting(self.student_mentor, self.student_mentee, "Fourth", days=20)
        fourth.with_user(self.user_mentor)._action_reschedule(fourth.date + timedelta(days=1))
        self.assertFalse(self.student_mentee.mentor_at_risk)
        third.with_user(self.user_mentor)._action_cancel("mentee_unavailable")  # as the portal mentor
        self.assertTrue(self.student_mentee.mentor_at_risk)
        self.assertIn("Two meetings missed or cancelled in a row", self.student_mentee.mentor_at_risk_reason)
        self.assertTrue(self._at_risk_activities())
        self.assertFalse(self.student_mentee_other.mentor_at_risk, "another mentee's meetings count apart")

    def test_cancelled_meetings_with_a_held_one_between_do_not_flag(self):
        second = self._create_meeting(self.student_mentor, self.student_mentee, "Second", days=10)
        third = self._create_meeting(self.student_mentor, self.student_mentee, "Third", days=17)
        self.meeting._action_cancel("illness")
        self._mark_done(second)
        third._action_cancel("illness")
        self.assertFalse(self.student_mentee.mentor_at_risk)
        self.assertFalse(self._at_risk_activities())

    def test_missed_then_cancelled_meetings_flag_at_risk(self):
        """A no-show counts like a cancellation."""
        self.assertIn("missed", self.env["op.mentor.meeting"]._mentor_missed_statuses())
        past = (
            self.env["op.mentor.meeting"]
            .with_context(no_mail_to_attendees=True)
            .create(self._meeting_vals(date=datetime.now().replace(microsecond=0) - timedelta(days=7)))
        )
        past.with_user(self.user_mentor)._action_mark_missed("mentee_no_show")
        self.assertFalse(self.student_mentee.mentor_at_risk)
        self.meeting.with_user(self.user_mentor)._action_cancel("mentee_unavailable")
        self.assertTrue(self.student_mentee.mentor_at_risk)

    # ------------------------------------------------------------
    # Note visibility
    # ------------------------------------------------------------

    def test_note_visibility_defaults(self):
        self.assertEqual(self.followup.visibility, "faculty", "follow-ups are internal until shared")
        goal = self._goal()
        self.assertEqual(goal.visibility, "faculty", "a goal takes its follow-up's level")
        self.followup.visibility = "mentee"
        self.assertEqual(self._goal().visibility, "mentee")
        self.assertEqual(goal.visibility, "faculty", "a goal keeps its own level")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_note_visibility_per_role(self):
        """Faculty-only / mentor and faculty / shared with the mentee, as each role reads and writes them."""
        Followup = self.env["op.mentor.followup"]
        by_level = {
            level: Followup.create(
                {"student_id": self.student_mentee.id, "allocation_id": self.allocation.id, "visibility": level}
            )
            for level in ("faculty", "mentor", "mentee")
        }
        goals = {level: self._goal(followup) for level, followup in by_level.items()}
        readers = {
            self.user_admin: {"faculty", "mentor", "mentee"},
            self.user_faculty: {"faculty", "mentor", "mentee"},
            self.user_faculty_other: set(),
            self.user_mentor: {"mentor", "mentee"},
            self.user_mentor_other: set(),
            self.user_mentee: {"mentee"},
            self.user_mentee_other: set(),
            self.user_student_other: set(),
        }
        for user, levels in readers.items():
            for level in ("faculty", "mentor", "mentee"):
                for record in (by_level[level], goals[level]):
                    with self.subTest(user=user.login, level=level, model=record._name):
                        found = record.with_user(user).search([("id", "=", record.id)])
                        self.assertEqual(bool(found), level in levels)
                        if level not in levels:
                            with self.assertRaises(AccessError):
                                record.with_user(user).read(["name"])
        # the mentee reads, never writes; the mentor cannot hide notes from themselves as faculty-only
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            by_level["mentee"].with_user(self.user_mentee).write({"note_progress": "Mine."})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            by_level["mentor"].with_user(self.user_mentor).write({"visibility": "faculty"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            goals["mentor"].with_user(self.user_mentor).write({"visibility": "faculty"})
        by_level["mentor"].with_user(self.user_mentor).write({"visibility": "mentee", "note_progress": "Shared."})
        self.assertEqual(by_level["mentor"].visibility, "mentee")
        # a mentor's goal cannot sit on faculty-only notes (it would reveal them)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["op.mentor.goal"].with_user(self.user_mentor).create(
                {"followup_id": by_level["faculty"].id, "name": "Hidden", "visibility": "mentor"}
            )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            goals["mentor"].with_user(self.user_mentor).write({"followup_id": by_level["faculty"].id})
        # the at-risk reason is the faculty's, whatever the level of the follow-up
        with self.assertRaises(AccessError):
            by_level["mentee"].with_user(self.user_mentee).read(["at_risk_reason"])
        with self.assertRaises(AccessError):
            by_level["mentee"].with_user(self.user_mentor).read(["at_risk_reason"])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_mentor_records_session_as_portal_user(self):
        """What the portal session record does, as the mentor: notes, review, carry-over, new goals."""
        self._mark_done(self.meeting, self.user_mentor)
        Followup = self.env["op.mentor.followup"].with_user(self.user_mentor)
        previous = self.env["op.mentor.followup"].create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_date": date.today() - timedelta(days=7),
                "visibility": "mentor",
            }
        )
        carried = self._goal(previous, name="Deliverable 1")
        done = self._goal(previous, name="Course part 2")
        followup = Followup.create(
            {
                "student_id": self.student_mentee.id,
                "allocation_id": self.allocation.id,
                "meeting_id": self.meeting.id,
                "meeting_date": date.today(),
                "visibility": "mentee",
                "note_progress": "Good progress.",
                "project_progress": 40,
            }
        )
        self.assertNotEqual(followup.name, "New", "numbered by the sequence, also for a portal user")
        followup.action_complete()
        self.assertEqual(followup.previous_goal_ids, carried | done)
        done.with_user(self.user_mentor).write({"state": "achieved"})
        new = carried.with_user(self.user_mentor).with_context(carry_to_followup_id=followup.id).action_carry_over()
        self.assertEqual((new.followup_id, new.visibility, carried.state), (followup, "mentor", "carried_over"))
        goal = (
            self.env["op.mentor.goal"]
            .with_user(self.user_mentor)
            .create(
                {
                    "followup_id": followup.id,
                    "name": "Deliverable 2",
                    "indicator": "first version",
                    "visibility": "mentee",
                }
            )
        )
        self.assertTrue(goal.is_smart)
        # the mentor cannot write faculty-only notes, nor record a session for another mentor's mentee
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Followup.create(
                {"student_id": self.student_mentee.id, "allocation_id": self.allocation.id, "visibility": "faculty"}
            )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Followup.create(
                {
                    "student_id": self.student_mentee_other.id,
                    "allocation_id": self.allocation_other.id,
                    "visibility": "mentor",
                }
            )
        # one record per mentee and session; the session must be the mentee's with this mentor
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["op.mentor.followup"].create(
                {
                    "student_id": self.student_mentee.id,
                    "allocation_id": self.allocation.id,
                    "meeting_id": self.meeting_other.id,
                }
            )

    def test_flag_at_risk_reaches_configured_team_and_resolves(self):
        team = self.env["res.groups"].create(
            {"name": "Student Success", "users": [Command.set(self.user_faculty_other.ids)]}
        )
        self.env["res.config.settings"].create({"mentor_success_group_id": team.id}).execute()
        with self.assertRaisesRegex(UserError, "Write why"):
            self.followup.with_user(self.user_faculty).action_flag_at_risk()
        self.followup.with_user(self.user_faculty).at_risk_reason = "Behind schedule, no progress for 3 weeks."
        self.followup.with_user(self.user_faculty).action_flag_at_risk()
        self.assertTrue(self.student_mentee.mentor_at_risk)
        activity = self._at_risk_activities()
        self.assertEqual(activity.user_id, self.user_faculty_other)
        self.assertIn("no progress", str(activity.note))
        self.followup.with_user(self.user_faculty).action_flag_at_risk()
        self.assertEqual(len(self._at_risk_activities()), 1, "no duplicate alert while flagged")
        self.student_mentee.with_user(self.user_admin).action_mentor_resolve_at_risk()
        self.assertFalse(self.student_mentee.mentor_at_risk)
        self.assertFalse(self.student_mentee.mentor_at_risk_reason)
        self.assertFalse(self._at_risk_activities(), "activities marked done")

    # ------------------------------------------------------------
    # Next session
    # ------------------------------------------------------------

    def test_done_proposes_next_session(self):
        action = self._mark_done(self.meeting)
        self.assertEqual(self.meeting.status, "done")
        self.assertEqual(action["res_model"], "op.mentor.meeting")
        self.assertEqual(self.env["op.mentor.meeting"].search_count([("rescheduled_from_id", "=", False)]), 2)
        proposal = Form(self.env["op.mentor.meeting"].with_context(**action["context"]))
        self.assertEqual(proposal.date, self.meeting.date + timedelta(days=7))
        self.assertEqual(proposal.student_id, self.student_mentor)
        self.assertEqual(proposal.meeting_students[:], self.student_mentee)
        self.assertEqual(proposal.meeting_link, self.meeting.meeting_link)
        self.assertEqual(proposal.session_type, "regular")
        self.assertIn("Catch-up", proposal.description)
        self.assertTrue(proposal.save())
        self.assertIs(self.meeting_other.browse().action_done(), True, "several meetings: no proposal")

    def test_portal_done_ignores_the_proposal(self):
        self._mark_done(self.meeting, self.user_mentor)
        self.assertEqual(self.meeting.status, "done")
