#include "esimgo/api/caller.hpp"

#include "core/errors.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "utils/acl.h"
}

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;

namespace esimgo::caller {

namespace {
pg::Statement uid_sql("SELECT auth.uid()::text", {}, pg::Statement::Plan::Generic);
pg::Statement admin_sql("SELECT {internal}.is_admin()", {}, pg::Statement::Plan::Generic);
}  // namespace

std::optional<std::string> user_id() {
    uid_sql.execute(extension.schema(), nullptr, nullptr, true, 1);
    bool is_null = false;
    Datum v = pg::spi_value(0, 1, &is_null);
    if (is_null) return std::nullopt;
    return pg::string_from_text(v);
}

bool is_service() {
    Oid role = GetUserId();
    return pg::call([&] { return superuser_arg(role) || has_bypassrls_privilege(role); });
}

bool is_admin() {
    admin_sql.execute(extension.schema(), nullptr, nullptr, true, 1);
    bool is_null = false;
    Datum v = pg::spi_value(0, 1, &is_null);
    return !is_null && DatumGetBool(v);
}

void require_admin_or_service(const char* what) {
    if (!is_service() && !is_admin())
        throw core::DomainError(core::ErrorKind::NotAuthorized, std::string(what) + " is for admins and the service role");
}

void require_service(const char* what) {
    if (!is_service()) throw core::DomainError(core::ErrorKind::NotAuthorized, std::string(what) + " is for the service role");
}

}  // namespace esimgo::caller
