#pragma once

#include <boost/system/result.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parley/http/error.hpp"

namespace parley::http {

// Decoded name/value pairs of a query string or form body, in order. Repeated names are kept,
// so that callers can reject them (OAuth forbids repeating a parameter).
class Params {
 public:
  using Items = std::vector<std::pair<std::string, std::string>>;

  Params() = default;
  explicit Params(Items items) : items_(std::move(items)) {}

  // Parses "a=1&b=x%20y"; with `plus_is_space` ('+' means ' ', as in form bodies).
  static boost::system::result<Params> parse(std::string_view encoded, bool plus_is_space);

  // The first value of `name`.
  std::optional<std::string_view> get(std::string_view name) const;
  std::vector<std::string_view> all(std::string_view name) const;
  std::size_t count(std::string_view name) const;
  bool contains(std::string_view name) const { return count(name) > 0; }
  // True when some name appears more than once.
  bool hasRepeats() const;
  const Items& items() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

 private:
  Items items_{};
};

}  // namespace parley::http
