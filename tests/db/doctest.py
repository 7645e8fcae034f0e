#!/usr/bin/env python3
"""Runs the ```console blocks of a Markdown file and checks their output.

    doctest.py [--update] FILE.md WORKDIR

In a block, a line starting with "$ " is a command (a trailing backslash
continues it on the next line); the lines after it, up to the next command
or the end of the block, are what it must print (stdout and stderr merged).
Every command of the file runs in order in one bash session started in
WORKDIR, so `cd` and `export` carry over, exactly as for a reader typing
them. In expected output a line "..." matches any number of lines, and
durations ("12 ms") match any duration, and dated file-name prefixes
("2025_01_22_1200_") any date. Exit status: 0 when every command
printed what the document shows, else 1, with a diff per mismatch.
--update writes the actual output of each mismatching command into FILE
(for review, as UPDATE_GOLDEN=1 does for the golden tests).
"""
import difflib
import re
import subprocess
import sys

DURATION = re.compile(r"\b\d+(\.\d+)? (ms|s)\b")
# a file_template's date prefix (YYYY_MM_DD_HHMM_): a new file's name depends on the day
DATE_PREFIX = re.compile(r"\b\d{4}_\d\d_\d\d_\d{4}_")


class Command:
    def __init__(self, line_no, text):
        self.line_no = line_no  # 1-based, for messages
        self.text = text
        self.out_start = line_no  # 0-based index of the first expected line
        self.want = []


def read_commands(path, lines):
    cmds, in_block, cur = [], False, None
    for i, line in enumerate(lines):
        if not in_block:
            in_block = line.strip() == "```console"
            continue
        if line.strip() == "```":
            in_block, cur = False, None
        elif cur is not None and not cur.want and cur.text.endswith("\\"):
            cur.text = cur.text[:-1] + "\n" + line
            cur.out_start = i + 1
        elif line.startswith("$ "):
            cur = Command(i + 1, line[2:])
            cmds.append(cur)
        elif cur is not None:
            cur.want.append(line)
        else:
            sys.exit(f"{path}:{i + 1}: output before any command in a console block")
    return cmds


def normalise(line):
    return DATE_PREFIX.sub("YYYY_MM_DD_HHMM_", DURATION.sub("N ms", line.rstrip()))


def matches(want, got):
    """want may hold "..." lines, each matching any run of lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and normalise(want[0]) == normalise(got[0]) and matches(want[1:], got[1:])


def trimmed(lines):
    while lines and lines[-1] == "":
        lines = lines[:-1]
    return lines


def main():
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    doc, workdir = args[-2], args[-1]
    lines = open(doc, encoding="utf-8").read().split("\n")
    cmds = read_commands(doc, lines)
    marker = "@@doctest-command-done@@"
    # the `echo` ends a last line that has no newline; the marker splits the outputs
    script = "".join(f"{c.text}\necho; echo '{marker}'\n" for c in cmds)
    run = subprocess.run(["bash", "--noprofile", "--norc"], input=script, cwd=workdir,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = run.stdout.split(marker + "\n")
    failed, fixes = 0, []
    for k, c in enumerate(cmds):
        got = outputs[k] if k < len(outputs) else "<no output: the session ended>\n\n"
        got = got[:-1] if got.endswith("\n\n") or got == "\n" else got
        got = trimmed(got[:-1].split("\n")) if got else []
        want = trimmed(c.want)
        if matches(want, got):
            print(f"ok   {doc}:{c.line_no}: $ {c.text.splitlines()[0]}")
            continue
        failed += 1
        print(f"FAIL {doc}:{c.line_no}: $ {c.text}")
        for d in difflib.unified_diff(want, got, "document", "actual", lineterm=""):
            print("    " + d)
        fixes.append((c.out_start, len(want), got))
    if update and fixes:
        for start, n, got in sorted(fixes, reverse=True):
            lines[start:start + n] = got
        open(doc, "w", encoding="utf-8").write("\n".join(lines))
        print(f"updated {doc}")
    print(f"{len(cmds) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
