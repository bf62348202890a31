# Run by run.sh in `odoo-bin shell` after the update: fails (assert) on any difference.
# ruff: noqa: F821 (env is the shell's)
Meeting = env["op.mentor.meeting"]
max_id = int(env["ir.config_parameter"].get_param("mig.mail_max_id"))
new_mails = env["mail.mail"].search([("id", ">", max_id)])
print("new mails after the update:", len(new_mails), new_mails.mapped("subject"))
assert not new_mails, "the migration e-mails nobody"
for meeting in Meeting.search([], order="id"):
    event = meeting.calendar_event_id
    print(
        meeting.meeting_name,
        meeting.status,
        "event",
        event.id,
        "active",
        event.active,
        "alarms",
        event.alarm_ids.mapped("name"),
        "attendees",
        event.partner_ids.mapped("name"),
    )
    assert event and (event.res_model, event.res_id) == (meeting._name, meeting.id)
    assert event.active == (meeting.status in ("scheduled", "done", "missed"))
    assert bool(event.alarm_ids) == (meeting.status == "scheduled")
    assert event.partner_ids == meeting.student_id.partner_id | meeting.meeting_students.partner_id
gone = ("op_student_mentor.mail_template_mentor_meeting_scheduled", "op_student_mentor.ir_cron_mentor_meeting_reminder")
assert not [xmlid for xmlid in gone if env.ref(xmlid, raise_if_not_found=False)], "old templates / cron deleted"
version = env["ir.module.module"].search([("name", "=", "op_student_mentor")]).latest_version
print("version", version)
assert version == "18.0.1.4.0"
print("migration check: OK")
