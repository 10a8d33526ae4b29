#!/usr/bin/env bash
# The stress mix with partner figures written statement by statement: the
# other lock order (partner rows first) must be deadlock-free too.
set -euo pipefail
PGOPTIONS="${PGOPTIONS:-} -c onesim.partner_figures=immediate" exec bash "$(dirname "$0")/stress.sh" "$@"
