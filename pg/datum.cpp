#include "pg/datum.hpp"

#include "core/errors.hpp"
#include "pg/guard.hpp"

namespace pgcpp::pg {

core::Decimal decimal_from_numeric(Datum numeric, const char* what) {
    // Detoasting allocates and may read a toast table: it can raise.
    const bool finite = call([&] {
        Numeric num = DatumGetNumeric(numeric);
        return !numeric_is_nan(num) && !numeric_is_inf(num);
    });
    if (!finite) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                fmt::format("{} must be a finite number", what),
                                "NaN and infinity are not amounts.");
    }
    char* text = call([&] { return DatumGetCString(DirectFunctionCall1(numeric_out, numeric)); });
    std::string copy(text);
    pfree(text);
    return core::Decimal::parse(copy);
}

Datum numeric_from_decimal(const core::Decimal& value, int32 typmod) {
    const core::Decimal::Units units = value.units();
    if (units >= PG_INT64_MIN && units <= PG_INT64_MAX) {
        // What numeric_in makes of to_string(), without the text: units /
        // 10^scale with scale() digits after the point (every money figure
        // of the schema fits in 64 bits of units), then the column's typmod
        // as numeric_in applies it.
        const auto units64 = static_cast<int64>(units);
        const int scale = value.scale();
        return call([&] {
            const Datum exact = NumericGetDatum(int64_div_fast_to_numeric(units64, scale));
            return typmod >= 0 ? DirectFunctionCall2(numeric, exact, Int32GetDatum(typmod)) : exact;
        });
    }
    const std::string text = value.to_string();
    const char* cstr = text.c_str();
    return call([&] {
        return DirectFunctionCall3(numeric_in, CStringGetDatum(cstr), ObjectIdGetDatum(InvalidOid),
                                   Int32GetDatum(typmod));
    });
}

Uuid uuid_from_datum(Datum value) {
    Uuid out;
    std::memcpy(out.data(), DatumGetUUIDP(value)->data, UUID_LEN);
    return out;
}

Datum datum_from_uuid(const Uuid& value) {
    auto* p = static_cast<pg_uuid_t*>(call([] { return palloc(sizeof(pg_uuid_t)); }));
    std::memcpy(p->data, value.data(), UUID_LEN);
    return UUIDPGetDatum(p);
}

Datum uuid_array(const std::vector<Uuid>& ids) {
    return call([&] {
        Datum* elems = static_cast<Datum*>(palloc(sizeof(Datum) * (ids.empty() ? 1 : ids.size())));
        for (std::size_t i = 0; i < ids.size(); ++i) {
            auto* bytes = static_cast<pg_uuid_t*>(palloc(sizeof(pg_uuid_t)));
            std::memcpy(bytes->data, ids[i].data(), UUID_LEN);
            elems[i] = UUIDPGetDatum(bytes);
        }
        return PointerGetDatum(construct_array(elems, static_cast<int>(ids.size()), UUIDOID, UUID_LEN, false,
                                               TYPALIGN_CHAR));
    });
}

std::string string_from_text(Datum value) {
    text* t = call([&] { return DatumGetTextPP(value); });
    return std::string(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

std::string string_from_datum(Datum value, Oid type) {
    if (type == TEXTOID || type == VARCHAROID || type == BPCHAROID) return string_from_text(value);
    char* text = call([&] {
        Oid output;
        bool varlena;
        getTypeOutputInfo(type, &output, &varlena);
        return OidOutputFunctionCall(output, value);
    });
    std::string result(text);
    call([&] { pfree(text); });
    return result;
}

Datum text_from_string(std::string_view value) {
    const char* data = value.data();
    const int len = static_cast<int>(value.size());
    return call([&] { return PointerGetDatum(cstring_to_text_with_len(data, len)); });
}

Datum required_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    if (PG_ARGISNULL(n)) {
        throw core::DomainError(core::ErrorKind::NullValue, fmt::format("{} must not be null", name));
    }
    return PG_GETARG_DATUM(n);
}

}  // namespace pgcpp::pg
