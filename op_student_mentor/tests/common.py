import re
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import polib
from freezegun import freeze_time

from odoo import Command, http
from odoo.addons.mail.tests.common import MailCase, mail_new_test_user
from odoo.tests import HttpCase, TransactionCase

# What a portal user who is not an approved mentor reads on a mentor route.
PORTAL_REFUSAL = "Only approved mentors can manage mentor meetings"
# The program's own models, for the access checks of each role
MENTOR_MODELS = (
    "op.mentor.details",
    "op.mentor.allocation",
    "op.mentor.meeting",
    "op.mentor.followup",
    "op.mentor.goal",
    "op.mentor.meeting.rating",
)

# What a translation must keep exactly: format placeholders, QWeb / inline-template expressions,
# the markup (tag names) and the attributes that are not text for the reader.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfir]|%[sdfir]|%%|\{\{.*?\}\}")
TAG = re.compile(r"</?([a-zA-Z][\w.-]*)")
ATTRIBUTE = re.compile(r"""([\w:.-]+)=(["'])(.*?)\2""", re.S)
TRANSLATED_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "string", "help", "label", "data-tooltip"}


def _untranslatable_parts(text):
    attributes = sorted(
        (name, " ".join(value.split()))
        for name, _quote, value in ATTRIBUTE.findall(text)
        if name not in TRANSLATED_ATTRIBUTES
    )
    return Counter(PLACEHOLDER.findall(text)), TAG.findall(text), attributes


class MentorBuilders:
    """Builders of the school's records on ``cls.env``: shared by MentorCommon and the tests that
    commit their records in their own transactions (tests/test_concurrency.py)."""

    @classmethod
    def _create_batch(cls, code, course):
        return cls.env["op.batch"].create(
            {
                "name": code,
                "code": code,
                "course_id": course.id,
                "start_date": date(2026, 1, 1),
                "end_date": date(2027, 12, 31),
            }
        )

    @classmethod
    def _create_faculty(cls, login, first, last, subject):
        user = mail_new_test_user(
            cls.env,
            login,
            groups="base.group_user,openeducat_core.group_op_faculty",
            name=f"{first} {last}",
            email=f"{login}@school.test",
        )
        faculty = cls.env["op.faculty"].create(
            {
                "partner_id": user.partner_id.id,
                "first_name": first,
                "last_name": last,
                "birth_date": date(1980, 5, 17),
                "gender": "female",
                "faculty_subject_ids": [Command.set(subject.ids)],
            }
        )
        return user, faculty

    @classmethod
    def _create_exam(cls, batch):
        exam_type = cls.env["op.exam.type"].create({"name": f"Final {batch.code}", "code": f"F{batch.id}"})
        session = cls.env["op.exam.session"].create(
            {
                "name": f"Finals {batch.code}",
                "course_id": batch.course_id.id,
                "batch_id": batch.id,
                "exam_code": f"FIN-{batch.code}",
                "start_date": date(2026, 6, 1),
                "end_date": date(2026, 6, 30),
                "exam_type": exam_type.id,
            }
        )
        exam = cls.env["op.exam"].create(
            {
                "session_id": session.id,
                "subject_id": batch.course_id.subject_ids[:1].id,
                "exam_code": f"EX-{batch.code}",
                "name": f"Exam {batch.code}",
                "start_time": datetime(2026, 6, 10, 9, 0),
                "end_time": datetime(2026, 6, 10, 12, 0),
                "total_marks": 100,
                "min_marks": 40,
            }
        )
        exam.act_done()  # OpenEduCat only publishes results of finished exams
        template = cls.env["op.result.template"].create(
            {"exam_session_id": session.id, "name": f"Results {batch.code}"}
        )
        cls.marksheet_register = cls.env["op.marksheet.register"].create(
            {"exam_session_id": session.id, "name": f"Marksheet {batch.code}", "result_template_id": template.id}
        )
        return exam

    @classmethod
    def _create_marksheet_line(cls, student, marks, exam=None):
        exam = exam or cls.exam
        register = cls.env["op.marksheet.register"].search([("exam_session_id", "=", exam.session_id.id)], limit=1)
        return cls.env["op.marksheet.line"].create(
            {
                "marksheet_reg_id": register.id,
                "student_id": student.id,
                "result_line": [Command.create({"exam_id": exam.id, "student_id": student.id, "marks": marks})],
            }
        )

    @classmethod
    def _create_subject_exams(cls, batch, subjects, total_marks=100, min_marks=40):
        """One finished exam per subject in a new exam session of ``batch``, and its marksheet register:
        {subject: exam} (matching)."""
        code = f"M{batch.id}-{len(subjects)}-{cls.env['op.exam.session'].search_count([])}"
        exam_type = cls.env["op.exam.type"].create({"name": f"Term {code}", "code": f"T{code}"})
        session = cls.env["op.exam.session"].create(
            {
                "name": f"Term {code}",
                "course_id": batch.course_id.id,
                "batch_id": batch.id,
                "exam_code": f"S{code}",
                "start_date": date(2026, 9, 1),
                "end_date": date(2026, 9, 30),
                "exam_type": exam_type.id,
            }
        )
        exams = {}
        for i, subject in enumerate(subjects):
            exams[subject] = cls.env["op.exam"].create(
                {
                    "session_id": session.id,
                    "subject_id": subject.id,
                    "exam_code": f"E{code}-{i}",
                    "name": f"{subject.name} {code}",
                    "start_time": datetime(2026, 9, 10 + i, 9, 0),
                    "end_time": datetime(2026, 9, 10 + i, 11, 0),
                    "total_marks": total_marks,
                    "min_marks": min_marks,
                }
            )
            exams[subject].act_done()
        template = cls.env["op.result.template"].create({"exam_session_id": session.id, "name": f"Results {code}"})
        cls.env["op.marksheet.register"].create(
            {"exam_session_id": session.id, "name": f"Marksheet {code}", "result_template_id": template.id}
        )
        return exams

    @classmethod
    def _create_results(cls, student, marks_by_exam):
        """A marksheet line of ``student`` with one result per exam: {exam: marks} (all of one session)."""
        exams = list(marks_by_exam)
        register = cls.env["op.marksheet.register"].search([("exam_session_id", "=", exams[0].session_id.id)], limit=1)
        return cls.env["op.marksheet.line"].create(
            {
                "marksheet_reg_id": register.id,
                "student_id": student.id,
                "result_line": [
                    Command.create({"exam_id": exam.id, "student_id": student.id, "marks": marks})
                    for exam, marks in marks_by_exam.items()
                ],
            }
        )

    @classmethod
    def _create_student(cls, login, first, last, batch, marks=None, portal=True):
        user = (
            mail_new_test_user(
                cls.env,
                login,
                groups="base.group_portal",
                name=f"{first} {last}",
                email=f"{login}@school.test",
                tz="Europe/Brussels",
            )
            if portal
            else cls.env["res.users"]
        )
        vals = {
            "first_name": first,
            "last_name": last,
            "name": f"{first} {last}",
            "birth_date": date(2005, 3, 1),
            "gender": "f",
            "course_detail_ids": [Command.create({"course_id": batch.course_id.id, "batch_id": batch.id})],
        }
        if user:
            vals.update(partner_id=user.partner_id.id, user_id=user.id)
        else:
            vals["email"] = f"{login}@school.test"
        student = cls.env["op.student"].create(vals)
        if marks is not None:
            cls._create_marksheet_line(student, marks)
        return user, student

    @classmethod
    def _add_second_mentee(cls):
        """Lea Second, a second mentee in the mentor's allocation (meetings with several mentees)."""
        cls.user_mentee_2, cls.student_mentee_2 = cls._create_student("mentee_2", "Lea", "Second", cls.batch, marks=60)
        cls.allocation.student_ids = [Command.link(cls.student_mentee_2.id)]

    @classmethod
    def _create_application(cls, candidate, mentees, faculty=None, batch=None, **vals):
        batch = batch or cls.batch
        return cls.env["op.mentor.details"].create(
            {
                "faculty_id": (faculty or cls.faculty).id,
                "course_id": batch.course_id.id,
                "batch_id": batch.id,
                "student_id": candidate.id,
                "student_detail_ids": [Command.set(mentees.ids)],
                "mentor_focus_id": [Command.set(cls.env.ref("op_student_mentor.mentor_focus_academic").ids)],
                "reason_for_mentorship": "Top of the class and patient with peers.",
                **vals,
            }
        )

    @classmethod
    def _mark_done(cls, meetings, user=None):
        """Mark done at the (latest) start time: a meeting is closed from its start on, never before."""
        with freeze_time(max(meetings.mapped("date"))):
            return (meetings.with_user(user) if user else meetings).action_done()

    @classmethod
    def _create_meeting(cls, mentor, mentees, name, days=3, **vals):
        return (
            cls.env["op.mentor.meeting"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "meeting_name": name,
                    "meeting_link": "https://meet.example.com/" + name.lower().replace(" ", "-"),
                    "date": datetime.now().replace(microsecond=0) + timedelta(days=days),
                    "student_id": mentor.id,
                    "meeting_students": [Command.set(mentees.ids)],
                    **vals,
                }
            )
        )


class MentorCommon(MentorBuilders, MailCase, TransactionCase):
    """A small school: one course, two batches, two faculty, mentors and mentees.

    Roles (logins): ``mentor_admin`` (Mentorship Administrator), ``faculty`` and
    ``faculty_other`` (OpenEduCat faculty), portal students ``mentor`` and
    ``mentor_other`` (approved mentors), ``mentee`` (allocated to ``mentor``),
    ``mentee_other`` (allocated to ``mentor_other``) and ``student_other``
    (enrolled, not in the program).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_notrack=False, mail_create_nolog=True)
        )
        cls.user_admin = mail_new_test_user(
            cls.env,
            "mentor_admin",
            groups="base.group_user,op_student_mentor.group_op_mentor_admin",
            name="Ada Admin",
            email="ada.admin@school.test",
            tz="Europe/Brussels",
        )
        cls.subject = cls.env["op.subject"].create({"name": "Algorithms", "code": "ALG"})
        cls.subject_other = cls.env["op.subject"].create({"name": "Painting", "code": "PNT"})
        cls.course = cls.env["op.course"].create(
            {"name": "Computer Science", "code": "CS", "subject_ids": [Command.set(cls.subject.ids)]}
        )
        cls.course_other = cls.env["op.course"].create(
            {"name": "Fine Arts", "code": "FA", "subject_ids": [Command.set(cls.subject_other.ids)]}
        )
        cls.batch = cls._create_batch("CS-2026", cls.course)
        cls.batch_b = cls._create_batch("CS-2026-B", cls.course)
        cls.batch_other = cls._create_batch("FA-2026", cls.course_other)

        cls.user_faculty, cls.faculty = cls._create_faculty("faculty", "Fiona", "Faculty", cls.subject)
        cls.user_faculty_other, cls.faculty_other = cls._create_faculty(
            "faculty_other", "Oscar", "Other", cls.subject_other
        )

        cls.exam = cls._create_exam(cls.batch)
        cls.user_mentor, cls.student_mentor = cls._create_student("mentor", "Maya", "Mentor", cls.batch, marks=91)
        cls.user_mentor_other, cls.student_mentor_other = cls._create_student(
            "mentor_other", "Noah", "Mentor", cls.batch, marks=88
        )
        cls.user_mentee, cls.student_mentee = cls._create_student("mentee", "Eli", "Mentee", cls.batch, marks=61)
        cls.user_mentee_other, cls.student_mentee_other = cls._create_student(
            "mentee_other", "Iris", "Mentee", cls.batch, marks=58
        )
        cls.user_student_other, cls.student_other = cls._create_student(
            "student_other", "Sam", "Student", cls.batch, marks=70
        )
        cls.focus = cls.env.ref("op_student_mentor.mentor_focus_academic")

        # Two approved mentors, each with one mentee (the workflow creates the allocations).
        cls.application = cls._create_application(cls.student_mentor, cls.student_mentee, faculty=cls.faculty)
        cls.application_other = cls._create_application(
            cls.student_mentor_other, cls.student_mentee_other, faculty=cls.faculty_other
        )
        (cls.application | cls.application_other).with_user(cls.user_admin).sudo().action_submit()
        (cls.application | cls.application_other).with_user(cls.user_admin).action_approve()
        cls.allocation = cls.application.allocation_ids
        cls.allocation_other = cls.application_other.allocation_ids

        cls.meeting = cls._create_meeting(cls.student_mentor, cls.student_mentee, "Weekly check-in")
        cls.meeting_other = cls._create_meeting(cls.student_mentor_other, cls.student_mentee_other, "Other check-in")
        cls.followup = cls.env["op.mentor.followup"].create(
            {"student_id": cls.student_mentee.id, "allocation_id": cls.allocation.id, "meeting_date": date.today()}
        )
        cls.followup_other = cls.env["op.mentor.followup"].create(
            {
                "student_id": cls.student_mentee_other.id,
                "allocation_id": cls.allocation_other.id,
                "meeting_date": date.today(),
            }
        )

    def assertTranslationsComplete(self, i18n_dir, template, minimum):
        """fr.po and es.po of ``i18n_dir`` hold the strings of ``template`` (the .pot, more than ``minimum``
        strings), each translated, its placeholders and markup kept."""
        pot = polib.pofile(str(i18n_dir / template))
        self.assertGreater(len(pot), minimum)
        for lang in ("fr", "es"):
            po = polib.pofile(str(i18n_dir / f"{lang}.po"))
            self.assertEqual({e.msgid for e in po}, {e.msgid for e in pot}, f"{lang}.po: run tools/dev pot")
            translations = {entry.msgid: entry.msgstr for entry in po}
            empty = [entry.msgid for entry in pot if not translations.get(entry.msgid)]
            self.assertFalse(empty, f"{lang}.po: {len(empty)} strings without translation: {empty}")
            broken = [
                entry.msgid
                for entry in pot
                if _untranslatable_parts(entry.msgid) != _untranslatable_parts(translations[entry.msgid])
            ]
            self.assertFalse(broken, f"{lang}.po: placeholders or markup differ from the template: {broken}")

    # ------------------------------------------------------------
    # Query counts: measured once on the small data, held with assertQueryCount on the grown data
    # ------------------------------------------------------------

    @contextmanager
    def rolled_back(self):
        """What runs inside is undone at the end: each login of an ``@users`` test starts from the same data."""
        self.env.flush_all()
        self.cr.execute("SAVEPOINT mentor_rolled_back")
        try:
            yield
        finally:
            self.cr.execute("ROLLBACK TO SAVEPOINT mentor_rolled_back")
            self.env.invalidate_all()

    def _warm(self, func):
        """Run ``func()`` once in a savepoint that is rolled back: ORM, registry and template caches warm, no
        data left (what ``odoo.tests.common.warmup`` does for a whole test)."""
        self.env.flush_all()
        self.env.invalidate_all()
        self.cr.execute("SAVEPOINT mentor_warmup")
        func()
        self.env.flush_all()
        self.cr.execute("ROLLBACK TO SAVEPOINT mentor_warmup")
        self.env.invalidate_all()

    def _count_queries(self, func):
        """Queries of ``func()`` with warm caches: the baseline that ``assertQueryCount`` then holds the grown
        data to (the one place the tests read the cursor's query counter)."""
        self._warm(func)
        count0 = self.cr.sql_log_count
        func()
        self.env.flush_all()
        count = self.cr.sql_log_count - count0
        self.env.invalidate_all()
        return count

    def assertQueryCountConstant(self, funcs, grow):
        """Each of ``funcs`` ({label: func}) runs in no more queries after ``grow()`` than before:
        {label: count measured before}."""
        counts = {label: self._count_queries(func) for label, func in funcs.items()}
        grow()
        for label, func in funcs.items():
            with self.subTest(label):
                self._warm(func)
                with self.assertQueryCount(counts[label]):
                    func()
        return counts


class MentorPortalCommon(HttpCase, MentorCommon):
    """The school of MentorCommon over HTTP: requests as a fixture user (password = login), POSTs with CSRF.

    Query counts of a page are the server's: the request runs on the test cursor, whose counter
    ``assertQueryCount`` reads (as Odoo's own website and survey performance tests count a request).
    """

    def _query_count(self, url, login):
        """Queries of GET ``url`` as ``login``, caches warm (routing, templates, assets): the first request warms
        them, the second is counted."""
        self._login(login)
        self.url_open(url)
        self.env.flush_all()
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)
        return self.cr.sql_log_count - before

    def assertUrlQueryCountConstant(self, pages, grow):
        """Each of ``pages`` ((url, login) pairs) runs in no more queries after ``grow()`` than before:
        {(url, login): count measured before}."""
        counts = {page: self._query_count(*page) for page in pages}
        grow()
        for url, login in pages:
            with self.subTest(url=url, login=login):
                self.assertUrlQueryCount(url, login, counts[url, login])
        return counts

    def assertUrlQueryCount(self, url, login, count):
        """GET ``url`` as ``login`` runs in at most ``count`` queries, caches warm."""
        self._login(login)
        self.url_open(url)  # the first request warms the caches
        with self.assertQueryCount(count):
            response = self.url_open(url)
        self.assertEqual(response.status_code, 200, url)

    def _login(self, login):
        self.authenticate(login, login) if login else self.authenticate(None, None)

    def _get(self, url, login=None):
        self._login(login)
        response = self.url_open(url, allow_redirects=False)
        self.env.invalidate_all()
        return response

    def _post(self, url, data, login="mentor", csrf=True, allow_redirects=False):
        self._login(login)
        data = dict(data)
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        response = self.url_open(url, data=data, allow_redirects=allow_redirects)
        self.env.invalidate_all()
        return response

    def assertRefused(self, response):
        self.assertEqual(response.status_code, 403, response.url)
        self.assertIn(PORTAL_REFUSAL, response.text)


def tamper_company_setting(company, fname, value):
    """Write a company's setting as a shell or an import of an older version could, past the ORM's check."""
    company.env.cr.execute(f'UPDATE res_company SET "{fname}" = %s WHERE id = %s', [value, company.id])  # noqa: S608
    company.invalidate_recordset([fname])


def activate_portal_languages(env, modules):
    """French and Spanish active, the terms of ``modules`` loaded and the website serving both."""
    french = env["res.lang"]._activate_lang("fr_FR")
    spanish = env["res.lang"]._activate_lang("es_ES")
    env["ir.module.module"]._load_module_terms(modules, ["fr_FR", "es_ES"], overwrite=True)
    # OpenEduCat brings the website: its pages are served in the website's languages
    env["website"].search([]).language_ids |= french | spanish
