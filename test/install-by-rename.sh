#!/usr/bin/env bash
# Installing a library replaces the old file by a rename, with both installers
# (cmake --install, and mk/install-by-rename.sh for PGXS): a reader holding the
# old file open keeps reading the old bytes, the path holds the whole new
# library under a new inode, and no staged copy is left behind.
# Usage: install-by-rename.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
fail=0
check() {  # check DESCRIPTION EXPECTED GOT
  if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1 (expected: $2, got: $3)"; fail=1; fi
}
tmp=$(mktemp -d)
trap 'exec 3<&- 2>/dev/null || true; rm -rf "$tmp"' EXIT
libdir=$(pg_config --pkglibdir)
lib=$(find "$build" -maxdepth 1 -name '*.so' | sort | head -1)
[ -n "$lib" ] || { echo "no library in $build" >&2; exit 1; }
name=$(basename "$lib")

# replaced_by INSTALL_COMMAND...: puts an older library at the destination,
# holds it open, runs the installer, and checks the reader and the path.
replaced_by() {
  local installed="$tmp$libdir/$name"
  mkdir -p "$tmp$libdir"
  { cat "$lib"; printf 'an older build'; } >"$installed"
  local old_inode old_sum
  old_inode=$(stat -c %i "$installed"); old_sum=$(md5sum <"$installed")
  exec 3<"$installed"
  "$@" >/dev/null
  check "$1: the path holds the new library" "$(md5sum <"$lib")" "$(md5sum <"$installed")"
  check "$1: the path is a new file" "yes" "$([ "$(stat -c %i "$installed")" != "$old_inode" ] && echo yes || echo no)"
  check "$1: an open reader still reads the old library" "$old_sum" "$(md5sum <&3)"
  check "$1: the library is executable by all" "755" "$(stat -c %a "$installed")"
  check "$1: no staged copy is left" "" "$(find "$tmp$libdir" -name ".$name.*")"
  exec 3<&-
  rm -rf "${tmp:?}"/*
}
replaced_by env DESTDIR="$tmp" cmake --install "$build"
replaced_by "$root/mk/install-by-rename.sh" "$lib" "$tmp$libdir/$name"
replaced_by "$root/mk/install-by-rename.sh" "$lib" "$tmp$libdir/"

# An unchanged library is left alone (its inode stays).
DESTDIR="$tmp" cmake --install "$build" >/dev/null
inode=$(stat -c %i "$tmp$libdir/$name")
DESTDIR="$tmp" cmake --install "$build" >/dev/null
check "cmake --install leaves an up-to-date library alone" "$inode" "$(stat -c %i "$tmp$libdir/$name")"
exit $fail
