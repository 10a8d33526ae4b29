#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {

ErrorKind kind_of(const char* text) {
    try {
        Decimal::parse(text);
    } catch (const DomainError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected an error for \"" << text << "\"";
    return ErrorKind::InvalidParameter;
}

}  // namespace

TEST(Decimal, ParsesAndPrintsCanonicalText) {
    EXPECT_EQ(Decimal::parse("19.00").to_string(), "19.00");
    EXPECT_EQ(Decimal::parse("-0.0500").to_string(), "-0.0500");
    EXPECT_EQ(Decimal::parse("0").to_string(), "0");
    EXPECT_EQ(Decimal::parse(".5").to_string(), "0.5");
    EXPECT_EQ(Decimal::parse("+7.").to_string(), "7");
    EXPECT_EQ(Decimal::parse("240000").to_string(), "240000");
    EXPECT_EQ(Decimal::parse("0.0001").units(), 1);
    EXPECT_EQ(Decimal::parse("0.0001").scale(), 4);
}

TEST(Decimal, RejectsWhatIsNotANumber) {
    EXPECT_EQ(kind_of(""), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of("-"), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of("."), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of("NaN"), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of("Infinity"), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of("1e5"), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of("1.2.3"), ErrorKind::InvalidText);
    EXPECT_EQ(kind_of(" 1"), ErrorKind::InvalidText);
}

TEST(Decimal, HoldsExactly38DigitsAndNoMore) {
    const std::string max38(38, '9');
    EXPECT_EQ(Decimal::parse(max38).to_string(), max38);
    EXPECT_EQ(Decimal::parse("-" + max38).to_string(), "-" + max38);
    EXPECT_EQ(kind_of(std::string(39, '9').c_str()), ErrorKind::OutOfRange);
    // Leading zeros are not significant.
    EXPECT_EQ(Decimal::parse("000" + max38).to_string(), max38);
    EXPECT_EQ(kind_of(("0." + std::string(31, '1')).c_str()), ErrorKind::OutOfRange);
}

TEST(Decimal, RoundsHalfAwayFromZero) {
    EXPECT_EQ(Decimal::parse("0.125").rescale(2).to_string(), "0.13");
    EXPECT_EQ(Decimal::parse("0.124999").rescale(2).to_string(), "0.12");
    EXPECT_EQ(Decimal::parse("-0.125").rescale(2).to_string(), "-0.13");
    EXPECT_EQ(Decimal::parse("-0.124").rescale(2).to_string(), "-0.12");
    EXPECT_EQ(Decimal::parse("2.5").rescale(0).to_string(), "3");
    EXPECT_EQ(Decimal::parse("0.00005").rescale(4).to_string(), "0.0001");
    EXPECT_EQ(Decimal::parse("0.00004999").rescale(4).to_string(), "0.0000");
    EXPECT_EQ(Decimal::parse("1.5").rescale(3).to_string(), "1.500");
}

TEST(Decimal, ArithmeticIsExactAcrossScales) {
    EXPECT_EQ((Decimal::parse("0.1") + Decimal::parse("0.2")).to_string(), "0.3");
    EXPECT_EQ((Decimal::parse("15.00") - Decimal::parse("0.7500")).to_string(), "14.2500");
    EXPECT_EQ((Decimal::parse("15.00") * Decimal::parse("5.00")).to_string(), "75.0000");
    EXPECT_EQ(compare(Decimal::parse("1.50"), Decimal::parse("1.5")), 0);
    EXPECT_LT(Decimal::parse("-1"), Decimal::parse("0.0001"));
    EXPECT_EQ(Decimal::parse("19.5000").significant_scale(), 1);
    EXPECT_EQ(Decimal::parse("20.000").significant_scale(), 0);
}

TEST(Decimal, OverflowIsAnErrorNotAWrap) {
    const Decimal big = Decimal::parse(std::string(38, '9'));
    EXPECT_THROW(big + Decimal::parse("1"), DomainError);
    EXPECT_THROW(big * Decimal::parse("10"), DomainError);
    EXPECT_THROW(Decimal::parse(std::string(30, '9')).rescale(10), DomainError);
    EXPECT_THROW(Decimal::parse("1").rescale(31), DomainError);
    EXPECT_THROW(Decimal::parse("1").rescale(-1), DomainError);
}
