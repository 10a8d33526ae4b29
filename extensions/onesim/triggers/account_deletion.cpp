// Account deletion: what happens to OneSIM's rows when an auth.users row goes
// (GoTrue's admin API deletes the user; so may a service job). The money
// history stays, the personal data goes:
//
//   partners  BEFORE UPDATE OF user_id, per row, WHEN the account link goes
//             (the foreign key is ON DELETE SET NULL)
//             onesim_partner_account_closing: the partner is deactivated and
//             its contact e-mail and phone are erased; the company's identity
//             (name, legal name, tax id, address) stays for the books
//   partners  AFTER UPDATE OF user_id, same condition
//             onesim_partner_account_closed: its API keys are revoked, its
//             end customers' personal details are erased, and so are the
//             customer details copied into its orders
//   orders    BEFORE UPDATE OF user_id, per row, WHEN a B2C order loses its
//             account: onesim_order_account_deleted erases the customer
//             details copied into it, and end_customer_id when it named the
//             account
//
// Orders, earnings, payouts and the maintained figures are kept unchanged.
#include "onesim/layers.hpp"
#include <optional>
#include <string>
#include <vector>
#include "onesim/column_types.hpp"
#include "platform/restore_mode.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "pg/tuples.hpp"

namespace pg = pgcpp::pg;

namespace {

// The value a NOT NULL e-mail column gets when its owner is erased: unique per
// row (unique_partner_customer_email) and in the reserved .invalid domain.
std::string erased_email(const pg::Uuid& row_id) {
    return "deleted-" + pg::uuid_text(row_id.data()) + "@invalid";
}

// Replaces columns of a row (NULL when value is nullopt) in one new tuple.
class RowEdit {
public:
    explicit RowEdit(Relation rel) : rel_(rel) {}
    void set(const char* column, std::optional<Datum> value) {
        columns_.push_back(attnum(column));
        values_.push_back(value.value_or(Datum(0)));
        nulls_.push_back(!value.has_value());
    }
    // A text-like or enum column (partners.status, an enum from 1.2 on) set
    // from its text.
    void set_text(const char* column, const std::string& text) {
        set(column, onesim::columns::datum_from_string(
                        text, onesim::columns::type_of(RelationGetDescr(rel_), attnum(column))));
    }
    HeapTuple apply(HeapTuple row) {
        const int n = static_cast<int>(columns_.size());
        return pg::call([&] {
            bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * n));
            for (int i = 0; i < n; ++i) nulls[i] = nulls_[i];
            return heap_modify_tuple_by_cols(row, RelationGetDescr(rel_), n, columns_.data(), values_.data(),
                                             nulls);
        });
    }

private:
    AttrNumber attnum(const char* column) const {
        return pg::cached_attnum(RelationGetRelid(rel_), RelationGetDescr(rel_), column);
    }

    Relation rel_;
    std::vector<int> columns_;
    std::vector<Datum> values_;
    std::vector<bool> nulls_;
};

pg::Uuid row_id(Relation rel, HeapTuple row, const char* column) {
    bool is_null = false;
    const AttrNumber att = pg::cached_attnum(RelationGetRelid(rel), RelationGetDescr(rel), column);
    const Datum value = pg::call([&] { return heap_getattr(row, att, RelationGetDescr(rel), &is_null); });
    if (is_null) pg::raise_error(ERRCODE_NOT_NULL_VIOLATION, fmt::format("{} is null", column));
    return pg::uuid_from_datum(value);
}

pg::Statement revoke_api_keys(
    "UPDATE {app}.partner_api_keys SET revoked_at = now() WHERE partner_id = $1 AND revoked_at IS NULL",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement erase_partner_customers(
    "UPDATE {app}.partner_customers"
    "   SET first_name = '(deleted)', last_name = '(deleted)',"
    "       email = 'deleted-' || id || '@invalid', phone = NULL, notes = NULL, tags = NULL, user_id = NULL"
    " WHERE partner_id = $1",
    {UUIDOID}, pg::Statement::Plan::Generic);
pg::Statement erase_partner_order_details(
    "UPDATE {app}.orders"
    "   SET customer_first_name = NULL, customer_last_name = NULL, customer_email = NULL, customer_phone = NULL"
    " WHERE partner_id = $1"
    "   AND num_nonnulls(customer_first_name, customer_last_name, customer_email, customer_phone) > 0",
    {UUIDOID}, pg::Statement::Plan::Generic);

}  // namespace

// onesim_internal.partner_account_closing() RETURNS trigger
PG_CPP_FUNCTION(onesim_partner_account_closing) {
    static const pg::TriggerSpec spec{"onesim_internal.partner_account_closing", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* trigger = pg::validate_trigger(fcinfo, spec);
    if (pgcpp::platform::loads_as_dumped(trigger)) return PointerGetDatum(trigger->tg_newtuple);
    Relation rel = trigger->tg_relation;
    const pg::Uuid partner = row_id(rel, trigger->tg_newtuple, "id");
    RowEdit edit(rel);
    edit.set_text("status", "deactivated");
    edit.set("business_email", pg::text_from_string(erased_email(partner)));
    edit.set("business_phone", std::nullopt);
    return PointerGetDatum(edit.apply(trigger->tg_newtuple));
}

// onesim_internal.partner_account_closed() RETURNS trigger
PG_CPP_FUNCTION(onesim_partner_account_closed) {
    static const pg::TriggerSpec spec{"onesim_internal.partner_account_closed", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::After, pg::event::Update, 0};
    TriggerData* trigger = pg::validate_trigger(fcinfo, spec);
    if (pgcpp::platform::loads_as_dumped(trigger)) return PointerGetDatum(nullptr);
    const Oid app = pg::schema_of_relation(trigger->tg_relation);
    const Datum partner = pg::datum_from_uuid(row_id(trigger->tg_relation, trigger->tg_newtuple, "id"));
    pg::SpiSession spi;
    revoke_api_keys.execute(app, &partner, nullptr);
    erase_partner_customers.execute(app, &partner, nullptr);
    erase_partner_order_details.execute(app, &partner, nullptr);
    return PointerGetDatum(nullptr);
}

// onesim_internal.order_account_deleted() RETURNS trigger
PG_CPP_FUNCTION(onesim_order_account_deleted) {
    static const pg::TriggerSpec spec{"onesim_internal.order_account_deleted", pg::TriggerLevel::Row,
                                      pg::TriggerTiming::Before, pg::event::Update, 0};
    TriggerData* trigger = pg::validate_trigger(fcinfo, spec);
    if (pgcpp::platform::loads_as_dumped(trigger)) return PointerGetDatum(trigger->tg_newtuple);
    Relation rel = trigger->tg_relation;
    const pg::Uuid account = row_id(rel, trigger->tg_trigtuple, "user_id");
    RowEdit edit(rel);
    for (const char* column : {"customer_first_name", "customer_last_name", "customer_email", "customer_phone"}) {
        edit.set(column, std::nullopt);
    }
    bool is_null = false;
    const AttrNumber end_customer = pg::cached_attnum(RelationGetRelid(rel), RelationGetDescr(rel), "end_customer_id");
    const Datum value = pg::call(
        [&] { return heap_getattr(trigger->tg_newtuple, end_customer, RelationGetDescr(rel), &is_null); });
    if (!is_null && pg::uuid_from_datum(value) == account) edit.set("end_customer_id", std::nullopt);
    return PointerGetDatum(edit.apply(trigger->tg_newtuple));
}
