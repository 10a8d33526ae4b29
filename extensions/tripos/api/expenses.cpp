// Expenses and settlements: splits computed in minor units (domain/splits),
// balances and the fewest-transfer suggestions (domain/settlement).
#include <algorithm>
#include <numeric>
#include <optional>

#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/trigger.hpp"
#include "pg/spi.hpp"
#include "tripos/access.hpp"
#include "tripos/domain/settlement.hpp"
#include "tripos/domain/splits.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement item_in_trip("SELECT 1 FROM {app}.trip_items WHERE id = $1 AND trip_id = $2", {UUIDOID, UUIDOID},
                           pg::Statement::Plan::Generic);
pg::Statement insert_expense(
    "INSERT INTO {app}.expenses (trip_id, trip_item_id, title, amount_minor, currency, category, paid_by, "
    "expense_date, split_method, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *",
    {UUIDOID, UUIDOID, TEXTOID, INT8OID, TEXTOID, TEXTOID, UUIDOID, DATEOID, TEXTOID, TEXTOID, UUIDOID});
pg::Statement insert_splits(
    "INSERT INTO {app}.expense_splits (expense_id, user_id, share_minor, share_percent, shares) "
    "SELECT $1, v.user_id, v.share, CASE WHEN $5 = 'percent' THEN v.value / 100.0 END, "
    "CASE WHEN $5 = 'shares' THEN v.value::int4 END "
    "FROM unnest($2::uuid[], $3::int8[], $4::int8[]) AS v(user_id, share, value)",
    {UUIDOID, UUIDARRAYOID, INT8ARRAYOID, INT8ARRAYOID, TEXTOID});
pg::Statement insert_settlement(
    "INSERT INTO {app}.settlements (trip_id, from_user, to_user, amount_minor, currency, note, created_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
    {UUIDOID, UUIDOID, UUIDOID, INT8OID, TEXTOID, TEXTOID, UUIDOID});
pg::Statement trip_balances(
    "SELECT user_id, balance_minor FROM {app}.trip_balances WHERE trip_id = $1 AND currency = $2 ORDER BY user_id",
    {UUIDOID, TEXTOID});

std::vector<pg::Uuid> uuid_elements(Datum array) {
    std::vector<pg::Uuid> out;
    pg::call([&] {
        ArrayType* a = DatumGetArrayTypeP(array);
        Datum* elems;
        bool* nulls;
        int n;
        deconstruct_array(a, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR, &elems, &nulls, &n);
        for (int i = 0; i < n; ++i) {
            if (nulls[i]) {
                ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("a participant cannot be NULL")));
            }
        }
        out.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            pg_uuid_t* u = DatumGetUUIDP(elems[i]);
            pg::Uuid copy;
            std::memcpy(copy.data(), u->data, UUID_LEN);
            out.push_back(copy);
        }
    });
    return out;
}

std::vector<Datum> numeric_elements(Datum array) {
    std::vector<Datum> out;
    pg::call([&] {
        ArrayType* a = DatumGetArrayTypeP(array);
        Datum* elems;
        bool* nulls;
        int n;
        deconstruct_array(a, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
        for (int i = 0; i < n; ++i) {
            if (nulls[i]) {
                ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("a split value cannot be NULL")));
            }
        }
        out.assign(elems, elems + n);
    });
    return out;
}

// A split value as an integer in the method's unit: minor units (exact),
// basis points (percent, up to 2 decimals), shares (whole numbers).
std::int64_t split_value(Datum numeric, domain::SplitMethod method) {
    const core::Decimal value = pg::decimal_from_numeric(numeric, "split value");
    const int scale = method == domain::SplitMethod::Percent ? 2 : 0;
    if (value.significant_scale() > scale) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                method == domain::SplitMethod::Percent
                                    ? "a percentage has at most 2 decimals"
                                    : "exact shares are whole minor units and shares are whole numbers",
                                "got " + value.to_string());
    }
    const core::Decimal::Units units = value.rescale(scale).units();
    if (units > INT64_MAX || units < INT64_MIN) {
        throw core::DomainError(core::ErrorKind::OutOfRange, "split value out of range: " + value.to_string());
    }
    return static_cast<std::int64_t>(units);
}

Datum int8_array(const std::vector<std::int64_t>& values) {
    return pg::call([&] {
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (values.empty() ? 1 : values.size())));
        for (std::size_t i = 0; i < values.size(); ++i) elems[i] = Int64GetDatum(values[i]);
        return PointerGetDatum(
            construct_array(elems, static_cast<int>(values.size()), INT8OID, 8, true, TYPALIGN_DOUBLE));
    });
}

void require_member(const std::vector<pg::Uuid>& members, const pg::Uuid& user, const char* what) {
    if (!std::binary_search(members.begin(), members.end(), user)) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                fmt::format("{} {} is not a member of this trip", what, pg::uuid_text(user.data())));
    }
}

}  // namespace

// tripos_internal.add_expense(trip_id, title, amount_minor, currency, paid_by,
// split_method, participants, split_values, trip_item_id, category,
// expense_date, notes): a trip editor records an expense and its splits.
PG_CPP_FUNCTION(tripos_add_expense) {
    const pg::Uuid caller = require_caller();
    const pg::Uuid trip = pg::uuid_from_datum(pg::required_arg(fcinfo, 0, "trip_id"));
    if (domain::effective_role(trip_membership(trip)) < domain::TripRole::Editor) {
        throw core::DomainError(core::ErrorKind::NotAuthorized, "only the trip's owner and editors record expenses");
    }
    const Datum title = pg::required_arg(fcinfo, 1, "title");
    const std::int64_t amount = DatumGetInt64(pg::required_arg(fcinfo, 2, "amount_minor"));
    const Datum currency = pg::required_arg(fcinfo, 3, "currency");
    const pg::Uuid paid_by = pg::uuid_from_datum(pg::required_arg(fcinfo, 4, "paid_by"));
    const std::string method_text = pg::string_from_text(pg::required_arg(fcinfo, 5, "split_method"));
    const auto method = domain::parse_split_method(method_text);
    if (!method) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "split_method is equal, exact, percent or shares, not '" + method_text + "'");
    }
    std::vector<pg::Uuid> participants = uuid_elements(pg::required_arg(fcinfo, 6, "participants"));
    std::vector<std::int64_t> values(participants.size(), 0);
    if (*method != domain::SplitMethod::Equal) {
        if (PG_ARGISNULL(7)) {
            throw core::DomainError(core::ErrorKind::NullValue, "split values are needed for " + method_text + " splits");
        }
        const std::vector<Datum> given = numeric_elements(PG_GETARG_DATUM(7));
        if (given.size() != participants.size()) {
            throw core::DomainError(core::ErrorKind::InvalidParameter,
                                    fmt::format("{} participants but {} split values", participants.size(),
                                                given.size()));
        }
        for (std::size_t i = 0; i < given.size(); ++i) values[i] = split_value(given[i], *method);
    }
    // Participants in id order: the remainder rule then gives the same units
    // to the same people whatever order the app sent them in.
    std::vector<std::size_t> order(participants.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return participants[a] < participants[b]; });
    std::vector<pg::Uuid> sorted_participants;
    std::vector<std::int64_t> sorted_values;
    for (std::size_t i : order) {
        if (!sorted_participants.empty() && sorted_participants.back() == participants[i]) {
            throw core::DomainError(core::ErrorKind::InvalidParameter, "a participant appears twice");
        }
        sorted_participants.push_back(participants[i]);
        sorted_values.push_back(values[i]);
    }
    const std::vector<std::int64_t> shares = domain::split_amount(amount, *method, sorted_values);

    const std::vector<pg::Uuid> members = trip_members(trip);
    require_member(members, paid_by, "the payer");
    for (const auto& p : sorted_participants) require_member(members, p, "participant");

    const Oid app = collab_extension().schema();
    pg::SpiSession spi;
    if (!PG_ARGISNULL(8)) {
        Datum pair[2] = {PG_GETARG_DATUM(8), pg::datum_from_uuid(trip)};
        if (item_in_trip.execute(core_extension().schema(), pair, nullptr, true, 1) != 1) {
            throw core::DomainError(core::ErrorKind::InvalidParameter, "the itinerary item is not part of this trip");
        }
    }
    Datum args[11] = {pg::datum_from_uuid(trip),
                      PG_ARGISNULL(8) ? Datum(0) : PG_GETARG_DATUM(8),
                      title,
                      Int64GetDatum(amount),
                      currency,
                      PG_ARGISNULL(9) ? pg::text_from_string("other") : PG_GETARG_DATUM(9),
                      pg::datum_from_uuid(paid_by),
                      PG_ARGISNULL(10) ? Datum(0) : PG_GETARG_DATUM(10),
                      pg::text_from_string(method_text),
                      PG_ARGISNULL(11) ? Datum(0) : PG_GETARG_DATUM(11),
                      pg::datum_from_uuid(caller)};
    const char nulls[12] = {' ', PG_ARGISNULL(8) ? 'n' : ' ', ' ', ' ', ' ', ' ', ' ',
                            PG_ARGISNULL(10) ? 'n' : ' ', ' ', PG_ARGISNULL(11) ? 'n' : ' ', ' ', '\0'};
    // expense_date NULL would break NOT NULL: the API's default is today.
    insert_expense.execute(app, args, nulls);
    bool is_null = false;
    const pg::Uuid expense = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
    const Datum expense_row = pg::call([] { return PointerGetDatum(SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc)); });
    Datum split_args[5] = {pg::datum_from_uuid(expense), pg::uuid_array(sorted_participants), int8_array(shares),
                           int8_array(sorted_values), pg::text_from_string(method_text)};
    insert_splits.execute(app, split_args, nullptr);
    return expense_row;
}

// tripos_internal.record_settlement(trip_id, from_user, to_user, amount_minor,
// currency, note): a member records a payment they made or received.
PG_CPP_FUNCTION(tripos_record_settlement) {
    const pg::Uuid caller = require_caller();
    const pg::Uuid trip = pg::uuid_from_datum(pg::required_arg(fcinfo, 0, "trip_id"));
    const pg::Uuid from = pg::uuid_from_datum(pg::required_arg(fcinfo, 1, "from_user"));
    const pg::Uuid to = pg::uuid_from_datum(pg::required_arg(fcinfo, 2, "to_user"));
    const std::int64_t amount = DatumGetInt64(pg::required_arg(fcinfo, 3, "amount_minor"));
    const Datum currency = pg::required_arg(fcinfo, 4, "currency");
    const domain::Membership m = trip_membership(trip);
    if (m.role == domain::TripRole::None) {
        throw core::DomainError(core::ErrorKind::NotAuthorized, "only the trip's members record settlements");
    }
    if (caller != from && caller != to && m.role != domain::TripRole::Owner) {
        throw core::DomainError(core::ErrorKind::NotAuthorized,
                                "a member records settlements they paid or received (the owner records any)");
    }
    if (amount <= 0) throw core::DomainError(core::ErrorKind::InvalidParameter, "a settlement is more than 0");
    const std::vector<pg::Uuid> members = trip_members(trip);
    require_member(members, from, "the payer");
    require_member(members, to, "the payee");
    pg::SpiSession spi;
    Datum args[7] = {pg::datum_from_uuid(trip), pg::datum_from_uuid(from), pg::datum_from_uuid(to), Int64GetDatum(amount),
                     currency, PG_ARGISNULL(5) ? Datum(0) : PG_GETARG_DATUM(5), pg::datum_from_uuid(caller)};
    const char nulls[8] = {' ', ' ', ' ', ' ', ' ', PG_ARGISNULL(5) ? 'n' : ' ', ' ', '\0'};
    insert_settlement.execute(collab_extension().schema(), args, nulls);
    return pg::call([] { return PointerGetDatum(SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc)); });
}

// settlement_suggestions(trip_id, currency): SECURITY INVOKER, over the
// balances the caller can see (a member sees the whole trip).
PG_CPP_FUNCTION(tripos_settlement_suggestions) {
    const Datum trip = pg::required_arg(fcinfo, 0, "p_trip_id");
    const Datum currency = pg::required_arg(fcinfo, 1, "p_currency");
    // No user: the trip's former members (deleted accounts), one balance.
    std::vector<std::optional<pg::Uuid>> users;
    std::vector<std::int64_t> balances;
    {
        pg::SpiSession spi;
        Datum args[2] = {trip, currency};
        const uint64 rows = trip_balances.execute(collab_extension().schema(), args, nullptr, true);
        for (uint64 r = 0; r < rows; ++r) {
            bool is_null = false;
            const Datum user = pg::spi_value(r, 1, &is_null);
            users.push_back(is_null ? std::nullopt : std::optional<pg::Uuid>(pg::uuid_from_datum(user)));
            balances.push_back(DatumGetInt64(pg::spi_value(r, 2, &is_null)));
        }
    }
    const auto transfers = domain::settle_balances(balances);
    if (transfers.empty()) {
        pg::call([&] { InitMaterializedSRF(fcinfo, 0); });
    }
    for (const auto& t : transfers) {
        const auto& from = users[t.from];
        const auto& to = users[t.to];
        Datum values[3] = {from ? pg::datum_from_uuid(*from) : Datum(0), to ? pg::datum_from_uuid(*to) : Datum(0),
                           Int64GetDatum(t.amount)};
        bool nulls[3] = {!from, !to, false};
        return_row(fcinfo, values, nulls);
    }
    return Datum(0);
}
