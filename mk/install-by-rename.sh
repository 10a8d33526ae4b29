#!/bin/sh
# INSTALL_SHLIB for PGXS (mk/system.mk): installs libraries as
# cmake/InstallByRename.cmake does, copied under a temporary name next to
# the destination and renamed over the old file, so that a backend loading
# the library never finds it missing or partly written. Usage: install-by-rename.sh FILE... DESTINATION
# (a DESTINATION ending in / is a directory).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 FILE... DESTINATION" >&2; exit 2; }
eval "destination=\${$#}"
while [ $# -gt 1 ]; do
  file=$1; shift
  case $destination in
    */) target=$destination$(basename "$file") ;;
    *) target=$destination ;;
  esac
  staged=$(dirname "$target")/.$(basename "$target").$$
  install -c -m 755 "$file" "$staged"
  mv -f "$staged" "$target"
done
