# seed 001: two roots, duplicate ids, dangling references, a cycle: every problem at once
cd: tests/fixtures/seed001
run: retort check
--- exit
3
--- stdout
failed: 35 revisions, 12 heads; 12 errors, 0 warnings; 35 of 35 upgrades runnable; 35 of 35 downgrades runnable, 0 irreversible
--- stderr
versions/000_baseline_existing_schema.py:14:17: error: two heads: '001_initial_migration' and '003_enhanced_content_metadata' share no ancestor; their bases are '001_initial_migration' and '000_baseline_existing_schema'
   14 | down_revision = None
      |                 ^~~~
  hint: join them with `retort merge heads`, or make the chains one line: `retort rebase 000_baseline_existing_schema --onto 001_initial_migration`
versions/001_initial_migration.py:14:17: error: two bases: '000_baseline_existing_schema' and '001_initial_migration' both have no down_revision
   14 | down_revision = None
      |                 ^~~~
  hint: make one base the parent of the other root: `retort rebase 001_initial_migration --onto 000_baseline_existing_schema`
versions/004_add_notifications.py:14:17: error: down_revision of '004_add_notifications' names unknown revision '003_essential_tables'
   14 | down_revision = '003_essential_tables'
      |                 ^~~~~~~~~~~~~~~~~~~~~~
  hint: did you mean '003_enhanced_content_metadata'? `retort rebase 004_add_notifications --onto 003_enhanced_content_metadata` rewrites it
versions/005_add_content_tags.py:14:17: error: down_revision of '005_add_content_tags' names unknown revision '373835cefaf9'
   14 | down_revision = '373835cefaf9'
      |                 ^~~~~~~~~~~~~~
  hint: point it at an existing revision: `retort rebase 005_add_content_tags --onto ID` (retort history lists them), or `--onto base` for a base
versions/017_add_public_uuid_columns.py:13:12: error: revision '017' is declared by 2 files: 'versions/017_add_missing_user_columns.py', 'versions/017_add_public_uuid_columns.py'; Alembic uses the one loaded last, 'versions/017_add_public_uuid_columns.py'
   13 | revision = '017'
      |            ^~~~~
  hint: give each file its own revision id and point the children's down_revision at the one they follow
versions/018_ensure_engagement_data_column.py:13:12: error: revision '018' is declared by 2 files: 'versions/018_add_dead_letter_queue.py', 'versions/018_ensure_engagement_data_column.py'; Alembic uses the one loaded last, 'versions/018_ensure_engagement_data_column.py'
   13 | revision = '018'
      |            ^~~~~
  hint: give each file its own revision id and point the children's down_revision at the one they follow
versions/019_add_scheduled_jobs.py:14:17: error: down_revision of '019_add_scheduled_jobs' names unknown revision 'f42f94c7a129'
   14 | down_revision = 'f42f94c7a129'
      |                 ^~~~~~~~~~~~~~
  hint: point it at an existing revision: `retort rebase 019_add_scheduled_jobs --onto ID` (retort history lists them), or `--onto base` for a base
versions/022_add_content_locks.py:14:17: error: down_revision of '022_add_content_locks' names unknown revision 'f42f94c7a129'
   14 | down_revision = 'f42f94c7a129'
      |                 ^~~~~~~~~~~~~~
  hint: point it at an existing revision: `retort rebase 022_add_content_locks --onto ID` (retort history lists them), or `--onto base` for a base
versions/023_add_content_reviews.py:14:17: error: down_revision of '023_add_content_reviews' names unknown revision 'f42f94c7a129'
   14 | down_revision = 'f42f94c7a129'
      |                 ^~~~~~~~~~~~~~
  hint: point it at an existing revision: `retort rebase 023_add_content_reviews --onto ID` (retort history lists them), or `--onto base` for a base
versions/026_add_content_calendar.py:14:17: error: Cycle is detected in revisions (026_add_content_calendar, 027_create_content_drafts_and_schedules, 028_add_publishing_targets, 030_add_usage_counters, 031, 032_add_webhook_deliveries)
   14 | down_revision = '027_create_content_drafts_and_schedules'
      |                 ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  hint: the loop is '026_add_content_calendar' -> '027_create_content_drafts_and_schedules' -> '026_add_content_calendar' (down_revision/depends_on); point one of them at an earlier revision, or None for a base
versions/027_create_content_drafts_and_schedules.py:13:12: error: revision id '027_create_content_drafts_and_schedules' is 39 characters long; alembic_version.version_num is VARCHAR(32)
   13 | revision = '027_create_content_drafts_and_schedules'
      |            ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  hint: use an id of at most 32 characters (Alembic generates 12 hex digits)
versions/031_webhook_reliability_improvements.py:13:12: error: revision '031' is declared by 2 files: 'versions/031_add_usage_record_table.py', 'versions/031_webhook_reliability_improvements.py'; Alembic uses the one loaded last, 'versions/031_webhook_reliability_improvements.py'
   13 | revision = '031'
      |            ^~~~~
  hint: give each file its own revision id and point the children's down_revision at the one they follow
