from datetime import date

from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.op_student_mentor.tests.common import MentorCommon, MentorPortalCommon


class ParentFixtures:
    """Parents on top of the school of op_student_mentor's MentorCommon.

    Logins: ``parent`` (Paula Parent, parent of the mentee Eli, who is 14), ``parent_other`` (parent of
    the other mentor's mentee Iris). The other roles are MentorCommon's: ``mentee`` (the child),
    ``student_other``, ``mentor``, ``faculty``, ``mentor_admin``.
    """

    @classmethod
    def _parent_fixtures(cls):
        cls.relationship = cls.env["op.parent.relationship"].create({"name": "Mother"})
        cls.user_parent, cls.parent = cls._create_parent("parent", "Paula Parent", cls.student_mentee)
        cls.user_parent_other, cls.parent_other = cls._create_parent(
            "parent_other", "Olga Other", cls.student_mentee_other
        )
        cls.student_mentee.birth_date = date(2012, 4, 2)  # 14 in 2026: a minor
        cls.student_mentee_other.birth_date = date(2012, 9, 9)

    @classmethod
    def _create_parent(cls, login, name, children):
        user = mail_new_test_user(
            cls.env,
            login,
            groups="base.group_portal",
            name=name,
            email=f"{login}@family.test",
            tz="Europe/Brussels",
            password=login,  # a real login through /web/login (tests/test_parent_portal)
        )
        user.partner_id.is_parent = True  # OpenEduCat's login redirect sends these users to /my/child
        parent = cls.env["op.parent"].create(
            {
                "name": user.partner_id.id,
                "user_id": user.id,
                "relationship_id": cls.relationship.id,
                "student_ids": [Command.set(children.ids)],
            }
        )
        return user, parent

    @classmethod
    def _set_parent_settings(cls, **values):
        """Settings of the bridge by name without their prefix, e.g. ``consent_required=True``."""
        cls.env.company.write({f"mentor_parent_{name}": value for name, value in values.items()})  # the school's
        cls.env["op.student"].invalidate_model(["mentor_parent_consent_state"])


class ParentCommon(ParentFixtures, MentorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._parent_fixtures()


class ParentPortalCommon(ParentFixtures, MentorPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._parent_fixtures()
