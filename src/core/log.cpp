#include "parley/core/log.hpp"

namespace parley::core {

std::shared_ptr<spdlog::logger> logger(const std::string& module) {
  if (auto existing = spdlog::get(module)) return existing;
  auto created = spdlog::default_logger()->clone(module);
  try {
    spdlog::register_logger(created);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered it first.
    return spdlog::get(module);
  }
  return created;
}

}  // namespace parley::core
