#include "tripos/domain/cron_schedule.hpp"

#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "core/errors.hpp"

namespace core = pgcpp::core;

namespace tripos::domain {
namespace {

struct Field {
    const char* name;
    int low;
    int high;
    const char* const* names;  // names of low..high, or nullptr
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

constexpr std::array<Field, 5> kFields{{{"minute", 0, 59, nullptr},
                                        {"hour", 0, 23, nullptr},
                                        {"day of month", 1, 31, nullptr},
                                        {"month", 1, 12, kMonthNames},
                                        {"day of week", 0, 7, kDayNames}}};

[[noreturn]] void bad_field(const Field& field, std::string_view text, const std::string& why) {
    throw core::DomainError(core::ErrorKind::InvalidParameter,
                            "invalid cron schedule: " + std::string(field.name) + " \"" + std::string(text) + "\" " + why,
                            {}, "Five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON-FRI\".");
}

int value_of(const Field& field, std::string_view whole, std::string_view text) {
    if (text.empty()) bad_field(field, whole, "has an empty value");
    if (field.names && std::isalpha(static_cast<unsigned char>(text[0]))) {
        std::string upper;
        for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (int v = field.low; v <= field.high; ++v) {
            if (upper == field.names[v - field.low]) return v;
        }
        bad_field(field, whole, "has an unknown name");
    }
    int value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) bad_field(field, whole, "is not a number");
        value = value * 10 + (c - '0');
        if (value > field.high) bad_field(field, whole, "lies outside " + std::to_string(field.low) + "-" +
                                                         std::to_string(field.high));
    }
    if (value < field.low) {
        bad_field(field, whole, "lies outside " + std::to_string(field.low) + "-" + std::to_string(field.high));
    }
    return value;
}

// Sets the values `text` names in `bits` (index = value).
template <std::size_t N>
void parse_field(const Field& field, std::string_view text, std::bitset<N>& bits) {
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                         : comma - start);
        const std::size_t slash = item.find('/');
        const std::string_view range = item.substr(0, slash);
        int step = 1;
        if (slash != std::string_view::npos) {
            step = value_of({field.name, 1, field.high - field.low + 1, nullptr}, text, item.substr(slash + 1));
        }
        int low = field.low, high = field.high;
        if (range == "*") {
            // every value
        } else if (const std::size_t dash = range.find('-'); dash != std::string_view::npos) {
            low = value_of(field, text, range.substr(0, dash));
            high = value_of(field, text, range.substr(dash + 1));
            if (low > high) bad_field(field, text, "has a range that runs backwards");
        } else {
            low = value_of(field, text, range);
            if (slash == std::string_view::npos) high = low;  // `10/20` runs to the field's end
        }
        for (int v = low; v <= high; v += step) bits.set(static_cast<std::size_t>(v));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
}

// Days since 2000-01-01 of a civil date, and back (H. Hinnant's algorithms).
constexpr std::int64_t kEpochShift = 10957;  // 1970-01-01 to 2000-01-01

struct Civil {
    int year;
    int month;
    int day;
};

Civil civil_from_days(std::int64_t days_since_2000) {
    std::int64_t z = days_since_2000 + kEpochShift + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return {static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0)), month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

CronSchedule parse_cron(std::string_view text) {
    if (text.size() > 256) {
        throw core::DomainError(core::ErrorKind::InvalidParameter, "invalid cron schedule: longer than 256 characters");
    }
    std::string expanded(text);
    while (!expanded.empty() && std::isspace(static_cast<unsigned char>(expanded.front()))) expanded.erase(0, 1);
    while (!expanded.empty() && std::isspace(static_cast<unsigned char>(expanded.back()))) expanded.pop_back();
    static const std::pair<const char*, const char*> kMacros[] = {
        {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
        {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"}};
    if (!expanded.empty() && expanded[0] == '@') {
        bool known = false;
        for (const auto& [macro, fields] : kMacros) {
            if (expanded == macro) {
                expanded = fields;
                known = true;
            }
        }
        if (!known) {
            throw core::DomainError(core::ErrorKind::InvalidParameter,
                                    "invalid cron schedule: unknown macro \"" + expanded + "\"", {},
                                    "Use @yearly, @monthly, @weekly, @daily or @hourly, or five fields.");
        }
    }
    std::vector<std::string_view> parts;
    const std::string_view all(expanded);
    std::size_t i = 0;
    while (i < all.size()) {
        while (i < all.size() && std::isspace(static_cast<unsigned char>(all[i]))) ++i;
        const std::size_t start = i;
        while (i < all.size() && !std::isspace(static_cast<unsigned char>(all[i]))) ++i;
        if (i > start) parts.push_back(all.substr(start, i - start));
    }
    if (parts.size() != kFields.size()) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                "invalid cron schedule: " + std::to_string(parts.size()) + " fields, not 5", {},
                                "Five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * MON-FRI\".");
    }
    CronSchedule s;
    parse_field(kFields[0], parts[0], s.minutes);
    parse_field(kFields[1], parts[1], s.hours);
    parse_field(kFields[2], parts[2], s.days);
    parse_field(kFields[3], parts[3], s.months);
    std::bitset<8> weekdays;
    parse_field(kFields[4], parts[4], weekdays);
    for (std::size_t d = 0; d < 7; ++d) s.weekdays[d] = weekdays[d];
    if (weekdays[7]) s.weekdays.set(0);
    s.days_restricted = parts[2][0] != '*';
    s.weekdays_restricted = parts[4][0] != '*';
    return s;
}

std::optional<std::int64_t> next_cron_minute(const CronSchedule& s, std::int64_t after_minute) {
    constexpr std::int64_t kMinutesPerDay = 24 * 60;
    constexpr std::int64_t kSearchDays = 8 * 366 + 1;
    const std::int64_t first = after_minute + 1;
    const std::int64_t first_day = floor_div(first, kMinutesPerDay);
    for (std::int64_t day = first_day; day < first_day + kSearchDays; ++day) {
        const Civil date = civil_from_days(day);
        if (!s.months[static_cast<std::size_t>(date.month)]) continue;
        // 2000-01-01 was a Saturday (6).
        const auto weekday = static_cast<std::size_t>(((day % 7) + 7 + 6) % 7);
        const bool day_match = s.days[static_cast<std::size_t>(date.day)];
        const bool weekday_match = s.weekdays[weekday];
        const bool fires = s.days_restricted && s.weekdays_restricted ? day_match || weekday_match
                                                                      : day_match && weekday_match;
        if (!fires) continue;
        const int from = day == first_day ? static_cast<int>(first - day * kMinutesPerDay) : 0;
        for (int minute_of_day = from; minute_of_day < kMinutesPerDay; ++minute_of_day) {
            if (s.hours[static_cast<std::size_t>(minute_of_day / 60)] &&
                s.minutes[static_cast<std::size_t>(minute_of_day % 60)]) {
                return day * kMinutesPerDay + minute_of_day;
            }
        }
    }
    return std::nullopt;
}

}  // namespace tripos::domain
