# PGXS build of every system: make && make install && make installcheck
#
#   make SYSTEMS=onesim install      one system (and the supabase_platform it requires)
#
# Each system (a folder under extensions/) is built by mk/system.mk with PGXS;
# see docs/adding-a-system.md.
ALL_SYSTEMS := supabase_platform $(filter-out supabase_platform,$(notdir $(wildcard extensions/*)))
SYSTEMS ?= $(ALL_SYSTEMS)
BUILD_SYSTEMS := supabase_platform $(filter-out supabase_platform,$(SYSTEMS))
PG_CONFIG ?= pg_config

all install installcheck clean uninstall:
	@set -e; for s in $(BUILD_SYSTEMS); do \
	  $(MAKE) --no-print-directory -f mk/system.mk SYSTEM=$$s PG_CONFIG=$(PG_CONFIG) $@; \
	done

# Pure C++ (core/ and every domain/) never includes a server header; the
# CMake build enforces the same by giving those files no server include path.
check-layering:
	@! grep -rn 'include "pg/\|include "platform/\|include "postgres\|include <postgres' core extensions/*/domain \
	  || (echo "core/ and domain/ must not include PostgreSQL headers" && false)

all: check-layering
.PHONY: all install installcheck clean uninstall check-layering
