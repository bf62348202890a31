import math

import numpy as np
from markupsafe import Markup
from scipy.optimize import linear_sum_assignment

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError

from .res_users import MENTOR_ADMIN

MENTOR_FACULTY = "op_student_mentor.group_op_mentor_faculty"
# Each further mentee of a mentor counts a little less (1 / (1 + FAIRNESS x mentees already had)), so that equal
# benefits go to the least loaded mentor first: load is spread, not piled on the strongest mentor.
FAIRNESS = 0.05
# A mentee flagged at risk without a weak subject the mentor is strong in still gets a mentor, after the others:
# AT_RISK_POINTS x the mentor's mean strength (a weak subject is worth up to 100 points).
AT_RISK_POINTS = 10.0
# Without a mentee limit (capacity 0), a mentor is offered at most this many suggestions.
SUGGEST_UNLIMITED = 10


class OpMentorMatching(models.AbstractModel):
    """Matching mentors and mentees on the school's results: one service for the three flows.

    Benefit of a pair = sum over the subjects where the mentee needs help and the mentor is strong of
    gap x strength, gap = (100 - mentee's %) / 100 and strength = mentor's % / 100, in points (x 100).
    Every method reads a batch in a fixed number of queries (``_batch_data``) and computes with numpy.
    """

    _name = "op.mentor.matching"
    _description = "Mentor Matching"

    # ------------------------------------------------------------
    # DATA OF A BATCH
    # ------------------------------------------------------------

    @api.model
    def _batch_data(self, batch):
        """Everything the matching needs about ``batch``, in six queries whatever its size (as superuser)."""
        cr = self.env.cr
        self.env.flush_all()
        standings = self.env["op.mentor.subject.standing"]._mentor_batch_standings(batch.ids)
        cr.execute(
            """
            SELECT DISTINCT s.id, s.mentor_at_risk, s.mentor_at_risk_reason, p.name,
                   COALESCE(s.first_name->>%s, s.first_name->>'en_US')
              FROM op_student_course sc
              JOIN op_student s ON s.id = sc.student_id AND s.active
              JOIN res_partner p ON p.id = s.partner_id
             WHERE sc.batch_id = %s
             ORDER BY s.id
            """,
            [self.env.lang or "en_US", batch.id],
        )
        students = {
            sid: {"at_risk": risk, "risk_reason": reason, "name": name, "first_name": first or name}
            for sid, risk, reason, name, first in cr.fetchall()
        }
        # Approved mentors of the batch, with their own mentee limit.
        cr.execute(
            """
            SELECT DISTINCT ON (d.student_id) d.student_id, d.id, COALESCE(s.mentor_capacity, 0)
              FROM op_mentor_details d JOIN op_student s ON s.id = d.student_id AND s.active
             WHERE d.batch_id = %s AND d.status = 'approve'
             ORDER BY d.student_id, d.id
            """,
            [batch.id],
        )
        approved = cr.fetchall()
        # Active allocations of the batch and their mentees (the allocated students, whatever their mentor).
        cr.execute(
            """
            SELECT a.id, a.mentor_id, rel.student_id
              FROM op_mentor_allocation a
              LEFT JOIN op_mentor_allocation_student_rel rel ON rel.allocation_id = a.id
             WHERE a.batch_id = %s AND a.active
             ORDER BY a.id
            """,
            [batch.id],
        )
        allocation_of, allocated = {}, set()
        for allocation_id, mentor_id, student_id in cr.fetchall():
            allocation_of.setdefault(mentor_id, allocation_id)
            if student_id:
                allocated.add(student_id)
        default_limit = self.env["res.config.settings"]._mentor_setting("capacity")
        loads = self.env["op.mentor.allocation"]._mentor_loads(
            self.env["op.student"].browse(m for m, _a, _c in approved)
        )
        mentors = {}
        for mentor_id, application_id, own_limit in approved:
            limit = own_limit or default_limit
            load = loads.get(mentor_id, 0)
            mentors[mentor_id] = {
                "application": application_id,
                "allocation": allocation_of.get(mentor_id),
                "limit": limit,
                "load": load,
                "free": max(limit - load, 0) if limit else None,  # None: no limit
            }
        subject_ids = sorted({subject for rows in standings.values() for subject in rows})
        subjects = {subject.id: subject.name for subject in self.env["op.subject"].browse(subject_ids)}
        return {
            "batch": batch,
            "standings": {student: standings.get((batch.id, student), {}) for student in students},
            "students": students,
            "mentors": mentors,
            "allocated": allocated,
            "subjects": subjects,
            "subject_ids": subject_ids,
        }

    # ------------------------------------------------------------
    # SCORES
    # ------------------------------------------------------------

    @api.model
    def _matrices(self, data, student_ids):
        """(gap, strength) arrays of ``student_ids`` x subjects: gap where they need help, strength where strong."""
        index = {subject: i for i, subject in enumerate(data["subject_ids"])}
        gap = np.zeros((len(student_ids), len(index)))
        strength = np.zeros((len(student_ids), len(index)))
        for row, student in enumerate(student_ids):
            for subject, (percentage, need, strong, _rank, _count) in data["standings"].get(student, {}).items():
                if need:
                    gap[row, index[subject]] = (100.0 - percentage) / 100.0
                elif strong:
                    strength[row, index[subject]] = percentage / 100.0
        return gap, strength

    @api.model
    def _scores(self, data, mentee_ids, mentor_ids, subject_mask=None, with_risk=True):
        """Benefit of each (mentee, mentor) pair, a len(mentee_ids) x len(mentor_ids) array of points.

        ``subject_mask``: optional {mentor id: subject ids} restricting the subjects that count for a mentor
        (an application's focus subjects). ``with_risk``: an at-risk mentee scores with every strong mentor.
        A pair of a student with themself scores 0.
        """
        gap, _unused = self._matrices(data, mentee_ids)
        _unused, strength = self._matrices(data, mentor_ids)
        if subject_mask:
            index = {subject: i for i, subject in enumerate(data["subject_ids"])}
            for col, mentor in enumerate(mentor_ids):
                if mentor in subject_mask:
                    keep = np.zeros(len(index))
                    for subject in subject_mask[mentor]:
                        if subject in index:
                            keep[index[subject]] = 1.0
                    strength[col] *= keep
        scores = gap @ strength.T * 100.0
        # At risk without a weak subject this mentor is strong in: a small score from the mentor's strength.
        at_risk = np.array([with_risk and bool(data["students"].get(s, {}).get("at_risk")) for s in mentee_ids])
        if at_risk.any() and len(mentor_ids):
            strong_counts = (strength > 0).sum(axis=1)
            mean_strength = np.divide(
                strength.sum(axis=1), strong_counts, out=np.zeros(len(mentor_ids)), where=strong_counts > 0
            )
            fallback = AT_RISK_POINTS * mean_strength
            rows = at_risk[:, None] & (scores <= 0)
            scores = np.where(rows, fallback[None, :], scores)
        position = {student: i for i, student in enumerate(mentee_ids)}
        for col, mentor in enumerate(mentor_ids):
            if mentor in position:
                scores[position[mentor], col] = 0.0
        return np.round(scores, 6)  # rounded: the same data gives bit-identical scores, so the same optimum

    @api.model
    def _reasons(self, data, mentee_id, mentor_id, subject_ids=None):
        """Why this pair: 'Programming Fundamentals: 48 % — Maya 95 %' per subject, the largest benefit first."""
        mentee = data["standings"].get(mentee_id, {})
        mentor = data["standings"].get(mentor_id, {})
        first = data["students"].get(mentor_id, {}).get("first_name") or ""
        rows = []
        for subject, (percentage, need, _strong, _rank, _count) in mentee.items():
            if not need or subject not in mentor or (subject_ids is not None and subject not in subject_ids):
                continue
            m_percentage, _need, m_strong, _r, _c = mentor[subject]
            if m_strong:
                rows.append(((100 - percentage) * m_percentage, subject, percentage, m_percentage))
        rows.sort(key=lambda r: (-r[0], r[1]))
        texts = []
        for _b, subject, percentage, m_percentage in rows:
            mentee_text, mentor_text = f"{percentage:g}", f"{m_percentage:g}"
            texts.append(
                self.env._(
                    "%(subject)s: %(mentee)s %% — %(mentor)s %(strength)s %%",
                    subject=data["subjects"].get(subject, ""),
                    mentee=mentee_text,
                    mentor=first,
                    strength=mentor_text,
                )
            )
        student = data["students"].get(mentee_id, {})
        if student.get("at_risk"):
            texts.append(
                self.env._("At risk: %(reason)s", reason=(student.get("risk_reason") or "").split("\n")[0] or "—")
            )
        return "; ".join(texts)

    @api.model
    def _needing_help(self, data):
        """Students of the batch who need help in a subject or are flagged at risk, and have no mentor there."""
        return [
            student
            for student in data["students"]
            if student not in data["allocated"]
            and (
                data["students"][student]["at_risk"]
                or any(need for _p, need, *_rest in data["standings"].get(student, {}).values())
            )
        ]

    # ------------------------------------------------------------
    # MATCH A BATCH
    # ------------------------------------------------------------

    @api.model
    def _propose_batch(self, batch):
        """[{mentor_id, student_id, score, reasons}] for ``batch``: the assignment of the students needing help to
        the free places of its approved mentors that maximises the total benefit (deterministic)."""
        data = self._batch_data(batch)
        mentees = self._needing_help(data)
        mentor_ids = sorted(m for m, info in data["mentors"].items() if info["free"] is None or info["free"] > 0)
        if not mentees or not mentor_ids:
            return [], data
        scores = self._scores(data, mentees, mentor_ids)
        # Keep the rows and columns that can score: the solver's work is on the useful part only.
        useful_rows = np.flatnonzero(scores.max(axis=1) > 0)
        useful_cols = np.flatnonzero(scores.max(axis=0) > 0)
        if not len(useful_rows) or not len(useful_cols):
            return [], data
        scores = scores[np.ix_(useful_rows, useful_cols)]
        mentees = [mentees[i] for i in useful_rows]
        mentor_ids = [mentor_ids[j] for j in useful_cols]
        # One column per free place; a mentor without a limit gets an even share of the students plus one.
        share = math.ceil(len(mentees) / len(mentor_ids)) + 1
        slot_mentor, slot_weight = [], []
        for col, mentor in enumerate(mentor_ids):
            info = data["mentors"][mentor]
            places = min(info["free"] if info["free"] is not None else share, len(mentees))
            for k in range(places):
                slot_mentor.append(col)
                slot_weight.append(1.0 / (1.0 + FAIRNESS * (info["load"] + k)))
        matrix = scores[:, slot_mentor] * np.array(slot_weight)[None, :]
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        proposal = []
        for row, col in zip(rows, cols, strict=True):
            mentor = mentor_ids[slot_mentor[col]]
            score = float(scores[row, slot_mentor[col]])
            if score <= 0:
                continue
            proposal.append(
                {
                    "mentor_id": mentor,
                    "student_id": mentees[row],
                    "score": round(score, 2),
                    "reasons": self._reasons(data, mentees[row], mentor),
                }
            )
        proposal.sort(key=lambda line: (-line["score"], line["student_id"]))
        return proposal, data

    @api.model
    def _apply_pairs(self, batch, pairs):
        """Add each (mentor id, student id) of ``pairs`` to the mentor's active allocation of ``batch`` (created
        from the approved application when there is none), through the ORM as the current user: the capacity,
        duplicate and enrolment checks are those of a change by hand. Notifies the faculty. {allocation: students}"""
        Allocation = self.env["op.mentor.allocation"]
        Student = self.env["op.student"]
        by_mentor = {}
        for mentor_id, student_id in pairs:
            by_mentor.setdefault(mentor_id, []).append(student_id)
        if not by_mentor:
            return {}
        existing = {
            allocation.mentor_id.id: allocation
            for allocation in Allocation.search(
                [("batch_id", "=", batch.id), ("mentor_id", "in", list(by_mentor))], order="id"
            )
        }
        added = {}
        for mentor_id in sorted(by_mentor):
            students = Student.browse(by_mentor[mentor_id])
            allocation = existing.get(mentor_id)
            if allocation:
                allocation.write({"student_ids": [Command.link(s.id) for s in students]})
            else:
                application = self.env["op.mentor.details"].search(
                    [("student_id", "=", mentor_id), ("batch_id", "=", batch.id), ("status", "=", "approve")],
                    limit=1,
                )
                allocation = Allocation.create(
                    {
                        "application_id": application.id or False,
                        "mentor_id": mentor_id,
                        "course_id": batch.course_id.id,
                        "batch_id": batch.id,
                        "student_ids": [Command.set(students.ids)],
                    }
                )
            added[allocation] = students
        self._notify_new_mentees(added)
        return added

    @api.model
    def _notify_new_mentees(self, added, reasons=None):
        """As approval does: a note in each allocation's chatter, one notification per faculty (run by an
        administrator, or as superuser once a faculty's access to the students was checked)."""
        reasons = reasons or {}
        by_faculty = {}
        for allocation, students in added.items():
            items = Markup().join(
                Markup("<li>%s</li>")
                % (
                    self.env._(
                        "%(student)s (%(reason)s)", student=s.name, reason=reasons[(allocation.mentor_id.id, s.id)]
                    )
                    if reasons.get((allocation.mentor_id.id, s.id))
                    else s.name
                )
                for s in students
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._(
                    "New mentees of %(mentor)s, matched on the exam results by %(user)s:",
                    mentor=allocation.mentor_id.name,
                    user=self.env.user.name,
                ),
                items,
            )
            allocation._message_log(body=body)
            by_faculty.setdefault(allocation.faculty_id, []).append((allocation, body))
        for faculty, entries in by_faculty.items():
            partner = faculty.partner_id
            if not partner:
                continue
            if len(entries) == 1:
                allocation, body = entries[0]
                allocation.message_notify(partner_ids=partner.ids, body=body, subject=allocation.name)
            else:
                self.env["op.mentor.allocation"].message_notify(
                    partner_ids=partner.ids,
                    subject=self.env._("New mentees for %(count)s of your mentors", count=len(entries)),
                    body=Markup().join(body for _a, body in entries),
                )

    # ------------------------------------------------------------
    # ONE MENTOR (SUGGEST MENTEES) AND ONE STUDENT (FIND A MENTOR)
    # ------------------------------------------------------------

    @api.model
    def _suggest_for(self, batch, mentor_id, places, exclude=(), subject_ids=None):
        """Best ``places`` students of ``batch`` needing help in the strong subjects of ``mentor_id`` (only
        ``subject_ids`` when given), not allocated there and not in ``exclude``: [(student id, score, reasons)]."""
        data = self._batch_data(batch)
        candidates = [
            s for s in data["students"] if s != mentor_id and s not in data["allocated"] and s not in set(exclude)
        ]
        if not candidates or places <= 0:
            return []
        mask = {mentor_id: set(subject_ids)} if subject_ids else None
        # Suggestions are on subjects alone: an at-risk student without a matching weak subject is not suggested.
        scores = self._scores(data, candidates, [mentor_id], subject_mask=mask, with_risk=False)[:, 0]
        order = sorted((i for i in range(len(candidates)) if scores[i] > 0), key=lambda i: (-scores[i], candidates[i]))
        allowed = set(subject_ids) if subject_ids else None
        return [
            (candidates[i], round(float(scores[i]), 2), self._reasons(data, candidates[i], mentor_id, allowed))
            for i in order[:places]
        ]

    @api.model
    def _find_mentors(self, student, limit=3):
        """The ``limit`` best mentors with a free place for ``student`` in each batch where the student has no
        mentor yet: [{batch, mentor_id, allocation_id, score, free, reasons}], best first."""
        results = []
        batches = student.course_detail_ids.batch_id
        for batch in batches.sorted("id"):
            data = self._batch_data(batch)
            if student.id in data["allocated"] or student.id not in data["students"]:
                continue
            mentor_ids = sorted(
                m
                for m, info in data["mentors"].items()
                if m != student.id and (info["free"] is None or info["free"] > 0)
            )
            if not mentor_ids:
                continue
            scores = self._scores(data, [student.id], mentor_ids)[0]
            for col, mentor in enumerate(mentor_ids):
                if scores[col] > 0:
                    info = data["mentors"][mentor]
                    results.append(
                        {
                            "batch_id": batch.id,
                            "mentor_id": mentor,
                            "allocation_id": info["allocation"],
                            "score": round(float(scores[col]), 2),
                            "free": info["free"],
                            "load": info["load"],
                            "reasons": self._reasons(data, student.id, mentor),
                        }
                    )
        results.sort(key=lambda r: (-r["score"], r["load"], r["mentor_id"]))
        return results[:limit]

    # ------------------------------------------------------------
    # ACCESS
    # ------------------------------------------------------------

    @api.model
    def _check_program_access(self, students):
        """Faculty match the students of their program (the courses sharing a subject with them, as for their
        applications); administrators everyone; anyone else nobody."""
        user = self.env.user
        if self.env.su or user.has_group(MENTOR_ADMIN):
            return
        if not user.has_group(MENTOR_FACULTY):
            raise AccessError(self.env._("Only faculty and mentorship administrators can match mentors."))
        courses = user.mentor_program_course_ids
        outside = students.filtered(lambda s: not (s.course_detail_ids.course_id & courses))
        if outside:
            raise AccessError(
                self.env._(
                    "%(student)s is not a student of your program: only their faculty or an administrator can "
                    "find them a mentor.",
                    student=outside[0].name,
                )
            )

    @api.model
    def _check_admin(self):
        if not (self.env.su or self.env.user.has_group(MENTOR_ADMIN)):
            raise AccessError(self.env._("Only a mentorship administrator can match a whole batch."))

    @api.model
    def _check_batch(self, batch):
        if not batch:
            raise UserError(self.env._("Choose the batch to match."))
