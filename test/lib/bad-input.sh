#!/usr/bin/env bash
# Bad input through every function a caller can reach, and through every
# table's triggers, for one system: the system installed with its sample
# data, every reachable function called with NULLs and hostile values, and
# every column of a row of each table updated to them and inserted with them
# (test/lib/bad-input-calls.sql writes the statements), each in its own
# rolled-back transaction: as anon, as up to six users of the sample data,
# as a user no row knows, as the service role, and as the owner for C functions and
# tables no API role may reach. Refusals are expected. What fails the suite
# is what a user must never see: a lost connection (a backend crash), an
# internal error (SQLSTATE class XX: elog, a failed cache look-up, an
# unexpected state), a system error (class 58), running out of resources
# (class 53), or a statement that runs into the timeout (57014: bad input
# must not make work without end). Then the statements of anon and the users
# and the service role's calls run again, committed one after another, and
# once more from two sessions at once; the maintained figures must still
# equal what their rows say (system.conf's FIGURES_CHECK). Last, every table
# and view is read by every caller that may, and no read may fail.
#   Usage: bad-input.sh SYSTEM STATEFILE
set -euo pipefail
system=${1:?system}
state=${2:?state file}
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck disable=SC1090
source "$(cat "$state")/env"
TEST_EXTENSIONS=$system
# shellcheck disable=SC1090,SC1091
[ -f "$root/extensions/$system/system.conf" ] && source "$root/extensions/$system/system.conf"
out="$root/build/test-output/$system/bad-input"
mkdir -p "$out"
rm -f "$out"/*

db="${system}_bad_input"
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
for ext in $TEST_EXTENSIONS; do q -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION $ext CASCADE"; done
for sample in "$root/extensions/$system"/sample/*.sql; do
  [ -f "$sample" ] && q -d "$db" -f "$sample" >/dev/null
done
# Up to six users of the data, the earliest first: customers, staff, admins, owners.
user_ids=$(psql -X -At -d "$db" -c "SELECT coalesce(string_agg(id::text, ' '), '') FROM (SELECT id FROM auth.users ORDER BY created_at NULLS LAST, id LIMIT 6) u")
psql -X -q -At -d "$db" -v extensions="$TEST_EXTENSIONS" -v user_ids="$user_ids" -v stranger_id="$(cat /proc/sys/kernel/random/uuid)" \
  -f "$root/test/lib/bad-input-calls.sql" >"$out/statements.sql"
grep -v '^READ ' "$out/statements.sql" >"$out/calls.sql" || true
grep '^READ ' "$out/statements.sql" | cut -c6- >"$out/reads.sql" || true
calls=$(wc -l <"$out/calls.sql")
[ "$calls" -gt 0 ] || { echo "not ok - no function of $TEST_EXTENSIONS to call" >&2; exit 1; }

fails=0
# What a user must never see: an internal error, a system error, resources run out, the timeout.
never='XX[0-9A-Z]{3}|58[0-9A-Z]{3}|53[0-9A-Z]{3}|57014'
# [only_refusal=SQLSTATE] run NAME FILE...: runs the statements of each FILE,
# the files at once (one session each), then fails the suite for each
# statement that met what a user must never see (or, with only_refusal, any
# error but that one), and for a crashed backend.
run() {
  local name=$1 log_lines_before before=$fails file i=0 statements=0
  shift
  log_lines_before=$(wc -l <"$(cat "$state")/server.log")
  local pids=() errors=()
  for file in "$@"; do
    i=$((i + 1))
    errors+=("$out/$name-$i-errors.txt")
    PGOPTIONS="-c statement_timeout=10s -c client_min_messages=error" \
      psql -X -q -At -v VERBOSITY=verbose -d "$db" -f "$file" >/dev/null 2>"$out/$name-$i-errors.txt" &
    pids+=($!)
  done
  i=0
  for file in "$@"; do
    local status=0
    wait "${pids[$i]}" || status=$?
    local err=${errors[$i]}
    i=$((i + 1))
    statements=$((statements + $(grep -c '^BEGIN; ' "$file" || true)))
    # psql:<file>:<line>: ERROR:  <SQLSTATE>: <message>
    report "$file" < <(grep -E "ERROR:  ($never):" "$err" \
                         | grep -v 'maintained figures disagree' | head -50)
    # A drift stays: the first check that saw it is the one to read.
    report "$file" < <(grep -m1 'maintained figures disagree' "$err")
    # The figures check itself must run: any other error in it (or in its
    # definition, the file's first lines) fails as well.
    local check_lines
    check_lines=$({ grep -n -E '^SELECT pg_temp\.figures_hold\(\);$' "$file" || true; } | cut -d: -f1 | tr '\n' ' ')
    if [ -n "$check_lines" ]; then
      report "$file" < <(grep -E '^psql:[^:]+:[0-9]+: ERROR:' "$err" | grep -v 'maintained figures disagree' \
                           | awk -F: -v lines=" $check_lines" -v header="$(wc -l <"$out/figures-hold.sql")" \
                               '$3 <= header || index(lines, " " $3 " ")' | head -5)
    fi
    # Where only one refusal is expected (only_refusal=SQLSTATE), every other error fails.
    if [ -n "${only_refusal:-}" ]; then
      report "$file" < <(grep -E 'ERROR:  [0-9A-Z]{5}:' "$err" \
                           | grep -v -E "ERROR:  ($only_refusal|$never):" | head -20)
    fi
    if grep -q -E 'server closed the connection|connection to server was lost' "$err" || [ "$status" -eq 2 ]; then
      report "$file" < <(grep -E -B3 'server closed the connection|connection to server was lost' "$err" | grep -E '^psql:' | head -5)
      echo "not ok - $name: the connection was lost (psql exit status $status)"
      fails=$((fails + 1))
    fi
  done
  cat "${errors[@]}" | grep -oE 'ERROR:  [0-9A-Z]{5}:' | cut -c9-13 | sort | uniq -c | sort -rn >"$out/$name-sqlstates.txt" || true
  if tail -n +"$((log_lines_before + 1))" "$(cat "$state")/server.log" | grep -E 'terminated by signal|PANIC' >"$out/$name-crashes.txt"; then
    echo "not ok - $name: the server log reports a crashed backend:"
    sed 's/^/#   /' "$out/$name-crashes.txt" | head -10
    fails=$((fails + 1))
  fi
  if [ "$fails" -eq "$before" ]; then
    if [ "$statements" -gt 0 ]; then
      local held=""
      grep -q 'SELECT pg_temp.figures_hold' "$@" && held="; the maintained figures held at every check"
      echo "ok - $name: no crash, internal error or timeout in $statements statements$held"
    else
      echo "ok - $name: the maintained figures equal their rows"
    fi
  fi
  return 0
}
report() {  # FILE < psql error lines -> the failing statements
  local file=$1 line n
  while IFS= read -r line; do
    n=$(echo "$line" | sed -nE 's/^psql:[^:]+:([0-9]+): .*/\1/p')
    echo "not ok - $line"
    [ -n "$n" ] && echo "#   statement: $(sed -n "${n}p" "$file" | cut -c1-400)"
    fails=$((fails + 1))
  done
}

# 1. Every statement in its own transaction, rolled back.
run rolled-back "$out/calls.sql"
writes=$(grep -c -E '; +(UPDATE|INSERT INTO|DELETE FROM) ' "$out/calls.sql" || true)
functions=$(grep -v -E '; +(UPDATE|INSERT INTO|DELETE FROM) ' "$out/calls.sql" | sed -E 's/^BEGIN; .*(SELECT|CALL) ([^(]+)\(.*/\2/' | sort -u | wc -l)
tables=$(grep -oE '; +(UPDATE|INSERT INTO|DELETE FROM) [^ ]+' "$out/calls.sql" | awk '{print $NF}' | sort -u | wc -l)
echo "# $((calls - writes)) calls into $functions functions and $writes writes into $tables tables of $TEST_EXTENSIONS (users of the data: $(echo $user_ids | wc -w)); refusals by SQLSTATE:"
sed 's/^/#   /' "$out/rolled-back-sqlstates.txt"

# 2. The statements of callers who own nothing (anon, a user no row knows,
# forged claims) committed one after another: every row the data held
# before must still be there as it was (test/lib/bad-input-rows.sql keeps
# each by primary key; system.conf's NOBODY_MAY_CHANGE names the columns
# anyone may move); rows of their own may be added.
: >"$out/users.txt"
for u in $user_ids; do echo "$u" >>"$out/users.txt"; done
grep -E 'SET LOCAL ROLE (anon|authenticated);' "$out/calls.sql" | { if [ -s "$out/users.txt" ]; then grep -v -F -f "$out/users.txt"; else cat; fi; } \
  | sed -E 's/ ROLLBACK;$/ COMMIT;/' >"$out/nobody.sql" || true
q -d "$db" -v extensions="$TEST_EXTENSIONS" -v may_change="${NOBODY_MAY_CHANGE:-}" -f "$root/test/lib/bad-input-rows.sql" \
  -c "SELECT fuzz_rows.take()" >/dev/null
run nobody "$out/nobody.sql"
psql -X -At -F ' | ' -d "$db" -c "SELECT rel, key, left(before, 200), coalesce(left(after, 200), '(gone)') FROM fuzz_rows.changed() ORDER BY 1, 2" \
  >"$out/nobody-changed.txt"
if [ -s "$out/nobody-changed.txt" ]; then
  echo "not ok - callers who own nothing changed or removed $(wc -l <"$out/nobody-changed.txt") rows (table | key | before | after):"
  head -20 "$out/nobody-changed.txt" | sed 's/^/#   /'
  fails=$((fails + 1))
else
  echo "ok - nobody: every row the data held is as it was"
fi
q -d "$db" -c "SET client_min_messages = warning" -c "DROP SCHEMA fuzz_rows CASCADE" >/dev/null

# 3. Committed one after another, so each meets what the ones before it
# left: the statements of anon and the users, and the service role's function
# calls (its own writes into the tables may set a figure by design, as the
# owner's may); every 25 statements and at the end, the system's maintained
# figures must still equal what their rows say (FIGURES_CHECK of system.conf
# counts the rows that disagree).
cat >"$out/figures-hold.sql" <<SQL
CREATE FUNCTION pg_temp.figures_hold() RETURNS void LANGUAGE plpgsql AS \$f\$
DECLARE drifting bigint := 0;
BEGIN
  IF \$check\$${FIGURES_CHECK:-}\$check\$ <> '' THEN
    EXECUTE \$check\$${FIGURES_CHECK:-}\$check\$ INTO drifting;
  END IF;
  IF drifting <> 0 THEN
    RAISE EXCEPTION 'maintained figures disagree with their rows: % (%)', drifting, \$check\$${FIGURES_CHECK:-}\$check\$
      USING ERRCODE = 'XX000';
  END IF;
END \$f\$;
SQL
grep -E 'SET LOCAL ROLE (anon|authenticated);|SET LOCAL ROLE service_role; (SELECT|CALL) ' "$out/calls.sql" \
  | sed -E 's/ ROLLBACK;$/ COMMIT;/' >"$out/committed-statements.sql"
{
  cat "$out/figures-hold.sql"
  awk '{print} NR % 25 == 0 {print "SELECT pg_temp.figures_hold();"}' "$out/committed-statements.sql"
  echo "SELECT pg_temp.figures_hold();"
} >"$out/committed.sql"
run committed "$out/committed.sql"
if grep -q 'maintained figures disagree' "$out/committed-1-errors.txt"; then
  echo "# the figures first disagreed after one of the 25 statements before that line"
fi
echo "# committed: refusals by SQLSTATE:"
sed 's/^/#   /' "$out/committed-sqlstates.txt"

# 4. The same statements again from two sessions at once, every other one in
# each, on what pass 3 left: deadlocks (40P01) and serialization failures
# (40001) may refuse some; afterwards the figures must still hold.
awk 'NR % 2 == 1' "$out/committed-statements.sql" >"$out/concurrent-a.sql"
awk 'NR % 2 == 0' "$out/committed-statements.sql" >"$out/concurrent-b.sql"
run concurrent "$out/concurrent-a.sql" "$out/concurrent-b.sql"
{ cat "$out/figures-hold.sql"; echo "SELECT pg_temp.figures_hold();"; } >"$out/concurrent-check.sql"
run after-concurrent "$out/concurrent-check.sql"
echo "# concurrent: refusals by SQLSTATE:"
sed 's/^/#   /' "$out/concurrent-sqlstates.txt"

# 5. Every table and view read by every caller that may, every column
# computed, on what the committed passes left: a read fails only for claims
# that name no uuid (22P02); any other error is the design's.
only_refusal=22P02 run reads "$out/reads.sql"
q -d postgres -c "DROP DATABASE $db" >/dev/null || true
[ "$fails" -eq 0 ]
