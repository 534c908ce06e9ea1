#pragma once

// parley::Skill<Model>: the typed front door of the Engine (STYLE.md §3). Handlers receive an
// Event<Model>: the request, the reply and a Model restored from the session attributes and saved
// back into them. Model must be default-constructible and either have a pair of members
// `boost::json::value toJson() const` and `static Model fromJson(const boost::json::value&)`, or be
// convertible with Boost.JSON (value_from / value_to: tag_invoke found by ADL, or Boost.Describe).

#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <concepts>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parley/core/log.hpp"
#include "parley/statemachine/engine.hpp"

namespace parley::statemachine {

template <class Model>
class Event final : public Context {
 public:
  using Context::Context;

  Model model{};

  void loadModel(const boost::json::value* saved) override {
    model = Model{};
    if (saved == nullptr || saved->is_null()) return;
    try {
      if constexpr (kHasJsonPair) {
        model = Model::fromJson(*saved);
      } else {
        model = boost::json::value_to<Model>(*saved);
      }
    } catch (const std::exception& error) {
      // Session attributes come back from the network: a stale or foreign shape starts afresh.
      core::logger("skill")->warn("request {}: saved model ignored: {}", envelope().requestId(),
                                  error.what());
    }
  }
  boost::json::value saveModel() const override {
    if constexpr (kHasJsonPair) {
      return model.toJson();
    } else {
      return boost::json::value_from(model, jsonStorage());
    }
  }

 private:
  static constexpr bool kHasJsonPair = requires(const Model& m, const boost::json::value& v) {
    { m.toJson() } -> std::convertible_to<boost::json::value>;
    { Model::fromJson(v) } -> std::convertible_to<Model>;
  };
};

template <class Model>
class Skill {
 public:
  using EventType = Event<Model>;
  using Handler = std::function<std::optional<Transition>(EventType&)>;

  explicit Skill(views::Catalog views, Options options = {})
      : engine_(std::make_unique<Engine>(
            std::move(views), std::move(options),
            [](const alexa::RequestEnvelope& envelope, alexa::ResponseBuilder& reply) {
              return std::make_unique<EventType>(envelope, reply);
            })) {}

  void onIntent(const std::string& intent, Handler handler) {
    engine_->onIntent(intent, wrap(std::move(handler)));
  }
  void onIntent(const std::string& intent, Transition transition) {
    engine_->onIntent(intent, std::move(transition));
  }
  void onState(std::string state, Handler handler, std::vector<std::string> intents = {}) {
    engine_->onState(std::move(state), wrap(std::move(handler)), std::move(intents));
  }
  void onState(std::string state, Transition transition, std::vector<std::string> intents = {}) {
    engine_->onState(std::move(state), std::move(transition), std::move(intents));
  }
  void onUnhandledState(std::function<Transition(EventType&, std::string_view)> handler) {
    engine_->onUnhandledState(
        [handler = std::move(handler)](Context& context, std::string_view state) {
          return handler(cast(context), state);
        });
  }

  void onRequestStarted(std::function<void(EventType&)> hook) {
    engine_->onRequestStarted(wrapHook(std::move(hook)));
  }
  void onSessionStarted(std::function<void(EventType&)> hook) {
    engine_->onSessionStarted(wrapHook(std::move(hook)));
  }
  void onIntentRequest(std::function<void(EventType&)> hook) {
    engine_->onIntentRequest(wrapHook(std::move(hook)));
  }
  void onBeforeStateChanged(std::function<void(EventType&, std::string_view)> hook) {
    engine_->onBeforeStateChanged(
        [hook = std::move(hook)](Context& context, std::string_view state) {
          hook(cast(context), state);
        });
  }
  void onAfterStateChanged(std::function<void(EventType&, Transition&)> hook) {
    engine_->onAfterStateChanged([hook = std::move(hook)](Context& context, Transition& next) {
      hook(cast(context), next);
    });
  }
  void onSessionEnded(std::function<void(EventType&)> hook) {
    engine_->onSessionEnded(wrapHook(std::move(hook)));
  }
  void onBeforeReplySent(std::function<void(EventType&, const Transition&)> hook) {
    engine_->onBeforeReplySent([hook = std::move(hook)](Context& context, const Transition& last) {
      hook(cast(context), last);
    });
  }
  // Any error; return a transition to answer with its view (the session ends), or nullopt.
  void onError(
      std::function<std::optional<Transition>(EventType&, const std::exception&)> handler) {
    engine_->onError([handler = std::move(handler)](Context& context, const std::exception& error) {
      return handler(cast(context), error);
    });
  }
  // Errors of type E only: skill.onError<storage::StorageError>(…).
  template <class E>
  void onError(std::function<std::optional<Transition>(EventType&, const E&)> handler) {
    engine_->onError(
        [handler = std::move(handler)](Context& context,
                                       const std::exception& error) -> std::optional<Transition> {
          if (const auto* typed = dynamic_cast<const E*>(&error))
            return handler(cast(context), *typed);
          return std::nullopt;
        });
  }
  // Handlers of other request types ("AlexaSkillEvent.SkillEnabled", "AudioPlayer.…"): no model.
  void on(std::string request_type, std::function<void(EventType&)> handler) {
    engine_->on(std::move(request_type), wrapHook(std::move(handler)));
  }
  void variable(std::string name, std::function<std::string(const EventType&)> value) {
    engine_->variable(std::move(name), [value = std::move(value)](const Context& context) {
      return value(static_cast<const EventType&>(context));
    });
  }

  Engine& engine() { return *engine_; }
  // Validates (throws views::ViewError) and hands the engine to the host.
  std::unique_ptr<Engine> build() && {
    engine_->validate();
    return std::move(engine_);
  }

 private:
  // Safe: the engine's factory makes every Context an EventType.
  static EventType& cast(Context& context) { return static_cast<EventType&>(context); }
  static Engine::StateHandler wrap(Handler handler) {
    return [handler = std::move(handler)](Context& context) { return handler(cast(context)); };
  }
  static Engine::Hook wrapHook(std::function<void(EventType&)> hook) {
    return [hook = std::move(hook)](Context& context) { hook(cast(context)); };
  }

  std::unique_ptr<Engine> engine_;
};

}  // namespace parley::statemachine

namespace parley {
using statemachine::Flow;
using statemachine::Transition;
template <class Model>
using Skill = statemachine::Skill<Model>;
template <class Model>
using Event = statemachine::Event<Model>;
}  // namespace parley
