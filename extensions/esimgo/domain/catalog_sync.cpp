#include "esimgo/domain/catalog_sync.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/decimal.hpp"
#include "core/errors.hpp"

namespace esimgo::domain {

namespace core = pgcpp::core;
using json::Kind;
using json::Value;

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw core::DomainError(core::ErrorKind::InvalidParameter, "invalid sync payload at " + where + ": " + what);
}

const Value* member(const Value& obj, const char* key) {
    const Value* v = obj.find(key);
    return (v && !v->is_null()) ? v : nullptr;
}

std::string string_of(const Value& obj, const char* key, const std::string& where, bool required) {
    const Value* v = member(obj, key);
    if (!v) {
        if (required) bad(where, std::string("needs ") + key);
        return {};
    }
    if (!v->is_string()) bad(where + "." + key, "expected a string");
    return v->text;
}

std::optional<core::Decimal> number_of(const Value& obj, const char* key, const std::string& where) {
    const Value* v = member(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_number()) bad(where + "." + key, "expected a number");
    try {
        return core::Decimal::parse(v->text);
    } catch (const core::DomainError&) {
        bad(where + "." + key, "not a plain decimal");
    }
}

std::vector<std::string> strings_of(const Value& obj, const char* key, const std::string& where) {
    std::vector<std::string> out;
    const Value* v = member(obj, key);
    if (!v) return out;
    if (!v->is_array()) bad(where + "." + key, "expected an array");
    for (std::size_t i = 0; i < v->items.size(); ++i) {
        if (!v->items[i].is_string()) bad(where + "." + key + "[" + std::to_string(i) + "]", "expected a string");
        out.push_back(v->items[i].text);
    }
    return out;
}

}  // namespace

std::string normalize_group(const std::string& group) {
    std::string out;
    for (char c : group) {
        char ch = c == '-' ? ' ' : c;
        if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
        out.push_back(ch);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

SyncPayload parse_sync_payload(const Value& bundles) {
    if (!bundles.is_array()) bad("bundles", "expected an array of bundles");
    SyncPayload payload;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < bundles.items.size(); ++i) {
        std::string where = "bundles[" + std::to_string(i) + "]";
        const Value& b = bundles.items[i];
        if (!b.is_object()) bad(where, "expected an object");
        CatalogRow row;
        row.name = string_of(b, "name", where, true);
        if (row.name.empty() || row.name.size() > 255) bad(where + ".name", "must have 1 to 255 characters");
        if (!seen.insert(row.name).second) bad(where + ".name", "bundle \"" + row.name + "\" appears twice");
        row.description = string_of(b, "description", where, false);
        row.provider = string_of(b, "provider", where, false);
        if (row.provider.empty()) row.provider = "ESIM_GO";
        if (row.provider != "ESIM_GO" && row.provider != "MAYA")
            bad(where + ".provider", "expected ESIM_GO or MAYA");
        bool maya = row.provider == "MAYA";

        // countries: ["FR", ...] or [{"iso": "FR", "region": "Europe"}, ...]
        std::map<std::string, int> region_votes;
        if (const Value* cs = member(b, "countries")) {
            if (!cs->is_array()) bad(where + ".countries", "expected an array");
            for (std::size_t k = 0; k < cs->items.size(); ++k) {
                const Value& c = cs->items[k];
                std::string cw = where + ".countries[" + std::to_string(k) + "]";
                std::string iso;
                if (c.is_string()) iso = c.text;
                else if (c.is_object()) {
                    iso = string_of(c, "iso", cw, true);
                    std::string region = string_of(c, "region", cw, false);
                    if (!region.empty()) region_votes[region]++;
                } else bad(cw, "expected a country code or {iso, region}");
                if (iso.size() != 2 || !std::isupper(static_cast<unsigned char>(iso[0])) ||
                    !std::isupper(static_cast<unsigned char>(iso[1])))
                    bad(cw, "expected an ISO 3166-1 alpha-2 code, found \"" + iso.substr(0, 16) + "\"");
                if (std::find(row.countries.begin(), row.countries.end(), iso) == row.countries.end())
                    row.countries.push_back(iso);
            }
        }
        std::string region = string_of(b, "region", where, false);
        if (!region.empty()) row.region = region;
        else if (!region_votes.empty()) {
            // the most common region of the countries (ties: the first name)
            auto best = std::max_element(region_votes.begin(), region_votes.end(),
                                         [](const auto& a, const auto& c) { return a.second < c.second; });
            row.region = best->first;
        }

        auto price = number_of(b, "price", where);
        if (price && !to_cents(*price, row.price)) bad(where + ".price", "must be whole cents of at most 99999999.99");
        std::optional<core::Decimal> days = maya ? number_of(b, "validity_days", where) : number_of(b, "duration", where);
        long long validity = 0;
        if (days) {
            Cents whole = 0;
            if (!to_cents(*days, whole) || whole % 100 != 0 || whole / 100 > 100000)
                bad(where + (maya ? ".validity_days" : ".duration"), "expected a whole number of days");
            validity = whole / 100 - (maya ? 1 : 0);
        }
        if (!price || row.price <= 0 || validity <= 0 || row.countries.empty()) {
            ++payload.skipped;
            continue;
        }
        row.validity_days = int(validity);

        if (maya) {
            row.is_unlimited = true;
            row.speed = {"4G", "5G"};
        } else {
            for (const std::string& g : strings_of(b, "groups", where)) {
                std::string n = normalize_group(g);
                if (!n.empty() && std::find(row.groups.begin(), row.groups.end(), n) == row.groups.end())
                    row.groups.push_back(n);
            }
            row.speed = strings_of(b, "speed", where);
            auto amount = number_of(b, "dataAmount", where);
            bool unlimited = false;
            if (const Value* u = member(b, "unlimited")) {
                if (!u->is_bool()) bad(where + ".unlimited", "expected a boolean");
                unlimited = u->boolean;
            }
            bool minus_one = amount && *amount == core::Decimal::from_int(-1);
            row.is_unlimited = unlimited || minus_one;
            if (!row.is_unlimited) {
                if (!amount || amount->is_negative()) bad(where + ".dataAmount", "a limited bundle needs its data amount in MB");
                // the MB amount rounded up to a whole MB
                __int128 step = 1;
                for (int k = 0; k < amount->scale(); ++k) step *= 10;
                __int128 mb128 = (amount->units() + step - 1) / step;
                if (mb128 > (__int128(1) << 50)) bad(where + ".dataAmount", "too large");
                long long mb = static_cast<long long>(mb128);
                row.data_amount_mb = mb;
                row.data_amount_readable = mb >= 1024 && mb % 1024 == 0 ? std::to_string(mb / 1024) + "GB"
                                                                           : std::to_string(mb) + "MB";
            } else {
                row.data_amount_readable = "Unlimited";
            }
        }
        if (maya) row.data_amount_readable = "Unlimited";
        payload.rows.push_back(std::move(row));
    }
    return payload;
}

}  // namespace esimgo::domain
