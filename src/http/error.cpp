#include "parley/http/error.hpp"

#include "parley/core/error_category.hpp"

namespace parley::http {
namespace {

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kMalformedQuery:
      return "malformed query string";
    case Error::kMalformedForm:
      return "malformed form body";
    case Error::kNotForm:
      return "body is not application/x-www-form-urlencoded";
  }
  return "unknown http error";
}

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.http", describe);
  return category;
}

}  // namespace parley::http
