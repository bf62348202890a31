"""Assemble README.md from the readme/ fragments (run: tools/dev readme), as OCA's readme/ does.

With --check (a step of tools/dev test), exit 1 when README.md is not what the fragments give, when
it is longer than MAX_LINES, or when a relative link of README.md or docs/*.md leads to no file (or
to no heading of a Markdown file).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The README answers these in this order; everything else is in docs/. A fragment that does not exist is skipped.
ORDER = ["DESCRIPTION", "INSTALL", "RUN", "ROLES", "CONFIGURE", "DOCUMENTATION", "CONTRIBUTORS"]
HEADER = "<!-- Generated from readme/*.md by `tools/dev readme`: edit the fragments. -->\n\n"
MAX_LINES = 300

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCED = re.compile(r"```.*?```", re.S)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def build():
    parts = []
    for name in ORDER:
        fragment = ROOT / "readme" / f"{name}.md"
        if fragment.exists():
            parts.append(fragment.read_text().strip())
    return HEADER + "\n\n".join(parts) + "\n"


def anchors(path):
    """The anchors GitHub gives the headings of a Markdown file."""
    seen, result = {}, set()
    for line in FENCED.sub("", path.read_text()).splitlines():
        heading = re.match(r"#{1,6} (.+)", line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            result.add(slug if not count else f"{slug}-{count}")
    return result


def dead_links(path):
    """Relative links of a Markdown file that lead nowhere: (link, why)."""
    dead = []
    for target in LINK.findall(CODE.sub("", path.read_text())):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            dead.append((target, "no such file"))
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            dead.append((target, f"no heading #{fragment} in {linked.relative_to(ROOT)}"))
    return dead


def check(content):
    errors = []
    readme = ROOT / "README.md"
    if not readme.exists() or readme.read_text() != content:
        errors.append("README.md is out of date: run tools/dev readme")
    lines = content.count("\n")
    if lines > MAX_LINES:
        errors.append(f"README.md has {lines} lines, at most {MAX_LINES}: move the details to docs/")
    for path in [readme, *sorted((ROOT / "docs").glob("*.md"))]:
        if path.exists():
            for target, why in dead_links(path):
                errors.append(f"{path.relative_to(ROOT)}: dead link {target} ({why})")
    return errors


if __name__ == "__main__":
    content = build()
    if "--check" in sys.argv:
        errors = check(content)
        for error in errors:
            print(error)
        sys.exit(1 if errors else 0)
    (ROOT / "README.md").write_text(content)
