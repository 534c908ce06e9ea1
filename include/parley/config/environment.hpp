#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace parley::config {

// A copy of environment variables, taken once at startup; tests build one by hand instead of
// touching the process environment.
class Environment {
 public:
  Environment() = default;
  Environment(std::initializer_list<std::pair<const std::string, std::string>> variables)
      : variables_(variables) {}

  // The variables of this process, now.
  static Environment fromProcess();

  // An empty value counts as set.
  std::optional<std::string> get(std::string_view name) const;
  void set(std::string name, std::string value);

 private:
  std::map<std::string, std::string, std::less<>> variables_;
};

}  // namespace parley::config
