#!/usr/bin/env bash
# esimgo installs alone in public, in a named schema, and beside OneSIM in one
# database (each in its own schema; both keep a profiles table and a trigger
# on auth.users); nothing depends on search_path; drop and re-create while
# the other stays.
set -euo pipefail
# shellcheck disable=SC1090
source "$(cat "$1")/env"
psql_db() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
check() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; echo "ok - $1"; }

catalog_row="INSERT INTO %s.catalog_bundles (esim_go_name, validity_in_days, price, is_unlimited, countries, provider)
             VALUES ('inst-maya-7', 7, 4.00, true, ARRAY['XI'], 'MAYA')"

for db in esimgo_inst_public esimgo_inst_named esimgo_inst_beside; do
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done

# alone, in public, called with an empty search_path
psql_db esimgo_inst_public -c "CREATE EXTENSION esimgo CASCADE"
psql_db esimgo_inst_public -c "$(printf "$catalog_row" public)"
got=$(psql_db esimgo_inst_public -c "SET search_path = ''" -c "SELECT public.calculate_price(7, 'XI') ->> 'finalPrice'")
check "in public, priced with an empty search_path" "$got" "19.00"

# in a named schema, with a search_path that does not name it
psql_db esimgo_inst_named -c "CREATE SCHEMA shop" -c "CREATE EXTENSION esimgo SCHEMA shop CASCADE"
psql_db esimgo_inst_named -c "$(printf "$catalog_row" shop)"
got=$(psql_db esimgo_inst_named -c "SET search_path = public" -c "SELECT shop.calculate_price(7, 'XI') ->> 'finalPrice'")
check "in schema shop" "$got" "19.00"
got=$(psql_db esimgo_inst_named -c "SET search_path = public" \
  -c "SELECT count(*) FROM shop.price_catalog(days => ARRAY[7])")
check "price_catalog in schema shop (one country, no region)" "$got" "1"
psql_db esimgo_inst_named -c "INSERT INTO auth.users (id, email) VALUES ('e0000000-0000-0000-0000-00000000000e', 'inst@example.test')"
got=$(psql_db esimgo_inst_named -c "SELECT count(*) FROM shop.profiles WHERE id = 'e0000000-0000-0000-0000-00000000000e'")
check "sign-up fills shop.profiles" "$got" "1"

# beside OneSIM, each in its own schema
if [ -f "$(pg_config --sharedir)/extension/onesim.control" ]; then
  psql_db esimgo_inst_beside -c "CREATE SCHEMA onesim" -c "CREATE EXTENSION onesim SCHEMA onesim CASCADE" \
    -c "CREATE SCHEMA esimgo" -c "CREATE EXTENSION esimgo SCHEMA esimgo CASCADE"
  psql_db esimgo_inst_beside -c "$(printf "$catalog_row" esimgo)"
  psql_db esimgo_inst_beside -c "INSERT INTO auth.users (id, email) VALUES ('f0000000-0000-0000-0000-00000000000f', 'both@example.test')"
  got=$(psql_db esimgo_inst_beside -c "SELECT (SELECT count(*) FROM esimgo.profiles) || '/' || (SELECT count(*) FROM onesim.profiles)")
  check "a sign-up fills esimgo.profiles; onesim.profiles, same name, untouched" "$got" "1/0"
  got=$(psql_db esimgo_inst_beside -c "SELECT esimgo.calculate_price(7, 'XI') ->> 'finalPrice'")
  check "esimgo prices beside onesim" "$got" "19.00"
  psql_db esimgo_inst_beside -c "DROP EXTENSION esimgo CASCADE"
  psql_db esimgo_inst_beside -c "INSERT INTO auth.users (id, email) VALUES ('f1000000-0000-0000-0000-00000000000f', 'after@example.test')"
  got=$(psql_db esimgo_inst_beside -c "SELECT count(*) FROM onesim.profiles" -c "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'auth.users'::regclass AND tgname LIKE 'esimgo%'")
  check "onesim stays and esimgo leaves no trigger on auth.users when dropped" "$got" "0
0"
  psql_db esimgo_inst_beside -c "CREATE EXTENSION esimgo SCHEMA esimgo"
  psql_db esimgo_inst_beside -c "$(printf "$catalog_row" esimgo)"
  got=$(psql_db esimgo_inst_beside -c "SELECT esimgo.calculate_price(7, 'XI') ->> 'finalPrice'")
  check "esimgo re-created beside onesim" "$got" "19.00"
else
  echo "onesim is not installed: the side-by-side part needs it" >&2
  exit 1
fi

for db in esimgo_inst_public esimgo_inst_named esimgo_inst_beside; do
  psql -X -q -d postgres -c "DROP DATABASE $db"
done
echo "install: all checks passed"
