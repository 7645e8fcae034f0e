#!/usr/bin/env bash
# Declared knowledge (retort.yaml assume:): guards on application code are decided by the
# assumed values, on a real database, in both directions. Fixture: tests/fixtures/assume.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

B=2b0000000002
schema_exists() { q "SELECT count(*) FROM pg_namespace WHERE nspname = '$1'"; }

begin "assumed guards decide what runs"
project assume ../../fixtures/assume
fresh_db assume
expect 0 retort upgrade
check_eq "$(rows)" $B "at head"
check_eq "$(relation items)" t "skip_based_on_legacy_engine_version() is false: items created"
check_eq "$(schema_exists store)" 1 "the assumed schema name was used"
check_eq "$(relation mirror)" f "settings.pg_uri is None: the guard returned first"
expect 0 retort downgrade base
check_eq "$(rows)" "" "at base"
check_eq "$(relation items)" f "items dropped"
check_eq "$(schema_exists store)" 0 "schema dropped"

begin "a changed assumption changes the plan"
sed -i 's|settings.pg_uri: null|settings.pg_uri: postgresql://analytics/db|' retort.yaml
expect 0 retort upgrade
check_eq "$(relation mirror)" t "settings.pg_uri is set: mirror created"
expect 0 retort downgrade base
check_eq "$(relation mirror)" f "and dropped on the way down"

finish
