# a command's help comes from its option table
run: retort history --help
--- exit
0
--- stdout
usage: retort [OPTIONS] history [-r RANGE] [--verbose] [-i]

list revisions newest first

options:
  -r, --rev-range RANGE         A:B, A: or :B (inclusive; relative forms and labels allowed)
  -i, --indicate-current        mark the database's current revisions (connects)

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
--- stderr
