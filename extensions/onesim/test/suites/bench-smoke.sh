#!/usr/bin/env bash
# The benchmark's command at a tiny scale, in a cluster of its own (not timed:
# see ../../bench/smoke.sh).
set -euo pipefail
exec bash "$(dirname "$0")/../../bench/smoke.sh"
