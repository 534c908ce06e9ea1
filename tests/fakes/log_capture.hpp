#pragma once

#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>

#include "parley/core/log.hpp"

namespace parley::fakes {

// Copies what the module logger writes while alive. Single-threaded setup only: it edits the
// logger's sink list.
class LogCapture {
 public:
  explicit LogCapture(const std::string& module)
      : logger_(core::logger(module)),
        sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_)) {
    logger_->sinks().push_back(sink_);
  }
  ~LogCapture() {
    auto& sinks = logger_->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() {
    sink_->flush();
    return stream_.str();
  }
  // Lines at `level` ("error", "warning", "info").
  int count(const std::string& level) {
    const auto all = text();
    const std::string tag = "[" + level + "]";
    int found = 0;
    for (auto at = all.find(tag); at != std::string::npos; at = all.find(tag, at + 1)) ++found;
    return found;
  }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

}  // namespace parley::fakes
