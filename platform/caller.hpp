// Who is calling, as Supabase's API says it: the JWT claims PostgREST sets
// (request.jwt.claims, or the older single request.jwt.claim.<name>) and the
// database role the request runs as.
//
//   current_user_id()       exactly auth.uid(): request.jwt.claim.sub if non-empty,
//                           else request.jwt.claims ->> 'sub', cast to uuid
//                           (malformed claims or sub: 22P02, as auth.uid() raises)
//                           Call this rather than run a statement with auth.uid():
//                           that SQL function pins its search_path, so PostgreSQL
//                           cannot inline it and parses and plans it again in
//                           every statement that calls it.
//   jwt_claim(name)         a claim as auth.role()/auth.email() read it
//   is_service()            the current role is a superuser or has BYPASSRLS
//                           (service_role, migrations, jobs), or the JWT role claim
//                           is 'service_role' and the current role acts with
//                           service_role's privileges; a forged claim lifts nobody
//   session_bypasses_rls()  the session's role (SET ROLE included, SECURITY DEFINER
//                           excluded) is a superuser or has BYPASSRLS
//
// Every function may raise (through pg::call): callers may hold C++ objects.
#pragma once

#include <optional>
#include <string>

#include "pg/datum.hpp"
#include "pg/postgres.hpp"

namespace pgcpp::platform {

std::optional<std::string> jwt_claim(const char* name);
std::optional<pg::Uuid> current_user_id();
bool is_service();
bool session_bypasses_rls();

}  // namespace pgcpp::platform
