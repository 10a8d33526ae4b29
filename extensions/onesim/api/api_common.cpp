// Shared plumbing of the RPC API functions (see api_common.hpp).
#include "onesim/layers.hpp"
#include "onesim/api/api_common.hpp"

extern "C" {
#include "utils/acl.h"
}

namespace onesim::api {

std::string uuid_text(const Uuid& id) {
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(hex[id[i] >> 4]);
        s.push_back(hex[id[i] & 15]);
    }
    return s;
}

namespace {

// Acts as the role the caller acts as (outside every SECURITY DEFINER
// function) for the enclosed checks. The transaction abort restores the user
// should an error escape.
class AsCaller {
public:
    AsCaller() {
        GetUserIdAndSecContext(&saved_user_, &saved_context_);
        SetUserIdAndSecContext(GetOuterUserId(), saved_context_);
    }
    ~AsCaller() { SetUserIdAndSecContext(saved_user_, saved_context_); }
    AsCaller(const AsCaller&) = delete;
    AsCaller& operator=(const AsCaller&) = delete;

private:
    Oid saved_user_ = InvalidOid;
    int saved_context_ = 0;
};

}  // namespace

bool Caller::anonymous() {
    if (!anonymous_) {
        anonymous_ = pg::call([] {
            const Oid anon = get_role_oid("anon", true);
            return OidIsValid(anon) && GetOuterUserId() == anon;
        });
    }
    return *anonymous_;
}

const std::optional<Uuid>& Caller::user() {
    if (!user_) user_ = anonymous() ? std::nullopt : auth::current_user_id();
    return *user_;
}

bool Caller::service() {
    if (!service_) {
        AsCaller as_caller;
        service_ = auth::is_service();
    }
    return *service_;
}

bool Caller::admin() {
    if (!admin_) admin_ = !anonymous() && auth::is_admin(app_);
    return *admin_;
}

const std::optional<Uuid>& Caller::partner() {
    if (!partner_) partner_ = anonymous() ? std::nullopt : auth::current_partner_id(app_);
    return *partner_;
}

const std::optional<std::string>& Caller::partner_status() {
    if (!partner_status_) {
        partner_status_ = anonymous() ? std::nullopt : auth::current_partner_status(app_);
    }
    return *partner_status_;
}

Uuid Caller::require_active_partner(const char* what) {
    if (!partner()) deny(fmt::format("only a partner may {}", what));
    if (partner_status() != std::optional<std::string>("active")) {
        deny(fmt::format("only an active partner may {}: this partner account is {}", what,
                         partner_status().value_or("unknown")),
             "An admin approves partner accounts (set_partner_status).");
    }
    return *partner();
}

void deny(const std::string& message, const std::string& hint) {
    throw DomainError(ErrorKind::NotAuthorized, message, {}, hint);
}

void not_found(const std::string& message) { throw DomainError(ErrorKind::NotFound, message); }

std::optional<std::string> opt_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return pg::string_from_text(PG_GETARG_DATUM(n));
}

std::optional<Uuid> opt_uuid(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return pg::uuid_from_datum(PG_GETARG_DATUM(n));
}

std::string required_text(FunctionCallInfo fcinfo, int n, const char* name) {
    std::string s = pg::string_from_text(pg::required_arg(fcinfo, n, name));
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw DomainError(ErrorKind::InvalidParameter, fmt::format("{} must not be empty", name));
    }
    return s;
}

Uuid required_uuid(FunctionCallInfo fcinfo, int n, const char* name) {
    return pg::uuid_from_datum(pg::required_arg(fcinfo, n, name));
}

namespace {

Datum spi_datum(uint64 row, int col, bool* is_null) { return pg::spi_value(row, col, is_null); }

}  // namespace

std::optional<std::string> spi_text(uint64 row, int col) {
    bool is_null = false;
    const Datum d = spi_datum(row, col, &is_null);
    if (is_null) return std::nullopt;
    return pg::string_from_text(d);
}

std::optional<Uuid> spi_uuid(uint64 row, int col) {
    bool is_null = false;
    const Datum d = spi_datum(row, col, &is_null);
    if (is_null) return std::nullopt;
    return pg::uuid_from_datum(d);
}

std::optional<Decimal> spi_decimal(uint64 row, int col, const char* what) {
    bool is_null = false;
    const Datum d = spi_datum(row, col, &is_null);
    if (is_null) return std::nullopt;
    return pg::decimal_from_numeric(d, what);
}

std::optional<bool> spi_bool(uint64 row, int col) {
    bool is_null = false;
    const Datum d = spi_datum(row, col, &is_null);
    if (is_null) return std::nullopt;
    return DatumGetBool(d);
}

int64 spi_int(uint64 row, int col) {
    bool is_null = false;
    const Datum d = spi_datum(row, col, &is_null);
    return is_null ? 0 : DatumGetInt64(d);
}

namespace {

// Fills values/nulls for `target` from SPI row `row`, matching columns by name.
void fill_from_spi_row(TupleDesc target, uint64 row, Datum* values, bool* nulls) {
    SPITupleTable* table = SPI_tuptable;
    for (int i = 0; i < target->natts; ++i) {
        const Form_pg_attribute att = TupleDescAttr(target, i);
        nulls[i] = true;
        values[i] = Datum(0);
        if (att->attisdropped) continue;
        const int src = SPI_fnumber(table->tupdesc, NameStr(att->attname));
        if (src <= 0) elog(ERROR, "result column \"%s\" is missing", NameStr(att->attname));
        values[i] = SPI_getbinval(table->vals[row], table->tupdesc, src, &nulls[i]);
    }
}

}  // namespace

Datum spi_row_as_result(FunctionCallInfo fcinfo, MemoryContext result_context, uint64 row) {
    return pg::call([&] {
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "function must be declared to return a composite type");
        }
        Datum* values = static_cast<Datum*>(palloc(sizeof(Datum) * desc->natts));
        bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * desc->natts));
        fill_from_spi_row(desc, row, values, nulls);
        MemoryContext old = MemoryContextSwitchTo(result_context);
        desc = BlessTupleDesc(CreateTupleDescCopy(desc));
        HeapTuple tuple = heap_form_tuple(desc, values, nulls);
        Datum result = HeapTupleGetDatum(tuple);
        MemoryContextSwitchTo(old);
        return result;
    });
}

void init_materialized(FunctionCallInfo fcinfo) { pg::call([&] { InitMaterializedSRF(fcinfo, 0); }); }

void spi_rows_to_result_set(FunctionCallInfo fcinfo) {
    pg::call([&] {
        auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
        TupleDesc desc = rsinfo->setDesc;
        Datum* values = static_cast<Datum*>(palloc(sizeof(Datum) * desc->natts));
        bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * desc->natts));
        for (uint64 r = 0; r < SPI_processed; ++r) {
            fill_from_spi_row(desc, r, values, nulls);
            tuplestore_putvalues(rsinfo->setResult, desc, values, nulls);
        }
    });
}

JsonFields json_object_fields(Oid app, Datum jsonb, const char* what,
                              std::initializer_list<const char*> keys) {
    static pg::Statement shape(
        "SELECT jsonb_typeof($1), "
        "       (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys("
        "          CASE WHEN jsonb_typeof($1) = 'object' THEN $1 ELSE jsonb_build_object() END) k "
        "        WHERE k <> ALL ($2)), "
        "       (SELECT string_agg(k, ', ' ORDER BY i) FROM unnest($2) WITH ORDINALITY t(k, i) "
        "        WHERE jsonb_typeof($1 -> k) NOT IN ('string', 'null')) ",
        {JSONBOID, TEXTARRAYOID});
    static pg::Statement fields(
        "SELECT $1 ->> k FROM unnest($2) WITH ORDINALITY t(k, i) ORDER BY i", {JSONBOID, TEXTARRAYOID});
    std::vector<Datum> key_datums;
    for (const char* k : keys) key_datums.push_back(pg::text_from_string(k));
    const int nkeys = static_cast<int>(key_datums.size());
    Datum* kd = key_datums.data();
    const Datum key_array = pg::call([&] {
        return PointerGetDatum(construct_array(kd, nkeys, TEXTOID, -1, false, TYPALIGN_INT));
    });
    Datum args[2] = {jsonb, key_array};
    pg::SpiSession spi;
    shape.execute(app, args, nullptr, true, 1);
    const auto type = spi_text(0, 1);
    if (type != std::optional<std::string>("object")) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("{} must be a JSON object, not {}", what, type.value_or("null")));
    }
    if (const auto unknown = spi_text(0, 2)) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("{} has unknown keys: {}", what, *unknown),
                          {}, fmt::format("Allowed keys: {}.", fmt::join(keys, ", ")));
    }
    if (const auto not_text = spi_text(0, 3)) {
        throw DomainError(ErrorKind::InvalidParameter,
                          fmt::format("{}: {} must be strings", what, *not_text));
    }
    const uint64 n = fields.execute(app, args, nullptr, true);
    JsonFields out;
    for (uint64 i = 0; i < n; ++i) out.values.push_back(spi_text(i, 1));
    return out;
}

}  // namespace onesim::api
