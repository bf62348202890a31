"""Neighbours: what this addon adds to OpenEduCat's models never breaks OpenEduCat itself, and the
manifest passes Odoo's own manifest lint."""

import ast
from pathlib import Path

# the module, not its class: imported by name, pytest would run Odoo's check of every addon
from odoo.addons.test_lint.tests import test_manifests as odoo_manifest_lint
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase

from .common import MentorCommon

ADDON = "op_student_mentor"


class TestMentorNeighbours(MentorCommon):
    def test_added_columns_accept_null(self):
        """A student (or any record of another module) created while this addon's Python is not loaded
        (OpenEduCat's data and tests on update, an import) writes none of our columns: none is NOT NULL."""
        added = [
            (model._table, field.name)
            for model in (self.env[name] for name in self.env.registry)
            if not model._abstract and model._auto and model._original_module != ADDON
            for field in model._fields.values()
            if field._module == ADDON and field.store and field.column_type
        ]
        self.assertIn(("op_student", "mentor_funding_type"), added)
        self.env.cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE is_nullable = 'NO' AND (table_name, column_name) IN %s",
            [tuple(added)],
        )
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_student_without_funding_type(self):
        """OpenEduCat inserting a student without our column: it is saved and reads as self-funded."""
        partner = self.env["res.partner"].create({"name": "Imported Student"})
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO op_student (partner_id, gender, active) VALUES (%s, 'm', true) RETURNING id",
            [partner.id],
        )
        student = self.env["op.student"].browse(self.env.cr.fetchone()[0])
        self.assertFalse(student.mentor_funding_type)
        self.assertFalse(student.mentor_is_funded)
        form = self.env.ref("op_student_mentor.op_student_view_form_inherit_mentor")
        self.assertIn('name="mentor_funding_type" required="1"', form.arch_db, "still required on the form")


class TestMentorManifest(TransactionCase):
    def test_manifest_passes_odoo_lint(self):
        """Odoo's test_lint manifest check (keys it knows, no key set to its default value)."""
        manifest_path = Path(get_module_path(ADDON)) / "__manifest__.py"
        manifest = ast.literal_eval(manifest_path.read_text())
        self.assertEqual(
            set(manifest) - odoo_manifest_lint.MANIFEST_KEYS, set(), "unknown manifest keys (e.g. OCA's maintainers)"
        )
        linter = odoo_manifest_lint.ManifestLinter("test_manifests")
        linter._test_manifest_values(ADDON, manifest)
        self.assertRegex(manifest["version"], r"^18\.0\.\d+\.\d+\.\d+$")
