// SQL-callable commission calculation: thin adapters from Datums to the rule
// in core/commission.hpp.
#include "onesim/layers.hpp"
#include "onesim/domain/commission.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"

using onesim::domain::CommissionBreakdown;
using onesim::domain::Currency;

namespace {

CommissionBreakdown breakdown_from_args(FunctionCallInfo fcinfo) {
    namespace pg = pgcpp::pg;
    const auto price = pg::decimal_from_numeric(pg::required_arg(fcinfo, 0, "retail_price"),
                                                "retail_price");
    const auto rate = pg::decimal_from_numeric(pg::required_arg(fcinfo, 1, "commission_rate"),
                                               "commission_rate");
    const Currency currency =
        onesim::domain::parse_currency(pg::string_from_text(pg::required_arg(fcinfo, 2, "currency")));
    return onesim::domain::compute_commission(price, rate, currency);
}

}  // namespace

// calculate_commission(retail_price, commission_rate, currency) -> numeric
PG_CPP_FUNCTION(onesim_calculate_commission) {
    return pgcpp::pg::numeric_from_decimal(breakdown_from_args(fcinfo).commission);
}

// commission_breakdown(retail_price, commission_rate, currency)
//   -> (retail_price, commission_rate, commission_amount, partner_pays, partner_savings)
PG_CPP_FUNCTION(onesim_commission_breakdown) {
    namespace pg = pgcpp::pg;
    const CommissionBreakdown b = breakdown_from_args(fcinfo);
    Datum values[5] = {
        pg::numeric_from_decimal(b.retail_price), pg::numeric_from_decimal(b.rate),
        pg::numeric_from_decimal(b.commission),   pg::numeric_from_decimal(b.partner_pays),
        pg::numeric_from_decimal(b.commission),
    };
    return pg::call([&] {
        TupleDesc desc;
        if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE) {
            elog(ERROR, "commission_breakdown must be declared to return a record");
        }
        bool nulls[5] = {false, false, false, false, false};
        return HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
    });
}
