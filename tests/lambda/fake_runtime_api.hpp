#pragma once

// An in-repo Lambda Runtime API (aws.md §4.5) on 127.0.0.1:0 for driving the runtime loop, the
// packaged bootstrap and the cold-start bench: it queues events, hands them out on /next with an
// epoch deadline, a trace id and an ARN, records /response, /error and /init/error, answers 413
// above 6 MB and 403 to a second result, and once finish() was called and the queue is empty,
// answers /next with 500 so that the runtime exits. Stops and joins in its destructor.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace parley::testing {

struct Posted {
  enum class Kind { kResponse, kError, kInitError };
  Kind kind{Kind::kResponse};
  std::string request_id{};  // empty for an init error
  std::string error_type{};  // the Lambda-Runtime-Function-Error-Type header
  std::string body{};
  std::chrono::steady_clock::time_point at{};
};

class FakeRuntimeApi {
 public:
  struct Options {
    // Lambda-Runtime-Deadline-Ms is now + this, in epoch milliseconds.
    std::chrono::milliseconds timeout{std::chrono::seconds(3)};
    std::size_t max_payload{6 * 1024 * 1024};
  };

  FakeRuntimeApi();
  explicit FakeRuntimeApi(Options options);
  ~FakeRuntimeApi();
  FakeRuntimeApi(const FakeRuntimeApi&) = delete;
  FakeRuntimeApi& operator=(const FakeRuntimeApi&) = delete;

  // host:port, the value for AWS_LAMBDA_RUNTIME_API.
  std::string endpoint() const;
  // Queues an event and returns its request id. `deadline_header` replaces the computed
  // Lambda-Runtime-Deadline-Ms value (e.g. "5000", as @vercel/fun sends).
  std::string enqueue(std::string event, std::optional<std::string> deadline_header = {});
  // From now on an empty queue makes /next answer 500.
  void finish();
  // Waits until `count` results were posted in all; false on timeout.
  bool waitForPosts(std::size_t count, std::chrono::milliseconds timeout) const;
  std::vector<Posted> posts() const;
  // The posted result for `request_id`; nullopt when none.
  std::optional<Posted> postFor(const std::string& request_id) const;
  // Number of /next calls answered with an event.
  std::size_t handedOut() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::testing
