#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

namespace parley::http {

// Rejected request input; the caller answers 400 (or 415) in one place.
enum class Error {
  kMalformedQuery = 1,  // bad percent-escape in the query string
  kMalformedForm,       // bad percent-escape in an application/x-www-form-urlencoded body
  kNotForm,             // Content-Type is not application/x-www-form-urlencoded
};

const boost::system::error_category& errorCategory() noexcept;

inline boost::system::error_code make_error_code(Error e) noexcept {  // NOLINT: ADL hook name
  return {static_cast<int>(e), errorCategory()};
}

}  // namespace parley::http

template <>
struct boost::system::is_error_code_enum<parley::http::Error> : std::true_type {};
