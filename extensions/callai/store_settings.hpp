// A store's setting read by its key (store_id, category, key) through the
// settings table's unique index, without the executor: for triggers that
// read one setting per row written (product_before's low-stock threshold),
// where a statement's executor start-up costs more than the read.
#pragma once

#include <optional>

#include "callai/common.hpp"

namespace callai {

struct SettingRead {
    // False when the read could not be made this way (the table's unique
    // index on (store_id, category, key) is not there, as after a schema
    // changed by hand): the caller reads through SQL instead.
    bool answered = false;
    // The setting's value (jsonb, detoasted in the current memory context);
    // none when the store has no such setting.
    std::optional<Datum> value;
};

// The `value` of the store's setting (category, key) in the settings table
// of schema `app`, under the active snapshot, as the extension's owner sees
// it (no privilege or row-security check).
SettingRead read_store_setting(Oid app, Datum store_id, const char* category, const char* key);

// A jsonb value's number when it is a numeric scalar, else none: what
// `CASE WHEN jsonb_typeof(value) = 'number' THEN (value #>> '{}')::numeric END`
// gives.
std::optional<core::Decimal> jsonb_number(Datum jsonb, const char* what);

}  // namespace callai
