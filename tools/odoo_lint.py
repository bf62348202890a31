"""Odoo's own test_lint checks on this repository's addons: the pre-commit hook odoo-test-lint (tools/dev test).

Odoo's test_lint tests (odoo/addons/test_lint/tests) check every addon on the addons path, Odoo's own
included: test_pylint runs pylint over all of Odoo (about four minutes on this machine, none of it ours).
This runs the same checks, with Odoo's own code and settings, on the addons named on the command line:
test_manifests.ManifestLinter's key and value checks, and test_pylint.TestPyLint's pylint (its enabled
codes, Odoo's custom checkers: SQL injection, gettext, unlink override; its bad functions and modules).

    python tools/odoo_lint.py op_student_mentor op_student_mentor_parent
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/src/odoo18")
sys.path.insert(0, ODOO_SRC)

from odoo.tools import config  # noqa: E402

config["test_enable"] = True  # the test framework logs an error when imported outside a test run
from odoo.addons.test_lint.tests import test_manifests, test_pylint  # noqa: E402


def manifest_problems(addon_dir):
    """Odoo's ManifestLinter on one addon: unknown keys, keys set to their default value."""
    module = addon_dir.name
    manifest = ast.literal_eval((addon_dir / "__manifest__.py").read_text())
    linter = test_manifests.ManifestLinter("test_manifests")
    problems = []
    for check in (linter._test_manifest_keys, linter._test_manifest_values):
        try:
            check(module, manifest)
        except AssertionError as error:
            problems.append(f"{addon_dir}/__manifest__.py: {error}")
    return problems


def pylint_command(paths):
    """test_pylint.TestPyLint's pylint command line, on ``paths`` instead of all of Odoo."""
    case = test_pylint.TestPyLint
    return [
        os.path.join(os.path.dirname(sys.executable), "pylint"),
        f"--rcfile={os.devnull}",
        "--disable=all",
        "--enable=" + ",".join(case.ENABLED_CODES),
        "--reports=n",
        "--score=n",
        "--msg-template={path}:{line}: {msg} ({msg_id})",
        "--load-plugins=pylint.extensions.bad_builtin,_odoo_checker_sql_injection,_odoo_checker_gettext,"
        "_odoo_checker_unlink_override",
        "--bad-functions=" + ",".join(case.BAD_FUNCTIONS),
        "--deprecated-modules=" + ",".join(case.BAD_MODULES),
        *paths,
    ]


def main(addons):
    dirs = [Path(addon).resolve() for addon in addons]
    problems = [problem for addon_dir in dirs for problem in manifest_problems(addon_dir)]
    for problem in problems:
        print(problem)
    # Odoo's checkers are modules of test_lint/tests, found on PYTHONPATH as the test does it
    checkers = os.path.dirname(test_pylint.__file__)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([checkers, ODOO_SRC, os.environ.get("PYTHONPATH", "")]))
    pylint = subprocess.run(pylint_command([str(d) for d in dirs]), env=env, check=False)
    return 1 if problems or pylint.returncode else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["op_student_mentor", "op_student_mentor_parent"]))
