"""Runs many offline Alembic commands in one Python process (render-alembic.sh).

Each input line is `PROJECT_DIR<TAB>RAW_BASE<TAB>COMMAND<TAB>RANGE`; for each, the
equivalent of `cd PROJECT_DIR && python3 -m alembic -c alembic.ini COMMAND RANGE --sql`
runs through Alembic's own command-line entry point, and its stdout, stderr and exit
status go to RAW_BASE.out/.err/.rc. One process per project instead of one per step
saves the interpreter and SQLAlchemy start-up (about 0.7 s a step); every command
still builds its own Config, ScriptDirectory and MigrationContext, as a fresh run does.
"""
import contextlib
import io
import os
import sys
import traceback

from alembic.config import main as alembic_main


def run(project, raw_base, command, rng):
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    cwd = os.getcwd()
    saved_path = list(sys.path)
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                alembic_main(argv=['-c', 'alembic.ini', command, rng, '--sql'], prog='alembic')
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 1
            except Exception:  # what the CLI would print before exiting 1
                traceback.print_exc()
                rc = 1
    finally:
        os.chdir(cwd)
        sys.path[:] = saved_path  # prepend_sys_path must not leak into the next project
    for ext, text in (('.out', out.getvalue()), ('.err', err.getvalue()), ('.rc', f'{rc}\n')):
        with open(raw_base + ext, 'w', encoding='utf-8') as f:
            f.write(text)


def main():
    for line in sys.stdin:
        line = line.rstrip('\n')
        if line:
            run(*line.split('\t'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
