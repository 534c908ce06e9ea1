#pragma once

#include <atomic>
#include <boost/system/result.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "parley/core/clock.hpp"
#include "parley/lambda/handler.hpp"
#include "parley/net/http_client.hpp"

namespace parley::lambda {

using TimePoint = std::chrono::system_clock::time_point;

// One event handed out by GET /runtime/invocation/next.
struct Invocation {
  std::string request_id{};
  std::string function_arn{};
  std::string trace_id{};  // X-Ray header; empty when the Runtime API sent none
  std::optional<TimePoint> deadline{};
  std::string event{};
};

// The deadline of the invocation being handled, for work that must finish before it (storage
// retries stop when the next delay would pass it). Written by the runtime loop, read from any
// thread; empty between invocations and outside Lambda.
class InvocationDeadline {
 public:
  std::optional<TimePoint> get() const;
  void set(std::optional<TimePoint> deadline);
  // Time left at `now`; nullopt without a deadline, zero once passed.
  std::optional<std::chrono::milliseconds> remaining(TimePoint now) const;
  // get() minus `margin`, read at each call: the deadline source of a client that bounds its own
  // retries (aws::DynamoDbClient::Options::deadline), leaving `margin` to answer after it gives
  // up. The callable refers to this object.
  std::function<std::optional<TimePoint>()> until(std::chrono::milliseconds margin) const;

 private:
  std::atomic<std::int64_t> epoch_ms_{0};  // 0 = none
};

// Body and Lambda-Runtime-Function-Error-Type of an /error or /init/error report.
struct ErrorReport {
  std::string type{};     // "Category.Reason", e.g. "Runtime.UnknownEvent"
  std::string message{};  // never a token or a body
};

// Client of the Lambda Runtime API (aws.md §4.1) over any net::HttpClient.
class RuntimeApi {
 public:
  struct Options {
    std::string endpoint{};  // host:port, the value of AWS_LAMBDA_RUNTIME_API
    // Bound for posting results; /next itself waits as long as Lambda keeps it open.
    std::chrono::milliseconds post_timeout{std::chrono::seconds(10)};
    std::size_t max_event_size{7 * 1024 * 1024};  // Lambda caps payloads at 6 MB
  };

  RuntimeApi(net::HttpClient& client, const core::Clock& clock, Options options);

  // Blocks until Lambda hands out an event. A Lambda-Runtime-Deadline-Ms too small to be an
  // epoch time counts from now (@vercel/fun sends the timeout, 5000).
  boost::system::result<Invocation> next();
  boost::system::result<void> respond(std::string_view request_id, std::string body);
  boost::system::result<void> reportError(std::string_view request_id, const ErrorReport& report);
  // For a failed start (bad config, missing file); the process exits afterwards.
  boost::system::result<void> reportInitError(const ErrorReport& report);

 private:
  boost::system::result<void> post(std::string path, std::string body, const ErrorReport* report);

  net::HttpClient& client_;
  const core::Clock& clock_;
  Options options_;
  std::string base_;
};

// The invocation loop: next -> handleEvent -> response, or /error for a rejected event or a
// throwing handler, and on to the next event. Immutable after construction.
class Runtime {
 public:
  struct Options {
    Handlers handlers{};
    // Set for each invocation when given; must outlive the runtime.
    InvocationDeadline* deadline{nullptr};
  };

  Runtime(RuntimeApi& api, Options options);

  // One invocation. Fails only when the Runtime API fails (then the process should exit);
  // event and handler failures are reported to Lambda and count as success here.
  boost::system::result<void> runOnce();
  // Loops until the Runtime API fails and returns that failure.
  boost::system::error_code run();

 private:
  RuntimeApi& api_;
  Options options_;
};

}  // namespace parley::lambda
