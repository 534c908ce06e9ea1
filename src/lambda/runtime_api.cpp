#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdint>
#include <utility>

#include "parley/lambda/error.hpp"
#include "parley/lambda/runtime.hpp"

namespace parley::lambda {
namespace {

// /next may block for as long as the function stays idle (the process is frozen meanwhile);
// the client needs some bound, so make it one no idle period reaches.
constexpr std::chrono::milliseconds kNextTimeout = std::chrono::hours(24 * 365);
// Below this, Lambda-Runtime-Deadline-Ms cannot be epoch milliseconds (it would be 1973).
constexpr std::int64_t kEarliestEpochMs = 100'000'000'000;

Error statusError(unsigned status) {
  if (status == 413) return Error::kPayloadTooLarge;
  if (status == 403) return Error::kInvalidState;
  return Error::kRuntimeApiFailed;
}

std::optional<TimePoint> parseDeadline(std::optional<std::string_view> header, TimePoint now) {
  if (!header) return std::nullopt;
  std::int64_t value = 0;
  const auto* end = header->data() + header->size();
  const auto [ptr, ec] = std::from_chars(header->data(), end, value);
  if (ec != std::errc{} || ptr != end || value <= 0) return std::nullopt;
  if (value < kEarliestEpochMs) {
    return std::chrono::time_point_cast<TimePoint::duration>(now +
                                                             std::chrono::milliseconds(value));
  }
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(value)));
}

}  // namespace

RuntimeApi::RuntimeApi(net::HttpClient& client, const core::Clock& clock, Options options)
    : client_(client),
      clock_(clock),
      options_(std::move(options)),
      base_("http://" + options_.endpoint + "/2018-06-01") {}

boost::system::result<Invocation> RuntimeApi::next() {
  net::Request request;
  request.url = base_ + "/runtime/invocation/next";
  auto response =
      client_.send(request, {.timeout = kNextTimeout, .body_limit = options_.max_event_size});
  if (!response) return response.error();
  if (response->status != 200) return Error::kRuntimeApiFailed;
  const auto id = response->header("Lambda-Runtime-Aws-Request-Id");
  if (!id || id->empty()) return Error::kMissingRequestId;
  Invocation invocation;
  invocation.request_id = std::string(*id);
  invocation.function_arn = std::string(
      response->header("Lambda-Runtime-Invoked-Function-Arn").value_or(std::string_view{}));
  invocation.trace_id =
      std::string(response->header("Lambda-Runtime-Trace-Id").value_or(std::string_view{}));
  invocation.deadline = parseDeadline(response->header("Lambda-Runtime-Deadline-Ms"), clock_.now());
  invocation.event = std::move(response->body);
  return invocation;
}

boost::system::result<void> RuntimeApi::respond(std::string_view request_id, std::string body) {
  return post("/runtime/invocation/" + std::string(request_id) + "/response", std::move(body),
              nullptr);
}

boost::system::result<void> RuntimeApi::reportError(std::string_view request_id,
                                                    const ErrorReport& report) {
  return post("/runtime/invocation/" + std::string(request_id) + "/error", {}, &report);
}

boost::system::result<void> RuntimeApi::reportInitError(const ErrorReport& report) {
  return post("/runtime/init/error", {}, &report);
}

boost::system::result<void> RuntimeApi::post(std::string path, std::string body,
                                             const ErrorReport* report) {
  net::Request request;
  request.method = "POST";
  request.url = base_ + path;
  request.headers.emplace_back("Content-Type", "application/json");
  if (report != nullptr) {
    request.headers.emplace_back("Lambda-Runtime-Function-Error-Type", report->type);
    body = boost::json::serialize(boost::json::object{{"errorMessage", report->message},
                                                      {"errorType", report->type},
                                                      {"stackTrace", boost::json::array{}}});
  }
  request.body = std::move(body);
  auto response =
      client_.send(request, {.timeout = options_.post_timeout, .body_limit = 64 * 1024});
  if (!response) return response.error();
  if (response->status < 200 || response->status > 299) return statusError(response->status);
  return {};
}

}  // namespace parley::lambda
