// Columns whose type depends on the schema's version: from 1.2 on, the
// columns with a fixed set of values are enum types (sql/onesim/10_tables.sql);
// 1.0 and 1.1 hold them as VARCHAR with a CHECK. One library serves every
// version (it is installed before ALTER EXTENSION onesim UPDATE runs), so the
// C++ reads and writes these columns through the type each one has in the
// schema at hand:
//
//   reading    pg::string_from_datum(value, type): an enum Datum is the Oid of
//              its label, not a text;
//   writing    datum_from_string(text, type): a text Datum for VARCHAR, the
//              enum's Oid for an enum (a label outside it is 22P02);
//   in SQL     a text parameter or a CASE of literals is `text`, which an enum
//              column does not take without a cast: statements that write such
//              an expression come in two forms, chosen by is_enum().
//
// Each function may raise; PostgreSQL errors go through pg::call.
#pragma once

#include "onesim/layers.hpp"
#include <string_view>

#include "pg/postgres.hpp"

namespace onesim::columns {

// The type of `column` of table `table` in schema `app` (syscache look-ups);
// InvalidOid when the table or the column is missing.
Oid type_of(Oid app, const char* table, const char* column);

// Whether that column is of an enum type (the schema is 1.2 or later).
bool is_enum(Oid app, const char* table, const char* column);

// The type of attribute `attnum` (1-based) of a tuple descriptor.
Oid type_of(TupleDesc desc, AttrNumber attnum);

// A value of `type` from its text form: a text Datum for text, varchar and
// bpchar, the type's input function otherwise.
Datum datum_from_string(std::string_view text, Oid type);

}  // namespace onesim::columns
