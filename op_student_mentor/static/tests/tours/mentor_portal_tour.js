/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// A mentor schedules a meeting with their mentee from /my, then reschedules it.
tours.add("op_student_mentor_portal_schedule", {
    url: "/my",
    steps: () => [
        {
            content: "Open the Mentor Meetings card of the portal home",
            trigger: "a[href='/my/mentor/meetings']",
            run: "click",
        },
        {
            content: "Start a new meeting",
            trigger: "a.o_mentor_new_meeting",
            run: "click",
        },
        {
            content: "Name the meeting",
            trigger: "form.o_mentor_meeting_form input[name='meeting_name']",
            run: "edit Tour kick-off",
        },
        {
            content: "Give the video call link",
            trigger: "form.o_mentor_meeting_form input[name='meeting_link']",
            run: "edit https://meet.example.com/tour-kick-off",
        },
        {
            content: "Write the agenda",
            trigger: "form.o_mentor_meeting_form textarea[name='description']",
            run: "edit Goals for the term",
        },
        {
            content: "The only mentee is preselected",
            trigger: "form.o_mentor_meeting_form input[name='mentee_ids']:checked",
        },
        {
            content: "Schedule it (tomorrow 10:00 by default)",
            trigger: "button.o_mentor_meeting_submit",
            run: "click",
        },
        {
            content: "The meeting page confirms the creation",
            trigger: ".o_mentor_message",
        },
        {
            content: "It is the new meeting",
            trigger: ".o_mentor_meeting_name:contains('Tour kick-off')",
        },
        {
            content: "Reschedule it one week later (the form's default)",
            trigger: "button.o_mentor_reschedule",
            run: "click",
        },
        {
            content: "The new meeting shows the history: two dates",
            trigger: ".o_mentor_chain li:nth-child(2)",
        },
        {
            content: "The new meeting is scheduled",
            trigger: ".o_mentor_meeting_header[data-status='scheduled']",
        },
    ],
});

// The mentee finds the rescheduled meeting and its Join link.
tours.add("op_student_mentor_portal_mentee", {
    url: "/my",
    steps: () => [
        {
            content: "Open the My Mentorship card of the portal home",
            trigger: "a[href='/my/mentorship/meetings']",
            run: "click",
        },
        {
            content: "Open the meeting scheduled by the mentor",
            trigger: ".o_mentorship_meeting_row[data-status='scheduled'] a:contains('Tour kick-off')",
            run: "click",
        },
        {
            content: "The mentor's name is shown",
            trigger: ".o_mentor_name:contains('Maya Mentor')",
        },
        {
            content: "The Join button opens the video call",
            trigger: "a.o_mentor_join[href='https://meet.example.com/tour-kick-off']",
        },
        {
            content: "The meeting can be added to a calendar",
            trigger: "a.o_mentor_ics",
        },
    ],
});

// The mentor marks the rescheduled meeting as done.
tours.add("op_student_mentor_portal_done", {
    url: "/my/mentor/meetings",
    steps: () => [
        {
            content: "Open the scheduled meeting",
            trigger: ".o_mentor_meeting_row[data-status='scheduled'] a:contains('Tour kick-off')",
            run: "click",
        },
        {
            content: "Mark it done",
            trigger: "button.o_mentor_done",
            run: "click",
        },
        {
            content: "The meeting is done",
            trigger: ".o_mentor_meeting_header[data-status='done']",
        },
        {
            content: "No action is left on a done meeting",
            trigger: ".card-footer:not(:has(button.o_mentor_done))",
        },
    ],
});
