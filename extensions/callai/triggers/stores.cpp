// Stores and their members: updated_at, a new store's owner and default
// settings, the last-owner rule, and the store_id children inherit.
#include <fmt/format.h>

#include <set>

#include "callai/common.hpp"
#include "callai/domain/store_defaults.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "access/xact.h"
#include "executor/spi.h"
}

using namespace callai;
using core::DomainError;
using core::ErrorKind;

// callai_internal.touch_updated_at(): BEFORE UPDATE FOR EACH ROW. updated_at
// becomes the transaction's start time (what now() and the column default
// give) and created_at stays as it was: a client cannot rewrite either.
PG_CPP_FUNCTION(callai_touch_updated_at) {
    static const pg::TriggerSpec spec{"callai_internal.touch_updated_at", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    RowEdit row(data, data->tg_newtuple);
    row.set("updated_at", TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
    if (pg::cached_attnum(RelationGetRelid(data->tg_relation), RelationGetDescr(data->tg_relation),
                          "created_at") > 0) {
        OldRow old(data);
        row.set("created_at", old->is_null("created_at") ? std::nullopt
                                                         : std::optional<Datum>(old->value("created_at")));
    }
    return PointerGetDatum(row.result());
}

namespace {

pg::Statement add_owners(
    "INSERT INTO {app}.store_members (store_id, user_id, role) "
    "SELECT id, created_by, 'owner' FROM new_stores WHERE created_by IS NOT NULL",
    {});
pg::Statement new_store_ids("SELECT id FROM new_stores ORDER BY id", {});
pg::Statement add_setting(
    "INSERT INTO {app}.settings (store_id, category, key, value, description) "
    "SELECT s, $2::text::{app}.setting_category, $3, $4::jsonb, $5 FROM unnest($1::uuid[]) AS s",
    {UUIDARRAYOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID});

}  // namespace

// callai_internal.store_created(): AFTER INSERT FOR EACH STATEMENT on stores,
// REFERENCING NEW TABLE AS new_stores. The creator (created_by, auth.uid()
// by default) becomes the store's owner, and every new store gets upstream's
// twelve default settings. Runs as the extension's owner: a new store's
// creator is not yet a member who could write either.
PG_CPP_FUNCTION(callai_store_created) {
    static const pg::TriggerSpec spec{"callai_internal.store_created", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);  // a restore: rows as dumped
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    pg::SpiSession spi;
    register_transition_tables(data);
    add_owners.execute(app, nullptr, nullptr);
    const uint64 n = new_store_ids.execute(app, nullptr, nullptr, false);
    if (n == 0) return PointerGetDatum(nullptr);
    std::vector<Datum> ids;
    for (uint64 i = 0; i < n; ++i) {
        bool isnull;
        ids.push_back(pg::spi_value(i, 1, &isnull));
    }
    const Datum id_array = pg::call([&] {
        return PointerGetDatum(construct_array(ids.data(), static_cast<int>(ids.size()), UUIDOID, UUID_LEN,
                                               false, TYPALIGN_CHAR));
    });
    for (const domain::DefaultSetting& s : domain::default_store_settings()) {
        Datum args[5] = {id_array, pg::text_from_string(s.category), pg::text_from_string(s.key),
                         pg::text_from_string(s.value_json), pg::text_from_string(s.description)};
        add_setting.execute(app, args, nullptr);
    }
    return PointerGetDatum(nullptr);
}

namespace {

pg::Statement stores_that_lost_an_owner(
    "SELECT DISTINCT o.store_id FROM old_members o WHERE o.role = 'owner' ORDER BY 1", {});
pg::Statement lock_store("SELECT 1 FROM {app}.stores WHERE id = $1 FOR NO KEY UPDATE", {UUIDOID},
                         pg::Statement::Plan::Generic);
pg::Statement owner_left(
    "SELECT EXISTS (SELECT 1 FROM {app}.store_members WHERE store_id = $1 AND role = 'owner')", {UUIDOID},
    pg::Statement::Plan::Generic);

}  // namespace

// callai_internal.keep_an_owner(): AFTER UPDATE / DELETE FOR EACH STATEMENT on
// store_members, REFERENCING OLD TABLE AS old_members. Every store that lost
// an owner row must still have an owner (55000 otherwise), unless the store
// itself is gone (its members cascade). The store rows are locked first, in
// id order: two owners demoting each other concurrently queue on the store,
// and the second sees that it would remove the last owner.
PG_CPP_FUNCTION(callai_keep_an_owner) {
    static const pg::TriggerSpec spec{"callai_internal.keep_an_owner", pg::TriggerLevel::Statement,
                                      pg::TriggerTiming::After, pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = app_schema(data->tg_relation);
    platform::AsExtensionOwner owner(extension);
    pg::SpiSession spi;
    register_transition_tables(data);
    const uint64 n = stores_that_lost_an_owner.execute(app, nullptr, nullptr, false);
    std::vector<pg::Uuid> stores;
    for (uint64 i = 0; i < n; ++i) stores.push_back(*spi_uuid(i, 1));
    for (const pg::Uuid& store : stores) {
        Datum args[1] = {pg::datum_from_uuid(store)};
        if (lock_store.execute(app, args, nullptr, false, 1) == 0) continue;  // the store is being deleted
        owner_left.execute(app, args, nullptr, false, 1);
        if (!spi_bool(0, 1).value_or(false)) {
            throw DomainError(ErrorKind::Conflict,
                              fmt::format("store {} would be left without an owner", uuid_string(store)),
                              "A store keeps at least one owner.",
                              "Make another member owner first, or delete the store.");
        }
    }
    return PointerGetDatum(nullptr);
}

namespace {

struct Parent {
    const char* table;         // the child table the trigger is on
    const char* parent_column; // its reference to the parent
    pg::Statement* lookup;     // $1 parent id -> store_id
};

pg::Statement store_of_order("SELECT store_id FROM {app}.orders WHERE id = $1", {UUIDOID},
                             pg::Statement::Plan::Generic);
pg::Statement store_of_product("SELECT store_id FROM {app}.products WHERE id = $1", {UUIDOID},
                               pg::Statement::Plan::Generic);
pg::Statement store_of_conversation("SELECT store_id FROM {app}.conversations WHERE id = $1", {UUIDOID},
                                    pg::Statement::Plan::Generic);
pg::Statement store_of_call("SELECT store_id FROM {app}.calls WHERE id = $1", {UUIDOID},
                            pg::Statement::Plan::Generic);

const Parent kParents[] = {
    {"order_line_items", "order_id", &store_of_order},
    {"order_status_history", "order_id", &store_of_order},
    {"product_variants", "product_id", &store_of_product},
    {"product_images", "product_id", &store_of_product},
    {"conversation_messages", "conversation_id", &store_of_conversation},
    {"call_tool_invocations", "call_id", &store_of_call},
    {"call_events", "call_id", &store_of_call},
};

}  // namespace

// callai_internal.inherit_store_id(): BEFORE INSERT FOR EACH ROW on the child
// tables that carry their parent's store_id. Fills a NULL store_id from the
// parent (read as the writer sees it: a parent the writer cannot see is
// 23503); a store_id given is checked by the composite foreign key.
PG_CPP_FUNCTION(callai_inherit_store_id) {
    static const pg::TriggerSpec spec{"callai_internal.inherit_store_id", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    if (platform::loads_as_dumped(data)) return PointerGetDatum(data->tg_trigtuple);  // a restore: rows as dumped
    const char* table = RelationGetRelationName(data->tg_relation);
    const Parent* parent = nullptr;
    for (const Parent& p : kParents) {
        if (std::strcmp(p.table, table) == 0) parent = &p;
    }
    if (parent == nullptr) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("callai_internal.inherit_store_id() cannot run on table \"{}\"", table));
    }
    RowEdit row(data, data->tg_trigtuple);
    if (!row.is_null("store_id") || row.is_null(parent->parent_column)) {
        return PointerGetDatum(data->tg_trigtuple);
    }
    const Oid app = app_schema(data->tg_relation);
    std::optional<pg::Uuid> store;
    {
        pg::SpiSession spi;
        Datum args[1] = {row.value(parent->parent_column)};
        if (parent->lookup->execute(app, args, nullptr, false, 1) == 1) store = spi_uuid(0, 1);
    }
    if (!store) {
        pg::raise_error(ERRCODE_FOREIGN_KEY_VIOLATION,
                        fmt::format("{}.{} names no row you can see", table, parent->parent_column));
    }
    row.set("store_id", pg::datum_from_uuid(*store));
    return PointerGetDatum(row.result());
}
