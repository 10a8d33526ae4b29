// The whole catalog for price_catalog, read by a heap scan of catalog_bundles
// under the statement's snapshot: no SQL per row, no text conversion of the
// arrays or the price (the scan reads the stored values; the price's stored
// digits are read as cents). The same rows as
// load_catalog(nullptr), which it falls back to when a column does not have
// the type the scan reads.
#include <limits>

#include "esimgo/esimgo.hpp"
#include "pg/guard.hpp"

extern "C" {
#include "access/table.h"
#include "access/tableam.h"
#include "utils/snapmgr.h"
}

namespace esimgo {

namespace pg = pgcpp::pg;
using domain::Bundle;

namespace {

struct Columns {
    AttrNumber name = 0, provider = 0, region = 0, validity = 0, price = 0, unlimited = 0, groups = 0, countries = 0;
    AttrNumber last = 0;
};

// The attribute number of `column` when its type is one of `types`, else 0.
AttrNumber column_of(TupleDesc desc, const char* column, std::initializer_list<Oid> types) {
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute a = TupleDescAttr(desc, i);
        if (a->attisdropped || strcmp(NameStr(a->attname), column) != 0) continue;
        for (Oid t : types)
            if (a->atttypid == t) return AttrNumber(i + 1);
        return 0;
    }
    return 0;
}

bool find_columns(TupleDesc desc, Columns& c) {
    c.name = column_of(desc, "esim_go_name", {VARCHAROID, TEXTOID});
    c.provider = column_of(desc, "provider", {VARCHAROID, TEXTOID});
    c.region = column_of(desc, "region", {VARCHAROID, TEXTOID});
    c.validity = column_of(desc, "validity_in_days", {INT4OID});
    c.price = column_of(desc, "price", {NUMERICOID});
    c.unlimited = column_of(desc, "is_unlimited", {BOOLOID});
    c.groups = column_of(desc, "groups", {TEXTARRAYOID});
    c.countries = column_of(desc, "countries", {TEXTARRAYOID});
    for (AttrNumber a : {c.name, c.provider, c.region, c.validity, c.price, c.unlimited, c.groups, c.countries}) {
        if (a == 0) return false;
        c.last = std::max(c.last, a);
    }
    return true;
}

// A varlena as stored in the tuple, or detoasted when compressed or out of
// line (allocated in the call's context).
const struct varlena* inline_varlena(Datum d) {
    const struct varlena* v = reinterpret_cast<const struct varlena*>(DatumGetPointer(d));
    if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
        v = pg::call([&] { return pg_detoast_datum_packed(const_cast<struct varlena*>(v)); });
    return v;
}

std::string_view text_view(Datum d) {
    const struct varlena* v = inline_varlena(d);
    return {VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v)};
}

// The elements of a text[] (NULL elements skipped, as array_to_string does),
// walked as array_iter_next walks them.
void array_strings(Datum d, std::vector<std::string>& out, std::vector<std::int32_t>& aligned) {
    const struct varlena* v = inline_varlena(d);
    const ArrayType* a;
    if (VARATT_IS_SHORT(v)) {
        // A packed (1-byte header) value is not aligned: the array macros need a 4-byte header.
        std::size_t len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;
        aligned.resize((len + VARHDRSZ) / sizeof(std::int32_t) + 1);
        char* buf = reinterpret_cast<char*>(aligned.data());
        SET_VARSIZE(buf, len + VARHDRSZ);
        memcpy(buf + VARHDRSZ, VARDATA_SHORT(v), len);
        a = reinterpret_cast<const ArrayType*>(buf);
    } else {
        a = reinterpret_cast<const ArrayType*>(v);
    }
    if (ARR_NDIM(a) == 0) return;
    if (ARR_NDIM(a) != 1 || ARR_HASNULL(a)) {
        struct Parts { Datum* elems; bool* nulls; int count; };
        Parts parts = pg::call([&] {
            Parts p{nullptr, nullptr, 0};
            deconstruct_array(const_cast<ArrayType*>(a), TEXTOID, -1, false, TYPALIGN_INT, &p.elems, &p.nulls, &p.count);
            return p;
        });
        for (int i = 0; i < parts.count; ++i)
            if (!parts.nulls[i]) out.emplace_back(text_view(parts.elems[i]));
        return;
    }
    const int n = ARR_DIMS(const_cast<ArrayType*>(a))[0];
    const char* p = ARR_DATA_PTR(const_cast<ArrayType*>(a));
    for (int i = 0; i < n; ++i) {
        const struct varlena* e = reinterpret_cast<const struct varlena*>(p);
        out.emplace_back(VARDATA_ANY(e), VARSIZE_ANY_EXHDR(e));
        p = att_addlength_pointer(p, -1, p);
        p = reinterpret_cast<const char*>(att_align_nominal(p, TYPALIGN_INT));
    }
}

// The cents of a stored numeric (its bytes after the varlena header), read
// from numeric's on-disk format (short or long header, base-10000 digits);
// false when it is NaN or infinite, has fractions of a cent or does not fit,
// which the caller leaves to numeric_int8.
bool stored_numeric_cents(std::string_view bytes, domain::Cents& out) {
    if (bytes.size() < 2) return false;
    auto u16 = [&](std::size_t at) {
        std::uint16_t v;
        memcpy(&v, bytes.data() + at, 2);
        return v;
    };
    const std::uint16_t header = u16(0);
    bool negative;
    int weight;
    std::size_t digits_at;
    if ((header & 0xC000) == 0x8000) {  // NUMERIC_SHORT
        negative = header & 0x2000;
        weight = (header & 0x0040) ? int(~0x003F | (header & 0x003F)) : int(header & 0x003F);
        digits_at = 2;
    } else if ((header & 0xC000) == 0x0000 || (header & 0xC000) == 0x4000) {  // NUMERIC_POS / NEG
        if (bytes.size() < 4) return false;
        negative = (header & 0xC000) == 0x4000;
        weight = std::int16_t(u16(2));
        digits_at = 4;
    } else {
        return false;  // NaN, infinity
    }
    const std::size_t count = (bytes.size() - digits_at) / 2;
    __int128 cents = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const int d = std::int16_t(u16(digits_at + 2 * i));
        const int exponent = weight - int(i);  // this digit counts 10000^exponent
        if (exponent >= 0) {
            if (exponent > 4) return false;
            __int128 v = d;
            for (int k = 0; k < exponent; ++k) v *= 10000;
            cents += v * 100;
        } else if (exponent == -1) {
            if (d % 100 != 0) return false;
            cents += d / 100;
        } else if (d != 0) {
            return false;
        }
    }
    if (negative) cents = -cents;
    if (cents > std::numeric_limits<domain::Cents>::max() || cents < std::numeric_limits<domain::Cents>::min()) return false;
    out = domain::Cents(cents);
    return true;
}

struct Scan {
    Relation rel;
    TableScanDesc scan;
    TupleTableSlot* slot;
};

}  // namespace

std::vector<Bundle> scan_catalog() {
    const Oid relid = pg::call([] { return get_relname_relid("catalog_bundles", extension.schema()); });
    if (relid == InvalidOid) return load_catalog(nullptr);
    Scan s = pg::call([&] {
        Scan out{table_open(relid, AccessShareLock), nullptr, nullptr};
        return out;
    });
    Columns c;
    if (!find_columns(RelationGetDescr(s.rel), c)) {
        pg::call([&] { table_close(s.rel, AccessShareLock); });
        return load_catalog(nullptr);
    }
    pg::call([&] {
        s.scan = table_beginscan(s.rel, GetActiveSnapshot(), 0, nullptr);
        s.slot = table_slot_create(s.rel, nullptr);
    });
    const Datum hundred = pg::call([] { return NumericGetDatum(int64_to_numeric(100)); });
    std::vector<std::int32_t> aligned;
    std::vector<Bundle> out;
    out.reserve(std::size_t(std::max<double>(0, RelationGetForm(s.rel)->reltuples)));
    TupleTableSlot* slot = s.slot;
    const AttrNumber last = c.last;
    for (std::uint64_t row = 0;; ++row) {
        if ((row & 1023) == 0) pg::check_for_interrupts();
        bool more = pg::call([&] {
            if (!table_scan_getnextslot(s.scan, ForwardScanDirection, slot)) return false;
            slot_getsomeattrs(slot, last);
            return true;
        });
        if (!more) break;
        const Datum* v = slot->tts_values;
        const bool* null = slot->tts_isnull;
        auto at = [](AttrNumber a) { return a - 1; };
        if (null[at(c.unlimited)] || !DatumGetBool(v[at(c.unlimited)])) continue;
        if (null[at(c.validity)] || null[at(c.price)]) continue;
        Bundle b;
        b.name = std::string(text_view(v[at(c.name)]));
        if (!null[at(c.provider)]) b.provider = std::string(text_view(v[at(c.provider)]));
        if (!null[at(c.region)]) {
            b.region = std::string(text_view(v[at(c.region)]));
            b.has_region = true;
        }
        b.validity_days = DatumGetInt32(v[at(c.validity)]);
        const Datum price = v[at(c.price)];
        if (!stored_numeric_cents(text_view(price), b.price)) {
            // as (price * 100)::bigint
            b.price = pg::call([&] {
                return DatumGetInt64(DirectFunctionCall1(numeric_int8, DirectFunctionCall2(numeric_mul, price, hundred)));
            });
        }
        b.is_unlimited = true;
        if (!null[at(c.groups)]) array_strings(v[at(c.groups)], b.groups, aligned);
        if (!null[at(c.countries)]) array_strings(v[at(c.countries)], b.countries, aligned);
        out.push_back(std::move(b));
    }
    pg::call([&] {
        ExecDropSingleTupleTableSlot(s.slot);
        table_endscan(s.scan);
        table_close(s.rel, AccessShareLock);
    });
    return out;
}

}  // namespace esimgo
