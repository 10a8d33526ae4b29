#!/usr/bin/env bash
# pg_dump / pg_restore of a database holding esimgo with data in every table
# gives the same rows in every table (times included: a restore loads them as
# dumped and its CREATE EXTENSION seeds nothing), the same prices under the
# rules an admin changed, and triggers and API that work afterwards.
#   bash backup.sh STATEFILE
set -euo pipefail
# shellcheck disable=SC1090
source "$(cat "$1")/env"
here=$(cd "$(dirname "$0")" && pwd)
src=esimgo_backup_src dst=esimgo_backup_dst dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
q() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }
fails=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=1; }

for db in $src $dst; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null; done
psql -X -q -d postgres -c "CREATE DATABASE $src" >/dev/null
q $src -c "CREATE EXTENSION esimgo CASCADE" 2>/dev/null
q $src -f "$here/backup/populate.sql" >/dev/null

# Every table of the extension, each row whole; then figures from the rows.
snapshot() {
  q "$1" -c "SELECT c.relnamespace::regnamespace || '.' || c.relname FROM pg_class c
               JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
              WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'esimgo') AND c.relkind = 'r'
              ORDER BY 1" | while read -r t; do
    printf '%s %s\n' "$t" "$(q "$1" -c "SELECT count(*) || ' ' || coalesce(md5(string_agg(x, '|' ORDER BY x)), '-')
                                          FROM (SELECT to_jsonb(r)::text AS x FROM $t r) s")"
  done
  q "$1" -c "SELECT 'prices ' || count(*) || ' ' || sum(final_price) FROM price_catalog()" \
         -c "SELECT 'GR 7 days ' || (calculate_price(7, 'GR') ->> 'finalPrice')" \
         -c "SELECT 'orders off their session''s price ' || count(*) FROM esim_orders o JOIN checkout_sessions s ON s.order_id = o.id
              WHERE o.total_price <> (s.pricing ->> 'finalPrice')::numeric" \
         -c "SELECT 'users without a profile ' || count(*) FROM auth.users u WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.id = u.id)"
}
before=$(snapshot $src)
echo "$before" | grep -q '^public.profiles 3 ' && echo "$before" | grep -q '^public.pricing_blocks 8 ' \
  && echo "$before" | grep -q "^orders off their session's price 0$" && echo "$before" | grep -q '^users without a profile 0$' \
  && ok "the source holds what restores used to lose (profiles, changed rules) and true figures" \
  || not_ok "the source database is not what the suite is about: $before"

# (pg_dump warns of pricing_strategies' foreign key to itself, which only a
# data-only restore would meet.)
pg_dump -Fc -d $src -f "$dump" 2>/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $dst" >/dev/null
# The triggers esimgo puts on auth.users are not extension members: pg_dump
# dumps them and CREATE EXTENSION has already made them, so pg_restore reports
# them as existing; nothing else may fail.
errors=$(pg_restore -d $dst "$dump" 2>&1 | grep -E '^pg_restore: error' || true)
unexpected=$(echo "$errors" | grep -v -E 'already exists|^$' || true)
[ -z "$unexpected" ] && ok "pg_restore reported only the non-member objects it found existing" \
  || not_ok "pg_restore failed: $unexpected"

after=$(snapshot $dst)
if [ "$before" = "$after" ]; then
  ok "every table's rows and the figures are restored as dumped ($(echo "$before" | grep -c '^public\.\|^esimgo_internal\.') tables)"
else
  not_ok "the restored database differs:"; diff <(echo "$before") <(echo "$after") || true
fi

# Afterwards the triggers and the API work: a sign-up makes a profile, a rule
# change moves the version and the price.
got=$(q $dst -c "INSERT INTO auth.users (id, email, raw_user_meta_data) VALUES
                   ('e5900000-0000-4000-8000-0000000000f1', 'after@esimgo.example', '{\"first_name\":\"After\"}')" \
             -c "SELECT first_name FROM profiles WHERE id = 'e5900000-0000-4000-8000-0000000000f1'")
[ "$got" = "After" ] && ok "a sign-up after the restore makes its profile" || not_ok "sign-up after the restore: '$got'"
got=$(q $dst -c "SELECT n FROM esimgo_internal.rules_version" \
             -c "UPDATE pricing_blocks SET is_active = false WHERE id = 'e5900000-0000-4000-8000-0000000007b1'" \
             -c "SELECT n FROM esimgo_internal.rules_version" | uniq | wc -l)
[ "$got" = 2 ] && ok "a rule change after the restore moves the rules version" || not_ok "rules version after the restore"
moved=$(q $dst -c "SELECT calculate_price(7, 'GR') ->> 'finalPrice'")
restored=$(echo "$after" | sed -n 's/^GR 7 days //p')
[ "$moved" != "$restored" ] && ok "and the price follows it ($restored -> $moved)" || not_ok "the price did not follow the rule change"
exit $fails
