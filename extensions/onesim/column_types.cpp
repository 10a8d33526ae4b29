// Reading and writing the columns that are enums from 1.2 on and VARCHAR
// before (column_types.hpp).
#include "onesim/layers.hpp"
#include "onesim/column_types.hpp"

#include <string>

#include "pg/datum.hpp"
#include "pg/guard.hpp"

namespace onesim::columns {

Oid type_of(Oid app, const char* table, const char* column) {
    return pg::call([&] {
        const Oid relid = get_relname_relid(table, app);
        if (!OidIsValid(relid)) return InvalidOid;
        const AttrNumber attnum = get_attnum(relid, column);
        if (attnum == InvalidAttrNumber) return InvalidOid;
        return get_atttype(relid, attnum);
    });
}

bool is_enum(Oid app, const char* table, const char* column) {
    const Oid type = type_of(app, table, column);
    return OidIsValid(type) && pg::call([&] { return type_is_enum(type); });
}

Oid type_of(TupleDesc desc, AttrNumber attnum) { return TupleDescAttr(desc, attnum - 1)->atttypid; }

Datum datum_from_string(std::string_view text, Oid type) {
    if (type == TEXTOID || type == VARCHAROID || type == BPCHAROID) return pg::text_from_string(text);
    const std::string value(text);  // NUL-terminated for the input function
    const char* cstring = value.c_str();
    return pg::call([&] {
        Oid input, ioparam;
        getTypeInputInfo(type, &input, &ioparam);
        return OidInputFunctionCall(input, const_cast<char*>(cstring), ioparam, -1);
    });
}

}  // namespace onesim::columns
