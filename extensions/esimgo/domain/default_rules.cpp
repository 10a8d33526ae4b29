#include "esimgo/domain/default_rules.hpp"

namespace esimgo::domain {

namespace {
// One row per unlimited group; the same three again under ESIM_GO-<group>.
#define ESIMGO_LITE_ESSENTIAL R"({"1":3,"3":5,"5":9,"7":12,"10":15,"15":17,"30":20})"
#define ESIMGO_PLUS R"({"1":4,"3":6,"5":10,"7":13,"10":16,"15":18,"30":21})"
const char* const kMarkupParams =
    R"({"markupMatrix":{"Standard Unlimited Lite":)" ESIMGO_LITE_ESSENTIAL
    R"(,"Standard Unlimited Essential":)" ESIMGO_LITE_ESSENTIAL
    R"(,"Standard Unlimited Plus":)" ESIMGO_PLUS
    R"(,"ESIM_GO-Standard Unlimited Lite":)" ESIMGO_LITE_ESSENTIAL
    R"(,"ESIM_GO-Standard Unlimited Essential":)" ESIMGO_LITE_ESSENTIAL
    R"(,"ESIM_GO-Standard Unlimited Plus":)" ESIMGO_PLUS
    R"(,"MAYA":{"1":5,"3":8,"5":6,"7":15,"10":11,"15":16,"30":23}}})";
#undef ESIMGO_LITE_ESSENTIAL
#undef ESIMGO_PLUS
}  // namespace

const std::vector<BlockSource>& default_blocks() {
    static const std::vector<BlockSource> blocks = {
        {"f47ac10b-58cc-4372-a567-0e02b2c3d479", "Provider Selection", "select-provider", 100, true,
         R"({"all":[{"fact":"availableBundles","path":"$.length","operator":"greaterThan","value":0}]})",
         R"({"preferredProvider":"MAYA","fallbackProvider":"ESIM_GO"})"},
        {"ca57ac6d-c580-45a4-9398-273146d52cfd", "Cost Block", "set-base-price", 99, true,
         R"({"all":[{"fact":"selectedBundle","operator":"notEqual","value":null}]})", "{}"},
        {"09000102-3456-7823-4567-123456789012", "Unlimited Bundle Markup", "apply-markup", 90, true,
         R"({"any":[{"all":[{"fact":"selectedBundle","operator":"notEqual","value":null},)"
         R"({"fact":"selectedBundle","path":"$.is_unlimited","operator":"equal","value":true}]},)"
         R"({"all":[{"fact":"previousBundle","operator":"notEqual","value":null},)"
         R"({"fact":"previousBundle","path":"$.is_unlimited","operator":"equal","value":true}]}]})",
         kMarkupParams},
        {"1cbf12bf-d423-430b-9cc1-3674f434b4bc", "Unused Days Discount", "apply-unused-days-discount", 80, true,
         R"({"all":[{"fact":"unusedDays","operator":"greaterThan","value":0}]})", "{}"},
        {"9761877f-792b-4086-9508-63a9080fb4f1", "Payment Processing Fees", "apply-processing-fee", 40, false,
         R"({"all":[{"fact":"paymentMethod","operator":"equal","value":"ISRAELI_CARD"}]})",
         R"({"type":"SET_PROCESSING_RATE","feesMatrix":{"DINERS":{"percentageFee":3.9,"fixedFee":0},)"
         R"("FOREIGN_CARD":{"percentageFee":2.9,"fixedFee":0.3},"ISRAELI_CARD":{"percentageFee":1.4,"fixedFee":0}}})"},
        {"c3d4e5f6-7890-12cd-ef01-123456789012", "Minimum 1.5$ profit", "apply-profit-constraint", 20, true,
         R"({"all":[]})", R"({"value":1.5})"},
        {"a52106bc-5303-47b1-adae-892aa0b48735", "Psychological Rounding", "apply-psychological-rounding", 10, true,
         R"({"all":[]})", R"({"strategy":"nearest-whole"})"},
        {"a1b2c3d4-5678-90ab-cdef-123456789012", "Set Fixed Price", "apply-fixed-price", 1, true,
         R"({"all":[{"fact":"country","path":"$.country","operator":"equal","value":"UA"}]})",
         R"({"actions":{"value":25}})"},
    };
    return blocks;
}

}  // namespace esimgo::domain
