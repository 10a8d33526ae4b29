// Catalog sync jobs owned by the database: one active job per (job_type,
// bundle_group, country_id) (a partial unique index decides under
// concurrency), transitions checked by the guard trigger, stuck jobs failed,
// old ones purged, and sync_catalog() upserting a provider payload in one
// call. For admins and the service role; writes run as the extension owner.
#include <map>
#include <set>
#include <string>

#include "core/errors.hpp"
#include "esimgo/api/caller.hpp"
#include "esimgo/domain/catalog_sync.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/workflows.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace platform = pgcpp::platform;
namespace domain = esimgo::domain;
namespace json = esimgo::domain::json;

namespace {

std::optional<std::string> optional_text(FunctionCallInfo fcinfo, int n) {
    if (PG_ARGISNULL(n)) return std::nullopt;
    return pg::string_from_text(PG_GETARG_DATUM(n));
}

std::string text_at(uint64 row, int att, bool* is_null = nullptr) {
    bool n = false;
    Datum v = pg::spi_value(row, att, &n);
    if (is_null) *is_null = n;
    return n ? std::string() : pg::string_from_text(v);
}

Datum uuid_datum(const std::string& text) {
    return pg::call([&] { return DirectFunctionCall1(uuid_in, CStringGetDatum(text.c_str())); });
}

Datum jsonb_from_text(const std::string& text) {
    return pg::call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(text.c_str())); });
}

std::string uuid_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    return pg::uuid_text(pg::uuid_from_datum(pg::required_arg(fcinfo, n, name)).data());
}

struct Job {
    std::string type, status;
    std::optional<std::string> group, country;
};

pg::Statement lock_job_sql(
    "SELECT job_type::text, status::text, bundle_group::text, country_id::text FROM {app}.catalog_sync_jobs"
    " WHERE id = $1::uuid FOR UPDATE",
    {TEXTOID}, pg::Statement::Plan::Generic);

Job lock_job(const std::string& id) {
    Datum arg = pg::text_from_string(id);
    if (lock_job_sql.execute(esimgo::extension.schema(), &arg, nullptr, false, 1) != 1)
        throw core::DomainError(core::ErrorKind::NotFound, "sync job " + id + " not found");
    Job j;
    bool n = false;
    j.type = text_at(0, 1);
    j.status = text_at(0, 2);
    std::string g = text_at(0, 3, &n);
    if (!n) j.group = g;
    std::string c = text_at(0, 4, &n);
    if (!n) j.country = c;
    return j;
}

}  // namespace

// create_sync_job(job_type, bundle_group, country_id, priority, force) -> uuid
PG_CPP_FUNCTION(esimgo_create_sync_job) {
    std::string type = pg::string_from_text(pg::required_arg(fcinfo, 0, "job_type"));
    std::optional<std::string> group = optional_text(fcinfo, 1), country = optional_text(fcinfo, 2);
    std::string priority = pg::string_from_text(pg::required_arg(fcinfo, 3, "priority"));
    bool force = DatumGetBool(pg::required_arg(fcinfo, 4, "force"));
    if (type != "FULL_SYNC" && type != "COUNTRY_SYNC" && type != "GROUP_SYNC" && type != "METADATA_SYNC")
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "job_type must be FULL_SYNC, COUNTRY_SYNC, GROUP_SYNC or METADATA_SYNC");
    if (type == "COUNTRY_SYNC" && !country)
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a COUNTRY_SYNC job needs country_id");
    if (type == "GROUP_SYNC" && !group)
        throw core::DomainError(core::ErrorKind::InvalidParameter, "a GROUP_SYNC job needs bundle_group");
    static pg::Statement active_sql(
        "SELECT status::text FROM {app}.catalog_sync_jobs WHERE job_type = $1 AND status IN ('pending', 'running')"
        " AND coalesce(bundle_group, '') = coalesce($2, '') AND coalesce(country_id, '') = coalesce($3, '')"
        " ORDER BY status DESC FOR UPDATE",
        {TEXTOID, TEXTOID, TEXTOID});
    static pg::Statement cancel_sql(
        "UPDATE {app}.catalog_sync_jobs SET status = 'cancelled', completed_at = now(),"
        " error_message = 'Cancelled to allow new sync job' WHERE job_type = $1 AND status = 'pending'"
        " AND coalesce(bundle_group, '') = coalesce($2, '') AND coalesce(country_id, '') = coalesce($3, '')",
        {TEXTOID, TEXTOID, TEXTOID});
    static pg::Statement insert_sql(
        "INSERT INTO {app}.catalog_sync_jobs (job_type, bundle_group, country_id, priority, metadata)"
        " VALUES ($1, $2, $3, $4, jsonb_build_object('force', $5::boolean)) RETURNING id::text",
        {TEXTOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID});
    std::string id;
    {
        pg::SpiSession spi;
        esimgo::caller::require_admin_or_service("create_sync_job()");
        platform::AsExtensionOwner owner(esimgo::extension);
        Datum args[5] = {pg::text_from_string(type), group ? pg::text_from_string(*group) : Datum(0),
                         country ? pg::text_from_string(*country) : Datum(0), pg::text_from_string(priority),
                         BoolGetDatum(force)};
        char nulls[6] = {' ', group ? ' ' : 'n', country ? ' ' : 'n', ' ', ' ', '\0'};
        uint64 active = active_sql.execute(esimgo::extension.schema(), args, nulls, false);
        if (active > 0) {
            std::string status = text_at(0, 1);
            if (!force || status == "running")
                throw core::DomainError(core::ErrorKind::Conflict,
                                        "a " + type + " job is already " + status +
                                            (force ? " (force cancels pending jobs only)" : ""));
            cancel_sql.execute(esimgo::extension.schema(), args, nulls, false);
        }
        // Two triggers at once both pass the check above; the partial unique
        // index catalog_sync_jobs_one_active then refuses the second (23505).
        insert_sql.execute(esimgo::extension.schema(), args, nulls, false);
        id = text_at(0, 1);
    }
    return uuid_datum(id);
}

// next_sync_job() -> uuid: takes the oldest pending job of the highest priority and starts it.
PG_CPP_FUNCTION(esimgo_next_sync_job) {
    static pg::Statement next_sql(
        "UPDATE {app}.catalog_sync_jobs SET status = 'running', started_at = now() WHERE id = ("
        " SELECT id FROM {app}.catalog_sync_jobs WHERE status = 'pending'"
        " ORDER BY CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END, created_at, id"
        " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id::text",
        {});
    std::optional<std::string> id;
    {
        pg::SpiSession spi;
        esimgo::caller::require_admin_or_service("next_sync_job()");
        platform::AsExtensionOwner owner(esimgo::extension);
        if (next_sql.execute(esimgo::extension.schema(), nullptr, nullptr, false) == 1) id = text_at(0, 1);
    }
    if (!id) PG_RETURN_NULL();
    return uuid_datum(*id);
}

// set_sync_job_status(job_id, status, error_message) -> text: running, completed, failed, cancelled
PG_CPP_FUNCTION(esimgo_set_sync_job_status) {
    std::string id = uuid_arg(fcinfo, 0, "job_id");
    std::string to = pg::string_from_text(pg::required_arg(fcinfo, 1, "status"));
    std::optional<std::string> message = optional_text(fcinfo, 2);
    auto to_status = domain::job_status_from_name(to);
    if (!to_status) throw core::DomainError(core::ErrorKind::InvalidParameter, "unknown job status \"" + to.substr(0, 40) + "\"");
    static pg::Statement set_sql(
        "UPDATE {app}.catalog_sync_jobs SET status = $2,"
        " started_at = CASE WHEN $2 = 'running' THEN now() ELSE started_at END,"
        " completed_at = CASE WHEN $2 IN ('completed', 'failed', 'cancelled') THEN now() ELSE completed_at END,"
        " error_message = coalesce($3, error_message) WHERE id = $1::uuid",
        {TEXTOID, TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);
    {
        pg::SpiSession spi;
        esimgo::caller::require_admin_or_service("set_sync_job_status()");
        platform::AsExtensionOwner owner(esimgo::extension);
        Job job = lock_job(id);
        auto from = domain::job_status_from_name(job.status);
        if (!from || !domain::job_transition_allowed(*from, *to_status))
            throw core::DomainError(core::ErrorKind::CheckViolation,
                                    "a sync job cannot go from " + job.status + " to " + to);
        Datum args[3] = {pg::text_from_string(id), pg::text_from_string(to),
                         message ? pg::text_from_string(*message) : Datum(0)};
        char nulls[4] = {' ', ' ', message ? ' ' : 'n', '\0'};
        set_sql.execute(esimgo::extension.schema(), args, nulls, false);
    }
    return pg::text_from_string(to);
}

// fail_stuck_sync_jobs() -> integer: running for over 60 minutes -> failed
PG_CPP_FUNCTION(esimgo_fail_stuck_sync_jobs) {
    static pg::Statement stuck_sql(
        "UPDATE {app}.catalog_sync_jobs SET status = 'failed', completed_at = now(),"
        " error_message = 'Stuck: running for over 60 minutes' WHERE status = 'running'"
        " AND started_at < now() - interval '60 minutes'",
        {});
    uint64 n = 0;
    {
        pg::SpiSession spi;
        esimgo::caller::require_admin_or_service("fail_stuck_sync_jobs()");
        platform::AsExtensionOwner owner(esimgo::extension);
        n = stuck_sql.execute(esimgo::extension.schema(), nullptr, nullptr, false);
    }
    return Int32GetDatum(int32(n));
}

// purge_sync_jobs(older_than interval) -> integer: finished jobs older than that
PG_CPP_FUNCTION(esimgo_purge_sync_jobs) {
    Datum older = pg::required_arg(fcinfo, 0, "older_than");
    static pg::Statement purge_sql(
        "DELETE FROM {app}.catalog_sync_jobs WHERE status IN ('completed', 'failed', 'cancelled')"
        " AND created_at < now() - $1::interval",
        {INTERVALOID});
    uint64 n = 0;
    {
        pg::SpiSession spi;
        esimgo::caller::require_admin_or_service("purge_sync_jobs()");
        platform::AsExtensionOwner owner(esimgo::extension);
        n = purge_sql.execute(esimgo::extension.schema(), &older, nullptr, false);
    }
    return Int32GetDatum(int32(n));
}

// sync_catalog(job_id, bundles) -> jsonb {processed, added, updated, unchanged, removed, skipped, priceChanges}
PG_CPP_FUNCTION(esimgo_sync_catalog) {
    std::string id = uuid_arg(fcinfo, 0, "job_id");
    std::string payload_text = [&] {
        Datum j = pg::required_arg(fcinfo, 1, "bundles");
        char* s = pg::call([&] { return DatumGetCString(DirectFunctionCall1(jsonb_out, j)); });
        return std::string(s);
    }();
    domain::SyncPayload payload = domain::parse_sync_payload(json::parse(payload_text));

    // The rows as jsonb_to_recordset reads them.
    std::string rows_json = "[";
    std::set<std::string> providers;
    for (std::size_t i = 0; i < payload.rows.size(); ++i) {
        const domain::CatalogRow& r = payload.rows[i];
        providers.insert(r.provider);
        auto list = [](const std::vector<std::string>& v) {
            std::string out = "[";
            for (std::size_t k = 0; k < v.size(); ++k) {
                if (k) out.push_back(',');
                json::append_quoted(out, v[k]);
            }
            return out + "]";
        };
        if (i) rows_json.push_back(',');
        rows_json += "{\"esim_go_name\":";
        json::append_quoted(rows_json, r.name);
        rows_json += ",\"description\":";
        json::append_quoted(rows_json, r.description);
        rows_json += ",\"provider\":";
        json::append_quoted(rows_json, r.provider);
        rows_json += ",\"validity_in_days\":" + std::to_string(r.validity_days);
        rows_json += ",\"price\":" + domain::format_cents(r.price);
        rows_json += std::string(",\"is_unlimited\":") + (r.is_unlimited ? "true" : "false");
        rows_json += ",\"data_amount_mb\":" + (r.data_amount_mb ? std::to_string(*r.data_amount_mb) : std::string("null"));
        rows_json += ",\"data_amount_readable\":";
        json::append_quoted(rows_json, r.data_amount_readable);
        rows_json += ",\"region\":";
        if (r.region) json::append_quoted(rows_json, *r.region);
        else rows_json += "null";
        rows_json += ",\"groups\":" + list(r.groups) + ",\"countries\":" + list(r.countries) + ",\"speed\":" + list(r.speed) + "}";
    }
    rows_json += "]";

    static pg::Statement old_prices_sql(
        "SELECT c.esim_go_name::text, c.price::text FROM {app}.catalog_bundles c"
        " JOIN jsonb_to_recordset($1::jsonb) AS x(esim_go_name text) ON x.esim_go_name = c.esim_go_name FOR UPDATE OF c",
        {TEXTOID});
    static pg::Statement upsert_sql(
        "INSERT INTO {app}.catalog_bundles AS c (esim_go_name, description, provider, validity_in_days, duration, price,"
        "  is_unlimited, unlimited, data_amount_mb, data_amount_readable, region, groups, countries, speed, synced_at)"
        " SELECT x.esim_go_name, x.description, x.provider, x.validity_in_days, x.validity_in_days, x.price, x.is_unlimited,"
        "  x.is_unlimited, x.data_amount_mb, x.data_amount_readable, x.region, x.groups, x.countries, x.speed, now()"
        " FROM jsonb_to_recordset($1::jsonb) AS x(esim_go_name text, description text, provider text, validity_in_days int,"
        "  price numeric, is_unlimited boolean, data_amount_mb bigint, data_amount_readable text, region text,"
        "  groups text[], countries text[], speed text[])"
        " ON CONFLICT (esim_go_name) DO UPDATE SET description = excluded.description, provider = excluded.provider,"
        "  validity_in_days = excluded.validity_in_days, duration = excluded.duration, price = excluded.price,"
        "  is_unlimited = excluded.is_unlimited, unlimited = excluded.unlimited, data_amount_mb = excluded.data_amount_mb,"
        "  data_amount_readable = excluded.data_amount_readable, region = excluded.region, groups = excluded.groups,"
        "  countries = excluded.countries, speed = excluded.speed, synced_at = now()"
        " WHERE (c.description, c.provider, c.validity_in_days, c.price, c.is_unlimited, c.data_amount_mb,"
        "  c.data_amount_readable, c.region, c.groups, c.countries, c.speed) IS DISTINCT FROM"
        " (excluded.description, excluded.provider, excluded.validity_in_days, excluded.price, excluded.is_unlimited,"
        "  excluded.data_amount_mb, excluded.data_amount_readable, excluded.region, excluded.groups, excluded.countries,"
        "  excluded.speed)"
        " RETURNING c.esim_go_name::text, (c.xmax = 0)",
        {TEXTOID});
    // Rows of the job's scope that the payload no longer has.
    static pg::Statement remove_sql(
        "DELETE FROM {app}.catalog_bundles c"
        " WHERE NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($1::jsonb) AS x(esim_go_name text) WHERE x.esim_go_name = c.esim_go_name)"
        "   AND CASE $2::text WHEN 'FULL_SYNC' THEN c.provider IN (SELECT jsonb_array_elements_text($3::jsonb))"
        "                     WHEN 'GROUP_SYNC' THEN c.groups @> ARRAY[$4::text]"
        "                     WHEN 'COUNTRY_SYNC' THEN c.countries @> ARRAY[$5::text] ELSE false END",
        {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID});
    static pg::Statement metadata_sql(
        "INSERT INTO {app}.catalog_metadata AS m (id, total_bundles, bundle_groups, last_full_sync)"
        " SELECT 'singleton', (SELECT count(*) FROM {app}.catalog_bundles),"
        "  (SELECT coalesce(array_agg(DISTINCT g ORDER BY g), '{{}}') FROM {app}.catalog_bundles, unnest(groups) g),"
        "  CASE WHEN $1 THEN now() END"
        " ON CONFLICT (id) DO UPDATE SET total_bundles = excluded.total_bundles, bundle_groups = excluded.bundle_groups,"
        "  last_full_sync = coalesce(excluded.last_full_sync, m.last_full_sync)",
        {BOOLOID});
    static pg::Statement lock_metadata_sql(
        "SELECT 1 FROM {app}.catalog_metadata WHERE id = 'singleton' FOR UPDATE", {}, pg::Statement::Plan::Generic);
    static pg::Statement job_sql(
        "UPDATE {app}.catalog_sync_jobs SET bundles_processed = $2, bundles_added = $3, bundles_updated = $4,"
        " metadata = (CASE WHEN jsonb_typeof(metadata) = 'object' THEN metadata ELSE '{{}}' END) || $5::jsonb"
        " WHERE id = $1::uuid",
        {TEXTOID, INT4OID, INT4OID, INT4OID, TEXTOID}, pg::Statement::Plan::Generic);

    std::string summary;
    {
        pg::SpiSession spi;
        esimgo::caller::require_admin_or_service("sync_catalog()");
        platform::AsExtensionOwner owner(esimgo::extension);
        Job job = lock_job(id);
        if (job.status != "running")
            throw core::DomainError(core::ErrorKind::Conflict, "sync job " + id + " is " + job.status + ", not running");
        const Oid app = esimgo::extension.schema();
        // Syncs take the metadata row first, one after the other: a sync that
        // waited for another then counts (each statement's fresh snapshot)
        // the rows that one committed, so total_bundles never goes stale.
        lock_metadata_sql.execute(app, nullptr, nullptr, false);
        Datum rows_arg = pg::text_from_string(rows_json);
        std::map<std::string, std::string> old_price;
        uint64 n = old_prices_sql.execute(app, &rows_arg, nullptr, false);
        for (uint64 r = 0; r < n; ++r) old_price[text_at(r, 1)] = text_at(r, 2);
        int added = 0, updated = 0;
        n = upsert_sql.execute(app, &rows_arg, nullptr, false);
        for (uint64 r = 0; r < n; ++r) {
            bool is_null = false;
            if (DatumGetBool(pg::spi_value(r, 2, &is_null))) ++added;
            else ++updated;
        }
        int unchanged = int(payload.rows.size()) - added - updated;
        std::string changes = "[";
        bool first = true;
        for (const domain::CatalogRow& row : payload.rows) {
            auto it = old_price.find(row.name);
            if (it == old_price.end()) continue;
            core::Decimal before = core::Decimal::parse(it->second);
            if (before == domain::cents_decimal(row.price)) continue;
            if (!first) changes.push_back(',');
            first = false;
            changes += "{\"esim_go_name\":";
            json::append_quoted(changes, row.name);
            changes += ",\"old\":" + before.to_string() + ",\"new\":" + domain::format_cents(row.price) + "}";
        }
        changes += "]";
        std::string provider_list = "[";
        for (const std::string& p : providers) {
            if (provider_list.size() > 1) provider_list.push_back(',');
            json::append_quoted(provider_list, p);
        }
        provider_list += "]";
        Datum providers_arg = pg::text_from_string(provider_list);
        Datum remove_args[5] = {rows_arg, pg::text_from_string(job.type), providers_arg,
                                job.group ? pg::text_from_string(*job.group) : Datum(0),
                                job.country ? pg::text_from_string(*job.country) : Datum(0)};
        char remove_nulls[6] = {' ', ' ', ' ', job.group ? ' ' : 'n', job.country ? ' ' : 'n', '\0'};
        int removed = int(remove_sql.execute(app, remove_args, remove_nulls, false));
        Datum full = BoolGetDatum(job.type == "FULL_SYNC");
        metadata_sql.execute(app, &full, nullptr, false);
        int processed = int(payload.rows.size()) + payload.skipped;
        summary = "{\"processed\":" + std::to_string(processed) + ",\"added\":" + std::to_string(added) +
                  ",\"updated\":" + std::to_string(updated) + ",\"unchanged\":" + std::to_string(unchanged) +
                  ",\"removed\":" + std::to_string(removed) + ",\"skipped\":" + std::to_string(payload.skipped) +
                  ",\"priceChanges\":" + changes + "}";
        Datum job_args[5] = {pg::text_from_string(id), Int32GetDatum(processed), Int32GetDatum(added),
                             Int32GetDatum(updated), pg::text_from_string(summary)};
        job_sql.execute(app, job_args, nullptr, false);
    }
    return jsonb_from_text(summary);
}
