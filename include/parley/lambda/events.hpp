#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "parley/http/request.hpp"
#include "parley/http/response.hpp"

namespace parley::lambda {

// The triggers one Parley function serves (aws.md §6).
enum class EventKind {
  kAlexa,         // Alexa Skills Kit: the event is the Alexa request envelope
  kApiGatewayV1,  // API Gateway REST API, Lambda proxy, payload 1.0
  kApiGatewayV2,  // API Gateway HTTP API payload 2.0, and Lambda function URLs (same format)
};

// Which trigger sent `event`; Error::kInvalidJson when not an object, kUnknownEvent otherwise.
boost::system::result<EventKind> classifyEvent(const boost::json::value& event);

// Event -> request. The target is the path plus the query re-encoded (1.0 carries it decoded),
// headers keep their wire names, 2.0 cookies become one Cookie header, base64 bodies are decoded.
// The request is HTTPS (API Gateway and function URLs serve nothing else) from the
// requestContext's sourceIp.
boost::system::result<http::Request> requestFromApiGatewayV1(const boost::json::object& event);
boost::system::result<http::Request> requestFromApiGatewayV2(const boost::json::object& event);

// Response -> the invocation result API Gateway expects. 1.0 puts repeated headers (several
// Set-Cookie) in multiValueHeaders; 2.0 moves Set-Cookie into `cookies` and joins other repeated
// headers with ", ". Bodies that are not text are sent base64 with isBase64Encoded.
boost::json::object toApiGatewayV1(const http::Response& response);
boost::json::object toApiGatewayV2(const http::Response& response);

}  // namespace parley::lambda
