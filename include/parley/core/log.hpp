#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace parley::core {

// The named logger of a module ("http", "skill", …), created on first use with the default sink.
// Only the composition root (src/cli) chooses sinks and levels. Never log tokens, secrets,
// passwords, query strings or whole bodies.
std::shared_ptr<spdlog::logger> logger(const std::string& module);

}  // namespace parley::core
