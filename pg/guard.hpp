// The C++/Postgres boundary.
//
// Two rules make C++ safe inside the backend:
//  1. No C++ exception may reach Postgres code: every SQL-callable function and
//     trigger is defined with PG_CPP_FUNCTION, whose entry guard catches
//     everything and raises a Postgres error with a proper SQLSTATE.
//  2. No Postgres error (a longjmp) may unwind through C++ frames that own
//     objects with destructors: while such objects are live, calls into
//     Postgres that can raise go through pg::call(), which catches the error
//     and rethrows it as pg::PgError. The entry guard re-raises it unchanged,
//     SQLSTATE, detail and context included.
#pragma once

#include <type_traits>
#include <utility>

#include "pg/postgres.hpp"

namespace pgcpp::pg {

// A Postgres error caught by pg::call, carried as a C++ exception.
class PgError : public std::exception {
public:
    explicit PgError(ErrorData* data) noexcept : data_(data) {}
    const char* what() const noexcept override { return data_->message ? data_->message : "error"; }
    ErrorData* data() const noexcept { return data_; }
    int sqlerrcode() const noexcept { return data_->sqlerrcode; }

private:
    ErrorData* data_;  // palloc'd in the memory context current at pg::call
};

// Runs fn(arg) and turns a Postgres error into PgError. Non-template core.
void call_raw(void (*fn)(void*), void* arg);

// Runs f() under the Postgres error guard. f's own frame must not own objects
// with destructors (a longjmp skips them); its result must be trivially
// copyable (Datum, pointers, scalars).
template <typename F>
auto call(F&& f) -> decltype(f()) {
    using Result = decltype(f());
    if constexpr (std::is_void_v<Result>) {
        call_raw([](void* p) { (*static_cast<std::remove_reference_t<F>*>(p))(); }, &f);
    } else {
        static_assert(std::is_trivially_copyable_v<Result>,
                      "pg::call results cross a longjmp boundary: keep them trivial");
        struct Frame {
            std::remove_reference_t<F>* fn;
            Result out;
        } frame{&f, Result{}};
        call_raw([](void* p) {
            auto* fr = static_cast<Frame*>(p);
            fr->out = (*fr->fn)();
        }, &frame);
        return frame.out;
    }
}

// CHECK_FOR_INTERRUPTS() for per-row C++ loops: cancel and statement_timeout
// raise here (as a PgError) instead of waiting for the next statement.
// Nearly free when no interrupt is pending.
inline void check_for_interrupts() {
    if (unlikely(INTERRUPTS_PENDING_CONDITION())) call([] { CHECK_FOR_INTERRUPTS(); });
}

using FunctionImpl = Datum (*)(FunctionCallInfo);

// Entry guard of every SQL-callable function: runs impl, converts any escaping
// exception into a Postgres error raised after all C++ frames have unwound.
Datum guarded_entry(FunctionCallInfo fcinfo, FunctionImpl impl, const char* name);

// How many PG_CPP_FUNCTION calls are running in this backend, the caller's
// included: 1 in a function or trigger run by a statement the client issued,
// more when the statement came from one of this library's own functions.
int active_functions();

// Sets the count back to 0; for the end of a top-level transaction, when no
// function can be running (an error that skipped an exit then costs nothing
// beyond that transaction).
void reset_active_functions();

}  // namespace pgcpp::pg

// Defines an SQL-callable function (C linkage, version-1 convention) whose
// body runs behind the entry guard. Use exactly like a function header:
//   PG_CPP_FUNCTION(shop_price_quote) { ... return datum; }
#define PG_CPP_FUNCTION(name)                                                     \
    static Datum name##_impl(FunctionCallInfo fcinfo);                            \
    extern "C" {                                                                  \
    PG_FUNCTION_INFO_V1(name);                                                    \
    PGDLLEXPORT Datum name(PG_FUNCTION_ARGS);                                     \
    Datum name(PG_FUNCTION_ARGS) {                                                \
        return pgcpp::pg::guarded_entry(fcinfo, name##_impl, #name);             \
    }                                                                             \
    }                                                                             \
    static Datum name##_impl(FunctionCallInfo fcinfo)
