/** @odoo-module */

import { PortalHomeCounters } from "@portal/js/portal";

PortalHomeCounters.include({
    /**
     * The server only returns these counters to the students they concern
     * (approved mentors, allocated mentees): show their cards even at 0, so a
     * new mentor finds the page to schedule a first meeting.
     *
     * @override
     */
    _getCountersAlwaysDisplayed() {
        return this._super(...arguments).concat(["mentor_meeting_count", "mentorship_meeting_count"]);
    },
});
