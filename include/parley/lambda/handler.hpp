#pragma once

#include <boost/system/result.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "parley/http/request.hpp"
#include "parley/http/response.hpp"

namespace parley::lambda {

// API Gateway and function URL events, as a plain request: the route table (Router::handle).
using HttpHandler = std::function<http::Response(const http::Request&)>;
// Alexa Skills Kit events: the event JSON is the Alexa request, the result the Alexa response.
using AlexaHandler = std::function<std::string(std::string_view alexa_request_json)>;

// What one function serves; an empty handler makes that kind of event an error (Error::kNoHandler).
struct Handlers {
  HttpHandler http{};
  AlexaHandler alexa{};
};

// One event in, the invocation result JSON out, without sockets. Rejected events (not JSON,
// unknown or malformed) are errors; whatever a handler throws reaches the caller.
boost::system::result<std::string> handleEvent(const Handlers& handlers, std::string_view event);

}  // namespace parley::lambda
