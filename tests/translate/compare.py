"""Compares retort's translation of every fixture revision with real Alembic's.

For each revision of each project under tests/fixtures/translate/, runs
`retort -c alembic.ini show REV --sql [--downgrade]` (text, and --format json for the
no_transaction flags) and compares its statements with expected/<project>/<rev>.*.sql
(Alembic's offline output, see render-alembic.sh). Statements are compared after
sqlbody.split(): comments dropped, whitespace collapsed outside quoted text. Alembic
marks an autocommit block with COMMIT;/BEGIN; around it; retort's no_transaction
statements get the same markers here. The `refusals` project instead expects exit 3
with a location named in the file's `# expect-refusal:` comments. An override that
names no entry of docs/translation.md's "Deliberate differences" fails too
(deliberate.py).
Run it through compare.sh.
"""
import argparse
import difflib
import json
import os
import re
import subprocess
import sys

import deliberate
import sqlbody

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, '..', 'fixtures', 'translate'))
EXPECTED = os.path.join(HERE, 'expected')
REFUSALS = 'refusals'
DIRECTIONS = ('upgrade', 'downgrade')
SUFFIX = {'upgrade': 'up', 'downgrade': 'down'}
REFUSAL_MARK = re.compile(r'^# expect-refusal: (upgrade|downgrade) at ([0-9: |]+)$', re.M)
# file:line:col in retort's text diagnostics
TEXT_LOC = re.compile(r'(\S+\.py):(\d+):(\d+):')
EXIT_UNTRANSLATABLE = 3


def run(cmd, cwd):
    env = {k: v for k, v in os.environ.items()
           if k not in ('DATABASE_URL', 'RETORT_DATABASE_URL',
                        'DATABASE_URL_FILE', 'RETORT_DATABASE_URL_FILE')}
    env['NO_COLOR'] = '1'
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return 124, '', f'timed out: {" ".join(cmd)}'
    return p.returncode, p.stdout, p.stderr


def show(retort, project, rev, direction, json_format=False):
    cmd = [retort]
    if json_format:
        cmd += ['--format', 'json']
    cmd += ['-c', os.path.join(FIXTURES, project, 'alembic.ini'), 'show', rev, '--sql']
    if direction == 'downgrade':
        cmd.append('--downgrade')
    return run(cmd, os.path.join(FIXTURES, project))


def events(stdout):
    out = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith('{'):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def with_markers(stmts):
    """Alembic's COMMIT;/BEGIN; around each run of no_transaction statements."""
    out, outside = [], False
    for sql, no_tx in stmts:
        if no_tx != outside:
            out.append('COMMIT' if no_tx else 'BEGIN')
            outside = no_tx
        out.extend(sqlbody.split(sql + ';'))
    if outside:
        out.append('BEGIN')
    return out


def listing(stmts):
    return [s + ';' for s in stmts]


def check_translation(retort, project, rev, direction, verbose):
    """None when retort matches the expected file, else a failure report."""
    path = os.path.join(EXPECTED, project, f'{rev}.{SUFFIX[direction]}.sql')
    with open(path, encoding='utf-8') as f:
        expected = sqlbody.split(f.read())
    rc, text, err = show(retort, project, rev, direction)
    if rc != 0:
        return f'retort exited {rc}:\n{err.rstrip()}'
    jrc, jout, jerr = show(retort, project, rev, direction, json_format=True)
    if jrc != 0:
        return f'retort --format json exited {jrc}:\n{jerr.rstrip()}'
    stmts = [(e.get('sql', ''), bool(e.get('no_transaction')))
             for e in events(jout) if e.get('event') == 'statement']
    got = with_markers(stmts)
    # The text output must hold the same statements (with or without markers).
    text_stmts = sqlbody.split(text)
    plain = [s for sql, _ in stmts for s in sqlbody.split(sql + ';')]
    if text_stmts not in (plain, got):
        diff = difflib.unified_diff(listing(plain), listing(text_stmts),
                                    'show --format json', 'show (text)', lineterm='')
        return 'the text and JSON outputs of show --sql disagree:\n' + '\n'.join(diff)
    if got == expected:
        return None
    diff = difflib.unified_diff(listing(expected), listing(got),
                                f'expected/{project}/{os.path.basename(path)}',
                                f'retort show {rev} --sql' +
                                (' --downgrade' if direction == 'downgrade' else ''),
                                lineterm='')
    report = '\n'.join(diff)
    if verbose:
        report += '\n--- retort stdout:\n' + text
    return report


def refusal_marks(path):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    marks = {}
    for m in REFUSAL_MARK.finditer(text):
        locs = set()
        for loc in m.group(2).split('|'):
            line, col = loc.strip().split(':')
            locs.add((int(line), int(col)))
        marks[m.group(1)] = locs
    return marks


def check_refusal(retort, project, rev, direction, locs):
    """None when retort refuses (exit 3) at one of locs, or translates when locs is
    None; else a failure report."""
    rc, out, err = show(retort, project, rev, direction)
    if locs is None:
        return None if rc == 0 else f'retort exited {rc} on a translatable body:\n{err.rstrip()}'
    if rc != EXIT_UNTRANSLATABLE:
        return (f'expected a refusal (exit {EXIT_UNTRANSLATABLE}), got exit {rc}\n'
                f'stdout:\n{out.rstrip()}\nstderr:\n{err.rstrip()}')
    found = set()
    for m in TEXT_LOC.finditer(err):
        if os.path.basename(m.group(1)) == rev + '.py':
            found.add((int(m.group(2)), int(m.group(3))))
    _, jout, _ = show(retort, project, rev, direction, json_format=True)
    for e in events(jout):
        if e.get('event') in ('error', 'diagnostic') and \
                os.path.basename(str(e.get('file', ''))) == rev + '.py':
            found.add((e.get('line'), e.get('col')))
    if found & locs:
        return None
    want = ' or '.join(f'{l}:{c}' for l, c in sorted(locs))
    got = ', '.join(f'{l}:{c}' for l, c in sorted(found, key=str)) or 'no location'
    return f'refused, but at {got} instead of {want}:\n{err.rstrip()}'


def revisions(project):
    """Revision ids in file-name order: expected/ files for a rendered project,
    version files for the refusals project."""
    if project == REFUSALS:
        d = os.path.join(FIXTURES, project, 'versions')
        return sorted(f[:-3] for f in os.listdir(d) if f.endswith('.py'))
    d = os.path.join(EXPECTED, project)
    if not os.path.isdir(d):
        raise SystemExit(f"compare.sh: no expected/{project}/; run render-alembic.sh {project}")
    return sorted({f.rsplit('.', 2)[0] for f in os.listdir(d) if f.endswith('.sql')})


def main():
    ap = argparse.ArgumentParser(prog='compare.sh', description=__doc__.split('\n')[0])
    ap.add_argument('-v', '--verbose', action='store_true', help="also print retort's full output on failure")
    ap.add_argument('retort', help='the retort binary')
    ap.add_argument('projects', nargs='*', help='projects under tests/fixtures/translate/ (default: all)')
    args = ap.parse_args()
    retort = os.path.abspath(args.retort)
    if not os.access(retort, os.X_OK):
        print(f"compare.sh: '{args.retort}' is not an executable", file=sys.stderr)
        return 2
    projects = args.projects or sorted(
        p for p in os.listdir(FIXTURES) if os.path.isfile(os.path.join(FIXTURES, p, 'alembic.ini')))

    revs = {}
    for project in projects:
        if not os.path.isfile(os.path.join(FIXTURES, project, 'alembic.ini')):
            print(f"compare.sh: no project '{project}' in {FIXTURES}", file=sys.stderr)
            return 2
        revs[project] = revisions(project)

    # an override is an allowed difference only as an entry of the documented list
    unlisted = deliberate.check_overrides(projects)
    for problem in unlisted:
        print('FAIL ' + problem)
    passed, failed = 0, len(unlisted)
    for project in projects:
        for rev in revs[project]:
            problems = []
            if project == REFUSALS:
                marks = refusal_marks(os.path.join(FIXTURES, project, 'versions', rev + '.py'))
            for direction in DIRECTIONS:
                if project == REFUSALS:
                    report = check_refusal(retort, project, rev, direction, marks.get(direction))
                else:
                    report = check_translation(retort, project, rev, direction, args.verbose)
                if report is not None:
                    problems.append((direction, report))
            if not problems:
                print(f'ok {project}/{rev}')
                passed += 1
                continue
            print(f'FAIL {project}/{rev} ({", ".join(d for d, _ in problems)})')
            for direction, report in problems:
                print(f'  {direction}:')
                for line in report.split('\n'):
                    print('    ' + line)
            failed += 1
    print(f'{passed} passed, {failed} failed')
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main())
