# pg_system(NAME): builds, installs and registers the tests of the system in
# extensions/NAME, by convention (docs/adding-a-system.md):
#
#   *.control                one per extension (default_version read from it)
#   sql/<ext>/NN_*.sql       parts of <ext>--<default_version>.sql, in order
#   sql/<ext>/updates/<from>--<default_version>.sql
#                            the hand-written table changes of an update to the
#                            version in development; the update script
#                            <ext>--<from>--<default_version>.sql is that file
#                            followed by every part named NN_*.rerun.sql (the
#                            functions, views and policies written to be run
#                            again: one definition serves install and update);
#                            both end with platform/hand_over_tables.sql
#   sql/released/*.sql       frozen install scripts and update scripts
#   domain/*.cpp             pure C++ (no PostgreSQL include path: PGCPP_PURE)
#   *.cpp triggers/*.cpp api/*.cpp   the library NAME.so
#   test/unit/*_test.cpp     GoogleTest over domain/ and core/
#   test/regress, test/pgtap, test/isolation, test/suites/*.sh   database suites
#                            (and bad_input; for a system with a library, catalog)
#
# Database suites of one system share a throwaway cluster (a CTest fixture)
# and run one at a time (a resource lock); different systems run in parallel.
function(pg_system name)
  set(dir ${CMAKE_SOURCE_DIR}/extensions/${name})
  if(NOT IS_DIRECTORY ${dir})
    message(FATAL_ERROR "no system ${name}: extensions/${name} does not exist")
  endif()

  # ---- install scripts, one per extension of the system
  # Every install and update script ends with the tables' hand-over to the
  # installing role (platform/hand_over_tables.sql).
  set(hand_over ${CMAKE_SOURCE_DIR}/platform/hand_over_tables.sql)
  file(GLOB controls CONFIGURE_DEPENDS ${dir}/*.control)
  set(built_scripts "")
  foreach(control IN LISTS controls)
    get_filename_component(ext ${control} NAME_WE)
    file(STRINGS ${control} version_line REGEX "^default_version")
    string(REGEX REPLACE ".*'(.*)'.*" "\\1" version "${version_line}")
    file(GLOB parts CONFIGURE_DEPENDS ${dir}/sql/${ext}/*.sql)
    if(parts)
      list(SORT parts)
      set(script ${CMAKE_BINARY_DIR}/sql/${ext}--${version}.sql)
      add_custom_command(OUTPUT ${script}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/sql
        COMMAND ${CMAKE_COMMAND} -E cat ${parts} ${hand_over} > ${script}
        DEPENDS ${parts} ${hand_over} VERBATIM)
      list(APPEND built_scripts ${script})
      set(rerun_parts ${parts})
      list(FILTER rerun_parts INCLUDE REGEX "\\.rerun\\.sql$")
      file(GLOB updates CONFIGURE_DEPENDS ${dir}/sql/${ext}/updates/*--${version}.sql)
      foreach(update IN LISTS updates)
        get_filename_component(step ${update} NAME)
        set(update_script ${CMAKE_BINARY_DIR}/sql/${ext}--${step})
        add_custom_command(OUTPUT ${update_script}
          COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/sql
          COMMAND ${CMAKE_COMMAND} -E cat ${update} ${rerun_parts} ${hand_over} > ${update_script}
          DEPENDS ${update} ${rerun_parts} ${hand_over} VERBATIM)
        list(APPEND built_scripts ${update_script})
      endforeach()
    endif()
  endforeach()
  if(built_scripts)
    add_custom_target(${name}_sql ALL DEPENDS ${built_scripts})
  endif()
  file(GLOB released CONFIGURE_DEPENDS ${dir}/sql/released/*.sql ${dir}/sql/*.sql)
  install(FILES ${controls} ${built_scripts} ${released} DESTINATION ${PG_SHAREDIR}/extension)

  # ---- C++
  file(GLOB domain_sources CONFIGURE_DEPENDS ${dir}/domain/*.cpp)
  if(domain_sources)
    add_library(${name}_domain STATIC ${domain_sources})
    target_include_directories(${name}_domain PUBLIC ${CMAKE_SOURCE_DIR}/extensions)
    target_link_libraries(${name}_domain PUBLIC pgcpp_core)
    target_compile_options(${name}_domain PRIVATE ${PGCPP_WARNINGS} ${PGCPP_VISIBILITY})
    set_target_properties(${name}_domain PROPERTIES POSITION_INDEPENDENT_CODE ON)
  endif()
  file(GLOB module_sources CONFIGURE_DEPENDS ${dir}/*.cpp ${dir}/triggers/*.cpp ${dir}/api/*.cpp)
  if(module_sources)
    add_library(${name} MODULE ${module_sources} ${CMAKE_SOURCE_DIR}/pg/module.cpp)
    target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/extensions)
    target_compile_options(${name} PRIVATE ${PGCPP_WARNINGS} ${PGCPP_VISIBILITY})
    target_link_libraries(${name} PRIVATE pgcpp_pg pgcpp_core)
    if(domain_sources)
      target_link_libraries(${name} PRIVATE ${name}_domain)
    endif()
    target_link_options(${name} PRIVATE -Wl,--version-script=${CMAKE_SOURCE_DIR}/cmake/exports.map)
    set_target_properties(${name} PROPERTIES PREFIX "" LINK_DEPENDS ${CMAKE_SOURCE_DIR}/cmake/exports.map)
    # Renamed into place, whole (cmake/InstallByRename.cmake).
    install(CODE "set(PGCPP_LIBRARY \"$<TARGET_FILE:${name}>\")
                  set(PGCPP_LIBDIR \"${PG_PKGLIBDIR}\")
                  include(\"${CMAKE_SOURCE_DIR}/cmake/InstallByRename.cmake\")")
  endif()

  # ---- tests
  file(GLOB unit_sources CONFIGURE_DEPENDS ${dir}/test/unit/*.cpp)
  if(unit_sources AND GTest_FOUND)
    add_executable(${name}_unit_tests ${unit_sources})
    target_include_directories(${name}_unit_tests PRIVATE ${CMAKE_SOURCE_DIR}/extensions)
    target_link_libraries(${name}_unit_tests PRIVATE pgcpp_core GTest::gtest_main)
    if(domain_sources)
      target_link_libraries(${name}_unit_tests PRIVATE ${name}_domain)
    endif()
    target_compile_options(${name}_unit_tests PRIVATE ${PGCPP_WARNINGS})
    add_test(NAME ${name}/unit COMMAND ${name}_unit_tests)
    set_tests_properties(${name}/unit PROPERTIES LABELS "${name}")
  endif()

  # What a Supabase user runs: types generated by postgres-meta and a
  # supabase-js client type-checked over them (a cluster of its own; npm's
  # registry reached once, then cached). supabase_platform lives in the fixed
  # schema extensions, which the API does not expose.
  if(controls AND NOT name STREQUAL "supabase_platform")
    add_test(NAME ${name}/typegen COMMAND bash ${CMAKE_SOURCE_DIR}/test/typegen/run.sh ${name})
    set_tests_properties(${name}/typegen PROPERTIES LABELS "${name}" TIMEOUT 900)
  endif()

  set(suites "")
  if(EXISTS ${dir}/test/regress/sql)
    list(APPEND suites regress)
  endif()
  if(EXISTS ${dir}/test/pgtap)
    list(APPEND suites pgtap pgtap_supabase)
  endif()
  if(EXISTS ${dir}/test/pgtap_superuser)
    list(APPEND suites pgtap_superuser)
  endif()
  if(EXISTS ${dir}/test/isolation/specs)
    list(APPEND suites isolation)
  endif()
  # Every system that ships a library: the advisor's properties in its own
  # schema. Every system: bad input through every function a caller can reach.
  if(module_sources)
    list(APPEND suites catalog)
  endif()
  list(APPEND suites bad_input)
  file(GLOB shell_suites CONFIGURE_DEPENDS ${dir}/test/suites/*.sh)
  foreach(script IN LISTS shell_suites)
    get_filename_component(suite ${script} NAME_WE)
    list(APPEND suites ${suite})
  endforeach()
  if(NOT suites)
    return()
  endif()

  set(runner ${CMAKE_SOURCE_DIR}/test/lib/db-suite.sh)
  set(state ${CMAKE_BINARY_DIR}/cluster-${name}.dir)
  add_test(NAME ${name}/db_start COMMAND ${runner} ${name} start ${state})
  add_test(NAME ${name}/db_stop COMMAND ${runner} ${name} stop ${state})
  set_tests_properties(${name}/db_start PROPERTIES FIXTURES_SETUP db_${name} LABELS "${name}")
  set_tests_properties(${name}/db_stop PROPERTIES FIXTURES_CLEANUP db_${name} LABELS "${name}")
  foreach(suite IN LISTS suites)
    add_test(NAME ${name}/${suite} COMMAND ${runner} ${name} ${suite} ${state}
             WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
    set_tests_properties(${name}/${suite} PROPERTIES FIXTURES_REQUIRED db_${name}
                         RESOURCE_LOCK cluster_${name} LABELS "${name}" TIMEOUT 900)
  endforeach()
endfunction()
