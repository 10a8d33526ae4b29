#!/usr/bin/env bash
# The test suite, from a fresh clone: installs the Debian packages it needs,
# builds with CMake, installs the extensions into PostgreSQL 15 and runs the
# suites through CTest (GoogleTest, pg_regress, pgTAP, isolation specs, shell
# suites), each system against a throwaway cluster of its own, systems in
# parallel.
#
#   bash scripts/test.sh            every system (what CI runs)
#   bash scripts/test.sh onesim     one system (and the shared layers' tests)
#
# Ends with the time each layer took.
set -euo pipefail
cd "$(dirname "$0")/.."

system=${1:-}
scripts/install-deps.sh
if [ -n "$system" ]; then
  [ -d "extensions/$system" ] || { echo "no system '$system' (folders: $(ls extensions | tr '\n' ' '))" >&2; exit 2; }
  build="build-$system"
  # A system whose tests install another beside it names it in system.conf.
  COMPANION_SYSTEMS=""
  # shellcheck disable=SC1090,SC1091
  source <(grep '^COMPANION_SYSTEMS=' "extensions/$system/system.conf" 2>/dev/null || true)
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSYSTEMS="$system${COMPANION_SYSTEMS:+;${COMPANION_SYSTEMS// /;}}" >/dev/null
  labels=(-L "^(core|supabase_platform|$system)\$")
else
  build=build
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSYSTEMS= >/dev/null
  labels=()
fi
cmake --build "$build" -j"$(nproc)"
cmake --install "$build" >/dev/null

log="$build/ctest.log"
status=0
(cd "$build" && ctest --output-on-failure -j"${TEST_JOBS:-3}" "${labels[@]}") 2>&1 | tee "$log" || status=$?
[ "${PIPESTATUS[0]}" = 0 ] || status=1

# Per-layer times: the shared layers, then each system (its suites' times
# added up; systems run side by side, so the wall clock is less than the sum).
echo
echo "time per layer (seconds, suites added up)"
sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^/ ]+)\/([^ ]+) .* ([0-9.]+) sec$/\1 \2 \3/p' "$log" |
  awk '{t[$1] += $3; n[$1]++} END {for (k in t) printf "  %-20s %4d suites %8.1f s\n", k, n[k], t[k]}' | sort
exit $status
