// The whole catalog for price_catalog, read by a heap scan of catalog_bundles
// under the statement's snapshot: no SQL per row, no text conversion of the
// arrays or the price (the scan reads the stored values; the price's stored
// digits are read as cents). The same rows as
// load_catalog(nullptr), which it falls back to when a column does not have
// the type the scan reads.
//
// The rows are kept per backend and served again while the statement's
// snapshot sees exactly the tuple versions they were read from: a scan that
// only checks visibility compares each visible tuple's (ctid, raw xmin) and
// the LSN of its page with those kept. Any committed, own, rolled-back or
// concurrent change makes a different set visible; a tuple cannot be
// replaced in place without a WAL-logged page change (pruning, freezing or
// reusing its line pointer bump the page LSN, and none happens while the scan
// pins the page), so an equal LSN means equal tuple bytes. Relations that skip
// WAL (unlogged, or created in this transaction under wal_level=minimal) and
// non-heap access methods are read afresh every time.
#include <limits>
#include <memory>

#include "esimgo/esimgo.hpp"
#include "pg/guard.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

namespace esimgo {

namespace pg = pgcpp::pg;
using domain::Bundle;

namespace {

struct Columns {
    AttrNumber name = 0, provider = 0, region = 0, validity = 0, price = 0, unlimited = 0, groups = 0, countries = 0;
    AttrNumber last = 0;
    bool operator==(const Columns& o) const {
        return name == o.name && provider == o.provider && region == o.region && validity == o.validity &&
               price == o.price && unlimited == o.unlimited && groups == o.groups && countries == o.countries;
    }
};

// A visible tuple version, and the LSN of a page holding visible tuples.
struct Version {
    BlockNumber block;
    OffsetNumber offset;
    TransactionId xmin;
};
struct PageMark {
    BlockNumber block;
    XLogRecPtr lsn;
};

struct Kept {
    Oid relid = InvalidOid, relnode = InvalidOid;
    Columns columns;
    std::vector<Version> versions;  // in scan order (no synchronized scans)
    std::vector<PageMark> pages;
    std::shared_ptr<const std::vector<Bundle>> rows;
};
Kept kept;

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
    out.reserve(out.size() + std::size_t(std::max(n, 0)));  // one allocation, not one per doubling
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

// Whether the active snapshot sees exactly the tuple versions `k` was read
// from, on pages unchanged since (see the top of the file).
bool sees_kept(Relation rel, const Kept& k) {
    return pg::call([&] {
        TableScanDesc scan = table_beginscan_strat(rel, GetActiveSnapshot(), 0, nullptr, true, false);
        const Buffer* buffer = &reinterpret_cast<HeapScanDesc>(scan)->rs_cbuf;
        std::size_t v = 0, page = 0;
        BlockNumber current = InvalidBlockNumber;
        bool same = true;
        HeapTuple t;
        while ((t = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            if ((v & 1023) == 0) CHECK_FOR_INTERRUPTS();
            const BlockNumber block = ItemPointerGetBlockNumber(&t->t_self);
            if (v == k.versions.size() || k.versions[v].block != block ||
                k.versions[v].offset != ItemPointerGetOffsetNumber(&t->t_self) ||
                k.versions[v].xmin != HeapTupleHeaderGetRawXmin(t->t_data)) {
                same = false;
                break;
            }
            ++v;
            if (block != current) {
                current = block;
                if (page == k.pages.size() || k.pages[page].block != block ||
                    k.pages[page].lsn != BufferGetLSNAtomic(*buffer)) {
                    same = false;
                    break;
                }
                ++page;
            }
        }
        table_endscan(scan);
        return same && v == k.versions.size() && page == k.pages.size();
    });
}

}  // namespace

std::shared_ptr<const std::vector<Bundle>> kept_catalog() {
    const Oid relid = pg::call([] { return get_relname_relid("catalog_bundles", extension.schema()); });
    if (relid == InvalidOid) return std::make_shared<const std::vector<Bundle>>(load_catalog(nullptr));
    Scan s = pg::call([&] {
        Scan out{table_open(relid, AccessShareLock), nullptr, nullptr};
        return out;
    });
    Columns c;
    if (!find_columns(RelationGetDescr(s.rel), c)) {
        pg::call([&] { table_close(s.rel, AccessShareLock); });
        return std::make_shared<const std::vector<Bundle>>(load_catalog(nullptr));
    }
    const bool keepable = s.rel->rd_tableam == GetHeapamTableAmRoutine() && RelationNeedsWAL(s.rel);
    const Oid relnode = s.rel->rd_node.relNode;
    if (keepable && kept.rows && kept.relid == relid && kept.relnode == relnode && kept.columns == c &&
        sees_kept(s.rel, kept)) {
        pg::call([&] { table_close(s.rel, AccessShareLock); });
        return kept.rows;
    }
    Kept fresh;
    fresh.relid = relid;
    fresh.relnode = relnode;
    fresh.columns = c;
    pg::call([&] {
        // No synchronized scan: the kept versions are compared in scan order.
        s.scan = table_beginscan_strat(s.rel, GetActiveSnapshot(), 0, nullptr, true, false);
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
        if (keepable) {
            // Every visible version, the rows that cannot price included.
            const auto* heap_slot = reinterpret_cast<const BufferHeapTupleTableSlot*>(slot);
            const HeapTuple t = heap_slot->base.tuple;
            const BlockNumber block = ItemPointerGetBlockNumber(&t->t_self);
            fresh.versions.push_back({block, ItemPointerGetOffsetNumber(&t->t_self), HeapTupleHeaderGetRawXmin(t->t_data)});
            if (fresh.pages.empty() || fresh.pages.back().block != block)
                fresh.pages.push_back({block, BufferGetLSNAtomic(heap_slot->buffer)});
        }
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
    auto rows = std::make_shared<const std::vector<Bundle>>(std::move(out));
    if (keepable) {
        fresh.rows = rows;
        kept = std::move(fresh);
    } else {
        kept = Kept{};
    }
    return rows;
}

}  // namespace esimgo
