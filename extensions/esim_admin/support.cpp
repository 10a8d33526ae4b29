#include "esim_admin/support.hpp"

extern "C" {
#include "catalog/pg_namespace.h"
#include "storage/proc.h"
#include "utils/acl.h"
}

#include "core/json_text.hpp"
#include "pg/datum.hpp"
#include "pg/trigger.hpp"
#include "platform/caller.hpp"
#include "platform/extension.hpp"
#include "platform/restore_mode.hpp"

namespace esim_admin {
namespace {

int g_system_writes = 0;
int g_purges = 0;

}  // namespace

// Kept per backend until a relcache invalidation or an abort (DROP and
// CREATE EXTENSION send one): a catalog index look-up, not a statement per
// transaction.
const pgcpp::platform::Extension& extension() {
    static const pgcpp::platform::Extension ext("esim_admin");
    return ext;
}

Oid app_schema() { return extension().schema(); }

// auth.uid() as text, read in C++ (platform/caller.hpp says why).
Text current_user_id() {
    const std::optional<pg::Uuid> uid = pgcpp::platform::current_user_id();
    if (!uid) return std::nullopt;
    return pg::uuid_text(uid->data());
}

namespace {
Caller panel_role() {
    static Query q("SELECT {internal}.caller_role()::text", 0);
    q.run({}, true);
    const Text role = Query::value(0, 1);
    if (!role) return Caller::None;
    if (*role == "customer") return Caller::Customer;
    if (*role == "support") return Caller::Support;
    if (*role == "admin") return Caller::Admin;
    if (*role == "super_admin") return Caller::SuperAdmin;
    return Caller::None;
}
}  // namespace

Caller current_caller() {
    const bool service = pg::call([] {
        const Oid role = GetUserId();
        return superuser_arg(role) || has_bypassrls_privilege(role);
    });
    return service ? Caller::Service : panel_role();
}

Caller requesting_caller() {
    const bool service = pg::call([] {
        const Oid role = GetOuterUserId();
        return superuser_arg(role) || has_bypassrls_privilege(role);
    });
    return service ? Caller::Service : panel_role();
}

bool is_staff(Caller c) {
    return c == Caller::Support || c == Caller::Admin || c == Caller::SuperAdmin ||
           c == Caller::Service;
}

bool is_admin(Caller c) {
    return c == Caller::Admin || c == Caller::SuperAdmin || c == Caller::Service;
}

void not_authorized(const std::string& message, const std::string& hint) {
    throw core::DomainError(core::ErrorKind::NotAuthorized, message, {}, hint);
}

Query::Query(std::string sql, int nargs) : nargs_(nargs) {
    std::vector<Oid> types(static_cast<std::size_t>(nargs), TEXTOID);
    // pg::Statement takes an initializer list: build it for up to 12 text args.
    switch (nargs) {
#define ARGS_CASE(n, ...) \
    case n: statement_ = std::make_unique<pg::Statement>(std::move(sql), std::initializer_list<Oid>{__VA_ARGS__}); break;
        ARGS_CASE(0)
        ARGS_CASE(1, TEXTOID)
        ARGS_CASE(2, TEXTOID, TEXTOID)
        ARGS_CASE(3, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(4, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(5, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(6, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(7, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(8, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(9, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
        ARGS_CASE(10, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID)
#undef ARGS_CASE
        default: throw std::logic_error("Query: too many arguments");
    }
}

uint64 Query::run(const std::vector<Text>& args, bool read_only) {
    if (static_cast<int>(args.size()) != nargs_) throw std::logic_error("Query: argument count");
    std::vector<Datum> values(args.size());
    std::string nulls(args.size(), ' ');
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i]) {
            values[i] = pg::text_from_string(*args[i]);
        } else {
            nulls[i] = 'n';
            values[i] = 0;
        }
    }
    const Oid schema = app_schema();
    return statement_->execute(schema, values.data(), nulls.c_str(), read_only);
}

Text Query::value(uint64 row, int col) {
    char* v = pg::call([&] { return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col); });
    if (v == nullptr) return std::nullopt;
    std::string out(v);
    pfree(v);
    return out;
}

namespace {
Oid objects_owner() {
    return pg::call([] {
        const Oid nsp = get_namespace_oid("esim_admin_internal", false);
        HeapTuple tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
        if (!HeapTupleIsValid(tup)) elog(ERROR, "cache lookup failed for namespace %u", nsp);
        const Oid owner = ((Form_pg_namespace) GETSTRUCT(tup))->nspowner;
        ReleaseSysCache(tup);
        return owner;
    });
}
}  // namespace

AsOwner::AsOwner() {
    const Oid owner = objects_owner();
    GetUserIdAndSecContext(&saved_user_, &saved_context_);
    SetUserIdAndSecContext(owner, saved_context_ | SECURITY_LOCAL_USERID_CHANGE);
}

AsOwner::~AsOwner() { SetUserIdAndSecContext(saved_user_, saved_context_); }

const char* caller_label(Caller c) {
    switch (c) {
        case Caller::None: return "anon";
        case Caller::Customer: return "customer";
        case Caller::Support: return "support";
        case Caller::Admin: return "admin";
        case Caller::SuperAdmin: return "super_admin";
        case Caller::Service: return "service";
    }
    return "anon";
}

SystemWrite::SystemWrite() { ++g_system_writes; }
SystemWrite::~SystemWrite() { --g_system_writes; }
bool SystemWrite::active() { return g_system_writes > 0; }

std::optional<Datum> rows_as_dumped(TriggerData* data) {
    if (!pgcpp::platform::loads_as_dumped(data)) return std::nullopt;
    const bool before_row = TRIGGER_FIRED_BEFORE(data->tg_event) && TRIGGER_FIRED_FOR_ROW(data->tg_event);
    return before_row ? PointerGetDatum(data->tg_trigtuple) : PointerGetDatum(nullptr);
}

Purge::Purge() { ++g_purges; }
Purge::~Purge() { --g_purges; }
bool Purge::active() { return g_purges > 0; }

Row::Row(TriggerData* data, HeapTuple tuple)
    : data_(data), tuple_(tuple), desc_(data->tg_relation->rd_att) {}

int Row::attnum(const char* column) const {
    const int n = pg::call([&] { return SPI_fnumber(desc_, column); });
    if (n <= 0) {
        throw std::runtime_error(std::string("column ") + column + " missing from " +
                                 RelationGetRelationName(data_->tg_relation));
    }
    return n;
}

bool Row::has(const char* column) const {
    return pg::call([&] { return SPI_fnumber(desc_, column); }) > 0;
}

Datum Row::datum(const char* column, bool* is_null) const {
    const int n = attnum(column);
    for (std::size_t i = 0; i < changed_cols_.size(); ++i) {
        if (changed_cols_[i] == n) {
            *is_null = changed_nulls_[i];
            return changed_values_[i];
        }
    }
    bool null = false;
    const Datum d = pg::call([&] { return SPI_getbinval(tuple_, desc_, n, &null); });
    *is_null = null;
    return d;
}

bool Row::is_null(const char* column) const {
    bool null = false;
    datum(column, &null);
    return null;
}

Text Row::get(const char* column) const {
    bool null = false;
    const Datum d = datum(column, &null);
    if (null) return std::nullopt;
    const int n = attnum(column);
    return pg::string_from_datum(d, TupleDescAttr(desc_, n - 1)->atttypid);
}

std::string Row::required(const char* column) const {
    Text value = get(column);
    if (!value) {
        throw core::DomainError(core::ErrorKind::NotNull,
                                std::string("null value in column \"") + column + "\" of relation \"" +
                                    RelationGetRelationName(data_->tg_relation) + "\" violates not-null constraint");
    }
    return std::move(*value);
}

void Row::set(const char* column, const Text& value) {
    const int n = attnum(column);
    if (!value) {
        set_datum(column, 0, true);
        return;
    }
    const Form_pg_attribute att = TupleDescAttr(desc_, n - 1);
    const Oid type = att->atttypid;
    const int32 typmod = att->atttypmod;
    const char* text = value->c_str();
    const Datum d = pg::call([&] {
        Oid in;
        Oid ioparam;
        getTypeInputInfo(type, &in, &ioparam);
        return OidInputFunctionCall(in, const_cast<char*>(text), ioparam, typmod);
    });
    set_datum(column, d, false);
}

void Row::set_datum(const char* column, Datum value, bool is_null) {
    const int n = attnum(column);
    for (std::size_t i = 0; i < changed_cols_.size(); ++i) {
        if (changed_cols_[i] == n) {
            changed_values_[i] = value;
            changed_nulls_[i] = is_null;
            return;
        }
    }
    changed_cols_.push_back(n);
    changed_values_.push_back(value);
    changed_nulls_.push_back(is_null);
}

HeapTuple Row::result() {
    if (changed_cols_.empty()) return tuple_;
    const int count = static_cast<int>(changed_cols_.size());
    std::vector<bool> nulls_copy = changed_nulls_;
    bool* nulls = static_cast<bool*>(palloc(sizeof(bool) * count));
    for (int i = 0; i < count; ++i) nulls[i] = nulls_copy[i];
    int* cols = changed_cols_.data();
    Datum* values = changed_values_.data();
    HeapTuple t = tuple_;
    TupleDesc desc = desc_;
    return pg::call([&] { return heap_modify_tuple_by_cols(t, desc, count, cols, values, nulls); });
}

HeapTuple old_tuple(TriggerData* data) { return data->tg_trigtuple; }

HeapTuple new_tuple(TriggerData* data) {
    return TRIGGER_FIRED_BY_UPDATE(data->tg_event) ? data->tg_newtuple : data->tg_trigtuple;
}

TimestampTz transaction_now() { return GetCurrentTransactionStartTimestamp(); }

std::string json_quote(const std::string& s) { return pgcpp::core::json_string(s); }

void audit(const std::string& action, const std::string& table, const Text& row_id,
           const Text& before_json, const Text& after_json, std::optional<Caller> role) {
    static Query q(
        "INSERT INTO {app}.audit_log (actor_id, actor_role, action, table_name, row_id, before, after) "
        "VALUES ($1::uuid, $2, $3, $4, $5::uuid, $6::jsonb, $7::jsonb)",
        7);
    const Text actor = current_user_id();
    const std::string label = caller_label(role ? *role : current_caller());
    AsOwner owner;
    q.run({actor, label, action, table, row_id, before_json, after_json});
}

}  // namespace esim_admin
