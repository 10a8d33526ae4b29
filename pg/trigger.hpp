// Trigger plumbing for C++ trigger functions: validating how the trigger
// manager called us, finding columns, and reading transition tables.
#pragma once

#include <stdexcept>
#include <string>

#include "pg/postgres.hpp"

namespace pgcpp::pg {

enum class TriggerLevel { Row, Statement };
enum class TriggerTiming { Before, After };

// Bit set of trigger events.
namespace event {
constexpr unsigned Insert = 1u << 0;
constexpr unsigned Update = 1u << 1;
constexpr unsigned Delete = 1u << 2;
constexpr unsigned Truncate = 1u << 3;
}  // namespace event

constexpr int kOneOrMoreArgs = -1;

// How a trigger function must be attached.
struct TriggerSpec {
    const char* function;  // SQL name, for messages
    TriggerLevel level;
    TriggerTiming timing;
    unsigned events;  // the events it may be attached to (event::*)
    int nargs;        // the number of tgargs it takes, or kOneOrMoreArgs
};

// Checks that fcinfo is a trigger call matching spec (called as a trigger, at
// the right level and timing, for an allowed event, with spec.nargs
// arguments); raises 39P01 (trigger protocol violated) naming the trigger,
// the table and what is wrong otherwise.
TriggerData* validate_trigger(FunctionCallInfo fcinfo, const TriggerSpec& spec);

// The event (event::*) of the current call.
unsigned trigger_event(const TriggerData* data);

// tgargs[i] of the trigger.
std::string trigger_arg(const TriggerData* data, int i);

// Attribute number (1-based) of `column` in the trigger's table; raises 42703
// naming the table and the trigger function when it is missing.
int column_number(const TriggerData* data, const char* column, const char* function);

// Raises a Postgres error now (as PgError through pg::call).
[[noreturn]] void raise_error(int sqlstate, const std::string& message,
                              const std::string& detail = {}, const std::string& hint = {});

// A forward scan over a transition table (tg_oldtable / tg_newtable) with a
// read pointer of its own, as nodeNamedtuplestorescan.c reads one: other
// triggers of the same statement share the tuplestore and keep their places.
// Values returned by value() are valid until the next call of next().
class TransitionTable {
public:
    TransitionTable(Tuplestorestate* store, TupleDesc desc);
    ~TransitionTable();
    TransitionTable(const TransitionTable&) = delete;
    TransitionTable& operator=(const TransitionTable&) = delete;

    // Advances to the next row; false at the end.
    bool next();
    // Column attnum (1-based) of the current row.
    Datum value(int attnum, bool* is_null);

private:
    Tuplestorestate* store_;
    int read_pointer_;
    TupleTableSlot* slot_;
    int uncaught_;
};

// Text form of a UUID (8-4-4-4-12, lower-case hex).
std::string uuid_text(const unsigned char* bytes);

}  // namespace pgcpp::pg
