#include "callai/common.hpp"
#include "core/errors.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace callai {

const platform::Extension extension("callai");
int MaintenanceWrite::depth_ = 0;

Oid app_schema(Relation rel) { return extension.member_table_schema(rel); }

void register_transition_tables(TriggerData* data) {
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) {
            elog(ERROR, "could not register the transition tables of trigger \"%s\"",
                 data->tg_trigger->tgname);
        }
    });
}

uint64 spi_rows() { return SPI_processed; }

std::optional<pg::Uuid> spi_uuid(uint64 row, int att) {
    bool isnull;
    const Datum d = pg::spi_value(row, att, &isnull);
    if (isnull) return std::nullopt;
    return pg::uuid_from_datum(d);
}

std::optional<std::string> spi_text(uint64 row, int att) {
    bool isnull;
    const Datum d = pg::spi_value(row, att, &isnull);
    if (isnull) return std::nullopt;
    return pg::string_from_text(d);
}

std::optional<core::Decimal> spi_decimal(uint64 row, int att, const char* what) {
    bool isnull;
    const Datum d = pg::spi_value(row, att, &isnull);
    if (isnull) return std::nullopt;
    return pg::decimal_from_numeric(d, what);
}

namespace {
std::int64_t integer_datum(Oid type, Datum d) {
    switch (type) {
        case INT2OID: return DatumGetInt16(d);
        case INT4OID: return DatumGetInt32(d);
        case INT8OID: return DatumGetInt64(d);
        case DATEOID: return DatumGetDateADT(d);
        case TIMESTAMPTZOID:
        case TIMESTAMPOID: return DatumGetTimestampTz(d);
        default: throw std::runtime_error("integer read of a column of unexpected type");
    }
}
}  // namespace

std::optional<std::int64_t> spi_int(uint64 row, int att) {
    bool isnull;
    const Datum d = pg::spi_value(row, att, &isnull);
    if (isnull) return std::nullopt;
    return integer_datum(SPI_gettypeid(SPI_tuptable->tupdesc, att), d);
}

std::optional<std::int64_t> spi_timestamp(uint64 row, int att) { return spi_int(row, att); }

std::optional<bool> spi_bool(uint64 row, int att) {
    bool isnull;
    const Datum d = pg::spi_value(row, att, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetBool(d);
}

std::string enum_label(Datum value) {
    const char* label = pg::call([&] {
        HeapTuple tuple = SearchSysCache1(ENUMOID, value);
        if (!HeapTupleIsValid(tuple)) elog(ERROR, "invalid enum value %u", DatumGetObjectId(value));
        const char* out = pstrdup(NameStr(reinterpret_cast<Form_pg_enum>(GETSTRUCT(tuple))->enumlabel));
        ReleaseSysCache(tuple);
        return out;
    });
    return label;
}

Datum enum_value(Oid enum_type, const std::string& label) {
    const char* text = label.c_str();
    return pg::call([&] {
        return DirectFunctionCall2(enum_in, CStringGetDatum(text), ObjectIdGetDatum(enum_type));
    });
}

std::string uuid_string(const pg::Uuid& id) { return pg::uuid_text(id.data()); }

RowEdit::RowEdit(TriggerData* data, HeapTuple row)
    : rel_(data->tg_relation), desc_(RelationGetDescr(data->tg_relation)), row_(row) {}

AttrNumber RowEdit::column(const char* name) const {
    const AttrNumber att = pg::cached_attnum(RelationGetRelid(rel_), desc_, name);
    if (att <= 0) {
        throw std::runtime_error(std::string("column \"") + name + "\" of table \"" +
                                 RelationGetRelationName(rel_) + "\" not found: schema and library disagree");
    }
    return att;
}

Datum RowEdit::value(const char* name) const {
    const AttrNumber att = column(name);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == att) return values_[i];
    }
    bool isnull;
    return pg::call([&] { return heap_getattr(row_, att, desc_, &isnull); });
}

bool RowEdit::is_null(const char* name) const {
    const AttrNumber att = column(name);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == att) return nulls_[i];
    }
    return heap_attisnull(row_, att, desc_);
}

std::optional<core::Decimal> RowEdit::decimal(const char* name) const {
    if (is_null(name)) return std::nullopt;
    return pg::decimal_from_numeric(value(name), name);
}

std::optional<std::int64_t> RowEdit::integer(const char* name) const {
    if (is_null(name)) return std::nullopt;
    return integer_datum(TupleDescAttr(desc_, column(name) - 1)->atttypid, value(name));
}

std::optional<std::int64_t> RowEdit::timestamp(const char* name) const { return integer(name); }

std::optional<std::string> RowEdit::text(const char* name) const {
    if (is_null(name)) return std::nullopt;
    return pg::string_from_text(value(name));
}

std::optional<std::string> RowEdit::label(const char* name) const {
    if (is_null(name)) return std::nullopt;
    return enum_label(value(name));
}

std::optional<pg::Uuid> RowEdit::uuid(const char* name) const {
    if (is_null(name)) return std::nullopt;
    return pg::uuid_from_datum(value(name));
}

bool RowEdit::boolean(const char* name, bool if_null) const {
    if (is_null(name)) return if_null;
    return DatumGetBool(value(name));
}

void RowEdit::set(const char* name, std::optional<Datum> v) {
    const AttrNumber att = column(name);
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i] == att) {
            values_[i] = v.value_or(Datum(0));
            nulls_[i] = !v;
            return;
        }
    }
    columns_.push_back(att);
    values_.push_back(v.value_or(Datum(0)));
    nulls_.push_back(!v);
}

void RowEdit::set_decimal(const char* name, const core::Decimal& v) {
    set(name, pg::numeric_from_decimal(v, TupleDescAttr(desc_, column(name) - 1)->atttypmod));
}

void RowEdit::set_integer(const char* name, std::int64_t v) {
    const Oid type = TupleDescAttr(desc_, column(name) - 1)->atttypid;
    if (type == INT4OID) {
        if (v > PG_INT32_MAX || v < PG_INT32_MIN) {
            throw core::DomainError(core::ErrorKind::OutOfRange, std::string(name) + " out of range");
        }
        set(name, Int32GetDatum(static_cast<int32>(v)));
    } else {
        set(name, Int64GetDatum(v));
    }
}

void RowEdit::set_label(const char* name, const std::string& l) {
    set(name, enum_value(TupleDescAttr(desc_, column(name) - 1)->atttypid, l));
}

void RowEdit::set_text(const char* name, const std::string& v) { set(name, pg::text_from_string(v)); }

HeapTuple RowEdit::result() {
    if (columns_.empty()) return row_;
    bool* nulls = static_cast<bool*>(pg::call([&] { return palloc(sizeof(bool) * nulls_.size()); }));
    for (std::size_t i = 0; i < nulls_.size(); ++i) nulls[i] = nulls_[i];
    return pg::call([&] {
        return heap_modify_tuple_by_cols(row_, desc_, static_cast<int>(columns_.size()), columns_.data(),
                                         values_.data(), nulls);
    });
}

}  // namespace callai
