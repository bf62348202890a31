"""Bring a translation (.po) in step with the template (.pot), like msgmerge: used by `tools/dev pot`.

New strings are added untranslated, strings gone from the template are dropped, references follow the
template. Translations of unchanged strings are kept.

    python tools/po_update.py op_student_mentor/i18n/op_student_mentor.pot op_student_mentor/i18n/fr.po
"""

import sys

import polib


def update(pot_path, po_path):
    pot = polib.pofile(pot_path, wrapwidth=78)
    po = polib.pofile(po_path, wrapwidth=78)
    po.merge(pot)
    for entry in po.obsolete_entries():
        po.remove(entry)
    po.save(po_path)
    translated = len(po.translated_entries())
    print(f"{po_path}: {translated}/{len(pot)} strings translated")


if __name__ == "__main__":
    update(sys.argv[1], sys.argv[2])
