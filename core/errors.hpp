// Errors raised by pure domain code. The Postgres layer maps each kind to a
// SQLSTATE (src/pg/guard.cpp), so domain code never includes a server header.
#pragma once

#include <stdexcept>
#include <string>

namespace pgcpp::core {

enum class ErrorKind {
    InvalidParameter,   // 22023 invalid_parameter_value
    NullValue,          // 22004 null_value_not_allowed
    OutOfRange,         // 22003 numeric_value_out_of_range
    InvalidText,        // 22P02 invalid_text_representation
    NotAuthorized,      // 42501 insufficient_privilege
    NotFound,           // P0002 no_data_found
    Conflict,           // 23505-like business conflict: 55000 object_not_in_prerequisite_state
    CheckViolation,     // 23514 check_violation
    ForeignKey,         // 23503 foreign_key_violation
    NotNull,            // 23502 not_null_violation
};

class DomainError : public std::runtime_error {
public:
    DomainError(ErrorKind kind, std::string message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(std::move(message)), kind_(kind), detail_(std::move(detail)),
          hint_(std::move(hint)) {}

    ErrorKind kind() const noexcept { return kind_; }
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

private:
    ErrorKind kind_;
    std::string detail_;
    std::string hint_;
};

}  // namespace pgcpp::core
