#include "parley/http/error.hpp"

#include <string>

namespace parley::http {
namespace {

// Boost's error_category has a protected non-virtual destructor by design (categories are never
// deleted through a base pointer); g++ 12 still warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "parley.http"; }
  std::string message(int value) const override {
    switch (static_cast<Error>(value)) {
      case Error::kMalformedQuery:
        return "malformed query string";
      case Error::kMalformedForm:
        return "malformed form body";
      case Error::kNotForm:
        return "body is not application/x-www-form-urlencoded";
    }
    return "unknown http error";
  }
};
#pragma GCC diagnostic pop

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const Category category;
  return category;
}

}  // namespace parley::http
