#include "parley/alexa/request.hpp"

#include <algorithm>
#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <limits>
#include <utility>

#include "arena_blocks.hpp"
#include "parley/alexa/error.hpp"

namespace parley::alexa {
namespace {

namespace json = boost::json;

constexpr std::size_t kMinimumArenaBytes = 1024;
constexpr std::size_t kArenaBytesPerInputByte = 3;  // parsed objects take 2-3 times their text

const json::object& emptyObject() {
  static const json::object empty;
  return empty;
}

std::string_view view(const json::string& s) { return {s.data(), s.size()}; }

std::optional<std::string_view> stringAt(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return view(value->get_string());
}

const json::object* objectAt(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value == nullptr ? nullptr : value->if_object();
}

const json::array* arrayAt(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value == nullptr ? nullptr : value->if_array();
}

std::optional<std::int64_t> int64At(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (const auto* i = value->if_int64()) return *i;
  if (const auto* u = value->if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(*u);
    }
  }
  return std::nullopt;
}

std::optional<ErrorInfo> errorAt(const json::object& object, std::string_view key) {
  const auto* error = objectAt(object, key);
  if (error == nullptr) return std::nullopt;
  return ErrorInfo{.type = stringAt(*error, "type").value_or(""),
                   .message = stringAt(*error, "message").value_or("")};
}

// A path of nested objects: path(o, {"a", "b"}) is o.a.b, or nullptr.
const json::object* objectPath(const json::object& object,
                               std::initializer_list<std::string_view> keys) {
  const json::object* current = &object;
  for (auto key : keys) {
    current = objectAt(*current, key);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::vector<std::string_view> scopes(const json::object* body, std::string_view key) {
  std::vector<std::string_view> out;
  if (body == nullptr) return out;
  const auto* list = arrayAt(*body, key);
  if (list == nullptr) return out;
  for (const auto& entry : *list) {
    if (const auto* permission = entry.if_object()) {
      if (auto scope = stringAt(*permission, "scope")) out.push_back(*scope);
    }
  }
  return out;
}

constexpr std::array<std::pair<std::string_view, RequestType>, 24> kRequestTypes{{
    {"LaunchRequest", RequestType::kLaunch},
    {"IntentRequest", RequestType::kIntent},
    {"SessionEndedRequest", RequestType::kSessionEnded},
    {"CanFulfillIntentRequest", RequestType::kCanFulfillIntent},
    {"SessionResumedRequest", RequestType::kSessionResumed},
    {"AlexaSkillEvent.SkillEnabled", RequestType::kSkillEnabled},
    {"AlexaSkillEvent.SkillDisabled", RequestType::kSkillDisabled},
    {"AlexaSkillEvent.SkillAccountLinked", RequestType::kSkillAccountLinked},
    {"AlexaSkillEvent.SkillPermissionAccepted", RequestType::kSkillPermissionAccepted},
    {"AlexaSkillEvent.SkillPermissionChanged", RequestType::kSkillPermissionChanged},
    {"AlexaSkillEvent.ProactiveSubscriptionChanged", RequestType::kProactiveSubscriptionChanged},
    {"AudioPlayer.PlaybackStarted", RequestType::kPlaybackStarted},
    {"AudioPlayer.PlaybackFinished", RequestType::kPlaybackFinished},
    {"AudioPlayer.PlaybackStopped", RequestType::kPlaybackStopped},
    {"AudioPlayer.PlaybackNearlyFinished", RequestType::kPlaybackNearlyFinished},
    {"AudioPlayer.PlaybackFailed", RequestType::kPlaybackFailed},
    {"PlaybackController.NextCommandIssued", RequestType::kPlaybackNextCommandIssued},
    {"PlaybackController.PreviousCommandIssued", RequestType::kPlaybackPreviousCommandIssued},
    {"PlaybackController.PlayCommandIssued", RequestType::kPlaybackPlayCommandIssued},
    {"PlaybackController.PauseCommandIssued", RequestType::kPlaybackPauseCommandIssued},
    {"System.ExceptionEncountered", RequestType::kExceptionEncountered},
    {"Display.ElementSelected", RequestType::kDisplayElementSelected},
    {"Alexa.Presentation.APL.UserEvent", RequestType::kAplUserEvent},
    {"Connections.Response", RequestType::kConnectionsResponse},
}};

// --- envelope checks (spec §1): required fields present, known fields of the right type. ---

bool isAbsent(const json::value* value) { return value == nullptr || value->is_null(); }

bool requiredString(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string();
}

bool optionalString(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return isAbsent(value) || value->is_string();
}

bool optionalBool(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return isAbsent(value) || value->is_bool();
}

// Absent (or null) is fine; present must be an object. `*out` is the object or nullptr.
bool optionalObject(const json::object& object, std::string_view key, const json::object** out) {
  const auto* value = object.if_contains(key);
  *out = nullptr;
  if (isAbsent(value)) return true;
  *out = value->if_object();
  return *out != nullptr;
}

bool validUser(const json::object& parent) {
  const json::object* user = nullptr;
  if (!optionalObject(parent, "user", &user)) return false;
  if (user == nullptr) return true;
  const json::object* permissions = nullptr;
  return optionalString(*user, "userId") && optionalString(*user, "accessToken") &&
         optionalObject(*user, "permissions", &permissions);
}

bool validApplication(const json::object& parent) {
  const json::object* application = nullptr;
  if (!optionalObject(parent, "application", &application)) return false;
  return application == nullptr || optionalString(*application, "applicationId");
}

bool validSession(const json::object& root) {
  const json::object* session = nullptr;
  if (!optionalObject(root, "session", &session)) return false;
  if (session == nullptr) return true;
  const json::object* attributes = nullptr;
  return optionalBool(*session, "new") && optionalString(*session, "sessionId") &&
         validApplication(*session) && optionalObject(*session, "attributes", &attributes) &&
         validUser(*session);
}

bool validSystem(const json::object& system) {
  const json::object* device = nullptr;
  if (!validApplication(system) || !validUser(system) ||
      !optionalObject(system, "device", &device) || !optionalString(system, "apiEndpoint") ||
      !optionalString(system, "apiAccessToken")) {
    return false;
  }
  if (device == nullptr) return true;
  const json::object* interfaces = nullptr;
  return optionalString(*device, "deviceId") &&
         optionalObject(*device, "supportedInterfaces", &interfaces);
}

bool validIntent(const json::object& request) {
  const json::object* intent = nullptr;
  if (!optionalObject(request, "intent", &intent) || intent == nullptr) return false;
  const json::object* slots = nullptr;
  if (!requiredString(*intent, "name") || !optionalString(*intent, "confirmationStatus") ||
      !optionalObject(*intent, "slots", &slots)) {
    return false;
  }
  if (slots == nullptr) return true;
  for (const auto& entry : *slots) {
    const auto* slot = entry.value().if_object();
    if (slot == nullptr || !optionalString(*slot, "value") || !optionalString(*slot, "name")) {
      return false;
    }
  }
  return true;
}

// The request's type when the request is well-formed.
std::optional<RequestType> validRequest(const json::object& request) {
  if (!requiredString(request, "type") || !requiredString(request, "requestId") ||
      !requiredString(request, "timestamp") || !optionalString(request, "locale")) {
    return std::nullopt;
  }
  auto type = requestTypeFromString(view(request.at("type").get_string()));
  if ((type == RequestType::kIntent || type == RequestType::kCanFulfillIntent) &&
      !(validIntent(request) && optionalString(request, "dialogState"))) {
    return std::nullopt;
  }
  return type;
}

}  // namespace

RequestType requestTypeFromString(std::string_view type) noexcept {
  for (const auto& [name, value] : kRequestTypes) {
    if (name == type) return value;
  }
  return RequestType::kUnknown;
}

// --- User, Session, Device, SystemContext, AudioPlayerState ---

std::optional<std::string_view> User::userId() const { return stringAt(*user_, "userId"); }
std::optional<std::string_view> User::accessToken() const {
  return stringAt(*user_, "accessToken");
}
std::optional<std::string_view> User::consentToken() const {
  const auto* permissions = objectAt(*user_, "permissions");
  return permissions == nullptr ? std::nullopt : stringAt(*permissions, "consentToken");
}
std::optional<std::string_view> User::scopeStatus(std::string_view scope) const {
  const auto* entry = objectPath(*user_, {"permissions", "scopes", scope});
  return entry == nullptr ? std::nullopt : stringAt(*entry, "status");
}

bool Session::isNew() const {
  const auto* value = session_->if_contains("new");
  return value != nullptr && value->is_bool() && value->get_bool();
}
std::string_view Session::sessionId() const {
  return stringAt(*session_, "sessionId").value_or("");
}
std::optional<std::string_view> Session::applicationId() const {
  const auto* application = objectAt(*session_, "application");
  return application == nullptr ? std::nullopt : stringAt(*application, "applicationId");
}
const json::object& Session::attributes() const {
  const auto* attributes = objectAt(*session_, "attributes");
  return attributes == nullptr ? emptyObject() : *attributes;
}
std::optional<User> Session::user() const {
  const auto* user = objectAt(*session_, "user");
  if (user == nullptr) return std::nullopt;
  return User(*user);
}

std::optional<std::string_view> Device::deviceId() const { return stringAt(*device_, "deviceId"); }
std::optional<std::string_view> Device::persistentEndpointId() const {
  return stringAt(*device_, "persistentEndpointId");
}
bool Device::supports(std::string_view name) const {
  const auto* interfaces = objectAt(*device_, "supportedInterfaces");
  return interfaces != nullptr && interfaces->contains(name);
}
std::vector<std::string_view> Device::supportedInterfaces() const {
  std::vector<std::string_view> out;
  if (const auto* interfaces = objectAt(*device_, "supportedInterfaces")) {
    for (const auto& entry : *interfaces) out.emplace_back(entry.key().data(), entry.key().size());
  }
  return out;
}

std::optional<std::string_view> SystemContext::applicationId() const {
  const auto* application = objectAt(*system_, "application");
  return application == nullptr ? std::nullopt : stringAt(*application, "applicationId");
}
std::optional<User> SystemContext::user() const {
  const auto* user = objectAt(*system_, "user");
  if (user == nullptr) return std::nullopt;
  return User(*user);
}
std::optional<Device> SystemContext::device() const {
  const auto* device = objectAt(*system_, "device");
  if (device == nullptr) return std::nullopt;
  return Device(*device);
}
std::optional<std::string_view> SystemContext::apiEndpoint() const {
  return stringAt(*system_, "apiEndpoint");
}
std::optional<std::string_view> SystemContext::apiAccessToken() const {
  return stringAt(*system_, "apiAccessToken");
}
const json::object* SystemContext::person() const { return objectAt(*system_, "person"); }

std::optional<std::string_view> AudioPlayerState::token() const {
  return stringAt(*state_, "token");
}
std::optional<std::int64_t> AudioPlayerState::offsetInMilliseconds() const {
  return int64At(*state_, "offsetInMilliseconds");
}
std::optional<std::string_view> AudioPlayerState::playerActivity() const {
  return stringAt(*state_, "playerActivity");
}

// --- Request and typed views ---

std::string_view Request::type() const { return stringAt(*request_, "type").value_or(""); }
std::string_view Request::requestId() const {
  return stringAt(*request_, "requestId").value_or("");
}
std::string_view Request::timestamp() const {
  return stringAt(*request_, "timestamp").value_or("");
}
std::optional<std::string_view> Request::locale() const { return string("locale"); }
std::optional<std::string_view> Request::string(std::string_view key) const {
  return stringAt(*request_, key);
}
const json::object* Request::object(std::string_view key) const { return objectAt(*request_, key); }

std::string_view Slot::name() const { return stringAt(*slot_, "name").value_or(""); }
std::optional<std::string_view> Slot::value() const { return stringAt(*slot_, "value"); }
std::optional<std::string_view> Slot::confirmationStatus() const {
  return stringAt(*slot_, "confirmationStatus");
}

namespace {

// values[0].value of the first authority whose status.code is ER_SUCCESS_MATCH.
const json::object* firstMatch(const json::object& slot) {
  const auto* resolutions = objectAt(slot, "resolutions");
  if (resolutions == nullptr) return nullptr;
  const auto* per_authority = arrayAt(*resolutions, "resolutionsPerAuthority");
  if (per_authority == nullptr) return nullptr;
  for (const auto& entry : *per_authority) {
    const auto* authority = entry.if_object();
    if (authority == nullptr) continue;
    const auto* status = objectAt(*authority, "status");
    if (status == nullptr || stringAt(*status, "code") != "ER_SUCCESS_MATCH") continue;
    const auto* values = arrayAt(*authority, "values");
    if (values == nullptr || values->empty()) continue;
    const auto* first = values->front().if_object();
    if (first == nullptr) continue;
    return objectAt(*first, "value");
  }
  return nullptr;
}

}  // namespace

std::optional<std::string_view> Slot::resolvedValue() const {
  if (const auto* match = firstMatch(*slot_)) {
    if (auto name = stringAt(*match, "name")) return name;
  }
  return value();
}
std::optional<std::string_view> Slot::resolvedId() const {
  const auto* match = firstMatch(*slot_);
  return match == nullptr ? std::nullopt : stringAt(*match, "id");
}
std::vector<std::string_view> Slot::values() const {
  std::vector<std::string_view> out;
  const auto* slot_value = objectAt(*slot_, "slotValue");
  if (slot_value != nullptr && stringAt(*slot_value, "type") == "List") {
    if (const auto* list = arrayAt(*slot_value, "values")) {
      for (const auto& entry : *list) {
        const auto* item = entry.if_object();
        if (item == nullptr) continue;
        if (auto spoken = stringAt(*item, "value")) out.push_back(*spoken);
      }
    }
    return out;
  }
  if (auto spoken = value()) out.push_back(*spoken);
  return out;
}

std::string_view Intent::name() const { return stringAt(*intent_, "name").value_or(""); }
std::optional<std::string_view> Intent::confirmationStatus() const {
  return stringAt(*intent_, "confirmationStatus");
}
std::vector<Slot> Intent::slots() const {
  std::vector<Slot> out;
  if (const auto* slots = objectAt(*intent_, "slots")) {
    for (const auto& entry : *slots) {
      if (const auto* slot = entry.value().if_object()) out.emplace_back(*slot);
    }
  }
  return out;
}
std::optional<Slot> Intent::slot(std::string_view name) const {
  const auto* slots = objectAt(*intent_, "slots");
  if (slots == nullptr) return std::nullopt;
  const auto* slot = objectAt(*slots, name);
  if (slot == nullptr) return std::nullopt;
  return Slot(*slot);
}

std::optional<std::string_view> IntentRequest::dialogState() const { return string("dialogState"); }
Intent IntentRequest::intent() const {
  const auto* intent = object("intent");
  return Intent(intent == nullptr ? emptyObject() : *intent);
}

std::optional<std::string_view> SessionEndedRequest::reason() const { return string("reason"); }
std::optional<ErrorInfo> SessionEndedRequest::error() const { return errorAt(raw(), "error"); }

std::optional<std::string_view> CanFulfillIntentRequest::dialogState() const {
  return string("dialogState");
}
Intent CanFulfillIntentRequest::intent() const {
  const auto* intent = object("intent");
  return Intent(intent == nullptr ? emptyObject() : *intent);
}

const json::value* SessionResumedRequest::cause() const {
  const auto* cause = raw().if_contains("cause");
  return cause == nullptr || cause->is_null() ? nullptr : cause;
}

bool SkillEventRequest::accepts(RequestType type) {
  switch (type) {
    case RequestType::kSkillEnabled:
    case RequestType::kSkillDisabled:
    case RequestType::kSkillAccountLinked:
    case RequestType::kSkillPermissionAccepted:
    case RequestType::kSkillPermissionChanged:
    case RequestType::kProactiveSubscriptionChanged:
      return true;
    default:
      return false;
  }
}
std::optional<std::string_view> SkillEventRequest::eventCreationTime() const {
  return string("eventCreationTime");
}
std::optional<std::string_view> SkillEventRequest::eventPublishingTime() const {
  return string("eventPublishingTime");
}
const json::object* SkillEventRequest::body() const { return object("body"); }
std::optional<std::string_view> SkillEventRequest::accessToken() const {
  const auto* event_body = body();
  return event_body == nullptr ? std::nullopt : stringAt(*event_body, "accessToken");
}
std::optional<std::string_view> SkillEventRequest::userInformationPersistenceStatus() const {
  const auto* event_body = body();
  return event_body == nullptr ? std::nullopt
                               : stringAt(*event_body, "userInformationPersistenceStatus");
}
std::vector<std::string_view> SkillEventRequest::acceptedPermissions() const {
  return scopes(body(), "acceptedPermissions");
}
std::vector<std::string_view> SkillEventRequest::acceptedPersonPermissions() const {
  return scopes(body(), "acceptedPersonPermissions");
}

bool AudioPlayerRequest::accepts(RequestType type) {
  switch (type) {
    case RequestType::kPlaybackStarted:
    case RequestType::kPlaybackFinished:
    case RequestType::kPlaybackStopped:
    case RequestType::kPlaybackNearlyFinished:
    case RequestType::kPlaybackFailed:
      return true;
    default:
      return false;
  }
}
std::optional<std::string_view> AudioPlayerRequest::token() const { return string("token"); }
std::optional<std::int64_t> AudioPlayerRequest::offsetInMilliseconds() const {
  return int64At(raw(), "offsetInMilliseconds");
}
std::optional<ErrorInfo> AudioPlayerRequest::error() const { return errorAt(raw(), "error"); }
std::optional<AudioPlayerState> AudioPlayerRequest::currentPlaybackState() const {
  const auto* state = object("currentPlaybackState");
  if (state == nullptr) return std::nullopt;
  return AudioPlayerState(*state);
}

bool PlaybackControllerRequest::accepts(RequestType type) {
  switch (type) {
    case RequestType::kPlaybackNextCommandIssued:
    case RequestType::kPlaybackPreviousCommandIssued:
    case RequestType::kPlaybackPlayCommandIssued:
    case RequestType::kPlaybackPauseCommandIssued:
      return true;
    default:
      return false;
  }
}

std::optional<ErrorInfo> ExceptionEncounteredRequest::error() const {
  return errorAt(raw(), "error");
}
std::optional<std::string_view> ExceptionEncounteredRequest::causeRequestId() const {
  const auto* cause = object("cause");
  return cause == nullptr ? std::nullopt : stringAt(*cause, "requestId");
}

std::optional<std::string_view> DisplayElementSelectedRequest::token() const {
  return string("token");
}

std::optional<std::string_view> AplUserEventRequest::token() const { return string("token"); }
const json::array* AplUserEventRequest::arguments() const { return arrayAt(raw(), "arguments"); }
const json::object* AplUserEventRequest::source() const { return object("source"); }
const json::object* AplUserEventRequest::components() const { return object("components"); }

std::optional<std::string_view> ConnectionsResponseRequest::name() const { return string("name"); }
std::optional<std::string_view> ConnectionsResponseRequest::statusCode() const {
  const auto* status = object("status");
  return status == nullptr ? std::nullopt : stringAt(*status, "code");
}
std::optional<std::string_view> ConnectionsResponseRequest::statusMessage() const {
  const auto* status = object("status");
  return status == nullptr ? std::nullopt : stringAt(*status, "message");
}
const json::object* ConnectionsResponseRequest::payload() const { return object("payload"); }
std::optional<std::string_view> ConnectionsResponseRequest::token() const {
  return string("token");
}

// --- RequestEnvelope ---

RequestEnvelope::RequestEnvelope(std::shared_ptr<const json::value> root, RequestType kind)
    : root_(std::move(root)),
      request_(&root_->get_object().at("request").get_object()),
      context_(&root_->get_object().at("context").get_object()),
      system_(&context_->at("System").get_object()),
      session_(objectAt(root_->get_object(), "session")),
      kind_(kind) {}

std::string_view RequestEnvelope::version() const {
  return stringAt(root_->get_object(), "version").value_or("");
}

std::optional<Session> RequestEnvelope::session() const {
  if (session_ == nullptr) return std::nullopt;
  return Session(*session_);
}

std::optional<AudioPlayerState> RequestEnvelope::audioPlayer() const {
  const auto* state = objectAt(*context_, "AudioPlayer");
  if (state == nullptr) return std::nullopt;
  return AudioPlayerState(*state);
}

std::optional<std::string_view> RequestEnvelope::accessToken() const {
  if (auto user = system().user()) {
    if (auto token = user->accessToken()) return token;
  }
  if (auto current = session()) {
    if (auto user = current->user()) return user->accessToken();
  }
  return std::nullopt;
}

std::optional<std::string_view> RequestEnvelope::userId() const {
  if (auto user = system().user()) {
    if (auto id = user->userId()) return id;
  }
  if (auto current = session()) {
    if (auto user = current->user()) return user->userId();
  }
  return std::nullopt;
}

std::optional<std::string_view> RequestEnvelope::applicationId() const {
  if (auto id = system().applicationId()) return id;
  if (auto current = session()) return current->applicationId();
  return std::nullopt;
}

bool RequestEnvelope::supportsInterface(std::string_view name) const {
  auto device = system().device();
  return device && device->supports(name);
}

std::optional<std::string_view> RequestEnvelope::intentName() const {
  if (auto intent = as<IntentRequest>()) return intent->intent().name();
  if (auto intent = as<CanFulfillIntentRequest>()) return intent->intent().name();
  return std::nullopt;
}

boost::system::result<RequestEnvelope> envelopeFromJson(json::value root) {
  const auto* object = root.if_object();
  if (object == nullptr || !requiredString(*object, "version")) return Error::kNotAnEnvelope;
  const auto* request = objectAt(*object, "request");
  const auto* context = objectAt(*object, "context");
  const auto* system = context == nullptr ? nullptr : objectAt(*context, "System");
  const json::object* audio_player = nullptr;
  const auto kind = request == nullptr ? std::nullopt : validRequest(*request);
  if (!kind || system == nullptr || !validSystem(*system) || !validSession(*object) ||
      !optionalObject(*context, "AudioPlayer", &audio_player)) {
    return Error::kNotAnEnvelope;
  }
  return RequestEnvelope(std::make_shared<const json::value>(std::move(root)), *kind);
}

boost::system::result<RequestEnvelope> parseRequest(std::string_view body,
                                                    const ParseOptions& options) {
  if (body.empty()) return Error::kEmptyBody;
  if (body.size() > options.max_body_bytes) return Error::kBodyTooLarge;
  json::parse_options parse_options;
  parse_options.max_depth = options.max_depth;
  boost::system::error_code ec;
  // One arena per request: the parse makes a few blocks instead of a node per value, and the
  // values are freed with it. Shared, so a value copied out of the request keeps it alive.
  auto arena = json::make_shared_resource<json::monotonic_resource>(
      std::max(kMinimumArenaBytes, body.size() * kArenaBytesPerInputByte),
      json::storage_ptr(&arenaBlocks()));
  auto root = json::parse(body, ec, std::move(arena), parse_options);
  if (ec == json::error::too_deep) return Error::kTooDeep;
  if (ec) return Error::kMalformedJson;
  return envelopeFromJson(std::move(root));
}

}  // namespace parley::alexa
