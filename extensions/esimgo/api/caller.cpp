#include "esimgo/api/caller.hpp"

#include "core/errors.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "platform/caller.hpp"

extern "C" {
#include "utils/acl.h"
}

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;

namespace esimgo::caller {

namespace {
pg::Statement admin_sql("SELECT {internal}.is_admin()", {}, pg::Statement::Plan::Generic);
}  // namespace

// auth.uid() as text, read in C++ (platform/caller.hpp says why).
std::optional<std::string> user_id() {
    const std::optional<pg::Uuid> uid = pgcpp::platform::current_user_id();
    if (!uid) return std::nullopt;
    return pg::uuid_text(uid->data());
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
