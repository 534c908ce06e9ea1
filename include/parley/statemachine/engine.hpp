#pragma once

// The untyped skill runtime: Voxa's state machine, hooks, views and variables over the Alexa
// request/response types (spec §6). Skill<Model> (skill.hpp) is the typed front door; hosts
// (skill invoke, the HTTP server, Lambda) only ever call an Engine.
//
// Thread contract: register everything, call validate(), then share the Engine between threads
// without locks: request entry points are const and keep all per-request data on the stack.
// Handlers may block (storage); the only shared mutable state is the view-variant Random, which
// has its own mutex.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "parley/alexa/request.hpp"
#include "parley/alexa/response.hpp"
#include "parley/core/random.hpp"
#include "parley/statemachine/context.hpp"
#include "parley/statemachine/transition.hpp"
#include "parley/views/catalog.hpp"

namespace parley::statemachine {

struct Options {
  // Seeds the choice among view variants (config skill.seed); unset: kernel randomness.
  std::optional<std::uint64_t> seed{};
  // Skill ids accepted in context.System.application.applicationId; empty accepts any.
  std::vector<std::string> application_ids{};
  // Intents answered "YES" to a CanFulfillIntentRequest, with every slot YES/YES (spec §6.12).
  std::vector<std::string> default_fulfill_intents{};
  alexa::ParseOptions parse{};
  alexa::ResponseLimits limits{};
};

// Request rejected before any handler ran (besides alexa::Error for the envelope itself).
enum class Error {
  kApplicationIdRejected = 1,
};
const boost::system::error_category& errorCategory() noexcept;
inline boost::system::error_code make_error_code(Error error) noexcept {
  return {static_cast<int>(error), errorCategory()};
}

// A failure of the runtime itself while handling a request; it takes the error path (§6.10).
class SkillError : public std::runtime_error {
 public:
  enum class Kind {
    kUnhandled,              // "<intent> went unhandled"
    kRecursion,              // "State Machine Recursion Error"
    kUnknownRequestType,     // no handler and not a request type of spec §2
    kSessionEndedWithError,  // SessionEndedRequest with reason ERROR
    kInvalidReply,           // a view produced invalid SSML or a second card
  };
  SkillError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class Engine {
 public:
  // A state handler: std::nullopt means "not handled here" (spec §6.5 step 4).
  using StateHandler = std::function<std::optional<Transition>(Context&)>;
  using Hook = std::function<void(Context&)>;
  using StateHook = std::function<void(Context&, std::string_view state)>;
  using TransitionHook = std::function<void(Context&, Transition&)>;
  using ReplyHook = std::function<void(Context&, const Transition&)>;
  // Returns the reply to speak instead (its view is rendered, the session ends), or nullopt to
  // let the next handler, and finally the built-in "An unrecoverable error occurred.", answer.
  using ErrorHandler = std::function<std::optional<Transition>(Context&, const std::exception&)>;
  using UnhandledHandler = std::function<Transition(Context&, std::string_view state)>;
  using RequestHandler = std::function<void(Context&)>;
  // A variable's raw value; the renderer SSML-escapes it.
  using Variable = std::function<std::string(const Context&)>;
  // Makes the per-request event; Skill<Model> makes an Event<Model>.
  using ContextFactory = std::function<std::unique_ptr<Context>(const alexa::RequestEnvelope&,
                                                                alexa::ResponseBuilder&)>;

  explicit Engine(views::Catalog views, Options options = {}, ContextFactory factory = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Setup (before the first request; not thread-safe) -------------------------------------
  // A controller for state `name`, restricted to `intents` when not empty (spec §6.5).
  void onState(std::string name, StateHandler handler, std::vector<std::string> intents = {});
  // A constant transition; its reply view is checked by validate().
  void onState(std::string name, Transition transition, std::vector<std::string> intents = {});
  // onState(intent, handler, {intent}): the global handler of `intent`. A LaunchRequest is the
  // intent "LaunchIntent".
  void onIntent(const std::string& intent, StateHandler handler);
  void onIntent(const std::string& intent, Transition transition);
  void onUnhandledState(UnhandledHandler handler);

  // Hooks, run in registration order, in Voxa's order (spec §6.4).
  void onRequestStarted(Hook hook);
  void onSessionStarted(Hook hook);
  void onIntentRequest(Hook hook);
  void onBeforeStateChanged(StateHook hook);
  void onAfterStateChanged(TransitionHook hook);
  void onSessionEnded(Hook hook);
  void onBeforeReplySent(ReplyHook hook);
  void onError(ErrorHandler handler);
  // Handlers of one request type other than Launch/Intent/SessionEnded, e.g.
  // "AlexaSkillEvent.SkillEnabled", "AudioPlayer.PlaybackStarted", "CanFulfillIntentRequest".
  // They run without model or state machine and write into Context::reply().
  void on(std::string request_type, RequestHandler handler);
  void variable(std::string name, Variable variable);

  // The startup check: every {variable} in the views is registered and every view named by a
  // constant transition exists in every locale. Throws views::ViewError with one clear message.
  void validate() const;

  // --- Requests (thread-safe) ------------------------------------------------------------------
  // Runs the skill. Never throws for anything a request or a handler does: failures become the
  // error reply and one logged error.
  alexa::ResponseBuilder reply(const alexa::RequestEnvelope& envelope) const;
  // reply() serialized and checked against the limits (a reply over them becomes the error
  // reply). Does not check the application id.
  std::string respond(const alexa::RequestEnvelope& envelope) const;
  // The whole pipeline for a request body: parse, check the application id, run, serialize.
  // Errors: alexa::Error for a body that is not a request envelope (HTTP 400, exit code 2),
  // Error::kApplicationIdRejected.
  boost::system::result<std::string> handle(std::string_view body) const;
  // The same for a request already parsed as JSON (Lambda), answering the response object.
  boost::system::result<boost::json::object> handleJson(boost::json::value request) const;

  // Every intent some controller is restricted to (the onIntent names), sorted: for checking
  // the interaction model against the skill.
  std::vector<std::string> intents() const;
  const views::Catalog& views() const { return views_; }
  const Options& options() const { return options_; }

 private:
  struct Controller {
    std::string name{};
    std::vector<std::string> intents{};
    StateHandler handler{};
  };

  bool applicationAllowed(const alexa::RequestEnvelope& envelope) const;
  const Controller* find(std::string_view state, std::string_view intent) const;
  void dispatch(Context& context) const;
  void runIntentRequest(Context& context) const;
  void runSessionEnded(Context& context) const;
  void runOther(Context& context) const;
  Transition runStateMachine(Context& context) const;
  Transition unhandled(Context& context, std::string_view state) const;
  void applyView(Context& context, Transition& transition) const;
  void recover(Context& context, const std::exception& error) const;

  views::Catalog views_;
  Options options_;
  ContextFactory factory_;
  std::unique_ptr<core::Random> random_;  // locks internally

  std::vector<Controller> controllers_{};
  std::vector<std::string> required_views_{};
  UnhandledHandler unhandled_{};
  std::vector<Hook> request_started_{};
  std::vector<Hook> session_started_{};
  std::vector<Hook> intent_request_{};
  std::vector<StateHook> before_state_changed_{};
  std::vector<TransitionHook> after_state_changed_{};
  std::vector<Hook> session_ended_{};
  std::vector<ReplyHook> before_reply_sent_{};
  std::vector<ErrorHandler> error_handlers_{};
  std::map<std::string, std::vector<RequestHandler>, std::less<>> request_handlers_{};
  std::map<std::string, Variable, std::less<>> variables_{};
};

}  // namespace parley::statemachine

template <>
struct boost::system::is_error_code_enum<parley::statemachine::Error> : std::true_type {};
