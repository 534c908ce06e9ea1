#pragma once

#include <boost/system/error_category.hpp>
#include <string>

namespace parley::core {

// The error_category of a module's `enum class Error`: a name and a function that describes each
// value. Each module keeps one `static const ErrorCategory<Error>` behind its errorCategory().
//
// Boost's error_category has a protected non-virtual destructor by design (categories are never
// deleted through a base pointer); g++ 12 still warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
template <typename Enum>
class ErrorCategory final : public boost::system::error_category {
 public:
  using Describe = const char* (*)(Enum) noexcept;
  ErrorCategory(const char* name, Describe describe) noexcept : name_(name), describe_(describe) {}
  const char* name() const noexcept override { return name_; }
  std::string message(int value) const override { return describe_(static_cast<Enum>(value)); }

 private:
  const char* name_;
  Describe describe_;
};
#pragma GCC diagnostic pop

}  // namespace parley::core
