#!/usr/bin/env python3
"""Side by side with squawk: every squawk safety finding on the fixture's SQL
is matched by a retort finding of the same rule at the same statement.

usage: squawk_compare.py RETORT FIXTURE_DIR

The SQL squawk reads is retort's own (`retort show REV --sql --format json`),
one file per revision, with each run of transactional statements between
BEGIN and COMMIT as the executor runs them, so both tools judge the same
statements in the same transactions. squawk comes from $SQUAWK, the PATH, or
`npm install squawk-cli` into a cache; when none works the test is skipped
(exit 77), except under CI=true, where it fails. Where retort disagrees with
squawk on purpose, DISAGREE says why (docs/lint.md#squawk says the same).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# squawk's style and configuration rules: not about locks, rewrites or breaking
# running code (the issue leaves them out), or covered by retort's own settings.
NOT_SAFETY = {
    'prefer-bigint-over-int', 'prefer-bigint-over-smallint', 'prefer-identity',
    'prefer-text-field', 'prefer-timestamp-tz', 'ban-char-field', 'require-table-schema',
    'require-enum-value-ordering', 'ban-duplicate-column-assignments',
    # retort sets lock_timeout itself (statement_lock_timeout in retort.yaml) and
    # retries on lock timeouts; a statement_timeout would abort long backfills
    'require-lock-timeout', 'require-statement-timeout',
}


def find_squawk():
    cand = os.environ.get('SQUAWK') or shutil.which('squawk')
    if cand:
        return cand
    cache = os.path.join(os.environ.get('XDG_CACHE_HOME', os.path.expanduser('~/.cache')),
                         'retort-squawk')
    exe = os.path.join(cache, 'node_modules', '.bin', 'squawk')
    if not os.path.exists(exe) and shutil.which('npm'):
        subprocess.run(['npm', 'install', '--silent', '--prefix', cache, 'squawk-cli'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
                       check=False)
    return exe if os.path.exists(exe) else None


def retort_json(retort, fixture, *args):
    r = subprocess.run([retort, *args, '--format', 'json'], cwd=fixture, capture_output=True,
                       text=True, check=False)
    return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def render(stmts):
    """The SQL file squawk reads, and the statement index of each line (0-based)."""
    lines, owner, in_tx = [], [], False
    for i, s in enumerate(stmts):
        if s['no_transaction'] == in_tx:
            lines.append('COMMIT;' if in_tx else 'BEGIN;')
            owner.append(None)
            in_tx = not in_tx
        for text in (s['sql'] + ';').split('\n'):
            lines.append(text)
            owner.append(i)
        lines.append('')
        owner.append(None)
    if in_tx:
        lines.append('COMMIT;')
        owner.append(None)
    return '\n'.join(lines) + '\n', owner


def ignored(fixture, stmt, rule):
    """Whether the statement's source line carries a lint-ignore for rule."""
    path = os.path.join(fixture, stmt['file'])
    with open(path, encoding='utf-8') as f:
        src = f.read().split('\n')
    line = src[stmt['line'] - 1] if stmt['line'] <= len(src) else ''
    m = re.search(r'retort: ?lint-ignore ([a-z0-9, -]+)', line)
    return bool(m) and (rule in re.split(r'[ ,]+', m.group(1)) or 'all' in m.group(1).split())


def disagreement(rule, stmt, fixture):
    """Why retort reports no `rule` at this statement on purpose, else None."""
    sql = stmt['sql'].upper()
    if ignored(fixture, stmt, rule):
        return 'suppressed by a lint-ignore comment at its source'
    if rule == 'constraint-missing-not-valid' and re.search(r'\b(UNIQUE|PRIMARY KEY)\b', sql):
        return ('UNIQUE and PRIMARY KEY have no NOT VALID form; retort reports the index build '
                '(disallowed-unique-constraint, adding-serial-primary-key-field) instead')
    if rule == 'constraint-missing-not-valid' and re.search(r'\bEXCLUDE\b', sql):
        return ('EXCLUDE has no NOT VALID form (PostgreSQL refuses it); retort reports '
                'adding-exclusion-constraint instead')
    if rule == 'prefer-robust-stmts' and not stmt['no_transaction']:
        return ('runs inside the step\'s transaction: a failure rolls it back, so re-running '
                'is safe')
    return None


def main():
    retort, fixture = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
    squawk = find_squawk()
    if not squawk:
        msg = 'squawk is not installed and `npm install squawk-cli` did not work'
        if os.environ.get('CI') == 'true':
            print(f'FAIL: {msg} (CI=true)')
            return 1
        print(f'SKIP: {msg}')
        return 77
    findings = {}
    for e in retort_json(retort, fixture, 'lint'):
        if e.get('event') == 'finding':
            findings.setdefault((e['revision'], e['statement_index']), set()).add(e['rule'])
    revs = [e['revision'] for e in retort_json(retort, fixture, 'history')
            if e.get('event') == 'revision']
    matched, disagreed, missing = 0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        for rev in reversed(revs):
            stmts = [e for e in retort_json(retort, fixture, 'show', rev, '--sql')
                     if e.get('event') == 'statement']
            text, owner = render(stmts)
            path = os.path.join(tmp, f'{rev}.sql')
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            r = subprocess.run([squawk, '--reporter', 'json', path], capture_output=True,
                               text=True, check=False)
            for v in json.loads(r.stdout or '[]'):
                rule, line = v['rule_name'], v['line']
                if rule in NOT_SAFETY or line >= len(owner) or owner[line] is None:
                    continue
                idx = owner[line]
                mine = findings.get((rev, idx), set())
                where = f"{stmts[idx]['file']}:{stmts[idx]['line']} ({rev} #{idx})"
                if rule in mine:
                    matched += 1
                elif (why := disagreement(rule, stmts[idx], fixture)):
                    disagreed.append(f'{where}: {rule}: {why}')
                else:
                    missing.append(f'{where}: squawk {rule}, retort {sorted(mine) or "nothing"}:'
                                   f' {stmts[idx]["sql"]}')
    print(f'{squawk}: {matched} safety findings matched by retort, {len(disagreed)} '
          f'disagreements (docs/lint.md#squawk), {len(missing)} missed')
    for d in disagreed:
        print('  disagree:', d)
    for m in missing:
        print('  MISSED:', m)
    return 1 if missing or matched == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
