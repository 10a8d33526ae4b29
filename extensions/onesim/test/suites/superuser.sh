#!/usr/bin/env bash
# The pgTAP files whose checks only a superuser can run, as the superuser, on
# an empty database of their own (each file rolls back). test/pgtap holds
# what a Supabase project owner (no superuser, a database holding data) can
# run, the way `supabase test db` runs it; what needs more lives here, each
# file's header saying why: attaching OneSIM's trigger functions (only their
# owner, the bootstrap superuser, may execute them), superuser-only settings
# (onesim.restore_mode, session_replication_role, track_functions), creating
# superuser roles, and dropping and re-creating the extensions around a
# stand-in auth schema.
#
#   test/suites/superuser.sh STATEFILE
set -euo pipefail

state=${1:?state file}
here=$(cd "$(dirname "$0")" && pwd)
sys=$(cd "$here/../.." && pwd)   # extensions/onesim
# shellcheck disable=SC1090,SC1091
source "$(cat "$state")/env"
PGTAP_DATABASE_SETTINGS=""
# shellcheck disable=SC1090,SC1091
source "$sys/system.conf"

db=onesim_superuser
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
  -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
create=(-c "SET client_min_messages = warning" -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION onesim CASCADE")
for setting in $PGTAP_DATABASE_SETTINGS; do
  create+=(-c "ALTER DATABASE $db SET ${setting%%=*} = '${setting#*=}'")
done
psql -X -q -v ON_ERROR_STOP=1 -d "$db" "${create[@]}"
[ "$(psql -X -At -d "$db" -c "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")" = t ] ||
  { echo "the files of test/suites/superuser must run as a superuser" >&2; exit 1; }
status=0
pg_prove --ext .sql -d "$db" --failures "$here"/superuser/*.sql || status=1
psql -X -q -d postgres -c "DROP DATABASE $db WITH (FORCE)"
exit $status
