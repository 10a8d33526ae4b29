# Sourced by the shell suites that report in TAP's words.
#
# check DESCRIPTION QUERY: runs QUERY in database $db and prints "ok -
# DESCRIPTION" when it returns 't', else "not ok" with what it returned and
# sets fail=1 (the suite ends with `exit $fail`).
fail=0
check() {
  local got
  got=$(psql -X -At -d "$db" -c "$2")
  if [ "$got" = t ]; then echo "ok - $1"; else echo "not ok - $1 (got: $got)"; fail=1; fi
}
