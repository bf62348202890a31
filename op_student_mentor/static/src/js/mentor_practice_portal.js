/** @odoo-module */

import { PortalHomeCounters } from "@portal/js/portal";
import publicWidget from "@web/legacy/js/public/public_widget";

PortalHomeCounters.include({
    /**
     * "My Goals" is only returned to mentees: show the card even at 0.
     *
     * @override
     */
    _getCountersAlwaysDisplayed() {
        return this._super(...arguments).concat(["mentorship_goal_count"]);
    },
});

/**
 * New meeting form: the duration follows the funding type of the mentees ticked (funded
 * students get the funded session length, as in the backend) until the mentor types one.
 */
publicWidget.registry.MentorMeetingDuration = publicWidget.Widget.extend({
    selector: "form.o_mentor_meeting_form",
    events: {
        "change input[name='mentee_ids']": "_onMenteesChange",
        "input input[name='duration']": "_onDurationInput",
    },

    _onDurationInput() {
        this.durationTyped = true;
    },

    _onMenteesChange() {
        const duration = this.el.querySelector("input[name='duration']");
        if (!duration || this.durationTyped) {
            return;
        }
        const lengths = [...this.el.querySelectorAll("input[name='mentee_ids']:checked")]
            .map((input) => parseInt(input.dataset.duration, 10))
            .filter((value) => value > 0);
        const selfFunded = parseInt(duration.dataset.selfFunded, 10) || 30;
        duration.value = lengths.length ? Math.max(...lengths) : selfFunded;
    },
});

/**
 * Session record: as the mentor chooses who may read a mentee's notes, the form marks the parts the
 * mentee will read ("… reads this") and says who reads them.
 */
publicWidget.registry.MentorSessionAudience = publicWidget.Widget.extend({
    selector: "form.o_mentor_session_form",

    start() {
        // on each select (a change event need not bubble up to the form)
        for (const select of this.el.querySelectorAll("select[name$='-visibility']")) {
            select.addEventListener("change", () => this._showAudience(select));
        }
        return this._super(...arguments);
    },

    _showAudience(select) {
        const card = select.closest(".o_mentor_session_mentee");
        const shared = select.value === "mentee";
        for (const el of card.querySelectorAll(".o_mentor_read_by_mentee, .o_mentor_audience_mentee")) {
            el.classList.toggle("d-none", !shared);
        }
        for (const el of card.querySelectorAll(".o_mentor_audience_mentor")) {
            el.classList.toggle("d-none", shared);
        }
    },
});
