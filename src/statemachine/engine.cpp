#include "parley/statemachine/engine.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <mutex>

#include "parley/core/error_category.hpp"
#include "parley/core/log.hpp"
#include "parley/views/renderer.hpp"

namespace parley::statemachine {
namespace {

// Voxa counts chained steps from 0 and fails the step started with a counter above 10.
constexpr int kMaxSteps = 11;
constexpr std::string_view kErrorSpeech = "An unrecoverable error occurred.";

const char* describe(Error error) noexcept {
  switch (error) {
    case Error::kApplicationIdRejected:
      return "the request is for another skill (application id not accepted)";
  }
  return "unknown statemachine error";
}

// Random is stateful; the engine is shared between threads.
class LockedRandom final : public core::Random {
 public:
  explicit LockedRandom(std::unique_ptr<core::Random> inner) : inner_(std::move(inner)) {}
  void fill(std::span<std::uint8_t> out) override {
    const std::lock_guard lock(mutex_);
    inner_->fill(out);
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<core::Random> inner_;
};

// Request types that Voxa turns into intents named after the type (spec §6.2).
std::string intentNameOf(const alexa::RequestEnvelope& envelope) {
  switch (envelope.kind()) {
    case alexa::RequestType::kLaunch:
      return "LaunchIntent";
    case alexa::RequestType::kIntent:
      return std::string(envelope.intentName().value_or(""));
    case alexa::RequestType::kDisplayElementSelected:
    case alexa::RequestType::kAplUserEvent:
    case alexa::RequestType::kConnectionsResponse:
      return std::string(envelope.type());
    default:
      break;
  }
  const auto type = envelope.type();
  if (type == "Alexa.Presentation.APLT.UserEvent" || type == "GameEngine.InputHandlerEvent") {
    return std::string(type);
  }
  return {};
}

bool isStateMachineRequest(const alexa::RequestEnvelope& envelope) {
  return !intentNameOf(envelope).empty() || envelope.kind() == alexa::RequestType::kIntent;
}

void check(boost::system::result<void> added, std::string_view path) {
  if (!added) {
    throw SkillError(SkillError::Kind::kInvalidReply,
                     "View " + std::string(path) + ": " + added.error().message());
  }
}

std::unique_ptr<Context> plainContext(const alexa::RequestEnvelope& envelope,
                                      alexa::ResponseBuilder& reply) {
  return std::make_unique<Context>(envelope, reply);
}

void defaultErrorReply(alexa::ResponseBuilder& reply) {
  reply.clear();
  reply.setSessionAttributes({});
  // A constant, valid statement: this cannot fail.
  (void)reply.addStatement(kErrorSpeech);
  reply.terminate();
}

}  // namespace

const boost::system::error_category& errorCategory() noexcept {
  static const core::ErrorCategory<Error> category("parley.statemachine", describe);
  return category;
}

Engine::Engine(views::Catalog views, Options options, ContextFactory factory)
    : views_(std::move(views)),
      options_(std::move(options)),
      factory_(factory ? std::move(factory) : ContextFactory(plainContext)) {
  std::unique_ptr<core::Random> source;
  if (options_.seed) {
    source = std::make_unique<core::SeededRandom>(*options_.seed);
  } else {
    source = std::make_unique<core::SecureRandom>();
  }
  random_ = std::make_unique<LockedRandom>(std::move(source));
}

Engine::~Engine() = default;

void Engine::onState(std::string name, StateHandler handler, std::vector<std::string> intents) {
  controllers_.push_back(Controller{
      .name = std::move(name), .intents = std::move(intents), .handler = std::move(handler)});
}

void Engine::onState(std::string name, Transition transition, std::vector<std::string> intents) {
  if (!transition.reply.empty()) required_views_.push_back(transition.reply);
  onState(std::move(name),
          StateHandler([transition = std::move(transition)](Context&) -> std::optional<Transition> {
            return transition;
          }),
          std::move(intents));
}

void Engine::onIntent(const std::string& intent, StateHandler handler) {
  onState(intent, std::move(handler), {intent});
}

void Engine::onIntent(const std::string& intent, Transition transition) {
  onState(intent, std::move(transition), {intent});
}

void Engine::onUnhandledState(UnhandledHandler handler) { unhandled_ = std::move(handler); }
void Engine::onRequestStarted(Hook hook) { request_started_.push_back(std::move(hook)); }
void Engine::onSessionStarted(Hook hook) { session_started_.push_back(std::move(hook)); }
void Engine::onIntentRequest(Hook hook) { intent_request_.push_back(std::move(hook)); }
void Engine::onBeforeStateChanged(StateHook hook) {
  before_state_changed_.push_back(std::move(hook));
}
void Engine::onAfterStateChanged(TransitionHook hook) {
  after_state_changed_.push_back(std::move(hook));
}
void Engine::onSessionEnded(Hook hook) { session_ended_.push_back(std::move(hook)); }
void Engine::onBeforeReplySent(ReplyHook hook) { before_reply_sent_.push_back(std::move(hook)); }
void Engine::onError(ErrorHandler handler) { error_handlers_.push_back(std::move(handler)); }

void Engine::on(std::string request_type, RequestHandler handler) {
  request_handlers_[std::move(request_type)].push_back(std::move(handler));
}

void Engine::variable(std::string name, Variable variable) {
  variables_[std::move(name)] = std::move(variable);
}

void Engine::validate() const {
  views_.validate([this](std::string_view name) { return variables_.contains(name); },
                  required_views_);
}

std::vector<std::string> Engine::intents() const {
  std::vector<std::string> out;
  for (const auto& controller : controllers_) {
    out.insert(out.end(), controller.intents.begin(), controller.intents.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Engine::applicationAllowed(const alexa::RequestEnvelope& envelope) const {
  if (options_.application_ids.empty()) return true;
  const auto id = envelope.applicationId();
  return id && std::find(options_.application_ids.begin(), options_.application_ids.end(), *id) !=
                   options_.application_ids.end();
}

boost::system::result<std::string> Engine::handle(std::string_view body) const {
  auto envelope = alexa::parseRequest(body, options_.parse);
  if (!envelope) return envelope.error();
  if (!applicationAllowed(*envelope)) return make_error_code(Error::kApplicationIdRejected);
  return respond(*envelope);
}

boost::system::result<boost::json::object> Engine::handleJson(boost::json::value request) const {
  auto envelope = alexa::envelopeFromJson(std::move(request));
  if (!envelope) return envelope.error();
  if (!applicationAllowed(*envelope)) return make_error_code(Error::kApplicationIdRejected);
  auto built = reply(*envelope);
  if (!built.serialize(options_.limits)) defaultErrorReply(built);
  return built.toJson();
}

std::string Engine::respond(const alexa::RequestEnvelope& envelope) const {
  auto built = reply(envelope);
  auto body = built.serialize(options_.limits);
  if (body) return std::move(*body);
  core::logger("skill")->error("request {}: reply rejected: {}", envelope.requestId(),
                               body.error().message());
  defaultErrorReply(built);
  return boost::json::serialize(built.toJson());
}

alexa::ResponseBuilder Engine::reply(const alexa::RequestEnvelope& envelope) const {
  alexa::ResponseBuilder built(envelope.json().storage());
  const auto context = factory_(envelope, built);
  context->intent_name_ = intentNameOf(envelope);
  try {
    dispatch(*context);
  } catch (const std::exception& error) {
    recover(*context, error);
  } catch (...) {
    recover(*context, std::runtime_error("a handler threw a non-standard exception"));
  }
  return built;
}

void Engine::dispatch(Context& context) const {
  const auto& envelope = context.envelope();
  if (isStateMachineRequest(envelope)) {
    runIntentRequest(context);
  } else if (envelope.kind() == alexa::RequestType::kSessionEnded) {
    runSessionEnded(context);
  } else {
    runOther(context);
  }
}

namespace {
const boost::json::value* savedModel(const Context& context) {
  const auto session = context.envelope().session();
  return session ? session->attributes().if_contains("model") : nullptr;
}
}  // namespace

void Engine::runIntentRequest(Context& context) const {
  context.loadModel(savedModel(context));
  for (const auto& hook : request_started_) hook(context);
  if (context.isNewSession()) {
    for (const auto& hook : session_started_) hook(context);
  }
  for (const auto& hook : intent_request_) hook(context);
  const auto last = runStateMachine(context);
  if (context.reply().hasTerminated()) {
    for (const auto& hook : session_ended_) hook(context);
  }
  for (const auto& hook : before_reply_sent_) hook(context, last);
  auto attributes = std::move(context.outputAttributes());
  attributes["model"] = context.saveModel();
  attributes["state"] = last.to;
  context.reply().setSessionAttributes(std::move(attributes));
}

void Engine::runSessionEnded(Context& context) const {
  context.loadModel(savedModel(context));
  for (const auto& hook : request_started_) hook(context);
  const auto ended = context.envelope().as<alexa::SessionEndedRequest>();
  if (ended && ended->reason() == "ERROR") {
    const auto error = ended->error();
    throw SkillError(SkillError::Kind::kSessionEndedWithError,
                     "session ended with an error: " +
                         std::string(error ? error->type : std::string_view("unknown")));
  }
  if (context.isNewSession()) {
    for (const auto& hook : session_started_) hook(context);
  }
  for (const auto& hook : session_ended_) hook(context);
}

void Engine::runOther(Context& context) const {
  const auto& envelope = context.envelope();
  if (envelope.kind() == alexa::RequestType::kCanFulfillIntent) {
    const auto intent = context.intent();
    const auto& fulfill = options_.default_fulfill_intents;
    if (intent && std::find(fulfill.begin(), fulfill.end(), intent->name()) != fulfill.end()) {
      context.reply().fulfillIntent("YES");
      for (const auto& slot : intent->slots())
        context.reply().fulfillSlot(slot.name(), "YES", "YES");
    } else {
      context.reply().fulfillIntent("NO");
    }
  }
  const auto handlers = request_handlers_.find(envelope.type());
  if (handlers == request_handlers_.end()) {
    if (envelope.kind() == alexa::RequestType::kUnknown) {
      throw SkillError(SkillError::Kind::kUnknownRequestType,
                       "unknown request type " + std::string(envelope.type()));
    }
    return;
  }
  for (const auto& handler : handlers->second) handler(context);
}

const Engine::Controller* Engine::find(std::string_view state, std::string_view intent) const {
  const Controller* first = nullptr;
  for (const auto& controller : controllers_) {
    if (controller.name != state) continue;
    if (controller.intents.empty()) {
      if (first == nullptr) first = &controller;
      continue;
    }
    if (std::find(controller.intents.begin(), controller.intents.end(), intent) !=
        controller.intents.end()) {
      return &controller;
    }
  }
  return first;
}

Transition Engine::unhandled(Context& context, std::string_view state) const {
  if (!unhandled_) {
    throw SkillError(SkillError::Kind::kUnhandled, context.intentName() + " went unhandled");
  }
  return unhandled_(context, state);
}

Transition Engine::runStateMachine(Context& context) const {
  const std::string& intent = context.intentName();
  std::string from = kEntryState;
  if (!context.isNewSession()) {
    const auto session = context.envelope().session();
    const auto* saved = session ? session->attributes().if_contains("state") : nullptr;
    if (saved != nullptr && saved->is_string() && saved->get_string() != kDieState) {
      from = saved->get_string();
    }
  }
  for (int step = 0;; ++step) {
    if (step >= kMaxSteps) {
      throw SkillError(SkillError::Kind::kRecursion, "State Machine Recursion Error");
    }
    const Controller* controller =
        find(from == kEntryState ? std::string_view(intent) : std::string_view(from), intent);
    if (controller == nullptr && step == 0 && from != kEntryState) {
      // A state that does not handle this intent: fall back to the global intent handler.
      from = kEntryState;
      controller = find(intent, intent);
    }
    context.state_ = from;
    std::optional<Transition> result;
    if (controller == nullptr) {
      result = unhandled(context, intent);
    } else {
      for (const auto& hook : before_state_changed_) hook(context, from);
      result = controller->handler(context);
      if (!result && from != kEntryState) {
        if (const auto* global = find(intent, intent)) result = global->handler(context);
      }
      if (!result) result = unhandled(context, from);
    }
    Transition& transition = *result;
    const bool explicit_yield = transition.flow == Flow::Yield;
    applyView(context, transition);
    for (const auto& hook : after_state_changed_) hook(context, transition);
    if (transition.to.empty()) transition.to = explicit_yield ? kEntryState : kDieState;
    const Flow flow =
        transition.flow.value_or(transition.to == kDieState ? Flow::Terminate : Flow::Continue);
    if (flow == Flow::Terminate || transition.to == kDieState) {
      context.reply().terminate();
      transition.flow = Flow::Terminate;
      return transition;
    }
    if (flow == Flow::Yield) {
      if (!context.reply().shouldEndSession()) context.reply().yield();
      return transition;
    }
    from = transition.to;
  }
}

void Engine::applyView(Context& context, Transition& transition) const {
  if (transition.reply.empty()) return;
  const auto& path = transition.reply;
  const auto& view = views_.at(context.locale(), path);
  const views::VariableLookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    const auto found = variables_.find(name);
    if (found == variables_.end()) return std::nullopt;
    return found->second(context);
  };
  auto rendered = views::render(view, path, lookup, *random_, context.jsonStorage());
  auto& reply = context.reply();
  for (const auto& statement : rendered.say) check(reply.addStatement(statement), path);
  if (rendered.ask) {
    check(reply.addStatement(*rendered.ask), path);
    transition.flow = Flow::Yield;
  }
  if (rendered.tell) {
    check(reply.addStatement(*rendered.tell), path);
    transition.flow = Flow::Terminate;
  }
  if (rendered.reprompt) check(reply.addReprompt(*rendered.reprompt), path);
  if (rendered.card) {
    if (reply.hasCard()) {
      throw SkillError(SkillError::Kind::kInvalidReply, "View " + path + ": a second card");
    }
    reply.card(std::move(*rendered.card));
  }
  for (auto& directive : rendered.directives) reply.addDirective(std::move(directive.as_object()));
}

void Engine::recover(Context& context, const std::exception& error) const {
  const auto& envelope = context.envelope();
  core::logger("skill")->error("request {} ({} {}) failed in state '{}': {}", envelope.requestId(),
                               envelope.type(), context.intentName(), context.state(),
                               error.what());
  auto& reply = context.reply();
  for (const auto& handler : error_handlers_) {
    try {
      auto transition = handler(context, error);
      if (!transition) continue;
      reply.clear();
      reply.setSessionAttributes({});
      applyView(context, *transition);
      reply.terminate();
      return;
    } catch (const std::exception& nested) {
      core::logger("skill")->error("request {}: error handler failed: {}", envelope.requestId(),
                                   nested.what());
      break;
    }
  }
  defaultErrorReply(reply);
}

}  // namespace parley::statemachine
