#include "parley/config/environment.hpp"

#include <unistd.h>

namespace parley::config {

Environment Environment::fromProcess() {
  Environment environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view pair{*entry};
    auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    environment.set(std::string{pair.substr(0, equals)}, std::string{pair.substr(equals + 1)});
  }
  return environment;
}

std::optional<std::string> Environment::get(std::string_view name) const {
  auto found = variables_.find(name);
  if (found == variables_.end()) return std::nullopt;
  return found->second;
}

void Environment::set(std::string name, std::string value) {
  variables_.insert_or_assign(std::move(name), std::move(value));
}

}  // namespace parley::config
