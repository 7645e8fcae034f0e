# no command: usage on stderr, exit 2
run: retort
--- exit
2
--- stdout
--- stderr
usage: retort [OPTIONS] COMMAND [ARGS]

commands:
  check        verify every version file, the graph and every body; list every problem
  heads        show the head revisions
  branches     show branch points and their children
  history      list revisions newest first
  show         show a revision's metadata, or with --sql the statements it runs
  upgrade      apply pending migrations up to TARGET (default head)
  downgrade    revert migrations down to TARGET (-1, base, a revision)
  stamp        set the version table to TARGET without running migrations
  current      show the revisions the database is at
  verify       compare the database with the scripts: drift, unknown and pending revisions
  repair       record the current checksums of applied revisions
  revision     write a new, empty version file on the head
  merge        write a merge revision joining the given heads
  rebase       point a revision at other parents, rewriting only its down_revision
  squash       replace a range of revisions by one; re-point its children; archive the files
  fingerprint  describe the database's schema and hash it; --compare diffs two databases
  lint         report the locks, rewrites and unsafe statements of each step (docs/lint.md)
  keygen       write a new signing key pair: FILE (secret, 0600) and FILE.pub
  bundle       write a deploy bundle of the project (checked as 'check' does), or inspect one

global options:
  -c, --config FILE             retort.yaml or alembic.ini (default: ./retort.yaml, else ./alembic.ini)
  -d, --database URL            postgresql://... (a SQLAlchemy +driver is dropped)
  -s, --scripts DIR             the script location (the folder holding versions/)
      --version-location DIR    a version folder (repeatable; replaces versions/)
      --version-table NAME      version table name (default alembic_version)
      --version-table-schema NAME
                                version table schema (default: search_path)
      --history-table NAME      retort's history table (default retort_history)
      --transaction MODE        per-migration (default) or single
      --format text|json        output format
      --wait SECONDS            wait for the database to accept connections and writes
      --lock-timeout SECONDS    how long to wait for the migration lock
      --statement-lock-timeout DURATION
                                SET lock_timeout for each step; retry the step on lock timeouts
      --bundle FILE             read the project from a deploy bundle instead of the version files
      --trust PUBFILE           require the bundle to be signed by this key (repeatable)
  -q, --quiet                   print only the result
  -v, --verbose                 more detail (repeatable)
  -h, --help                    show help
      --version                 print the version

'retort COMMAND --help' shows a command's own options.
