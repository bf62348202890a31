/** @odoo-module **/

import { registry } from "@web/core/registry";

const tours = registry.category("web_tour.tours");

/**
 * Fails the tour when an element of the selector sticks out of the window on the right, or when a
 * meeting name is cut (its text wider than its cell): what a phone user could not read.
 */
function assertReadable(selector) {
    const elements = [...document.querySelectorAll(selector)];
    if (!elements.length) {
        throw new Error(`Nothing matches ${selector}`);
    }
    for (const element of elements) {
        const box = element.getBoundingClientRect();
        if (box.right > window.innerWidth + 1 || box.left < -1) {
            throw new Error(`${selector} sticks out of the window (${box.left}-${box.right} of ${window.innerWidth} px)`);
        }
        if (element.scrollWidth > element.clientWidth + 1) {
            throw new Error(`${selector} is cut: "${element.textContent.trim()}"`);
        }
    }
}

function assertNoSideScroll() {
    for (const table of document.querySelectorAll(".table-responsive")) {
        if (table.scrollWidth > table.clientWidth + 1) {
            throw new Error(`The list scrolls sideways (${table.scrollWidth} px in ${table.clientWidth} px)`);
        }
    }
}

// A mentor on a phone: the next meeting on /my, then the meetings list.
tours.add("op_student_mentor_phone_mentor", {
    url: "/my",
    steps: () => [
        {
            content: "The next meeting is on the portal home, with its Join button",
            trigger: ".o_mentor_home_next a.o_mentor_join[href='https://meet.example.com/weekly-check-in']",
            run() {
                assertReadable(".o_mentor_home_next a.o_mentor_join");
                assertReadable(".o_mentor_home_next_name");
            },
        },
        {
            content: "Open Mentor Meetings",
            trigger: ".o_portal_index_card a[href='/my/mentor/meetings']",
            run: "click",
        },
        {
            content: "New Meeting is visible, not folded in a menu",
            trigger: "a.o_mentor_new_meeting",
            run() {
                assertReadable("a.o_mentor_new_meeting");
            },
        },
        {
            content: "Every row shows its status and its whole name, the list does not scroll sideways",
            trigger: ".o_mentor_meeting_row[data-status='done'] .o_mentor_meeting_status",
            run() {
                assertReadable(".o_mentor_meeting_row .o_mentor_meeting_status");
                assertReadable(".o_mentor_meeting_row td:first-child a");
                assertNoSideScroll();
            },
        },
        {
            content: "A scheduled meeting can be joined from the list",
            trigger: ".o_mentor_meeting_row[data-status='scheduled'] a.o_mentor_join",
            run() {
                assertReadable(".o_mentor_meeting_row a.o_mentor_join");
            },
        },
        {
            content: "The meeting's date is under its name",
            trigger: ".o_mentor_meeting_row .o_mentor_meeting_when:visible",
        },
    ],
});

// A mentee on a phone: the next meeting on /my, then their meetings.
tours.add("op_student_mentor_phone_mentee", {
    url: "/my",
    steps: () => [
        {
            content: "The next meeting is on the portal home, with its Join button",
            trigger: ".o_mentor_home_next a.o_mentor_join[href='https://meet.example.com/weekly-check-in']",
            run() {
                assertReadable(".o_mentor_home_next a.o_mentor_join");
            },
        },
        {
            content: "Open My Mentorship",
            trigger: ".o_portal_index_card a[href='/my/mentorship/meetings']",
            run: "click",
        },
        {
            content: "Every row shows its status and its whole name, the list does not scroll sideways",
            trigger: ".o_mentorship_meeting_row[data-status='scheduled'] .o_mentor_meeting_status",
            run() {
                assertReadable(".o_mentorship_meeting_row .o_mentor_meeting_status");
                assertReadable(".o_mentorship_meeting_row td:first-child a");
                assertNoSideScroll();
            },
        },
        {
            content: "The meeting can be joined from the list",
            trigger: ".o_mentorship_meeting_row[data-status='scheduled'] a.o_mentor_join",
            run() {
                assertReadable(".o_mentorship_meeting_row a.o_mentor_join");
            },
        },
    ],
});

// A student chooses French and their timezone on /my/account: the portal answers in French.
tours.add("op_student_mentor_account_language", {
    url: "/my/account",
    steps: () => [
        {
            content: "Choose French",
            trigger: "select[name='lang']",
            run: "select fr_FR",
        },
        {
            content: "Choose the timezone",
            trigger: "select[name='tz']",
            run: "select America/Montreal",
        },
        {
            content: "Save",
            trigger: ".o_portal_details button[type='submit']",
            run: "click",
        },
        {
            content: "The portal home is in French, under /fr",
            trigger: ".o_portal_index_card a[href$='/my/mentorship/meetings']:contains('Mon mentorat')",
        },
        {
            content: "The meetings are in French too",
            trigger: ".o_portal_index_card a[href$='/my/mentorship/meetings']",
            run: "click",
        },
        {
            content: "The list of meetings in French",
            trigger: ".o_mentorship_meeting_row .o_mentor_meeting_status:contains('Planifiée')",
        },
    ],
});
