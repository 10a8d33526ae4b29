// What CallAI's trigger and API functions share: the extension's identity,
// reads of SPI result rows, enum labels, and edits of a trigger's new row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/postgres.hpp"
#include "pg/trigger.hpp"
#include "pg/tuples.hpp"
#include "platform/extension.hpp"

namespace callai {

namespace core = pgcpp::core;
namespace pg = pgcpp::pg;
namespace platform = pgcpp::platform;

extern const platform::Extension extension;

// The schema of one of our tables a trigger fired on (39P01 for any other).
Oid app_schema(Relation rel);

// Makes the trigger's transition tables readable by SPI statements as the
// names the CREATE TRIGGER gave them (REFERENCING ... AS new_rows).
void register_transition_tables(TriggerData* data);

// Typed reads of column `att` of row `row` of the last SPI result.
std::optional<pg::Uuid> spi_uuid(uint64 row, int att);
std::optional<std::string> spi_text(uint64 row, int att);  // text, varchar
std::optional<core::Decimal> spi_decimal(uint64 row, int att, const char* what);
std::optional<std::int64_t> spi_int(uint64 row, int att);  // int2, int4, int8
std::optional<bool> spi_bool(uint64 row, int att);
std::optional<std::int64_t> spi_timestamp(uint64 row, int att);  // timestamptz, date
uint64 spi_rows();

// The label of an enum value, and the value of a label.
std::string enum_label(Datum value);
Datum enum_value(Oid enum_type, const std::string& label);

// The new row of a row-level trigger, read and changed by column name; the
// changed row comes back from result() for the trigger to return.
class RowEdit {
public:
    RowEdit(TriggerData* data, HeapTuple row);
    AttrNumber column(const char* name) const;
    bool is_null(const char* name) const;
    Datum value(const char* name) const;
    std::optional<core::Decimal> decimal(const char* name) const;
    std::optional<std::int64_t> integer(const char* name) const;  // int2/int4/int8
    std::optional<std::int64_t> timestamp(const char* name) const;
    std::optional<std::string> text(const char* name) const;       // text / varchar
    std::optional<std::string> label(const char* name) const;      // enum
    std::optional<pg::Uuid> uuid(const char* name) const;
    bool boolean(const char* name, bool if_null = false) const;

    void set(const char* name, std::optional<Datum> value);
    void set_decimal(const char* name, const core::Decimal& value);  // rounded to the column's scale
    void set_integer(const char* name, std::int64_t value);
    void set_label(const char* name, const std::string& label);
    void set_text(const char* name, const std::string& value);
    HeapTuple result();

private:
    Relation rel_;
    TupleDesc desc_;
    HeapTuple row_;
    std::vector<int> columns_;
    std::vector<Datum> values_;
    std::vector<bool> nulls_;
};

// Reads the same column of the trigger's old row (UPDATE, DELETE).
class OldRow {
public:
    OldRow(TriggerData* data) : edit_(data, data->tg_trigtuple) {}
    const RowEdit& operator*() const { return edit_; }
    const RowEdit* operator->() const { return &edit_; }

private:
    RowEdit edit_;
};

// Backend-local depth of CallAI's own maintenance writes: the guards of
// maintained columns let them through.
class MaintenanceWrite {
public:
    MaintenanceWrite() { ++depth_; }
    ~MaintenanceWrite() { --depth_; }
    static bool active() { return depth_ > 0; }
    static void reset() { depth_ = 0; }

private:
    static int depth_;
};

std::string uuid_string(const pg::Uuid& id);

}  // namespace callai
