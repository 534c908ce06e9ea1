#pragma once

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "parley/statemachine/engine.hpp"

namespace parley::statemachine::test {

struct RequestSpec {
  std::string type{"IntentRequest"};
  std::string intent{};
  bool new_session{true};
  boost::json::object attributes{};
  std::string locale{"en-US"};
  bool session{true};
};

// A minimal valid envelope (spec §1).
inline boost::json::object request(const RequestSpec& spec) {
  const boost::json::object user{{"userId", "amzn1.ask.account.TEST"}};
  const boost::json::object application{{"applicationId", "amzn1.ask.skill.test"}};
  boost::json::object body{{"type", spec.type},
                           {"requestId", "amzn1.echo-api.request.test"},
                           {"timestamp", "2024-05-14T18:22:31Z"},
                           {"locale", spec.locale}};
  if (!spec.intent.empty()) {
    body["intent"] = boost::json::object{{"name", spec.intent}, {"confirmationStatus", "NONE"}};
  }
  boost::json::object envelope{
      {"version", "1.0"},
      {"context", boost::json::object{{"System", boost::json::object{{"application", application},
                                                                     {"user", user}}}}},
      {"request", std::move(body)}};
  if (spec.session) {
    envelope["session"] = boost::json::object{{"new", spec.new_session},
                                              {"sessionId", "amzn1.echo-api.session.test"},
                                              {"application", application},
                                              {"attributes", spec.attributes},
                                              {"user", user}};
  }
  return envelope;
}

inline boost::json::object intent(const std::string& name, bool new_session = true,
                                  boost::json::object attributes = {}) {
  return request({.intent = name, .new_session = new_session, .attributes = std::move(attributes)});
}

inline boost::json::object launch() { return request({.type = "LaunchRequest"}); }

// The response object for `envelope`; fails the test on a rejected request.
inline boost::json::object run(const Engine& engine, const boost::json::object& envelope) {
  auto body = engine.handle(boost::json::serialize(envelope));
  if (!body) throw std::runtime_error("request rejected: " + body.error().message());
  return boost::json::parse(*body).as_object();
}

inline std::string speech(const boost::json::object& response) {
  const auto* ssml = response.at("response").as_object().if_contains("outputSpeech");
  return ssml != nullptr ? std::string(ssml->at("ssml").as_string()) : "";
}

inline std::string reprompt(const boost::json::object& response) {
  const auto* value = response.at("response").as_object().if_contains("reprompt");
  return value != nullptr ? std::string(value->at("outputSpeech").at("ssml").as_string()) : "";
}

// true, false, or null when absent.
inline boost::json::value ends(const boost::json::object& response) {
  const auto* flag = response.at("response").as_object().if_contains("shouldEndSession");
  return flag != nullptr ? *flag : nullptr;
}

inline boost::json::value stateOf(const boost::json::object& response) {
  const auto* state = response.at("sessionAttributes").as_object().if_contains("state");
  return state != nullptr ? *state : nullptr;
}

inline views::Catalog catalog(const char* json) {
  views::Catalog out;
  out.addJson("en-US", json);
  return out;
}

constexpr const char* kErrorSpeech = "<speak>An unrecoverable error occurred.</speak>";

}  // namespace parley::statemachine::test
