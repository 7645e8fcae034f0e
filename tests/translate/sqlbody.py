"""SQL text helpers for the translator's differential tests (tests/translate/).

Cuts one step's body out of Alembic's offline (--sql) output, splits SQL into
statements with PostgreSQL's lexical rules, normalises whitespace for comparison,
and applies the overrides/ files. Used by render-alembic.sh and compare.py;
`python3 sqlbody.py collect RAW OUT OVERRIDES` turns raw Alembic runs into
expected/ files.
"""
import os
import re
import sys

# Statements Alembic adds around a step's body: the version-row change and, in
# 1.8.1, DROP TABLE alembic_version at the end of a downgrade to base.
VERSION_ROW = re.compile(r'(INSERT INTO|UPDATE|DELETE FROM|DROP TABLE) alembic_version\b')
DOLLAR_TAG = re.compile(r'\$([A-Za-z_][A-Za-z0-9_]*)?\$')


def _scan(sql):
    """Yields (kind, text) tokens: 'quoted' (strings, quoted identifiers,
    dollar bodies), 'comment', 'semi', 'space' and 'other' runs."""
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c.isspace():
            j = i
            while j < n and sql[j].isspace():
                j += 1
            yield 'space', sql[i:j]
        elif c == ';':
            j = i + 1
            yield 'semi', c
        elif sql.startswith('--', i):
            j = sql.find('\n', i)
            j = n if j < 0 else j
            yield 'comment', sql[i:j]
        elif sql.startswith('/*', i):
            depth, j = 0, i
            while j < n:
                if sql.startswith('/*', j):
                    depth, j = depth + 1, j + 2
                elif sql.startswith('*/', j):
                    depth, j = depth - 1, j + 2
                    if depth == 0:
                        break
                else:
                    j += 1
            yield 'comment', sql[i:j]
        elif c in '\'"':
            # E'...' strings take backslash escapes; a doubled quote is an escaped quote.
            escapes = c == "'" and i > 0 and sql[i - 1] in 'eE' and \
                (i < 2 or not (sql[i - 2].isalnum() or sql[i - 2] == '_'))
            j = i + 1
            while j < n:
                if escapes and sql[j] == '\\':
                    j += 2
                    continue
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:
                        j += 2
                        continue
                    break
                j += 1
            j = min(j + 1, n)
            yield 'quoted', sql[i:j]
        elif c == '$' and DOLLAR_TAG.match(sql, i) and \
                (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == '_')):
            tag = DOLLAR_TAG.match(sql, i).group(0)
            end = sql.find(tag, i + len(tag))
            j = n if end < 0 else end + len(tag)
            yield 'quoted', sql[i:j]
        else:
            j = i + 1
            while j < n and not sql[j].isspace() and sql[j] not in ';\'"$' and \
                    not sql.startswith('--', j) and not sql.startswith('/*', j):
                j += 1
            yield 'other', sql[i:j]
        i = j


def split(sql):
    """The statements of sql, comments dropped, whitespace collapsed to one
    space outside quoted text (inside it only tabs become four spaces, as
    Alembic's offline output does), without terminators; empty ones dropped."""
    stmts, cur = [], []
    for kind, text in _scan(sql):
        if kind == 'semi':
            stmts.append(''.join(cur).strip())
            cur = []
        elif kind in ('space', 'comment'):
            if cur and cur[-1] != ' ':
                cur.append(' ')
        elif kind == 'quoted':
            cur.append(text.replace('\t', '    '))
        else:
            cur.append(text)
    stmts.append(''.join(cur).strip())
    return [s for s in stmts if s]


def extract_body(output):
    """The body of the single step in Alembic's offline output: the text after
    the '-- Running ...' line, up to the version-row statement. Raises
    ValueError when the output has no step."""
    lines = output.split('\n')
    start = next((i for i, l in enumerate(lines) if l.startswith('-- Running ')), None)
    if start is None:
        raise ValueError("no '-- Running' line in Alembic's output")
    body = []
    for line in lines[start + 1:]:
        if VERSION_ROW.match(line):
            break
        body.append(line)
    else:
        raise ValueError("no version-row statement after the step's body")
    text = '\n'.join(body).strip('\n')
    return text + '\n' if text else ''


def parse_override(path):
    """(reason, rendered_by_1_8_1, expected) from an overrides/ file."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    m = re.match(r'(?s)(.*?)^-- alembic-1\.8\.1:\n(.*?)^-- expected:\n(.*)\Z', text, re.M)
    if not m or not m.group(1).strip():
        raise ValueError(f"{path}: needs a '-- reason:' header, then '-- alembic-1.8.1:' "
                         "and '-- expected:' sections")
    return m.group(1), m.group(2), m.group(3)


def _error_line(err):
    lines = [l for l in err.split('\n') if l.strip()]
    return lines[-1].strip() if lines else 'no output'


def collect(raw, out, overrides):
    """Writes out/<project>/<rev>.<up|down>.sql from raw Alembic runs
    (raw/<project>/<name>.{out,err,rc}), through the overrides. Returns the
    number of problems (printed to stderr)."""
    problems = 0
    for project in sorted(os.listdir(raw)):
        os.makedirs(os.path.join(out, project), exist_ok=True)
        for rc_name in sorted(f for f in os.listdir(os.path.join(raw, project)) if f.endswith('.rc')):
            name = rc_name[:-3]
            base = os.path.join(raw, project, name)
            with open(base + '.rc') as f:
                rc = f.read().strip()
            with open(base + '.out', encoding='utf-8') as f:
                stdout = f.read()
            with open(base + '.err', encoding='utf-8') as f:
                stderr = f.read()
            if rc == '0':
                try:
                    rendered = extract_body(stdout)
                except ValueError as e:
                    print(f'{project}/{name}: {e}', file=sys.stderr)
                    problems += 1
                    continue
            else:
                rendered = f'-- error: {_error_line(stderr)}\n'
            ovr = os.path.join(overrides, project, name + '.sql')
            if os.path.exists(ovr):
                try:
                    _, old, expected = parse_override(ovr)
                except ValueError as e:
                    print(e, file=sys.stderr)
                    problems += 1
                    continue
                # an error is compared as its message line, SQL statement by statement
                same = old.strip() == rendered.strip() if rc != '0' else split(old) == split(rendered)
                if not same:
                    print(f'{project}/{name}: override {ovr} is stale: Alembic 1.8.1 now renders\n'
                          f'{rendered}', file=sys.stderr)
                    problems += 1
                    continue
                rendered = expected
            elif rc != '0':
                print(f'{project}/{name}: Alembic failed: {_error_line(stderr)}', file=sys.stderr)
                problems += 1
                continue
            with open(os.path.join(out, project, name + '.sql'), 'w', encoding='utf-8') as f:
                f.write(rendered)
    return problems


def main(argv):
    if len(argv) == 4 and argv[0] == 'collect':
        return 1 if collect(*argv[1:]) else 0
    if len(argv) == 1 and argv[0] == 'split':
        for s in split(sys.stdin.read()):
            print(s + ';')
        return 0
    print('usage: sqlbody.py collect RAW OUT OVERRIDES | split < SQL', file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
