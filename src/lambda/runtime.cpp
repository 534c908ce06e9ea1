#include "parley/lambda/runtime.hpp"

#include <cstdlib>
#include <exception>
#include <utility>

#include "parley/core/log.hpp"
#include "parley/lambda/error.hpp"

namespace parley::lambda {
namespace {

std::string errorType(boost::system::error_code ec) {
  if (ec == Error::kUnknownEvent) return "Runtime.UnknownEvent";
  if (ec == Error::kNoHandler) return "Runtime.NoHandler";
  return "Runtime.MalformedEvent";
}

// Lambda's convention for the X-Ray header of the invocation in progress. The loop is the only
// thread touching the environment, and handlers run synchronously inside it.
void setTraceId(const std::string& trace_id) {
  if (trace_id.empty()) {
    ::unsetenv("_X_AMZN_TRACE_ID");  // NOLINT(concurrency-mt-unsafe): see above
  } else {
    ::setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), 1);  // NOLINT(concurrency-mt-unsafe)
  }
}

}  // namespace

std::optional<TimePoint> InvocationDeadline::get() const {
  const auto ms = epoch_ms_.load(std::memory_order_acquire);
  if (ms == 0) return std::nullopt;
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

void InvocationDeadline::set(std::optional<TimePoint> deadline) {
  const auto ms =
      deadline ? std::chrono::duration_cast<std::chrono::milliseconds>(deadline->time_since_epoch())
                     .count()
               : 0;
  epoch_ms_.store(ms, std::memory_order_release);
}

std::optional<std::chrono::milliseconds> InvocationDeadline::remaining(TimePoint now) const {
  const auto deadline = get();
  if (!deadline) return std::nullopt;
  if (*deadline <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now);
}

std::function<std::optional<TimePoint>()> InvocationDeadline::until(
    std::chrono::milliseconds margin) const {
  return [this, margin]() -> std::optional<TimePoint> {
    auto deadline = get();
    if (deadline) *deadline -= margin;
    return deadline;
  };
}

Runtime::Runtime(RuntimeApi& api, Options options) : api_(api), options_(std::move(options)) {}

boost::system::result<void> Runtime::runOnce() {
  auto invocation = api_.next();
  if (!invocation) return invocation.error();
  const auto log = core::logger("lambda");
  if (options_.deadline != nullptr) options_.deadline->set(invocation->deadline);
  setTraceId(invocation->trace_id);

  std::optional<ErrorReport> failure;
  std::string result;
  try {
    auto handled = handleEvent(options_.handlers, invocation->event);
    if (handled) {
      result = std::move(*handled);
    } else {
      failure = ErrorReport{errorType(handled.error()), handled.error().message()};
    }
  } catch (const std::exception& e) {
    failure = ErrorReport{"Handler.Exception", e.what()};
  } catch (...) {
    failure = ErrorReport{"Handler.Exception", "unknown exception"};
  }
  if (options_.deadline != nullptr) options_.deadline->set(std::nullopt);

  const auto& id = invocation->request_id;
  if (failure) log->error("[{}] invocation failed: {}: {}", id, failure->type, failure->message);
  auto posted = failure ? api_.reportError(id, *failure) : api_.respond(id, std::move(result));
  if (!posted) {
    // Lambda has already failed this invocation; the next one may well succeed.
    if (posted.error() == Error::kPayloadTooLarge || posted.error() == Error::kInvalidState) {
      log->error("[{}] result refused: {}", id, posted.error().message());
      return {};
    }
    return posted.error();
  }
  return {};
}

boost::system::error_code Runtime::run() {
  for (;;) {
    if (auto once = runOnce(); !once) return once.error();
  }
}

}  // namespace parley::lambda
