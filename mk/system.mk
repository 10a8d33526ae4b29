# PGXS build of one system: make -f mk/system.mk SYSTEM=<folder under extensions/>
# (the top-level Makefile runs it for each system). Conventions: see
# cmake/PgSystem.cmake and docs/adding-a-system.md.
SYSTEM ?= $(error SYSTEM is not set)
sysdir := extensions/$(SYSTEM)

CONTROLS := $(wildcard $(sysdir)/*.control)
EXTENSIONS := $(basename $(notdir $(CONTROLS)))
version_of = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(sysdir)/$(1).control)
# Install scripts of the versions in development, assembled from their parts.
built_dir := build-pgxs/$(SYSTEM)
BUILT_SCRIPTS := $(foreach e,$(EXTENSIONS),$(if $(wildcard $(sysdir)/sql/$(e)/*.sql),$(built_dir)/$(e)--$(call version_of,$(e)).sql))
# Update scripts to the version in development: the hand-written table changes
# (sql/<ext>/updates/<from>--<to>.sql) followed by the parts written to be run
# again (NN_*.rerun.sql: functions, views, policies), as cmake/PgSystem.cmake.
BUILT_UPDATES := $(foreach e,$(EXTENSIONS),$(foreach u,$(wildcard $(sysdir)/sql/$(e)/updates/*--$(call version_of,$(e)).sql),$(built_dir)/$(e)--$(notdir $(u))))
BUILT_SCRIPTS += $(BUILT_UPDATES)

MODULE_SOURCES := $(sort $(wildcard $(sysdir)/*.cpp $(sysdir)/domain/*.cpp $(sysdir)/triggers/*.cpp $(sysdir)/api/*.cpp))
ifneq ($(MODULE_SOURCES),)
MODULE_big = $(SYSTEM)
OBJS = $(patsubst %.cpp,%.o,$(sort $(wildcard core/*.cpp pg/*.cpp platform/*.cpp)) $(MODULE_SOURCES))
endif

MODULEDIR = extension
DATA = $(CONTROLS) $(wildcard $(sysdir)/sql/released/*.sql)
DATA_built = $(BUILT_SCRIPTS)

# pg_regress: test/regress/sql/<test>.sql against test/regress/expected/<test>.out
REGRESS = $(sort $(patsubst $(sysdir)/test/regress/sql/%.sql,%,$(wildcard $(sysdir)/test/regress/sql/*.sql)))
REGRESS_OPTS = --inputdir=$(sysdir)/test/regress --outputdir=$(built_dir)/regress \
               --load-extension=supabase_platform $(if $(filter-out supabase_platform,$(SYSTEM)),--load-extension=$(SYSTEM))

PG_CONFIG ?= pg_config
PG_CPPFLAGS = -I$(CURDIR) -I$(CURDIR)/extensions
PG_CXXFLAGS = -std=c++17 -Wno-register -Wno-missing-field-initializers -Wextra -Wno-unused-parameter \
              -fvisibility=hidden -fvisibility-inlines-hidden
# Header dependencies (PGXS tracks them for C only).
PG_CXXFLAGS += -MMD -MP
SHLIB_LINK = -lfmt -lstdc++ -Wl,--version-script=$(CURDIR)/cmake/exports.map
EXTRA_CLEAN = $(DATA_built) $(OBJS:.o=.d) $(built_dir)

# No LLVM bitcode for JIT inlining: it needs clang, and nothing here benefits.
override with_llvm = no

# The makefile is mk/system.mk, but the sources are relative to the top: say so,
# or PGXS would take mk/ for the source directory.
VPATH := $(CURDIR)
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Libraries are renamed into place: a backend loading one never finds it
# missing or partly written (see cmake/InstallByRename.cmake).
INSTALL_SHLIB = $(CURDIR)/mk/install-by-rename.sh

-include $(OBJS:.o=.d)

# Every install and update script ends with the tables' hand-over to the
# installing role.
HAND_OVER := platform/hand_over_tables.sql
ext_of = $(firstword $(subst --, ,$(1)))
$(built_dir)/%.sql:
	@mkdir -p $(built_dir)
	$(if $(filter $@,$(BUILT_UPDATES)),\
	  cat $(sysdir)/sql/$(call ext_of,$*)/updates/$(patsubst $(call ext_of,$*)--%,%,$*).sql $(sort $(wildcard $(sysdir)/sql/$(call ext_of,$*)/*.rerun.sql)) $(HAND_OVER) > $@,\
	  cat $(sort $(wildcard $(sysdir)/sql/$(call ext_of,$*)/*.sql)) $(HAND_OVER) > $@)
.SECONDEXPANSION:
$(BUILT_SCRIPTS): $$(sort $$(wildcard $(sysdir)/sql/$$(firstword $$(subst --, ,$$(notdir $$(basename $$@))))/*.sql)) $(HAND_OVER)
