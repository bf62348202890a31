/** @odoo-module **/

import { registry } from "@web/core/registry";

// A parent opens their child's mentorship from /my and gives their consent.
registry.category("web_tour.tours").add("op_student_mentor_parent_consent", {
    url: "/my",
    steps: () => [
        {
            content: "Open the card of the children's mentorship",
            trigger: "a[href='/my/child']",
            run: "click",
        },
        {
            content: "Open the child's page",
            trigger: "tr.o_parent_child_row a:contains('Eli Mentee')",
            run: "click",
        },
        {
            content: "The mentor is named",
            trigger: ".o_parent_mentor:contains('Maya Mentor')",
        },
        {
            content: "The school waits for the consent",
            trigger: ".o_parent_consent .o_parent_consent_state:contains('Waiting for your consent')",
        },
        {
            content: "Give the consent",
            trigger: "button.o_parent_consent_give",
            run: "click",
        },
        {
            content: "The consent is recorded",
            trigger: ".o_parent_message:contains('your consent is recorded')",
        },
        {
            content: "The withdrawal form is offered",
            trigger: "form.o_parent_consent_withdraw_form textarea[name='reason']",
        },
    ],
});
