#include "platform/caller.hpp"

#include "pg/guard.hpp"

extern "C" {
#include "utils/acl.h"
#include "utils/guc.h"
}

namespace pgcpp::platform {
namespace {

// A GUC's value as current_setting(name, true) gives it: nullopt when unset.
std::optional<std::string> setting(const char* name) {
    const char* value = pg::call([&] { return GetConfigOption(name, true, false); });
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

// claims::jsonb ->> key, with jsonb_in's errors (22P02) for malformed claims.
std::optional<std::string> claims_field(const std::string& claims, const char* key) {
    const char* claims_text = claims.c_str();
    text* field = pg::call([&]() -> text* {
        Datum json = DirectFunctionCall1(jsonb_in, CStringGetDatum(claims_text));
        LOCAL_FCINFO(fc, 2);
        InitFunctionCallInfoData(*fc, nullptr, 2, InvalidOid, nullptr, nullptr);
        fc->args[0].value = json;
        fc->args[0].isnull = false;
        fc->args[1].value = CStringGetTextDatum(key);
        fc->args[1].isnull = false;
        Datum result = jsonb_object_field_text(fc);
        if (fc->isnull) return nullptr;
        return DatumGetTextPP(result);
    });
    if (field == nullptr) return std::nullopt;
    return std::string(VARDATA_ANY(field), VARSIZE_ANY_EXHDR(field));
}

// A claim from its two settings: the single request.jwt.claim.<name> if
// non-empty, else request.jwt.claims ->> name.
std::optional<std::string> claim_from(const std::optional<std::string>& single,
                                      const std::optional<std::string>& claims, const char* name) {
    if (single && !single->empty()) return single;
    if (!claims || claims->empty()) return std::nullopt;
    return claims_field(*claims, name);
}

// The claims settings current_user_id() read last, and what they said.
struct CachedUser {
    std::optional<std::string> claim_sub, claims;
    std::optional<pg::Uuid> user;
};
std::optional<CachedUser> cached_user;

}  // namespace

std::optional<std::string> jwt_claim(const char* name) {
    const std::string single_name = fmt::format("request.jwt.claim.{}", name);
    return claim_from(setting(single_name.c_str()), setting("request.jwt.claims"), name);
}

std::optional<pg::Uuid> current_user_id() {
    // A pure function of two settings: parse the claims again only when they change.
    auto claim_sub = setting("request.jwt.claim.sub");
    auto claims = setting("request.jwt.claims");
    if (cached_user && cached_user->claim_sub == claim_sub && cached_user->claims == claims) {
        return cached_user->user;
    }
    const auto sub = claim_from(claim_sub, claims, "sub");
    std::optional<pg::Uuid> user;
    if (sub) {
        const char* sub_text = sub->c_str();
        // The text -> uuid cast: uuid_in, with its 22P02 for anything malformed.
        const Datum uuid = pg::call([&] { return DirectFunctionCall1(uuid_in, CStringGetDatum(sub_text)); });
        user = pg::uuid_from_datum(uuid);
    }
    cached_user = CachedUser{std::move(claim_sub), std::move(claims), user};
    return user;
}

bool session_bypasses_rls() {
    return pg::call([] {
        const Oid role = GetOuterUserId();
        return superuser_arg(role) || has_bypassrls_privilege(role);
    });
}

bool is_service() {
    const Oid role = GetUserId();
    const bool privileged =
        pg::call([&] { return superuser_arg(role) || has_bypassrls_privilege(role); });
    if (privileged) return true;
    // A service_role JWT makes PostgREST switch to service_role (caught above).
    // The claim alone never lifts an API role: anon or authenticated with forged
    // claims stay what they are.
    const auto claimed = jwt_claim("role");
    if (!claimed || *claimed != "service_role") return false;
    return pg::call([&] {
        const Oid service = get_role_oid("service_role", true);
        return OidIsValid(service) && has_privs_of_role(role, service);
    });
}

}  // namespace pgcpp::platform
