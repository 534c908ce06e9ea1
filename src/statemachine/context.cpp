#include "parley/statemachine/context.hpp"

namespace parley::statemachine {

Context::Context(const alexa::RequestEnvelope& envelope, alexa::ResponseBuilder& reply)
    : envelope_(envelope), reply_(reply), output_attributes_(reply.sessionAttributes().storage()) {}

std::optional<alexa::Intent> Context::intent() const {
  if (auto request = envelope_.as<alexa::IntentRequest>()) return request->intent();
  if (auto request = envelope_.as<alexa::CanFulfillIntentRequest>()) return request->intent();
  return std::nullopt;
}

std::optional<std::string_view> Context::slot(std::string_view name) const {
  const auto current = intent();
  if (!current) return std::nullopt;
  const auto found = current->slot(name);
  if (!found) return std::nullopt;
  return found->resolvedValue();
}

std::string_view Context::locale() const { return envelope_.locale().value_or("en-us"); }

bool Context::isNewSession() const {
  const auto session = envelope_.session();
  return session && session->isNew();
}

void Context::loadModel(const boost::json::value* saved) {
  json_model_ = saved != nullptr ? *saved : boost::json::value(boost::json::object{});
}

boost::json::value Context::saveModel() const {
  return boost::json::value(json_model_, jsonStorage());
}

}  // namespace parley::statemachine
