#!/usr/bin/env bash
# Supabase's advisor (splinter, kept beside this repository in
# ../shared/advisor/, or at ADVISOR=path/to/run.sh) on each system installed
# as the README recommends: alone, in a schema of its own that the API exposes.
# Needs the extensions installed (scripts/test.sh or make install).
#   bash scripts/advisor.sh [SYSTEM...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
advisor=${ADVISOR:-$root/../shared/advisor/run.sh}
[ -f "$advisor" ] || { echo "no advisor at $advisor (set ADVISOR=...)" >&2; exit 2; }
systems=${*:-$(cd "$root/extensions" && for d in */; do d=${d%/}; [ "$d" != supabase_platform ] && ls "$d"/*.control >/dev/null 2>&1 && echo "$d"; done)}

dir=$(mktemp -d /tmp/advisor.XXXXXX)
trap '"$root/scripts/pgcluster.sh" stop "$dir"' EXIT
"$root/scripts/pgcluster.sh" start "$dir" >/dev/null
# shellcheck disable=SC1091
source "$dir/env"
status=0
for system in $systems; do
  TEST_EXTENSIONS=$system
  # shellcheck disable=SC1090,SC1091
  [ -f "$root/extensions/$system/system.conf" ] && source "$root/extensions/$system/system.conf"
  db="advisor_$system"
  psql -X -q -d postgres -c "CREATE DATABASE $db"
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE SCHEMA $system"
  for ext in $TEST_EXTENSIONS; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION $ext SCHEMA $system CASCADE"
  done
  echo "== $system"
  bash "$advisor" "$db" "$system" || status=1
done
exit $status
