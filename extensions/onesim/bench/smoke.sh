#!/usr/bin/env bash
# The benchmark's one command still works: run.sh at a tiny scale, one short
# round of everything, on the extension already installed. Nothing is timed
# or compared with a target here (benchmarks are not tests); the check is
# that every scenario of both designs produced its figures, the hot partner's
# totals stayed exact, and the report was written.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp /tmp/onesim-bench-smoke-XXXXXX.md)
log=$(mktemp /tmp/onesim-bench-smoke-XXXXXX.log)
trap 'rm -f "$out" "$log"' EXIT

if ! SCALES=2000 MAIN_SCALE=2000 ROUNDS=1 BULK_ROUNDS=1 DURATION=1 PORT=${PORT:-54423} \
  BENCH_SKIP_DEPS=1 BENCH_SKIP_BUILD=1 OUT="$out" bash "$here/run.sh" >"$log" 2>&1; then
  echo "bench smoke: run.sh failed" >&2
  tail -n 30 "$log" >&2
  exit 1
fi

fail() { echo "bench smoke: $*" >&2; sed -n '/## Results/,/## How/p' "$out" >&2; exit 1; }
results=$(sed -n '/^## Results at 2,000 orders/,/^## How/p' "$out")
rows=$(grep -c '^| [0-9]' <<<"$results" || true)
[ "$rows" -eq 10 ] || fail "expected 10 scenario rows, found $rows"
if grep '^| [0-9]' <<<"$results" | grep -q 'n/a'; then fail "a scenario has no figure"; fi
grep -q 'seed design `yes`, onesim `yes`' "$out" || fail "hot partner totals not exact"
grep -q '^## Analysis' "$out" || fail "analysis missing"
grep -q '^## Evidence' "$out" || fail "evidence missing"
echo "bench smoke: report complete ($rows scenarios)"
