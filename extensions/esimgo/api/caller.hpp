// Who calls: the JWT user (auth.uid()), the service (a superuser or a role
// with BYPASSRLS, as service_role), an admin (esimgo_internal.is_admin()).
// Run inside an SPI session, as the caller.
#pragma once

#include <optional>
#include <string>

namespace esimgo::caller {

std::optional<std::string> user_id();
bool is_service();
bool is_admin();
// Raises 42501 unless the caller is the service or an admin.
void require_admin_or_service(const char* what);
void require_service(const char* what);

}  // namespace esimgo::caller
