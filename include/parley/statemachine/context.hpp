#pragma once

// The untyped event of one request: what every handler sees (spec §6.2). Skill<Model> hands
// handlers an Event<Model>, which is this plus a typed model.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "parley/alexa/request.hpp"
#include "parley/alexa/response.hpp"

namespace parley::statemachine {

class Context {
 public:
  Context(const alexa::RequestEnvelope& envelope, alexa::ResponseBuilder& reply);
  virtual ~Context() = default;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const alexa::RequestEnvelope& envelope() const { return envelope_; }
  std::string_view requestType() const { return envelope_.type(); }
  // The intent being handled: the request's intent name, "LaunchIntent" for a LaunchRequest, the
  // request type for Display.ElementSelected, APL user events and Connections.Response; "" for
  // other requests. Built-in names keep their prefix ("AMAZON.HelpIntent").
  const std::string& intentName() const { return intent_name_; }
  std::optional<alexa::Intent> intent() const;
  // The resolved value of a slot (entity resolution first, then what was said).
  std::optional<std::string_view> slot(std::string_view name) const;
  // context.System.user.accessToken, else session.user.accessToken.
  std::optional<std::string_view> accessToken() const { return envelope_.accessToken(); }
  std::optional<std::string_view> userId() const { return envelope_.userId(); }
  // request.locale; "en-us" when absent (Voxa's default for non-localized requests).
  std::string_view locale() const;
  bool isNewSession() const;
  // The state this request started in ("entry" on a new session), then the state being run.
  const std::string& state() const { return state_; }

  // The reply under construction; handlers of events (AudioPlayer, …) add directives here.
  alexa::ResponseBuilder& reply() { return reply_; }
  // Copied into sessionAttributes next to "model" and "state" (state-machine requests only).
  boost::json::object& outputAttributes() { return output_attributes_; }
  // Where the reply's attributes are allocated: values made there join them without a copy.
  const boost::json::storage_ptr& jsonStorage() const { return output_attributes_.storage(); }

  // Model persistence, overridden by Event<Model>. The untyped engine keeps the model as JSON.
  virtual void loadModel(const boost::json::value* saved);
  virtual boost::json::value saveModel() const;
  boost::json::value& jsonModel() { return json_model_; }

 private:
  friend class Engine;

  const alexa::RequestEnvelope& envelope_;
  alexa::ResponseBuilder& reply_;
  std::string intent_name_{};
  std::string state_{};
  boost::json::object output_attributes_{};
  boost::json::value json_model_{};
};

}  // namespace parley::statemachine
