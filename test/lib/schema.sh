# Sourced by the suites that compare two databases' schemas (upgrade suites).
#
# normalized_schema DB: pg_dump --binary-upgrade --schema-only of DB (it lists
# every member of every extension with its definition, privileges and initial
# privileges), with what legitimately differs between two databases removed:
# OIDs, frozen xids, the stored default of a column added to a table that
# already had rows (ADD COLUMN ... DEFAULT keeps it for the old rows: storage,
# not schema), the list of an extension's configuration tables by OID, and
# the order of its required extensions (ALTER EXTENSION UPDATE records them
# again in another order).
normalized_schema() {
  pg_dump --binary-upgrade --schema-only -d "$1" \
    | grep -v -e '^\\restrict' -e '^\\unrestrict' -e 'binary_upgrade_set_next_' \
              -e 'binary_upgrade_set_missing_value' -e '^-- set missing value\.$' \
    | sed -E -e "s/relfrozenxid = '[0-9]+', relminmxid = '[0-9]+'/relfrozenxid = ?, relminmxid = ?/" \
             -e "s/^WHERE oid = '[0-9]+';/WHERE oid = ?;/" \
             -e "s/(binary_upgrade_create_empty_extension\('[a-z_]+', '[a-z_]+', (true|false), '[^']*', )'\{[0-9,]*\}'/\1'{config tables}'/" \
    | perl -pe 's/(ARRAY\[)([^\]]*)(\]::pg_catalog\.text\[\]\);)$/$1 . join(",", sort split(",", $2)) . $3/e
                 if /binary_upgrade_create_empty_extension/' \
    | cat -s
}
