"""Helper for compare-alembic.sh: runs real Alembic and normalises its output.

  alembic_shim.py run ARGS...        run the Alembic CLI (argv as for `alembic`), with
                                     version files listed in sorted order per directory
                                     (Alembic >= 1.10's rule, which retort follows;
                                     1.8.1 uses unsorted os.listdir)
  alembic_shim.py batch OUTDIR INI   run `alembic -c INI` with the arguments of each stdin
                                     line (separated by tabs), all in this one process,
                                     as `run` does; line N writes OUTDIR/N.out, .err, .rc
  alembic_shim.py info INI           print `rev ID`, `label NAME`, `head ID` lines
  alembic_shim.py extract PROJDIR OUTDIR
                                     for each line N of OUTDIR/kinds (`text` or `plan`),
                                     write OUTDIR/N.cmp, the comparable part of N.out:
                                     text output normalised, or the `-- Running` comments
                                     and version-table statements of an offline script
"""
import logging
import os
import re
import sys
import traceback
import warnings


def sorted_listing():
    """Make Alembic 1.8.1 load version files in sorted order (as Alembic >= 1.10)."""
    from alembic.script.base import Script
    original = Script._list_py_dir.__func__

    def listing(cls, scriptdir, path):
        return sorted(original(cls, scriptdir, path))

    Script._list_py_dir = classmethod(listing)


def cmd_run(argv):
    sorted_listing()
    from alembic.config import main
    main(argv=argv, prog='alembic')


def exit_status(code):
    """The status a process would exit with after SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xff
    print(code, file=sys.stderr)
    return 1


def all_loggers():
    return [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values()
        if isinstance(lg, logging.Logger)]


def logging_state():
    """What the loggers look like now, for restore_logging()."""
    return {lg: (lg.handlers[:], lg.level, lg.propagate, lg.disabled)
            for lg in all_loggers()}


def restore_logging(state):
    """Undo the logging set-up of an earlier command's env.py (fileConfig)."""
    for lg in all_loggers():
        handlers, level, propagate, disabled = state.get(lg, ([], logging.NOTSET, True, False))
        lg.handlers[:] = handlers
        lg.setLevel(level)
        lg.propagate = propagate
        lg.disabled = disabled


def cmd_batch(outdir, ini):
    # Importing Alembic and SQLAlchemy costs most of a CLI run; one process serves
    # every command. Output is caught at the descriptor level because Alembic binds
    # sys.stdout when its modules load.
    sorted_listing()
    from alembic.config import main
    filters = warnings.filters[:]
    logs = logging_state()
    for n, line in enumerate(sys.stdin.read().splitlines(), 1):
        base = os.path.join(outdir, str(n))
        # each command warns and logs afresh, as a new process would
        restore_logging(logs)
        warnings.filters[:] = filters
        warnings._filters_mutated()
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        for fd, suffix in ((1, '.out'), (2, '.err')):
            f = os.open(base + suffix, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(f, fd)
            os.close(f)
        try:
            main(argv=['-c', ini] + line.split('\t'), prog='alembic')
            status = 0
        except SystemExit as e:
            status = exit_status(e.code)
        except BaseException:
            traceback.print_exc()
            status = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        with open(base + '.rc', 'w') as f:
            f.write('%d\n' % status)


def cmd_info(ini):
    sorted_listing()
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(Config(ini))
    labels = set()
    for rev in script.walk_revisions():
        print('rev', rev.revision)
        labels.update(rev._orig_branch_labels)
    for label in sorted(labels):
        print('label', label)
    for head in script.get_heads():
        print('head', head)


# Python sets decide the order of branch labels, of a branch point's children and of
# `Branches into:`; the order changes from run to run (hash seed), so it is sorted away.
GROUP = re.compile(r'\(([^()]*, [^()]*)\)')
LISTED = re.compile(r'^(Branch names|Branches into): (.*)$')
CHILD = re.compile(r'^\s+-> ')


def sort_items(text):
    return ', '.join(sorted(text.split(', ')))


def normalize(text, projdir):
    projdir = projdir.rstrip('/') + '/'
    out = []
    children = []
    for line in text.split('\n'):
        line = GROUP.sub(lambda m: '(' + sort_items(m.group(1)) + ')', line)
        m = LISTED.match(line)
        if m:
            line = '%s: %s' % (m.group(1), sort_items(m.group(2)))
        if line.startswith('Path: ' + projdir):
            line = 'Path: ' + line[len('Path: ' + projdir):]
        if CHILD.match(line):
            children.append(line)
            continue
        out.extend(sorted(children))
        children = []
        out.append(line)
    out.extend(sorted(children))
    return '\n'.join(out)


# `RETURNING ...` on the version INSERT is a SQLAlchemy artefact retort may omit
# (reference/alembic.md 1.3); only the first line of the CREATE TABLE is kept.
# 1.8.1's offline `DROP TABLE alembic_version` at base is not compared: online
# Alembic never drops the table and 1.19 removed the offline DROP (1.5, 6.5);
# retort documents that it does not print it.
PLAN = re.compile(r'^(-- Running |(INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE) '
                  r'(\S+\.)?"?alembic_version\b)')


def plan(text):
    return ''.join(line.replace(' RETURNING alembic_version.version_num', '') + '\n'
                   for line in text.split('\n') if PLAN.match(line))


def cmd_extract(projdir, outdir):
    with open(os.path.join(outdir, 'kinds')) as f:
        kinds = f.read().split()
    for n, kind in enumerate(kinds, 1):
        base = os.path.join(outdir, str(n))
        if not os.path.exists(base + '.out'):
            continue
        with open(base + '.out', encoding='utf-8', errors='surrogateescape') as f:
            text = f.read()
        text = plan(text) if kind == 'plan' else normalize(text, projdir)
        with open(base + '.cmp', 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write(text)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'run':
        cmd_run(args)
    elif cmd == 'batch' and len(args) == 2:
        cmd_batch(args[0], args[1])
    elif cmd == 'info' and len(args) == 1:
        cmd_info(args[0])
    elif cmd == 'extract' and len(args) == 2:
        cmd_extract(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
