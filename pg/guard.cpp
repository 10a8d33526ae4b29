#include "pg/guard.hpp"

#include <new>

#include "core/errors.hpp"

namespace pgcpp::pg {
namespace {

int sqlstate_for(core::ErrorKind kind) {
    switch (kind) {
        case core::ErrorKind::InvalidParameter: return ERRCODE_INVALID_PARAMETER_VALUE;
        case core::ErrorKind::NullValue: return ERRCODE_NULL_VALUE_NOT_ALLOWED;
        case core::ErrorKind::OutOfRange: return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
        case core::ErrorKind::InvalidText: return ERRCODE_INVALID_TEXT_REPRESENTATION;
        case core::ErrorKind::NotAuthorized: return ERRCODE_INSUFFICIENT_PRIVILEGE;
        case core::ErrorKind::NotFound: return ERRCODE_NO_DATA_FOUND;
        case core::ErrorKind::Conflict: return ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
        case core::ErrorKind::CheckViolation: return ERRCODE_CHECK_VIOLATION;
        case core::ErrorKind::ForeignKey: return ERRCODE_FOREIGN_KEY_VIOLATION;
        case core::ErrorKind::NotNull: return ERRCODE_NOT_NULL_VIOLATION;
    }
    return ERRCODE_INTERNAL_ERROR;
}

// Fixed-size copy: no allocation may happen while a C++ exception is in flight.
template <std::size_t N>
void copy_text(char (&dst)[N], const char* src) {
    std::strncpy(dst, src ? src : "", N - 1);
    dst[N - 1] = '\0';
}

int g_active_functions = 0;

}  // namespace

int active_functions() { return g_active_functions; }

void reset_active_functions() { g_active_functions = 0; }

void call_raw(void (*fn)(void*), void* arg) {
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* volatile pg_error = nullptr;
    std::exception_ptr cxx_error;
    PG_TRY();
    {
        // A C++ exception must not leave a PG_TRY block: that would skip
        // restoring PG_exception_stack. Catch it here, rethrow below.
        try {
            fn(arg);
        } catch (...) {
            cxx_error = std::current_exception();
        }
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller_context);
        pg_error = CopyErrorData();
        FlushErrorState();
    }
    PG_END_TRY();
    if (pg_error != nullptr) throw PgError(pg_error);
    if (cxx_error) std::rethrow_exception(cxx_error);
}

Datum guarded_entry(FunctionCallInfo fcinfo, FunctionImpl impl, const char* name) {
    ErrorData* pg_error = nullptr;
    int sqlstate = ERRCODE_INTERNAL_ERROR;
    char message[1024];
    char detail[1024];
    char hint[512];
    message[0] = detail[0] = hint[0] = '\0';
    ++g_active_functions;
    try {
        const Datum result = impl(fcinfo);
        --g_active_functions;
        return result;
    } catch (const PgError& e) {
        pg_error = e.data();
    } catch (const core::DomainError& e) {
        sqlstate = sqlstate_for(e.kind());
        copy_text(message, e.what());
        copy_text(detail, e.detail().c_str());
        copy_text(hint, e.hint().c_str());
    } catch (const std::bad_alloc&) {
        sqlstate = ERRCODE_OUT_OF_MEMORY;
        copy_text(message, "out of memory in C++ code");
    } catch (const std::exception& e) {
        copy_text(message, e.what());
    } catch (...) {
        copy_text(message, "unknown C++ exception");
    }
    --g_active_functions;
    // Every C++ frame below this one is gone: raising is safe now.
    if (pg_error != nullptr) ReThrowError(pg_error);
    ereport(ERROR, (errcode(sqlstate), errmsg_internal("%s", message),
                    detail[0] ? errdetail_internal("%s", detail) : 0,
                    hint[0] ? errhint("%s", hint) : 0,
                    sqlstate == ERRCODE_INTERNAL_ERROR
                        ? errcontext("C++ function %s", name) : 0));
    pg_unreachable();
}

}  // namespace pgcpp::pg
