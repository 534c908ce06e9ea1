#include "parley/lambda/handler.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "parley/lambda/error.hpp"
#include "parley/lambda/events.hpp"

namespace parley::lambda {

boost::system::result<std::string> handleEvent(const Handlers& handlers, std::string_view event) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;
  const auto parsed = boost::json::parse(event, ec, {}, options);
  if (ec) return Error::kInvalidJson;
  auto kind = classifyEvent(parsed);
  if (!kind) return kind.error();

  if (*kind == EventKind::kAlexa) {
    if (!handlers.alexa) return Error::kNoHandler;
    return handlers.alexa(event);
  }
  if (!handlers.http) return Error::kNoHandler;
  const auto& object = parsed.get_object();
  const bool v1 = *kind == EventKind::kApiGatewayV1;
  auto request = v1 ? requestFromApiGatewayV1(object) : requestFromApiGatewayV2(object);
  if (!request) return request.error();
  const auto response = handlers.http(*request);
  return boost::json::serialize(v1 ? toApiGatewayV1(response) : toApiGatewayV2(response));
}

}  // namespace parley::lambda
