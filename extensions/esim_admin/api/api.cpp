// The privileged steps behind the API (SECURITY DEFINER, in
// esim_admin_internal): a purchase, a knowledge-base view, a notification
// from a template, a revenue report. Each checks who calls (auth.uid()) first.
#include <map>

#include "esim_admin/domain/periods.hpp"
#include "esim_admin/domain/text.hpp"
#include "esim_admin/promo.hpp"
#include "esim_admin/support.hpp"
#include "pg/datum.hpp"
#include "pg/direct_write.hpp"

extern "C" {
#include "utils/date.h"
}

namespace esim_admin {
namespace {

namespace domain = esim_admin::domain;

Text arg_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return pg::string_from_datum(PG_GETARG_DATUM(n), get_fn_expr_argtype(fcinfo->flinfo, n));
}

std::string required(FunctionCallInfo fcinfo, int n, const char* name) {
    Text v = arg_text(fcinfo, n);
    if (!v) throw core::DomainError(core::ErrorKind::NullValue, std::string(name) + " must not be null");
    return *v;
}

Datum uuid_datum(const std::string& text) {
    return pg::call([&] { return DirectFunctionCall1(uuid_in, CStringGetDatum(text.c_str())); });
}

}  // namespace

// purchase(plan_id, payment_method, promo_code, region) -> transaction id.
// The price is the one in force now for the plan and region (the plan's
// default price, region NULL, when the region has none); the promotional
// code, when given, is validated here and its use counted by
// apply_promo_uses() (max_uses enforced under the code's row lock).
PG_CPP_FUNCTION(esim_admin_purchase) {
    const std::string plan = required(fcinfo, 0, "plan_id");
    const std::string method = required(fcinfo, 1, "payment_method");
    const Text code = arg_text(fcinfo, 2);
    const Text region = arg_text(fcinfo, 3);
    const MemoryContext result_context = CurrentMemoryContext;
    pg::SpiSession spi;
    // The caller, the plan on sale with its price in force (as price_at())
    // and the code, in one statement.
    static Query look_up(
        "SELECT a.uid::text, u.status::text, p.id::text, pr.selling_price::text, pr.currency, c.id::text, "
        ESIM_ADMIN_PROMO_COLUMNS " "
        "FROM (SELECT auth.uid() AS uid) a "
        "LEFT JOIN {app}.users u ON u.id = a.uid AND u.deleted_at IS NULL "
        "LEFT JOIN {app}.plans p ON p.id = $1::uuid AND p.is_active AND p.deleted_at IS NULL "
        "LEFT JOIN LATERAL (SELECT pp.selling_price, pp.currency FROM {app}.plan_pricing pp "
        "   WHERE pp.plan_id = p.id AND pp.deleted_at IS NULL AND pp.effective_from <= now() "
        "     AND (pp.effective_to IS NULL OR pp.effective_to > now()) AND (pp.region = $2 OR pp.region IS NULL) "
        "   ORDER BY pp.region IS NULL LIMIT 1) pr ON true "
        "LEFT JOIN {app}.promotional_codes c ON c.code = $3 AND c.deleted_at IS NULL",
        3);
    look_up.run({plan, region, code}, true);
    const Text uid = Query::value(0, 1);
    if (!uid) not_authorized("sign in first");
    const Text user_status = Query::value(0, 2);
    if (!user_status) not_authorized("no panel user for this account");
    if (*user_status != "active") not_authorized("this account is " + *user_status);
    // The plan id as the trigger reads it back (canonical uuid text).
    const Text plan_id = Query::value(0, 3);
    if (!plan_id) throw core::DomainError(core::ErrorKind::NotFound, "plan " + plan + " is not on sale");
    const Text price = Query::value(0, 4);
    if (!price) throw core::DomainError(core::ErrorKind::NotFound, "plan " + plan + " has no price in force");
    const core::Decimal amount = core::Decimal::parse(*price);
    const std::string currency = *Query::value(0, 5);
    const Text promo_id = Query::value(0, 6);
    if (code && !promo_id) {
        throw core::DomainError(core::ErrorKind::NotFound, "promotional code " + *code + " does not exist");
    }
    PurchaseInsert purchase(result_context);
    if (promo_id) {
        const domain::PromoCode promo = promo_from_result(0, 7);
        domain::check_promo_usable(promo, *plan_id, micros(transaction_now()));
        purchase.offer_discount(*promo_id, *plan_id, amount.to_string(), domain::discount_for(promo, amount).to_string());
    }
    // Below SQL where the table allows it (READ COMMITTED, only the
    // extension's triggers): the row trigger and the foreign key checks run
    // as for an INSERT, and the use of the code is counted here, as the
    // statement trigger counts it for rows written through SQL.
    if (const auto table = pg::DirectWriter::usable_table(app_schema(), "transactions", "esim_admin_internal")) {
        pg::DirectWriter writer(*table);
        const TupleDesc desc = writer.descriptor();
        pg::RowImage row(desc, *table);
        row.set(row.column("user_id"), uuid_datum(*uid));
        row.set(row.column("plan_id"), uuid_datum(*plan_id));
        row.set_numeric(row.column("amount"), amount);
        row.set(row.column("currency"), pg::text_from_string(currency));
        const AttrNumber method_col = row.column("payment_method");
        const Oid method_type = TupleDescAttr(desc, method_col - 1)->atttypid;
        row.set(method_col, pg::call([&] {
            return DirectFunctionCall2(enum_in, CStringGetDatum(method.c_str()), ObjectIdGetDatum(method_type));
        }));
        row.set(row.column("promo_code_id"), promo_id ? std::optional(uuid_datum(*promo_id)) : std::nullopt);
        row.set_numeric(row.column("total_amount"), core::Decimal::from_int(0));
        writer.insert(row);
        // The row as the trigger wrote it, as the result (RETURNING *).
        HeapTuple written = purchase.row();
        if (written == nullptr) throw std::logic_error("purchase: the transaction's trigger did not run");
        const Datum result = pg::call([&] {
            const MemoryContext old = MemoryContextSwitchTo(result_context);
            const Datum d = heap_copy_tuple_as_datum(written, desc);
            MemoryContextSwitchTo(old);
            return d;
        });
        writer.finish();
        if (promo_id) {
            const pg::Uuid code = pg::uuid_from_datum(uuid_datum(*promo_id));
            core::Key key;
            std::copy(code.begin(), code.end(), key.begin());
            apply_promo_uses({{key, 1}});
        }
        return result;
    }
    static Query insert_q(
        "INSERT INTO {app}.transactions (user_id, plan_id, amount, currency, payment_method, promo_code_id, total_amount) "
        "VALUES ($1::uuid, $2::uuid, $3::numeric, $4, $5::text::{app}.payment_method, $6::uuid, 0) RETURNING *",
        6);
    insert_q.run({uid, plan, amount.to_string(), currency, method, promo_id});
    return PointerGetDatum(pg::call([] { return SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc); }));
}

// record_article_view(slug) -> the article's new view count; published
// articles only (another slug is P0002).
PG_CPP_FUNCTION(esim_admin_record_article_view) {
    const std::string slug = required(fcinfo, 0, "slug");
    pg::SpiSession spi;
    static Query q(
        "UPDATE {app}.knowledge_base SET views = views + 1 "
        "WHERE slug = $1 AND is_published AND deleted_at IS NULL RETURNING views::text",
        1);
    if (q.run({slug}) != 1) throw core::DomainError(core::ErrorKind::NotFound, "no published article " + slug);
    return Int32GetDatum(std::stoi(*Query::value(0, 1)));
}

// notify_from_template(user_id, template_name, type, variables jsonb) ->
// notification id. Staff or the service only. Subject and message are the
// template's with its declared variables substituted (body_text for every
// type but email, which gets body_html); an undeclared or missing variable
// is 22023.
PG_CPP_FUNCTION(esim_admin_notify_from_template) {
    const std::string user = required(fcinfo, 0, "user_id");
    const std::string name = required(fcinfo, 1, "template_name");
    const std::string type = required(fcinfo, 2, "type");
    const Text variables = arg_text(fcinfo, 3);
    pg::SpiSession spi;
    if (!is_staff(requesting_caller())) not_authorized("notifications are sent by staff or the service role");
    static Query template_q(
        "SELECT id::text, subject, body_html, coalesce(body_text, body_html), "
        "  coalesce(variables, '[]'::jsonb)::text "
        "FROM {app}.email_templates WHERE name = $1 AND is_active AND deleted_at IS NULL",
        1);
    if (template_q.run({name}, true) != 1) {
        throw core::DomainError(core::ErrorKind::NotFound, "no active template " + name);
    }
    const std::string template_id = *Query::value(0, 1);
    const std::string subject = *Query::value(0, 2);
    const std::string body = type == "email" ? *Query::value(0, 3) : *Query::value(0, 4);
    const std::string declared_json = *Query::value(0, 5);
    static Query names_q("SELECT jsonb_array_elements_text($1::jsonb)", 1);
    std::vector<std::string> declared;
    const uint64 nd = names_q.run({declared_json}, true);
    for (uint64 i = 0; i < nd; ++i) declared.push_back(*Query::value(i, 1));
    std::map<std::string, std::string> values;
    if (variables) {
        static Query values_q(
            "SELECT key, CASE jsonb_typeof(value) WHEN 'string' THEN value #>> ARRAY[]::text[] ELSE value::text END "
            "FROM jsonb_each(CASE WHEN jsonb_typeof($1::jsonb) = 'object' THEN $1::jsonb "
            "  ELSE {internal}.not_an_object($1::jsonb) END)",
            1);
        const uint64 nv = values_q.run({variables}, true);
        for (uint64 i = 0; i < nv; ++i) values[*Query::value(i, 1)] = Query::value(i, 2).value_or("");
    }
    const std::string subject_out = domain::render_template(subject, declared, values, false);
    const std::string message_out = domain::render_template(body, declared, values, type == "email");
    static Query insert_q(
        "INSERT INTO {app}.notifications (user_id, type, template_id, subject, message) "
        "VALUES ($1::uuid, $2::text::{app}.notification_type, $3::uuid, left($4, 255), $5) RETURNING id::text",
        5);
    insert_q.run({user, type, template_id, subject_out, message_out});
    return uuid_datum(*Query::value(0, 1));
}

// generate_revenue_report(period_type, day) -> report id. The period of that
// type holding the day (UTC); its figures from the rows; regenerating
// replaces the period's report. Admins or the service only (the wrapper's
// policy-free caller check is here).
PG_CPP_FUNCTION(esim_admin_generate_revenue_report) {
    const std::string type_name = required(fcinfo, 0, "period_type");
    if (PG_ARGISNULL(1)) throw core::DomainError(core::ErrorKind::NullValue, "day must not be null");
    const DateADT day = PG_GETARG_DATEADT(1);
    const auto type = domain::parse_period_type(type_name);
    const domain::Period p = domain::period_containing(type, static_cast<domain::Day>(day));
    pg::SpiSession spi;
    if (!is_admin(requesting_caller())) not_authorized("revenue reports are generated by admins or the service role");
    static Query q(
        "INSERT INTO {app}.revenue_reports AS r (period_type, period_start, period_end, total_revenue, total_cost, "
        "  profit, transaction_count, new_users, active_esims, generated_at) "
        "SELECT $1::text::{app}.report_period_type, $2::date, $3::date, f.revenue, f.cost, f.revenue - f.cost, "
        "  f.transaction_count, f.new_users, f.active_esims, now() "
        "FROM {internal}.period_figures($2::date, $3::date) f "
        "ON CONFLICT (period_type, period_start) DO UPDATE SET period_end = EXCLUDED.period_end, "
        "  total_revenue = EXCLUDED.total_revenue, total_cost = EXCLUDED.total_cost, profit = EXCLUDED.profit, "
        "  transaction_count = EXCLUDED.transaction_count, new_users = EXCLUDED.new_users, "
        "  active_esims = EXCLUDED.active_esims, generated_at = EXCLUDED.generated_at "
        "RETURNING *",
        3);
    auto date_text = [](domain::Day d) {
        const auto c = domain::civil_from_day(d);
        return fmt::format("{:04d}-{:02d}-{:02d}", c.year, c.month, c.day);
    };
    q.run({type_name, date_text(p.first), date_text(p.last)});
    return PointerGetDatum(pg::call([] { return SPI_returntuple(SPI_tuptable->vals[0], SPI_tuptable->tupdesc); }));
}

namespace {

// The pii_read entry of one read of a customer's data by someone else:
// row_id is the customer, `after` says what was read and why.
void audit_pii_read(const std::string& table, const std::string& customer, const std::string& what_json,
                    const Text& reason) {
    audit("pii_read", table, customer, std::nullopt,
          "{" + what_json + ", \"reason\": " + (reason ? json_quote(*reason) : std::string("null")) + "}",
          requesting_caller());
}

Text reason_arg(FunctionCallInfo fcinfo, int n) {
    Text reason = arg_text(fcinfo, n);
    if (reason && reason->size() > 500) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a reason is at most 500 characters");
    }
    return reason;
}

}  // namespace

// customer_record(user_id, reason) -> jsonb: a customer's personal record
// for support work (profile, KYC documents with their URLs, latest
// purchases, open tickets), each read audited (pii_read: who read whose
// record, which columns, when, why). The only way staff read another user's
// personal columns: no API role selects them from the tables.
PG_CPP_FUNCTION(esim_admin_customer_record) {
    if (PG_ARGISNULL(0)) throw core::DomainError(core::ErrorKind::NullValue, "user_id must not be null");
    const std::string id = pg::call([&] {
        return pstrdup(DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(0))));
    });
    const Text reason = reason_arg(fcinfo, 1);
    pg::SpiSession spi;
    if (!is_staff(requesting_caller())) not_authorized("customer records are read by staff or the service role");
    static Query q(
        "SELECT jsonb_build_object("
        "  'user', jsonb_build_object('id', u.id, 'email', u.email, 'first_name', u.first_name, "
        "    'last_name', u.last_name, 'phone', u.phone, 'status', u.status, 'role', u.role, "
        "    'kyc_status', u.kyc_status, 'created_at', u.created_at, 'last_login', u.last_login), "
        "  'kyc_documents', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', k.id, 'document_type', k.document_type, "
        "      'document_url', k.document_url, 'status', k.status, 'uploaded_at', k.uploaded_at) ORDER BY k.uploaded_at), '[]') "
        "    FROM {app}.kyc_documents k WHERE k.user_id = u.id AND k.deleted_at IS NULL), "
        "  'transactions', (SELECT coalesce(jsonb_agg(x ORDER BY x.created_at DESC), '[]') FROM ("
        "      SELECT t.id, t.plan_id, t.total_amount, t.currency, t.status, t.created_at FROM {app}.transactions t "
        "       WHERE t.user_id = u.id AND t.deleted_at IS NULL ORDER BY t.created_at DESC LIMIT 10) x), "
        "  'open_tickets', (SELECT count(*) FROM {app}.support_tickets s "
        "    WHERE s.user_id = u.id AND s.deleted_at IS NULL AND s.status NOT IN ('resolved', 'closed')))::text "
        "FROM {app}.users u WHERE u.id = $1::uuid AND u.deleted_at IS NULL",
        1);
    if (q.run({id}, true) != 1) throw core::DomainError(core::ErrorKind::NotFound, "no user " + id);
    const std::string record = *Query::value(0, 1);
    audit_pii_read("users", id,
                   "\"columns\": [\"email\", \"first_name\", \"last_name\", \"phone\", "
                   "\"kyc_documents.document_url\"], \"parts\": [\"kyc_documents\", \"transactions\", \"open_tickets\"]",
                   reason);
    return pg::call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(record.c_str())); });
}

// kyc_document_url(document_id, reason) -> text: the document's URL for its
// owner (their own data: not logged) and for staff, who verify documents
// (audited: pii_read of the owner's kyc_documents.document_url, the document
// and the reason). Anyone else: 42501; staff asking for no such document:
// P0002.
PG_CPP_FUNCTION(esim_admin_kyc_document_url) {
    if (PG_ARGISNULL(0)) throw core::DomainError(core::ErrorKind::NullValue, "document_id must not be null");
    const std::string id = pg::call([&] {
        return pstrdup(DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(0))));
    });
    const Text reason = reason_arg(fcinfo, 1);
    pg::SpiSession spi;
    static Query q(
        "SELECT k.user_id::text, k.document_url FROM {app}.kyc_documents k WHERE k.id = $1::uuid AND k.deleted_at IS NULL",
        1);
    const Caller caller = requesting_caller();
    const bool staff = is_staff(caller);
    if (!staff && caller == Caller::None) not_authorized("sign in first");
    if (q.run({id}, true) != 1) {
        if (!staff) not_authorized("a KYC document is read by its owner or staff");
        throw core::DomainError(core::ErrorKind::NotFound, "no KYC document " + id);
    }
    const std::string owner = *Query::value(0, 1);
    const std::string url = *Query::value(0, 2);
    if (caller != Caller::Service && current_user_id() == Text(owner)) return pg::text_from_string(url);
    if (!staff) not_authorized("a KYC document is read by its owner or staff");
    audit_pii_read("kyc_documents", owner,
                   "\"columns\": [\"document_url\"], \"document_id\": " + json_quote(id), reason);
    return pg::text_from_string(url);
}

PG_CPP_FUNCTION(esim_admin_not_authorized) {
    not_authorized("this function is for staff or the service role");
}

}  // namespace esim_admin
