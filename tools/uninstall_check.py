"""Uninstalling op_student_mentor leaves OpenEduCat's data intact; run by `tools/dev test`.

On a copy of the test database: commit a small school (OpenEduCat records) with the
program's records on top of it (approved application, allocation, meeting, follow-up),
count the rows of every OpenEduCat table and of the partners and users, uninstall the
addon, then check that every count is unchanged, that the addon's tables and columns are
gone and that the module is uninstalled. Exit code 1 (with the differences) otherwise.
Odoo's log goes to UNINSTALL_LOG; tools/dev fails the run on WARNING/ERROR lines of the addon.
"""

import os
import sys
from datetime import date, datetime, timedelta

from odoo_server import odoo_options, open_registry  # first: it puts $ODOO_SRC on the path

import odoo
from odoo import SUPERUSER_ID, Command, api

ADDON = "op_student_mentor"
# Bridges that depend on the addon (tools/dev passes them): Odoo uninstalls them with it, their tables
# (op_mentor_* too) must go as well.
BRIDGES = [name for name in os.environ.get("UNINSTALL_BRIDGES", "").split(",") if name and name != ADDON]
# Tables of the addon (and of its models' relations); every other op_* table is OpenEduCat's.
OWN_TABLE_PREFIXES = ("op_mentor_", "op_student_achievement", "op_student_skill")


def seed(env):
    subject = env["op.subject"].create({"name": "Uninstall check", "code": "UNI"})
    course = env["op.course"].create({"name": "Uninstall", "code": "UNI", "subject_ids": [Command.set(subject.ids)]})
    batch = env["op.batch"].create(
        {
            "name": "U1",
            "code": "U1",
            "course_id": course.id,
            "start_date": date(2026, 1, 1),
            "end_date": date(2030, 1, 1),
        }
    )
    exam_type = env["op.exam.type"].create({"name": "Uninstall final", "code": "UF"})
    session = env["op.exam.session"].create(
        {
            "name": "Uninstall finals",
            "course_id": course.id,
            "batch_id": batch.id,
            "exam_code": "UFIN",
            "start_date": date(2026, 6, 1),
            "end_date": date(2026, 6, 30),
            "exam_type": exam_type.id,
        }
    )
    template = env["op.result.template"].create({"exam_session_id": session.id, "name": "Uninstall results"})
    register = env["op.marksheet.register"].create(
        {"exam_session_id": session.id, "name": "Uninstall marksheets", "result_template_id": template.id}
    )
    faculty_user = env["res.users"].create(
        {
            "name": "Uninstall Faculty",
            "login": "faculty@uninstall.test",
            "groups_id": [Command.set([env.ref("base.group_user").id, env.ref("openeducat_core.group_op_faculty").id])],
        }
    )
    faculty = env["op.faculty"].create(
        {
            "partner_id": faculty_user.partner_id.id,
            "first_name": "Uninstall",
            "last_name": "Faculty",
            "birth_date": date(1980, 1, 1),
            "gender": "female",
            "faculty_subject_ids": [Command.set(subject.ids)],
        }
    )
    students = env["op.student"]
    for name in ("Mentor", "Mentee", "Bystander"):
        students |= env["op.student"].create(
            {
                "first_name": name,
                "last_name": "Uninstall",
                "name": f"{name} Uninstall",
                "birth_date": date(2005, 1, 1),
                "gender": "f",
                "email": f"{name.lower()}@uninstall.test",
                "course_detail_ids": [Command.create({"course_id": course.id, "batch_id": batch.id})],
            }
        )
    mentor, mentee = students[0], students[1]
    env["op.marksheet.line"].create({"marksheet_reg_id": register.id, "student_id": mentor.id})
    application = env["op.mentor.details"].create(
        {
            "faculty_id": faculty.id,
            "course_id": course.id,
            "batch_id": batch.id,
            "student_id": mentor.id,
            "student_detail_ids": [Command.set(mentee.ids)],
            "mentor_focus_id": [Command.set(env.ref("op_student_mentor.mentor_focus_academic").ids)],
        }
    )
    application.action_submit()
    application.action_approve()
    env["op.mentor.meeting"].create(
        {
            "meeting_name": "Before the uninstall",
            "meeting_link": "https://meet.example.com/uninstall",
            "date": datetime.now() + timedelta(days=3),
            "student_id": mentor.id,
            "meeting_students": [Command.set(mentee.ids)],
        }
    )
    env["op.mentor.followup"].create(
        {"student_id": mentee.id, "allocation_id": application.allocation_ids.id, "meeting_date": date.today()}
    )
    env["op.student.achievement"].create({"name": "Medal", "student_id": mentor.id})


def snapshot(cr):
    cr.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    tables = sorted(name for (name,) in cr.fetchall())
    counts = {}
    for table in tables:
        if (
            table.startswith("op_")
            and not table.startswith(OWN_TABLE_PREFIXES)
            or table in ("res_partner", "res_users")
        ):
            cr.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalog
            counts[table] = cr.fetchone()[0]
    own = [table for table in tables if table.startswith(OWN_TABLE_PREFIXES)]
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'op_student' AND column_name = 'is_mentor'"
    )
    return counts, own, bool(cr.fetchall())


def main():
    db = os.environ["UNINSTALL_DB"]
    options = odoo_options(
        os.environ["UNINSTALL_ADDONS"], os.environ["UNINSTALL_PG_PORT"], os.environ["UNINSTALL_DATA_DIR"]
    )
    registry = open_registry(db, options, log_level="info", logfile=os.environ["UNINSTALL_LOG"])
    with registry.cursor() as cr:
        seed(api.Environment(cr, SUPERUSER_ID, {"no_mail_to_attendees": True}))
    with registry.cursor() as cr:
        before, own_before, column_before = snapshot(cr)
        if not (own_before and column_before and before.get("op_student", 0) >= 3):
            sys.exit(f"uninstall check: the seeded data is not there ({own_before}, {before.get('op_student')})")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.module.module"].search([("name", "=", ADDON)]).button_immediate_uninstall()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        after, own_after, column_after = snapshot(cr)
        cr.execute("SELECT name, state FROM ir_module_module WHERE name IN %s", [(ADDON, *BRIDGES)])
        states = dict(cr.fetchall())
    problems = []
    for name in (ADDON, *BRIDGES):
        if states.get(name) != "uninstalled":
            problems.append(f"module {name} state is {states.get(name)!r}")
    for table in sorted(set(before) | set(after)):
        if before.get(table) != after.get(table):
            problems.append(f"{table}: {before.get(table)} rows before, {after.get(table)} after")
    if own_after:
        problems.append(f"tables of the addon left behind: {', '.join(own_after)}")
    if column_after:
        problems.append("op_student.is_mentor left behind")
    if problems:
        print("uninstall check FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(
        f"uninstall check: ok ({len(before)} OpenEduCat/partner/user tables unchanged, "
        f"{len(own_before)} tables of the addon dropped)"
    )


if __name__ == "__main__":
    main()
