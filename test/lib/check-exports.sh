#!/usr/bin/env bash
# Every library exports C names only (see cmake/exports.map): PostgreSQL loads
# modules with RTLD_GLOBAL, so an exported C++ symbol of one of our libraries
# would be what another of them calls. Usage: check-exports.sh BUILD_DIR
set -euo pipefail
build=${1:?build dir}
libs=$(find "$build" -maxdepth 1 -name '*.so' | sort)
[ -n "$libs" ] || { echo "no library in $build" >&2; exit 1; }
status=0
for lib in $libs; do
  # Read once into a variable: `nm | grep -q` under pipefail fails whenever
  # grep stops reading early and nm dies of SIGPIPE.
  symbols=$(nm -D --defined-only "$lib")
  mangled=$(awk '$3 ~ /^_Z/ {print $3}' <<<"$symbols")
  if [ -n "$mangled" ]; then
    echo "FAIL $(basename "$lib") exports C++ symbols:"; head -5 <<<"$mangled"; status=1
  elif ! grep -q ' Pg_magic_func$' <<<"$symbols"; then
    echo "FAIL $(basename "$lib") does not export Pg_magic_func"; status=1
  else
    echo "ok   $(basename "$lib"): $(wc -l <<<"$symbols") C symbols, no C++ symbol"
  fi
done
exit $status
