#pragma once

// A scripted net::HttpClient: answers from a queue, records what was sent, and can advance a
// ManualClock per call to simulate latency. Not thread-safe (tests call it from one thread).

#include <deque>
#include <string>
#include <vector>

#include "parley/core/clock.hpp"
#include "parley/net/http_client.hpp"

namespace parley::testing {

class FakeHttpClient final : public net::HttpClient {
 public:
  using Answer = boost::system::result<net::Response>;

  void push(Answer answer) { answers_.push_back(std::move(answer)); }
  void pushJson(unsigned status, std::string body) {
    push(net::Response{.status = status, .headers = {}, .body = std::move(body)});
  }
  void pushAwsError(unsigned status, const std::string& type, const std::string& message = "m") {
    pushJson(status, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type +
                         "\",\"message\":\"" + message + "\"}");
  }
  // Each send() moves this clock by `latency` before answering.
  void simulateLatency(core::ManualClock& clock, std::chrono::milliseconds latency) {
    clock_ = &clock;
    latency_ = latency;
  }

  using HttpClient::send;
  Answer send(const net::Request& request, const net::RequestOptions& options) override {
    requests.push_back(request);
    timeouts.push_back(options.timeout);
    if (clock_ != nullptr) clock_->advance(latency_);
    if (answers_.empty()) return net::Response{.status = 200, .headers = {}, .body = "{}"};
    Answer answer = std::move(answers_.front());
    answers_.pop_front();
    return answer;
  }

  std::vector<net::Request> requests;
  std::vector<std::chrono::milliseconds> timeouts;

 private:
  std::deque<Answer> answers_;
  core::ManualClock* clock_{nullptr};
  std::chrono::milliseconds latency_{0};
};

}  // namespace parley::testing
