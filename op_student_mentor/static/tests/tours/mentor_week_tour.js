/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// A mentor's week (the mentoring guides): meet, record progress and new goals, plan the next session.
tours.add("op_student_mentor_mentor_week", {
    steps: () => [
        {
            content: "After the video call, mark the meeting done",
            trigger: "button.o_mentor_done",
            run: "click",
        },
        {
            content: "Record the session",
            trigger: "a.o_mentor_record_session",
            run: "click",
        },
        {
            content: "Kept between mentor and faculty: no part is marked as read by the mentee",
            trigger: "form.o_mentor_session_form .o_mentor_audience_mentor:visible",
            run() {
                if (document.querySelector(".o_mentor_read_by_mentee:not(.d-none)")) {
                    throw new Error("A note is marked as read by the mentee while it is not shared");
                }
            },
        },
        {
            content: "Share these notes with the mentee",
            trigger: "form.o_mentor_session_form select[name$='-visibility']",
            run: "select mentee",
        },
        {
            content: "The form now says which parts the mentee reads, as the mentor writes them",
            trigger: "form.o_mentor_session_form label[for$='-catch_up'] + .o_mentor_read_by_mentee:visible",
        },
        {
            content: "…and who reads them",
            trigger: "form.o_mentor_session_form .o_mentor_audience_mentee:visible",
        },
        {
            content: "Catch-up",
            trigger: "form.o_mentor_session_form textarea[name$='-catch_up']",
            run: "edit Back from holidays, motivated.",
        },
        {
            content: "Progress and feedback",
            trigger: "form.o_mentor_session_form textarea[name$='-progress']",
            run: "edit Deliverable 1 half done; clear structure.",
        },
        {
            content: "Project progress",
            trigger: "form.o_mentor_session_form input[name$='-project_progress']",
            run: "edit 60",
        },
        {
            content: "Last session's goal reached",
            trigger: ".o_mentor_review_goals tr:has(td:contains('Course part 2')) select",
            run: "select achieved",
        },
        {
            content: "Last session's goal to keep: carry it over",
            trigger: ".o_mentor_review_goals tr:has(td:contains('Deliverable 1')) select",
            run: "select carry",
        },
        {
            content: "A new SMART goal: the skill or criterion",
            trigger: "form.o_mentor_session_form input[name$='-goal-0-name']",
            run: "edit Deliverable 2 review",
        },
        {
            content: "…and how it is measured",
            trigger: "form.o_mentor_session_form input[name$='-goal-0-indicator']",
            run: "edit comparison table v2 with weighted criteria",
        },
        {
            content: "Save the session record",
            trigger: "button.o_mentor_session_submit",
            run: "click",
        },
        {
            content: "The session is recorded",
            trigger: ".o_mentor_message",
        },
        {
            content: "The carried-over and the new goals are listed",
            trigger: ".o_mentor_session_goals li:contains('Deliverable 2 review')",
        },
        {
            content: "Accept the proposed next session (a week later, same mentees and link)",
            trigger: "form.o_mentor_next_form button.o_mentor_plan_next",
            run: "click",
        },
        {
            content: "The next session is scheduled",
            trigger: ".o_mentor_meeting_header[data-status='scheduled']",
        },
    ],
});

// The mentee finds the goal shared with them and the session notes.
tours.add("op_student_mentor_mentee_goals", {
    url: "/my",
    steps: () => [
        {
            content: "Open My Goals from the portal home",
            trigger: "a[href='/my/mentorship/goals']",
            run: "click",
        },
        {
            content: "The new goal, shared, is there",
            trigger: ".o_mentorship_goal_row:contains('Deliverable 2 review')",
        },
        {
            content: "The shared session notes too",
            trigger: ".o_mentorship_note:contains('Deliverable 1 half done')",
        },
        {
            content: "The goal reached at the session stays, as achieved",
            trigger: ".o_mentorship_goal_achieved:contains('Course part 2')",
        },
    ],
});

// The New Meeting form: the duration follows the funding type of the mentees ticked, until typed.
tours.add("op_student_mentor_meeting_duration", {
    url: "/my/mentor/meetings/new",
    steps: () => [
        {
            content: "No mentee ticked: the self-funded length",
            trigger: "form.o_mentor_meeting_form input[name='duration']:value(30)",
        },
        {
            content: "Tick the funded mentee",
            trigger: "form.o_mentor_meeting_form input[name='mentee_ids'][data-duration='45']",
            run: "click",
        },
        {
            content: "The funded length",
            trigger: "form.o_mentor_meeting_form input[name='duration']:value(45)",
        },
        {
            content: "Untick them",
            trigger: "form.o_mentor_meeting_form input[name='mentee_ids'][data-duration='45']",
            run: "click",
        },
        {
            content: "Back to the self-funded length",
            trigger: "form.o_mentor_meeting_form input[name='duration']:value(30)",
        },
        {
            content: "The mentor types a length",
            trigger: "form.o_mentor_meeting_form input[name='duration']",
            run: "edit 50",
        },
        {
            content: "Tick the funded mentee again",
            trigger: "form.o_mentor_meeting_form input[name='mentee_ids'][data-duration='45']",
            run: "click",
        },
        {
            content: "The typed length is kept",
            trigger: "form.o_mentor_meeting_form input[name='duration']:value(50)",
        },
    ],
});
