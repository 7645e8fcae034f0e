#!/usr/bin/env bash
# retort keygen FILE: a random key cannot be golden, so this asserts its shape:
# modes, one-line files, the fingerprint against a re-derivation with coreutils
# (base64 -d | b2sum), refusals that write nothing, and --format json.
# Usage: test_keygen.sh RETORT_BINARY
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$1"
cd "$tmp"
umask 022
fpr_re='[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}'
# the fingerprint of a .pub file: BLAKE2b-256 of the raw key, 16 hex digits in fours
derive() { cut -d' ' -f2 "$1" | base64 -d | b2sum -l 256 | cut -c1-16 | sed -E 's/(....)/\1 /g; s/ $//'; }

"$retort" keygen ci.key >out 2>err
check "keygen exits 0" test $? -eq 0
check "... and prints nothing on stderr" test ! -s err
check "it prints the files and the fingerprint" \
	grep -Eqx "wrote ci\.key \(secret\) and ci\.key\.pub; fingerprint $fpr_re" out
check "the secret key has mode 0600" test "$(stat -c %a ci.key)" = 600
check "the public key has mode 0644" test "$(stat -c %a ci.key.pub)" = 644
check "the secret file is one line" test "$(wc -l <ci.key)" = 1
check "the public file is one line" test "$(wc -l <ci.key.pub)" = 1
check "the secret line is 'retort-ed25519-secret' and 64 bytes of base64" \
	bash -c '[ "$(grep -Ex "retort-ed25519-secret [A-Za-z0-9+/]{86}==" ci.key | cut -d" " -f2 |
	               base64 -d | wc -c)" = 64 ]'
check "the public line is 'retort-ed25519-public' and 32 bytes of base64" \
	bash -c '[ "$(grep -Ex "retort-ed25519-public [A-Za-z0-9+/]{43}=" ci.key.pub | cut -d" " -f2 |
	               base64 -d | wc -c)" = 32 ]'
check "the secret key ends with the public key (libsodium's layout)" \
	cmp <(cut -d' ' -f2 ci.key | base64 -d | tail -c 32) <(cut -d' ' -f2 ci.key.pub | base64 -d)
check "the printed fingerprint is the BLAKE2b-256 of the public key" \
	test "$(sed -E 's/.*fingerprint //' out)" = "$(derive ci.key.pub)"

"$retort" -q keygen quiet.key >out 2>&1
check "-q still prints the result" grep -q "^wrote quiet.key (secret)" out
check "two runs make different keys" bash -c "! cmp -s ci.key.pub quiet.key.pub"

# --- refusals: exit 2 naming the file, nothing written or changed ---
cp ci.key before.key
cp ci.key.pub before.key.pub
"$retort" keygen ci.key >out 2>&1
check "an existing FILE is refused with exit 2" test $? -eq 2
check "... naming it" grep -q "'ci.key' already exists" out
check "... and both files are unchanged" bash -c 'cmp -s ci.key before.key && cmp -s ci.key.pub before.key.pub'
check "... and the mode too" test "$(stat -c %a ci.key)" = 600
echo other >lone.key.pub
"$retort" keygen lone.key >out 2>&1
check "an existing FILE.pub is refused with exit 2" test $? -eq 2
check "... naming it" grep -q "'lone.key.pub' already exists" out
check "... and no secret key is left" test ! -e lone.key
check "... and FILE.pub is unchanged" test "$(cat lone.key.pub)" = other
ln -s nowhere dangling.key
"$retort" keygen dangling.key >out 2>&1
check "a dangling symlink at FILE is refused, not followed" test $? -eq 2
check "... its target is not created" test ! -e nowhere
"$retort" keygen missing-dir/x.key >out 2>&1
check "a FILE in a missing folder fails with exit 1" test $? -eq 1
check "... naming it" grep -q "cannot create 'missing-dir/x.key'" out
"$retort" keygen >out 2>&1
check "keygen without FILE is a usage error" test $? -eq 2
"$retort" keygen a.key b.key >out 2>&1
check "keygen with two FILEs is a usage error" test $? -eq 2
check "... and writes nothing" test ! -e a.key

# --- --format json: one key_generated event ---
"$retort" --format json keygen json.key >out 2>err
check "keygen --format json exits 0" test $? -eq 0
check "... one line of output" test "$(wc -l <out)" = 1
check "... a key_generated event with both paths and the fingerprint" \
	python3 -c '
import json, sys
ev = json.loads(open("out").read())
assert ev == {"event": "key_generated", "secret_path": "json.key",
              "public_path": "json.key.pub", "fingerprint": sys.argv[1]}, ev
' "$(derive json.key.pub)"
check "... and the secret key has mode 0600" test "$(stat -c %a json.key)" = 600

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
