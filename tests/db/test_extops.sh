#!/usr/bin/env bash
# Operations of Alembic extensions against a real PostgreSQL (issue 11): alembic-postgresql-
# enum's op.sync_enum_values (tuples whose defaults come from the catalog, TableReferences
# with literal defaults, renamed values, enum arrays) and alembic_utils' create/replace/
# drop_entity, up to head and back to base. Fixture: tests/fixtures/extops.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=1a0000000001 B=2b0000000002 C=3c0000000003
labels() { q "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'status'::regtype"; }
dflt() { q "SELECT column_default FROM information_schema.columns WHERE table_name = 'orders' AND column_name = '$1'"; }

begin "sync_enum_values: renamed values, rows and defaults follow"
project extops ../../fixtures/extops
fresh_db extops
expect 0 retort upgrade $B
check_eq "$(rows)" $B "at the sync"
check_eq "$(labels)" "active,archived,new" "the enum's values"
check_eq "$(q "SELECT string_agg(status::text || ':' || history::text, ' ' ORDER BY id) FROM orders")" \
	"archived:{active,archived} active:{archived}" "rows renamed, arrays too"
check_eq "$(dflt status)" "'active'::status" "the status default, set again"
check_eq "$(dflt history)" "ARRAY['archived'::status]" "the array default, renamed"
check_eq "$(q "SELECT count(*) FROM pg_type WHERE typname = 'status_old'")" 0 "the old type is gone"
check_eq "$(q "SELECT count(*) FROM pg_proc WHERE proname LIKE 'new_old_%'")" 0 "the comparison functions too"

begin "sync_enum_values back with TableReferences"
expect 0 retort downgrade $A
check_eq "$(labels)" "active,done" "the old values"
check_eq "$(q "SELECT string_agg(status::text || ':' || history::text, ' ' ORDER BY id) FROM orders")" \
	"done:{active,done} active:{done}" "rows renamed back"
check_eq "$(dflt history)" "ARRAY['done'::status]" "the literal default, renamed"

begin "alembic_utils entities up and down"
expect 0 retort upgrade
check_eq "$(rows)" $C "at head"
q "INSERT INTO account (id, email) VALUES (1, 'A@B.C')"
check_eq "$(q "SELECT email FROM account")" "a@b.c" "the trigger calls the plpgsql function"
check_eq "$(q "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM open_orders")" "2:active" "the replaced view (a column more)"
check_eq "$(q "SELECT n FROM order_counts")" 2 "the materialized view, with data"
check_eq "$(q "SELECT count(*) FROM pg_policies WHERE policyname = 'read_all'")" 1 "the policy"
check_eq "$(q "SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'")" 1 "the extension"
expect 0 retort downgrade $B
check_eq "$(q "SELECT count(*) FROM pg_proc WHERE proname = 'downcase_email'")" 0 "the function is dropped"
check_eq "$(relation open_orders)$(relation order_counts)" ff "the views are dropped"
check_eq "$(q "SELECT count(*) FROM pg_extension WHERE extname = 'pgcrypto'")" 0 "the extension is dropped"
expect 0 retort downgrade base
check_eq "$(relation orders)" f "at base"

finish
