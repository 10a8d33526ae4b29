#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the Debian packages it
# needs, builds with CMake, installs the extension into PostgreSQL 15 and runs
# every suite through CTest (GoogleTest, pg_regress, pgTAP, isolation specs)
# against a throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cmake --install build >/dev/null
cd build
ctest --output-on-failure
