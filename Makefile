# PGXS build: make && make install && make installcheck
#
# The library is C++17 (src/core: pure domain code, src/pg: the Postgres
# boundary, src/onesim: functions and triggers). The install script of the
# current version is assembled from the ordered parts in sql/onesim/.

MODULE_big = onesim
OBJS = $(patsubst %.cpp,%.o,$(sort $(wildcard src/core/*.cpp src/pg/*.cpp src/onesim/*.cpp)))

EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" control/onesim.control)
MODULEDIR = extension
DATA = control/onesim.control control/onesim_auth.control \
       $(filter-out sql/onesim--$(EXTVERSION).sql,$(wildcard sql/onesim--*.sql)) \
       $(wildcard sql/onesim_auth--*.sql)
DATA_built = sql/onesim--$(EXTVERSION).sql

# pg_regress: sql/<test>.sql against expected/<test>.out
REGRESS = $(sort $(patsubst sql/%.sql,%,$(wildcard sql/regress_*.sql)))
REGRESS_OPTS = --load-extension=onesim_auth --load-extension=onesim

PG_CONFIG ?= pg_config
PG_CPPFLAGS = -I$(srcdir)/src
PG_CXXFLAGS = -std=c++17 -Wno-register -Wno-missing-field-initializers -Wextra -Wno-unused-parameter
# Header dependencies (PGXS tracks them for C only): an edited header rebuilds
# every object that includes it.
PG_CXXFLAGS += -MMD -MP
SHLIB_LINK = -lfmt -lstdc++
EXTRA_CLEAN = $(DATA_built) $(OBJS:.o=.d)

# No LLVM bitcode for JIT inlining: it needs clang, and nothing here benefits.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

-include $(OBJS:.o=.d)

sql/onesim--$(EXTVERSION).sql: $(sort $(wildcard sql/onesim/*.sql))
	cat $^ > $@

# Pure C++ must never include a server header (enforced, not hoped for).
check-layering:
	@! grep -rn 'include "pg/\|include "postgres\|include <postgres' src/core \
	  || (echo "src/core must not include Postgres headers" && false)

all: check-layering
.PHONY: check-layering
