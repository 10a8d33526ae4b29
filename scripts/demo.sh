#!/usr/bin/env bash
# The main job, from a fresh clone: installs the Debian packages it needs,
# builds and installs the extension (PGXS), starts a throwaway PostgreSQL 15,
# runs CREATE EXTENSION onesim CASCADE, loads the specification's sample data
# and walks through the B2B workflow. The cluster is removed at the end
# (keep it with ONESIM_KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh >/dev/null
make -s >/dev/null
make -s install >/dev/null

dir=$(mktemp -d /tmp/onesim-demo.XXXXXX)
cleanup() { [ "${ONESIM_KEEP:-0}" = 1 ] || scripts/pgcluster.sh stop "$dir"; }
trap cleanup EXIT
scripts/pgcluster.sh start "$dir" "${ONESIM_DEMO_PORT:-54330}"
# shellcheck disable=SC1091
source "$dir/env"

psql -X -q -d postgres -c "CREATE DATABASE onesim_demo"
run() { psql -X -q -v ON_ERROR_STOP=1 -d onesim_demo "$@"; }
run -c "SET client_min_messages = warning" -c "CREATE EXTENSION onesim CASCADE"
run -f sql/sample/onesim_sample_data.sql
run -f scripts/demo.sql   # each step: one API request, as PostgREST runs it
if [ "${ONESIM_KEEP:-0}" = 1 ]; then echo "cluster kept: source $dir/env; psql -d onesim_demo"; fi
