"""Assemble README.md from the readme/ fragments (run: tools/dev readme).

With --check, exit 1 when README.md is not what the fragments give.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A fragment that does not exist yet is skipped.
ORDER = [
    "DESCRIPTION", "RUN", "TESTS", "USAGE", "CONFIGURE", "ROLES", "PORTAL", "PRACTICE",
    "PROGRAM", "MATCHING", "SESSIONS", "CALENDAR", "PARENTS", "REPORTS", "RELIABILITY", "PERFORMANCE",
    "DEVELOP", "CONTRIBUTORS",
]
HEADER = "<!-- Generated from readme/*.md by `tools/dev readme`: edit the fragments. -->\n\n"


def build():
    parts = []
    for name in ORDER:
        fragment = ROOT / "readme" / f"{name}.md"
        if fragment.exists():
            text = fragment.read_text().strip()
            if name == "ROLES" and text.startswith("# "):
                text = "#" + text  # a section of the README, not its title
            parts.append(text)
    return HEADER + "\n\n".join(parts) + "\n"


if __name__ == "__main__":
    readme = ROOT / "README.md"
    content = build()
    if "--check" in sys.argv:
        if not readme.exists() or readme.read_text() != content:
            print("README.md is out of date: run tools/dev readme")
            sys.exit(1)
    else:
        readme.write_text(content)
