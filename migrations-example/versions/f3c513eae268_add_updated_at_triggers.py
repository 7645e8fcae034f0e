"""add updated_at triggers

The SQL lives in the sidecar f3c513eae268_add_updated_at_triggers.sql, which
retort runs directly.  Alembic runs this module, which executes the same file
so both tools apply identical SQL.

Revision ID: f3c513eae268
Revises: 98bbdfd0dd06
Create Date: 2026-04-15 17:21:40.385226

"""
from alembic import op
import sqlalchemy as sa
import contextlib
import itertools
import os
import re

# revision identifiers, used by Alembic.
revision = 'f3c513eae268'
down_revision = '98bbdfd0dd06'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _run_sidecar('upgrade')


def downgrade() -> None:
    _run_sidecar('downgrade')


# Written by `retort revision --sql`: the SQL lives in the .sql file beside
# this one, which retort runs directly; the code below makes Alembic run the
# same statements. It reads the '-- retort:' sections and splits them as
# retort does (psql's rules), then sends each statement unchanged (no bind
# parameters, so ':name' and '%' stay as written).
_BLANK = r'[ \t\f\v]'
_MARKER = re.compile(rf'{_BLANK}*--{_BLANK}*(retort){_BLANK}*:(.*)', re.I | re.S)
_SECTION = re.compile(
    rf'{_BLANK}*(upgrade|downgrade)({_BLANK}+no-transaction)?{_BLANK}*')
# As PostgreSQL 15's lexer (the one retort links): a vertical tab is not white
# space; identifiers and dollar-quote tags are ASCII letters, digits, '_' and
# every non-ASCII character (\w differs on both sides).
_START = r'[A-Za-z_\x80-\U0010ffff]'
_CONT = r'[A-Za-z0-9_\x80-\U0010ffff]'
_TOKEN = re.compile(rf"""
    (?P<space> [ \t\n\r\f]+ )
  | (?P<comment> --[^\n\r]* | /\* )
  | (?P<string> [eE]'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'?   # E'..': backslash escapes
              | '[^']*(?:''[^']*)*'? | "[^"]*(?:""[^"]*)*"? )
  | (?P<dollar> \$(?:{_START}{_CONT}*)?\$ )
  | (?P<word> {_START}(?:{_CONT}|\$)* )
  | (?P<other> . )""", re.S | re.X)
_ROUTINE = re.compile(r'create (or replace )?(function|procedure)(?: |$)')


def _sections(direction):
    """(no_transaction, text) of each section for direction, in file order."""
    path = os.path.splitext(__file__)[0] + '.sql'
    with open(path, encoding='utf-8-sig', newline='') as f:
        lines = f.read().split('\n')
    found, current = [], None
    for number, line in enumerate(lines, 1):
        marker = _MARKER.fullmatch(line[:-1] if line.endswith('\r') else line)
        section = marker and _SECTION.fullmatch(marker.group(2))
        if marker and (marker.group(1) != 'retort' or not section):
            raise ValueError(f"{path}:{number}: invalid marker; run `retort check`")
        if section:
            current = [] if section.group(1) == direction else None
            if current is not None:
                found.append((bool(section.group(2)), current))
        elif current is not None:
            current.append(line)
    if not found:
        raise ValueError(f"{path} has no '-- retort:{direction}' section")
    return [(no_transaction, '\n'.join(text)) for no_transaction, text in found]


def _split(sql):
    """Statements from their first token (a comment above is kept) to their
    last token that is not a comment, without the ';'. A ';' ends one outside
    parentheses and outside the BEGIN ... END of CREATE FUNCTION|PROCEDURE."""
    statements, start, end, pos = [], None, None, 0
    depth = nested = 0
    words = []
    while pos < len(sql):
        token = _TOKEN.match(sql, pos)
        kind, text, after = token.lastgroup, token.group(), token.end()
        if text == '/*':  # comments nest
            level = 1
            while level and after < len(sql):
                step = sql[after:after + 2]
                level += {'/*': 1, '*/': -1}.get(step, 0)
                after += 2 if step in ('/*', '*/') else 1
        elif kind == 'dollar':
            close = sql.find(text, after)
            after = len(sql) if close < 0 else close + len(text)
        if text == ';' and depth == 0 and nested == 0:
            if end is not None:
                statements.append(sql[start:end])
            start = end = None
            words = []
        elif kind != 'space':
            start = pos if start is None else start
            if kind != 'comment':
                end = after
            if text == '(':
                depth += 1
            elif text == ')':
                depth = max(depth - 1, 0)
            elif kind == 'word':
                word = text.lower()
                if len(words) < 4:
                    words.append(word)
                if depth == 0 and _ROUTINE.match(' '.join(words)):
                    if word == 'begin' or (word == 'case' and nested):
                        nested += 1
                    elif word == 'end' and nested:
                        nested -= 1
        pos = after
    if end is not None:
        statements.append(sql[start:end])
    return statements


def _run_sidecar(direction):
    """Runs the sidecar's statements for direction; a no-transaction run of them
    goes in an autocommit block (offline: between COMMIT and BEGIN)."""
    context = op.get_context()
    statements = [(no_transaction, statement)
                  for no_transaction, text in _sections(direction)
                  for statement in _split(text)]
    impl = context.impl
    for no_transaction, run in itertools.groupby(statements, lambda s: s[0]):
        with (context.autocommit_block() if no_transaction
              else contextlib.nullcontext()):
            for _, statement in run:
                if context.as_sql:
                    impl.static_output(statement + impl.command_terminator)
                else:
                    op.get_bind().exec_driver_sql(
                        statement, execution_options={'no_parameters': True})
