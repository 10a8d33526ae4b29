#include "pg/trigger.hpp"

#include <stdexcept>

#include "pg/guard.hpp"
#include "pg/tuples.hpp"

namespace pgcpp::pg {
namespace {

const char* level_name(TriggerLevel level) {
    return level == TriggerLevel::Row ? "FOR EACH ROW" : "FOR EACH STATEMENT";
}
const char* timing_name(TriggerTiming timing) {
    return timing == TriggerTiming::Before ? "BEFORE" : "AFTER";
}

std::string allowed_events(unsigned events) {
    std::string out;
    auto add = [&](unsigned bit, const char* name) {
        if (!(events & bit)) return;
        if (!out.empty()) out += " or ";
        out += name;
    };
    add(event::Insert, "INSERT");
    add(event::Update, "UPDATE");
    add(event::Delete, "DELETE");
    add(event::Truncate, "TRUNCATE");
    return out;
}

}  // namespace

void raise_error(int sqlstate, const std::string& message, const std::string& detail,
                 const std::string& hint) {
    const char* msg = message.c_str();
    const char* det = detail.empty() ? nullptr : detail.c_str();
    const char* hnt = hint.empty() ? nullptr : hint.c_str();
    call([&] {
        ereport(ERROR, (errcode(sqlstate), errmsg_internal("%s", msg),
                        det ? errdetail_internal("%s", det) : 0, hnt ? errhint("%s", hnt) : 0));
    });
    throw std::logic_error("raise_error returned");  // unreachable: call() threw PgError
}

TriggerData* validate_trigger(FunctionCallInfo fcinfo, const TriggerSpec& spec) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                    fmt::format("{}() was not called by the trigger manager", spec.function),
                    {}, "It is a trigger function: attach it with CREATE TRIGGER.");
    }
    auto* data = reinterpret_cast<TriggerData*>(fcinfo->context);
    const std::string where =
        fmt::format("trigger \"{}\" on table \"{}\"", data->tg_trigger->tgname,
                    RelationGetRelationName(data->tg_relation));
    const bool row = TRIGGER_FIRED_FOR_ROW(data->tg_event);
    if (row != (spec.level == TriggerLevel::Row)) {
        raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                    fmt::format("{}() must be fired {} ({})", spec.function,
                                level_name(spec.level), where));
    }
    const bool before = TRIGGER_FIRED_BEFORE(data->tg_event);
    const bool after = TRIGGER_FIRED_AFTER(data->tg_event);
    if ((spec.timing == TriggerTiming::Before && !before) ||
        (spec.timing == TriggerTiming::After && !after)) {
        raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                    fmt::format("{}() must be fired {} ({})", spec.function,
                                timing_name(spec.timing), where));
    }
    if (!(trigger_event(data) & spec.events)) {
        raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                    fmt::format("{}() must be fired on {} ({})", spec.function,
                                allowed_events(spec.events), where));
    }
    if (spec.nargs == kOneOrMoreArgs ? data->tg_trigger->tgnargs < 1
                                     : data->tg_trigger->tgnargs != spec.nargs) {
        raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                    fmt::format("{}() takes {} trigger argument(s), {} has {}", spec.function,
                                spec.nargs, where, data->tg_trigger->tgnargs));
    }
    return data;
}

unsigned trigger_event(const TriggerData* data) {
    if (TRIGGER_FIRED_BY_INSERT(data->tg_event)) return event::Insert;
    if (TRIGGER_FIRED_BY_UPDATE(data->tg_event)) return event::Update;
    if (TRIGGER_FIRED_BY_DELETE(data->tg_event)) return event::Delete;
    if (TRIGGER_FIRED_BY_TRUNCATE(data->tg_event)) return event::Truncate;
    return 0;
}

std::string trigger_arg(const TriggerData* data, int i) {
    return std::string(data->tg_trigger->tgargs[i]);
}

int column_number(const TriggerData* data, const char* column, const char* function) {
    const int attnum =
        cached_attnum(RelationGetRelid(data->tg_relation), RelationGetDescr(data->tg_relation), column);
    if (attnum <= 0) {
        raise_error(ERRCODE_UNDEFINED_COLUMN,
                    fmt::format("{}() needs column \"{}\", which table \"{}\" does not have",
                                function, column, RelationGetRelationName(data->tg_relation)));
    }
    return attnum;
}

TransitionTable::TransitionTable(Tuplestorestate* store, TupleDesc desc)
    : store_(store), read_pointer_(0), slot_(nullptr), uncaught_(std::uncaught_exceptions()) {
    if (store_ == nullptr) throw std::logic_error("transition table missing");
    Tuplestorestate* s = store_;
    read_pointer_ = call([&] {
        const int ptr = tuplestore_alloc_read_pointer(s, EXEC_FLAG_REWIND);
        tuplestore_select_read_pointer(s, ptr);
        tuplestore_rescan(s);
        return ptr;
    });
    slot_ = call([&] { return MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple); });
}

TransitionTable::~TransitionTable() {
    // During an error the memory context holding the slot goes away with it.
    if (std::uncaught_exceptions() > uncaught_ || slot_ == nullptr) return;
    ExecDropSingleTupleTableSlot(slot_);
}

bool TransitionTable::next() {
    Tuplestorestate* s = store_;
    const int ptr = read_pointer_;
    TupleTableSlot* slot = slot_;
    return call([&] {
        // Per-row loops run through here: cancel and statement_timeout must
        // reach them, not the next statement.
        CHECK_FOR_INTERRUPTS();
        // Another reader may have selected its own pointer in between.
        tuplestore_select_read_pointer(s, ptr);
        return tuplestore_gettupleslot(s, true, false, slot);
    });
}

Datum TransitionTable::value(int attnum, bool* is_null) {
    TupleTableSlot* slot = slot_;
    return call([&] { return slot_getattr(slot, attnum, is_null); });
}

std::string uuid_text(const unsigned char* bytes) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[bytes[i] >> 4];
        out += hex[bytes[i] & 0xf];
    }
    return out;
}

}  // namespace pgcpp::pg
