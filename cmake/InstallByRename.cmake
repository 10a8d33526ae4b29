# Installs one library the way package managers do: copied next to its
# destination under a temporary name, then renamed over the old file.
# install(TARGETS) and GNU install (PGXS) unlink the old file and write the
# new one under its name: until the copy ends, a backend that loads the
# library (a new connection, a first call) finds no file or a partly written
# one, and a partly written ELF can load and fault later. A rename swaps whole
# files at once: running backends keep the file they mapped, new ones load
# the complete new file. (Copying over the installed file in place, as `cp`
# does, is worse: it rewrites the pages running backends have mapped.)
#
# Run by install(CODE) with PGCPP_LIBRARY (the built file) and PGCPP_LIBDIR
# (the destination directory) set; DESTDIR is honoured.
get_filename_component(_pgcpp_name "${PGCPP_LIBRARY}" NAME)
set(_pgcpp_dir "$ENV{DESTDIR}${PGCPP_LIBDIR}")
set(_pgcpp_destination "${_pgcpp_dir}/${_pgcpp_name}")
if(EXISTS "${_pgcpp_destination}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${PGCPP_LIBRARY}" "${_pgcpp_destination}"
                  RESULT_VARIABLE _pgcpp_differs OUTPUT_QUIET ERROR_QUIET)
  if(NOT _pgcpp_differs)
    message(STATUS "Up-to-date: ${_pgcpp_destination}")
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_pgcpp_destination}")
    return()
  endif()
endif()
message(STATUS "Installing: ${_pgcpp_destination}")
file(MAKE_DIRECTORY "${_pgcpp_dir}")
string(RANDOM LENGTH 8 _pgcpp_suffix)
set(_pgcpp_staged "${_pgcpp_dir}/.${_pgcpp_name}.${_pgcpp_suffix}")
file(COPY_FILE "${PGCPP_LIBRARY}" "${_pgcpp_staged}")
file(CHMOD "${_pgcpp_staged}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                   WORLD_READ WORLD_EXECUTE)
file(RENAME "${_pgcpp_staged}" "${_pgcpp_destination}")
list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${_pgcpp_destination}")
