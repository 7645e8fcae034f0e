# a broken graph refuses history with the list of problems
cd: tests/fixtures/seed001
run: retort history
--- exit
3
--- stdout
--- stderr
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
retort: error: the revision graph has errors; 'retort check' lists them all
