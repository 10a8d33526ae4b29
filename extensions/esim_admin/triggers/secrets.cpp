// Secrets at rest: twilio_config.auth_token_encrypted / api_secret_encrypted
// and data_providers.api_key_encrypted hold pgcrypto ciphertext
// (pgp_sym_encrypt, base64, prefixed "enc:v1:"). The key is Supabase Vault's
// secret named esim_admin_secret_key where Vault exists, else a random key
// kept in esim_admin_internal.secret_key, which no API role can read. A
// plain value written to such a column is encrypted; reading the plaintext
// is a service-role function that logs who read what.
#include "esim_admin/support.hpp"
#include "pg/datum.hpp"

namespace esim_admin {
namespace {

constexpr const char* kPrefix = "enc:v1:";

std::string quoted_pgcrypto_schema() {
    static Query q(
        "SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n "
        "ON n.oid = e.extnamespace WHERE e.extname = 'pgcrypto'", 0);
    if (q.run({}, true) != 1) {
        throw core::DomainError(core::ErrorKind::Conflict, "encrypting secrets needs the pgcrypto extension",
                                {}, "CREATE EXTENSION pgcrypto SCHEMA extensions;");
    }
    const std::string schema = *Query::value(0, 1);
    return pg::call([&] { return pstrdup(quote_identifier(schema.c_str())); });
}

// The key, as text. Runs as the objects' owner.
std::string secret_key() {
    AsOwner owner;
    static Query vault(
        "SELECT decrypted_secret FROM vault.decrypted_secrets WHERE name = 'esim_admin_secret_key' LIMIT 1", 0);
    static Query has_vault("SELECT to_regclass('vault.decrypted_secrets') IS NOT NULL", 0);
    has_vault.run({}, true);
    if (*Query::value(0, 1) == "t" && vault.run({}, true) == 1 && Query::value(0, 1)) return *Query::value(0, 1);
    static Query stored("SELECT key FROM {internal}.secret_key WHERE id = 1", 0);
    if (stored.run({}, false) == 1) return *Query::value(0, 1);
    // First use: 32 random bytes from the server's strong source, as hex.
    unsigned char bytes[32];
    if (!pg_strong_random(bytes, sizeof bytes)) throw std::runtime_error("no strong random source");
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned char b : bytes) {
        hex.push_back(digits[b >> 4]);
        hex.push_back(digits[b & 15]);
    }
    static Query create("INSERT INTO {internal}.secret_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", 1);
    create.run({hex});
    stored.run({}, false);
    return *Query::value(0, 1);
}

std::string run_pgcrypto(const std::string& sql_with_schema_marker, const std::string& a, const std::string& b) {
    AsOwner owner;  // the API roles need no privilege on pgcrypto's schema
    const std::string schema = quoted_pgcrypto_schema();
    std::string sql = sql_with_schema_marker;
    for (std::size_t pos; (pos = sql.find("@pgcrypto@")) != std::string::npos;) sql.replace(pos, 10, schema);
    Oid types[2] = {TEXTOID, TEXTOID};
    Datum values[2] = {pg::text_from_string(a), pg::text_from_string(b)};
    pg::call([&] {
        if (SPI_execute_with_args(sql.c_str(), 2, types, values, nullptr, true, 1) != SPI_OK_SELECT) {
            elog(ERROR, "pgcrypto call failed");
        }
    });
    return *Query::value(0, 1);
}

}  // namespace

// BEFORE INSERT OR UPDATE, row; tgargs: the secret columns. A new plain
// value is encrypted; a value that looks like ciphertext is refused unless
// it is the one already stored.
PG_CPP_FUNCTION(esim_admin_encrypt_secrets) {
    TriggerData* td = pg::validate_trigger(
        fcinfo, {"encrypt_secrets", pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                 pg::event::Insert | pg::event::Update, pg::kOneOrMoreArgs});
    if (const auto kept = rows_as_dumped(td)) return *kept;
    const bool is_insert = pg::trigger_event(td) == pg::event::Insert;
    Row row(td, is_insert ? td->tg_trigtuple : td->tg_newtuple);
    pg::SpiSession spi;
    for (int i = 0; i < td->tg_trigger->tgnargs; ++i) {
        const std::string column = pg::trigger_arg(td, i);
        const Text value = row.get(column.c_str());
        if (!value) continue;
        if (!is_insert) {
            Row old(td, td->tg_trigtuple);
            if (old.get(column.c_str()) == value) continue;
        }
        if (value->rfind(kPrefix, 0) == 0) {
            throw core::DomainError(core::ErrorKind::InvalidParameter,
                                    column + " takes the plain secret; the database encrypts it");
        }
        const std::string cipher =
            run_pgcrypto("SELECT encode(@pgcrypto@.pgp_sym_encrypt($1, $2), 'base64')", *value, secret_key());
        row.set(column.c_str(), std::string(kPrefix) + cipher);
    }
    return keep_row(row.result());
}

// reveal_secrets(table, id) -> jsonb {column: plaintext}: the service role's
// read of an integration's secrets, audited (secret_read, the columns read).
PG_CPP_FUNCTION(esim_admin_reveal_secrets) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1)) {
        throw core::DomainError(core::ErrorKind::NullValue, "table and id must not be null");
    }
    const std::string table = pg::string_from_text(PG_GETARG_DATUM(0));
    const std::string id = pg::call([&] {
        return pstrdup(DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(1))));
    });
    pg::SpiSession spi;
    static Query twilio(
        "SELECT jsonb_build_object('auth_token', auth_token_encrypted, 'api_secret', api_secret_encrypted)::text "
        "FROM {app}.twilio_config WHERE id = $1::uuid AND deleted_at IS NULL", 1);
    static Query provider(
        "SELECT jsonb_build_object('api_key', api_key_encrypted)::text "
        "FROM {app}.data_providers WHERE id = $1::uuid AND deleted_at IS NULL", 1);
    Query* q = table == "twilio_config" ? &twilio : table == "data_providers" ? &provider : nullptr;
    if (q == nullptr) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "no secrets in table " + table,
                                {}, "Expected twilio_config or data_providers.");
    }
    if (q->run({id}, true) != 1) throw core::DomainError(core::ErrorKind::NotFound, table + " " + id + " does not exist");
    const std::string stored = *Query::value(0, 1);
    static Query keys("SELECT key, value #>> ARRAY[]::text[] FROM jsonb_each($1::jsonb)", 1);
    const uint64 n = keys.run({stored}, true);
    std::vector<std::pair<std::string, Text>> fields;
    for (uint64 i = 0; i < n; ++i) fields.emplace_back(*Query::value(i, 1), Query::value(i, 2));
    const std::string key = secret_key();
    std::string out = "{";
    std::string columns;
    for (const auto& [name, cipher] : fields) {
        if (out.size() > 1) out += ", ";
        out += "\"" + name + "\": ";
        if (!cipher) {
            out += "null";
            continue;
        }
        if (cipher->rfind(kPrefix, 0) != 0) {
            throw core::DomainError(core::ErrorKind::InvalidText, table + "." + name + " does not hold ciphertext");
        }
        const std::string plain = run_pgcrypto(
            "SELECT to_jsonb(@pgcrypto@.pgp_sym_decrypt(decode($1, 'base64'), $2))::text", cipher->substr(7), key);
        out += plain;
        columns += (columns.empty() ? "" : ", ") + ("\"" + name + "\"");
    }
    out += "}";
    audit("secret_read", table, id, std::nullopt, "{\"columns\": [" + columns + "]}");
    return pg::call([&] { return DirectFunctionCall1(jsonb_in, CStringGetDatum(out.c_str())); });
}

}  // namespace esim_admin
