// Triggers every table shares: soft deletes, updated_at, the audit trail,
// and the panel's user records kept from auth.users.
#include <memory>

#include "esim_admin/support.hpp"
#include "esim_admin/domain/lifecycle.hpp"
#include "pg/datum.hpp"

namespace esim_admin {
namespace {

// {"col": "text value" | null, ...} of the given columns of a row.
std::string json_of(const Row& row, const std::vector<std::string>& columns) {
    std::string out = "{";
    bool first = true;
    for (const auto& c : columns) {
        if (!first) out += ", ";
        first = false;
        const Text v = row.get(c.c_str());
        out += json_quote(c) + ": " + (v ? json_quote(*v) : "null");
    }
    return out + "}";
}

// "{" and "}" are placeholders' delimiters in statement templates.
std::string template_escaped(const std::string& s) {
    std::string out;
    for (char c : s) {
        out.push_back(c);
        if (c == '{' || c == '}') out.push_back(c);
    }
    return out;
}

std::string relation_name(TriggerData* td) { return RelationGetRelationName(td->tg_relation); }

}  // namespace

// BEFORE DELETE, row, on every table with deleted_at: the row is marked,
// not removed (the DELETE reports it as not deleted). Retention's purge
// removes rows for real.
PG_CPP_FUNCTION(esim_admin_soft_delete) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"soft_delete", pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Delete, 0});
    if (Purge::active()) return keep_row(td->tg_trigtuple);
    Row row(td, td->tg_trigtuple);
    pg::SpiSession spi;
    static std::map<std::string, std::unique_ptr<Query>> by_table;
    const std::string table = relation_name(td);
    auto& q = by_table[table];
    if (!q) {
        const std::string quoted = pg::call([&] { return quote_identifier(table.c_str()); });
        q = std::make_unique<Query>("UPDATE {app}." + template_escaped(quoted) +
                                        " SET deleted_at = now() WHERE id = $1::uuid AND deleted_at IS NULL",
                                    1);
    }
    const Text id = row.get("id");
    if (!row.is_null("deleted_at")) return skip_row();  // already deleted
    audit("soft_delete", table, id, std::nullopt, std::nullopt);
    AsOwner owner;
    q->run({id});
    return skip_row();
}

// BEFORE UPDATE, row: updated_at is the transaction's time; created_at keeps
// its value.
PG_CPP_FUNCTION(esim_admin_touch_updated_at) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"touch_updated_at", pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 0});
    Row row(td, td->tg_newtuple);
    Row old(td, td->tg_trigtuple);
    row.set_datum("updated_at", TimestampTzGetDatum(transaction_now()), false);
    if (row.has("created_at")) {
        bool null = false;
        const Datum created = old.datum("created_at", &null);
        row.set_datum("created_at", created, null);
    }
    return keep_row(row.result());
}

// AFTER INSERT / UPDATE / DELETE, row: one audit_log row. tgargs: the action
// name, then the columns recorded in before / after; an UPDATE that changes
// none of them is not recorded.
PG_CPP_FUNCTION(esim_admin_audit) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"audit", pg::TriggerLevel::Row, pg::TriggerTiming::After,
                 pg::event::Insert | pg::event::Update | pg::event::Delete, pg::kOneOrMoreArgs});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const std::string action = pg::trigger_arg(td, 0);
    std::vector<std::string> columns;
    for (int i = 1; i < td->tg_trigger->tgnargs; ++i) columns.push_back(pg::trigger_arg(td, i));
    const unsigned ev = pg::trigger_event(td);
    pg::SpiSession spi;
    Text before, after, id;
    if (ev == pg::event::Insert) {
        Row n(td, td->tg_trigtuple);
        after = json_of(n, columns);
        id = n.get("id");
    } else if (ev == pg::event::Delete) {
        Row o(td, td->tg_trigtuple);
        before = json_of(o, columns);
        id = o.get("id");
    } else {
        Row o(td, td->tg_trigtuple);
        Row n(td, td->tg_newtuple);
        bool changed = false;
        for (const auto& c : columns) changed = changed || o.get(c.c_str()) != n.get(c.c_str());
        if (!changed) return PointerGetDatum(nullptr);
        before = json_of(o, columns);
        after = json_of(n, columns);
        id = n.get("id");
    }
    audit(action, relation_name(td), id, before, after);
    return PointerGetDatum(nullptr);
}

// AFTER INSERT / UPDATE OF email / DELETE on auth.users, row. tgargs: the
// esim_admin schema is found from the extension, so none. Sign-up creates the
// panel's user (a customer; names from raw_user_meta_data); an email change
// follows; deleting the account anonymises the record and marks it deleted,
// keeping its money history.
PG_CPP_FUNCTION(esim_admin_auth_user_sync) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"auth_user_sync", pg::TriggerLevel::Row, pg::TriggerTiming::After,
                 pg::event::Insert | pg::event::Update | pg::event::Delete, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const unsigned ev = pg::trigger_event(td);
    pg::SpiSession spi;
    static Query insert_user(
        "INSERT INTO {app}.users (id, email, first_name, last_name, phone) "
        "SELECT $1::uuid, coalesce($2, $1 || '@users.invalid'), "
        "  left(coalesce(m ->> 'first_name', ''), 100), left(coalesce(m ->> 'last_name', ''), 100), "
        "  left(coalesce(m ->> 'phone', $4), 20) "
        "FROM (SELECT nullif($3, '')::jsonb AS m) meta ON CONFLICT (id) DO NOTHING",
        4);
    static Query update_email(
        "UPDATE {app}.users SET email = $2 WHERE id = $1::uuid AND email IS DISTINCT FROM $2 AND deleted_at IS NULL",
        2);
    static Query anonymise(
        "UPDATE {app}.users SET email = id::text || '@deleted.invalid', first_name = '', last_name = '', "
        "  phone = NULL, password_hash = '!', status = 'inactive', deleted_at = coalesce(deleted_at, now()) "
        "WHERE id = $1::uuid",
        1);
    Row row(td, ev == pg::event::Update ? td->tg_newtuple : td->tg_trigtuple);
    const Text id = row.get("id");
    SystemWrite system;
    AsOwner owner;
    if (ev == pg::event::Insert) {
        insert_user.run({id, row.get("email"), row.has("raw_user_meta_data") ? row.get("raw_user_meta_data") : std::nullopt,
                         row.has("phone") ? row.get("phone") : std::nullopt});
    } else if (ev == pg::event::Update) {
        if (row.get("email")) update_email.run({id, row.get("email")});
    } else {
        anonymise.run({id});
    }
    return PointerGetDatum(nullptr);
}

// BEFORE INSERT OR UPDATE on users, row: password_hash is a bcrypt hash (a
// plain value is hashed here); role changes need a super_admin, status
// changes an admin; kyc_status follows the documents (the system); email
// follows auth.users (the system).
PG_CPP_FUNCTION(esim_admin_users_guard) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"users_guard", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, 0});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    pg::SpiSession spi;
    const Caller caller = SystemWrite::active() ? Caller::Service : current_caller();
    if (!is_insert) {
        Row old(td, td->tg_trigtuple);
        if (old.get("id") != row.get("id")) {
            throw core::DomainError(core::ErrorKind::CheckViolation, "a user's id cannot change");
        }
        if (old.get("role") != row.get("role") && caller != Caller::SuperAdmin && caller != Caller::Service) {
            not_authorized("only a super_admin changes a user's role");
        }
        if (old.get("status") != row.get("status") && !is_admin(caller)) {
            not_authorized("only an admin changes a user's status");
        }
        if (old.get("kyc_status") != row.get("kyc_status") && caller != Caller::Service) {
            not_authorized("kyc_status follows the user's KYC documents",
                           "Approve or reject a document in kyc_documents.");
        }
        if (old.get("email") != row.get("email") && caller != Caller::Service) {
            not_authorized("a user's email follows their auth account", "Change it through Supabase Auth.");
        }
        if (old.get("deleted_at") != row.get("deleted_at") && caller != Caller::Service) {
            not_authorized("deleted_at is set by deleting the row");
        }
    } else if (caller != Caller::Service && caller != Caller::SuperAdmin) {
        not_authorized("users rows are created on sign-up");
    }
    const Text hash = row.get("password_hash");
    if (hash && *hash != "!" && !(hash->size() == 60 && hash->rfind("$2", 0) == 0)) {
        // A plain password (an import or an admin reset): store its bcrypt hash.
        static Query pgcrypto_schema(
            "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto'", 0);
        if (pgcrypto_schema.run({}, true) != 1) {
            throw core::DomainError(core::ErrorKind::Conflict, "hashing a password needs the pgcrypto extension",
                                    {}, "CREATE EXTENSION pgcrypto SCHEMA extensions;");
        }
        const std::string schema = *Query::value(0, 1);
        const std::string quoted = pg::call([&] { return quote_identifier(schema.c_str()); });
        const std::string sql = "SELECT " + quoted + ".crypt($1, " + quoted + ".gen_salt('bf', 8))";
        Oid types[1] = {TEXTOID};
        Datum values[1] = {pg::text_from_string(*hash)};
        AsOwner owner;
        pg::call([&] { SPI_execute_with_args(sql.c_str(), 1, types, values, nullptr, true, 1); });
        row.set("password_hash", Query::value(0, 1));
    }
    return keep_row(row.result());
}

// BEFORE UPDATE OR DELETE on audit_log, row, and BEFORE TRUNCATE,
// statement: the trail is append-only for every role, the table's owner and
// the service role included; only retention's purge (apply_retention(), the
// service role's nightly job) deletes entries past their time.
namespace {
[[noreturn]] void refuse_audit_change() {
    not_authorized("the audit trail is append-only",
                   "Entries are removed only by apply_retention(), after their retention period.");
}
}  // namespace

PG_CPP_FUNCTION(esim_admin_audit_log_append_only) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"audit_log_append_only", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Update | pg::event::Delete, 0});
    if (Purge::active() && pg::trigger_event(td) == pg::event::Delete) return keep_row(td->tg_trigtuple);
    refuse_audit_change();
}

PG_CPP_FUNCTION(esim_admin_audit_log_no_truncate) {
    pg::validate_trigger(fcinfo, {"audit_log_no_truncate", pg::TriggerLevel::Statement, pg::TriggerTiming::Before,
                                  pg::event::Truncate, 0});
    refuse_audit_change();
}

}  // namespace esim_admin
