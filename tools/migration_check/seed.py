# Run by run.sh in `odoo-bin shell` on the previous release: a school with meetings in every status.
# ruff: noqa: F821 (env is the shell's)
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.op_student_mentor.tests.common import MentorBuilders


class B(MentorBuilders):
    env = env


admin = env.ref("base.user_admin")
subject = env["op.subject"].create({"name": "Algorithms", "code": "ALG"})
course = env["op.course"].create({"name": "CS", "code": "CS", "subject_ids": [Command.set(subject.ids)]})
batch = B.batch = B._create_batch("CS-2026", course)
user_faculty, faculty = B._create_faculty("faculty", "Fiona", "Faculty", subject)
B.exam = B._create_exam(batch)
_u, mentor = B._create_student("mentor", "Maya", "Mentor", batch, marks=91)
_u, mentee = B._create_student("mentee", "Eli", "Mentee", batch, marks=61)
application = B._create_application(mentor, mentee, faculty=faculty)
application.action_submit()
application.action_approve()
Meeting = env["op.mentor.meeting"]
now = datetime.now().replace(microsecond=0)


def vals(name, days):
    return {
        "meeting_name": name,
        "meeting_link": "https://meet.example.com/" + name,
        "date": now + timedelta(days=days),
        "student_id": mentor.id,
        "meeting_students": [Command.set(mentee.ids)],
    }


scheduled = Meeting.create(vals("scheduled", 5))
moved = Meeting.create(vals("moved", 6))
moved.action_reschedule(now + timedelta(days=8))  # the API of the previous release this script seeds
cancelled = Meeting.create(vals("cancelled", 7))
cancelled.action_cancel("illness")
with freeze_time(now - timedelta(days=4)):  # created ahead of its date, as any release allows
    held = Meeting.create(vals("held", -3))
held.action_done()
env["ir.config_parameter"].set_param("mig.mail_max_id", max(env["mail.mail"].search([]).ids or [0]))
print("seeded", Meeting.search_count([]), "meetings;", env["mail.mail"].search_count([]), "mails")
env.cr.commit()
