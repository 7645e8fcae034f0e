#!/usr/bin/env python3
"""Holds the overrides/ files to docs/translation.md's "Deliberate differences".

That section is the only list of differences from Alembic 1.8.1 that the differential
test allows: an override (overrides/<project>/<rev>.<up|down>.sql) replaces Alembic's
text in expected/, so each one must name the entry it applies on a line
`-- deliberate: TITLE` (TITLE as the entry's bold title, without backticks and the
final period). Run alone, it checks every override, and also that every entry is
pinned by an override or says why not ("No override:"). compare.py runs the first
check for the projects it compares.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.normpath(os.path.join(HERE, '..', '..', 'docs', 'translation.md'))
OVERRIDES = os.path.join(HERE, 'overrides')
SECTION = '## Deliberate differences'
ENTRY = re.compile(r'^\* \*\*(.+?)\*\*', re.M)
CITE = re.compile(r'^-- deliberate: (.+?)\s*$', re.M)
NO_OVERRIDE = 'No override:'


def title(text):
    return text.replace('`', '').strip().rstrip('.').strip()


def entries(doc=DOC):
    """{title: entry text} of the section's bullets."""
    with open(doc, encoding='utf-8') as f:
        text = f.read()
    start = text.find('\n' + SECTION + '\n')
    if start < 0:
        raise SystemExit(f"deliberate.py: no '{SECTION}' section in {doc}")
    end = text.find('\n## ', start + 1)
    body = text[start:end if end >= 0 else len(text)]
    marks = list(ENTRY.finditer(body))
    out = {}
    for i, m in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        out[title(m.group(1))] = body[m.start():stop]
    return out


def override_files(projects=None):
    if not os.path.isdir(OVERRIDES):
        return []
    out = []
    for project in sorted(projects or os.listdir(OVERRIDES)):
        d = os.path.join(OVERRIDES, project)
        if os.path.isdir(d):
            out += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith('.sql')]
    return out


def cited(path):
    with open(path, encoding='utf-8') as f:
        return [title(m.group(1)) for m in CITE.finditer(f.read())]


def check_overrides(projects=None, known=None):
    """Problems (strings) of the overrides of projects (default: all)."""
    known = entries() if known is None else known
    problems = []
    for path in override_files(projects):
        rel = os.path.relpath(path, HERE)
        names = cited(path)
        if not names:
            problems.append(f"{rel}: no '-- deliberate: TITLE' line naming an entry of "
                            f"docs/translation.md's '{SECTION[3:]}'")
        problems += [f"{rel}: '-- deliberate: {n}' is not an entry of docs/translation.md's "
                     f"'{SECTION[3:]}'" for n in names if n not in known]
    return problems


def check_entries(known):
    """Problems of entries that no override pins and that do not say why."""
    used = {n for path in override_files() for n in cited(path)}
    return [f"docs/translation.md: entry '{name}' is pinned by no override and does not "
            f"say why ('{NO_OVERRIDE} ...')"
            for name, text in known.items() if name not in used and NO_OVERRIDE not in text]


def main():
    known = entries()
    problems = check_overrides(known=known) + check_entries(known)
    for p in problems:
        print('FAIL ' + p)
    print(f'{len(override_files())} overrides, {len(known)} deliberate differences, '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
