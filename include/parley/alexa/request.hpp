#pragma once

// The Alexa request envelope (spec §1–§2): parsed once, owned, and read through typed views.
//
// Every view is a cheap copyable pointer into the envelope's JSON; it must not outlive the
// envelope (copies of a RequestEnvelope share the same JSON). Every accessor is total: a field
// that is absent or has an unexpected type reads as std::nullopt (or "" / an empty object where
// documented), never as a crash or an exception.

#include <boost/json/fwd.hpp>
#include <boost/system/result.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace parley::alexa {

struct ParseOptions {
  // Real requests are a few KiB; APL user events with component state stay well below this.
  std::size_t max_body_bytes{512 * 1024};
  std::size_t max_depth{64};
};

// request.type values of spec §2.1. kUnknown: any other type; RequestEnvelope::type() keeps the
// string so a handler can still route it.
enum class RequestType {
  kLaunch,
  kIntent,
  kSessionEnded,
  kCanFulfillIntent,
  kSessionResumed,
  kSkillEnabled,
  kSkillDisabled,
  kSkillAccountLinked,
  kSkillPermissionAccepted,
  kSkillPermissionChanged,
  kProactiveSubscriptionChanged,
  kPlaybackStarted,
  kPlaybackFinished,
  kPlaybackStopped,
  kPlaybackNearlyFinished,
  kPlaybackFailed,
  kPlaybackNextCommandIssued,
  kPlaybackPreviousCommandIssued,
  kPlaybackPlayCommandIssued,
  kPlaybackPauseCommandIssued,
  kExceptionEncountered,
  kDisplayElementSelected,
  kAplUserEvent,
  kConnectionsResponse,
  kUnknown,
};

RequestType requestTypeFromString(std::string_view type) noexcept;

// `error` objects of SessionEndedRequest, AudioPlayer.PlaybackFailed, System.ExceptionEncountered.
struct ErrorInfo {
  std::string_view type{};
  std::string_view message{};
};

// session.user / context.System.user (spec §1.2).
class User {
 public:
  explicit User(const boost::json::object& user) : user_(&user) {}
  std::optional<std::string_view> userId() const;
  // Present only when the account is linked.
  std::optional<std::string_view> accessToken() const;
  std::optional<std::string_view> consentToken() const;  // deprecated permissions.consentToken
  // permissions.scopes[scope].status: "GRANTED" or "DENIED".
  std::optional<std::string_view> scopeStatus(std::string_view scope) const;
  const boost::json::object& raw() const { return *user_; }

 private:
  const boost::json::object* user_;
};

// session (spec §1.2), present only for in-session requests.
class Session {
 public:
  explicit Session(const boost::json::object& session) : session_(&session) {}
  bool isNew() const;                  // false when absent
  std::string_view sessionId() const;  // "" when absent
  std::optional<std::string_view> applicationId() const;
  // What the skill returned as sessionAttributes last turn; an empty object when absent.
  const boost::json::object& attributes() const;
  std::optional<User> user() const;
  const boost::json::object& raw() const { return *session_; }

 private:
  const boost::json::object* session_;
};

// context.System.device (spec §1.3).
class Device {
 public:
  explicit Device(const boost::json::object& device) : device_(&device) {}
  std::optional<std::string_view> deviceId() const;
  std::optional<std::string_view> persistentEndpointId() const;
  // Whether supportedInterfaces lists `name` (e.g. "AudioPlayer", "Alexa.Presentation.APL").
  bool supports(std::string_view name) const;
  std::vector<std::string_view> supportedInterfaces() const;
  const boost::json::object& raw() const { return *device_; }

 private:
  const boost::json::object* device_;
};

// context.System (spec §1.3), always present in a parsed envelope.
class SystemContext {
 public:
  explicit SystemContext(const boost::json::object& system) : system_(&system) {}
  std::optional<std::string_view> applicationId() const;
  std::optional<User> user() const;
  std::optional<Device> device() const;
  std::optional<std::string_view> apiEndpoint() const;
  std::optional<std::string_view> apiAccessToken() const;
  const boost::json::object* person() const;  // nullptr when absent
  const boost::json::object& raw() const { return *system_; }

 private:
  const boost::json::object* system_;
};

// context.AudioPlayer, and currentPlaybackState of AudioPlayer.PlaybackFailed.
class AudioPlayerState {
 public:
  explicit AudioPlayerState(const boost::json::object& state) : state_(&state) {}
  std::optional<std::string_view> token() const;
  std::optional<std::int64_t> offsetInMilliseconds() const;
  std::optional<std::string_view> playerActivity() const;  // IDLE, PAUSED, PLAYING, …
  const boost::json::object& raw() const { return *state_; }

 private:
  const boost::json::object* state_;
};

// Fields common to every request (spec §1.4). The typed views below add their own fields; each
// has accepts(RequestType) so that RequestEnvelope::as<View>() can pick it.
class Request {
 public:
  explicit Request(const boost::json::object& request) : request_(&request) {}
  static bool accepts(RequestType) { return true; }
  std::string_view type() const;  // never empty in a parsed envelope
  RequestType kind() const { return requestTypeFromString(type()); }
  std::string_view requestId() const;
  std::string_view timestamp() const;
  std::optional<std::string_view> locale() const;
  const boost::json::object& raw() const { return *request_; }

 protected:
  std::optional<std::string_view> string(std::string_view key) const;
  const boost::json::object* object(std::string_view key) const;

 private:
  const boost::json::object* request_;
};

// One entry of intent.slots (spec §2.3).
class Slot {
 public:
  explicit Slot(const boost::json::object& slot) : slot_(&slot) {}
  std::string_view name() const;
  // What the user said; absent when the slot was not filled.
  std::optional<std::string_view> value() const;
  std::optional<std::string_view> confirmationStatus() const;
  // values[0].value.name of the first authority with ER_SUCCESS_MATCH, else value().
  std::optional<std::string_view> resolvedValue() const;
  // values[0].value.id of that authority; absent without an ER_SUCCESS_MATCH.
  std::optional<std::string_view> resolvedId() const;
  // Every spoken value: slotValue.values[].value for a multi-value ("List") slot, else value().
  std::vector<std::string_view> values() const;
  const boost::json::object& raw() const { return *slot_; }

 private:
  const boost::json::object* slot_;
};

// request.intent of IntentRequest and CanFulfillIntentRequest.
class Intent {
 public:
  explicit Intent(const boost::json::object& intent) : intent_(&intent) {}
  std::string_view name() const;  // e.g. "AMAZON.HelpIntent"
  std::optional<std::string_view> confirmationStatus() const;
  std::vector<Slot> slots() const;  // in the order of the request
  std::optional<Slot> slot(std::string_view name) const;
  const boost::json::object& raw() const { return *intent_; }

 private:
  const boost::json::object* intent_;
};

class LaunchRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kLaunch; }
};

class IntentRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kIntent; }
  std::optional<std::string_view> dialogState() const;  // STARTED, IN_PROGRESS, COMPLETED
  Intent intent() const;
};

class SessionEndedRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kSessionEnded; }
  // USER_INITIATED, ERROR, EXCEEDED_MAX_REPROMPTS.
  std::optional<std::string_view> reason() const;
  std::optional<ErrorInfo> error() const;
};

class CanFulfillIntentRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kCanFulfillIntent; }
  std::optional<std::string_view> dialogState() const;
  Intent intent() const;
};

class SessionResumedRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kSessionResumed; }
  const boost::json::value* cause() const;  // nullptr when absent
};

// AlexaSkillEvent.* (spec §2.6).
class SkillEventRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type);
  std::optional<std::string_view> eventCreationTime() const;
  std::optional<std::string_view> eventPublishingTime() const;
  const boost::json::object* body() const;  // nullptr when absent
  // body.accessToken of SkillAccountLinked.
  std::optional<std::string_view> accessToken() const;
  // body.userInformationPersistenceStatus of SkillDisabled: "PERSISTED" or "NOT_PERSISTED".
  std::optional<std::string_view> userInformationPersistenceStatus() const;
  // body.acceptedPermissions[].scope and body.acceptedPersonPermissions[].scope.
  std::vector<std::string_view> acceptedPermissions() const;
  std::vector<std::string_view> acceptedPersonPermissions() const;
};

// AudioPlayer.* (spec §2.7).
class AudioPlayerRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type);
  std::optional<std::string_view> token() const;
  std::optional<std::int64_t> offsetInMilliseconds() const;
  std::optional<ErrorInfo> error() const;                        // PlaybackFailed
  std::optional<AudioPlayerState> currentPlaybackState() const;  // PlaybackFailed
};

// PlaybackController.*Issued: hardware buttons, no fields of their own.
class PlaybackControllerRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type);
};

class ExceptionEncounteredRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kExceptionEncountered; }
  std::optional<ErrorInfo> error() const;
  std::optional<std::string_view> causeRequestId() const;  // the request whose response failed
};

class DisplayElementSelectedRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kDisplayElementSelected; }
  std::optional<std::string_view> token() const;
};

class AplUserEventRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kAplUserEvent; }
  std::optional<std::string_view> token() const;
  const boost::json::array* arguments() const;    // nullptr when absent
  const boost::json::object* source() const;      // nullptr when absent
  const boost::json::object* components() const;  // nullptr when absent
};

class ConnectionsResponseRequest : public Request {
 public:
  using Request::Request;
  static bool accepts(RequestType type) { return type == RequestType::kConnectionsResponse; }
  std::optional<std::string_view> name() const;        // Buy, Upsell, Cancel, …
  std::optional<std::string_view> statusCode() const;  // HTTP-like string, e.g. "200"
  std::optional<std::string_view> statusMessage() const;
  const boost::json::object* payload() const;  // nullptr when absent
  std::optional<std::string_view> token() const;
};

// A parsed request body. Immutable; copies share the JSON.
class RequestEnvelope {
 public:
  std::string_view version() const;

  Request request() const { return Request(*request_); }
  std::string_view type() const { return request().type(); }
  RequestType kind() const { return kind_; }
  std::string_view requestId() const { return request().requestId(); }
  std::string_view timestamp() const { return request().timestamp(); }
  std::optional<std::string_view> locale() const { return request().locale(); }

  // The typed view when the request is of that type: env.as<IntentRequest>().
  template <class View>
  std::optional<View> as() const {
    if (!View::accepts(kind())) return std::nullopt;
    return View(*request_);
  }

  std::optional<Session> session() const;
  SystemContext system() const { return SystemContext(*system_); }
  std::optional<AudioPlayerState> audioPlayer() const;  // context.AudioPlayer
  const boost::json::object& context() const { return *context_; }

  // context.System.user.accessToken, else session.user.accessToken.
  std::optional<std::string_view> accessToken() const;
  // context.System.user.userId, else session.user.userId.
  std::optional<std::string_view> userId() const;
  // context.System.application.applicationId, else session.application.applicationId.
  std::optional<std::string_view> applicationId() const;
  // Whether context.System.device lists the interface; false without a device.
  bool supportsInterface(std::string_view name) const;
  // intent.name of an IntentRequest or CanFulfillIntentRequest.
  std::optional<std::string_view> intentName() const;

  const boost::json::value& json() const { return *root_; }

 private:
  friend boost::system::result<RequestEnvelope> envelopeFromJson(boost::json::value root);
  RequestEnvelope(std::shared_ptr<const boost::json::value> root, RequestType kind);

  // Looked up once: every step of a request's dispatch asks for them.
  std::shared_ptr<const boost::json::value> root_;
  const boost::json::object* request_;
  const boost::json::object* context_;
  const boost::json::object* system_;
  const boost::json::object* session_;  // nullptr when absent
  RequestType kind_;
};

// Parses and checks a request body. Errors: kEmptyBody, kBodyTooLarge, kTooDeep, kMalformedJson
// (including invalid UTF-8), kNotAnEnvelope (spec §1 required fields missing or mistyped).
boost::system::result<RequestEnvelope> parseRequest(std::string_view body,
                                                    const ParseOptions& options = {});

// The same checks for JSON parsed elsewhere (e.g. a Lambda event that is the envelope itself).
boost::system::result<RequestEnvelope> envelopeFromJson(boost::json::value root);

}  // namespace parley::alexa
