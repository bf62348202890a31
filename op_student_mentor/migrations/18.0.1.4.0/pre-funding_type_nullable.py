"""18.0.1.4.0: ``op_student.mentor_funding_type`` is no longer NOT NULL.

The column was created NOT NULL (``required=True``), so any student created while this addon's Python
is not loaded (OpenEduCat's own data and tests on ``-u openeducat_core``, a direct import) failed. The
field is now required in the student form only; the ORM would drop the constraint later in the update,
this drops it before anything of the update can create a student.
"""


def migrate(cr, version):
    cr.execute("ALTER TABLE op_student ALTER COLUMN mentor_funding_type DROP NOT NULL")
