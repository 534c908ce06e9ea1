// Mutated envelopes: parsing either fails with an alexa::Error or yields views whose accessors
// are total, whatever the types found at each place of the JSON.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "parley/alexa/error.hpp"
#include "parley/alexa/request.hpp"
#include "support/fixtures.hpp"

namespace parley::alexa {
namespace {

namespace json = boost::json;

const std::vector<std::string> kFixtures = {"launch-linked.json",
                                            "launch-unlinked.json",
                                            "intent-help.json",
                                            "intent-with-slots.json",
                                            "session-ended-error.json",
                                            "session-ended-user-initiated.json",
                                            "skill-event-account-linked.json",
                                            "skill-event-skill-enabled.json",
                                            "can-fulfill.json",
                                            "audioplayer-playback-started.json"};

// Reads every accessor; the sum only keeps the calls from being optimized away.
std::size_t touchEverything(const RequestEnvelope& envelope) {
  std::size_t n = envelope.version().size() + envelope.type().size() + envelope.requestId().size() +
                  envelope.timestamp().size();
  const auto add = [&](const std::optional<std::string_view>& s) { n += s ? s->size() + 1 : 0; };
  add(envelope.locale());
  add(envelope.accessToken());
  add(envelope.userId());
  add(envelope.applicationId());
  add(envelope.intentName());
  if (auto session = envelope.session()) {
    n += session->isNew() + session->sessionId().size() + session->attributes().size();
    add(session->applicationId());
    if (auto user = session->user()) add(user->accessToken());
  }
  auto system = envelope.system();
  add(system.applicationId());
  add(system.apiEndpoint());
  add(system.apiAccessToken());
  n += system.person() != nullptr;
  if (auto user = system.user()) {
    add(user->userId());
    add(user->accessToken());
    add(user->consentToken());
    add(user->scopeStatus("alexa::profile:email:read"));
  }
  if (auto device = system.device()) {
    add(device->deviceId());
    add(device->persistentEndpointId());
    n += device->supports("AudioPlayer") + device->supportedInterfaces().size();
  }
  if (auto player = envelope.audioPlayer()) {
    add(player->token());
    add(player->playerActivity());
    n += player->offsetInMilliseconds().value_or(0) != 0;
  }
  const auto touch_intent = [&](const Intent& intent) {
    n += intent.name().size();
    add(intent.confirmationStatus());
    for (const auto& slot : intent.slots()) {
      n += slot.name().size() + slot.values().size();
      add(slot.value());
      add(slot.resolvedValue());
      add(slot.resolvedId());
      add(slot.confirmationStatus());
    }
    if (auto slot = intent.slot("drink")) add(slot->resolvedValue());
  };
  if (auto r = envelope.as<IntentRequest>()) {
    add(r->dialogState());
    touch_intent(r->intent());
  }
  if (auto r = envelope.as<CanFulfillIntentRequest>()) {
    add(r->dialogState());
    touch_intent(r->intent());
  }
  if (auto r = envelope.as<SessionEndedRequest>()) {
    add(r->reason());
    if (auto e = r->error()) n += e->type.size() + e->message.size();
  }
  if (auto r = envelope.as<SkillEventRequest>()) {
    add(r->eventCreationTime());
    add(r->eventPublishingTime());
    add(r->accessToken());
    n += r->body() != nullptr;
    n += r->acceptedPermissions().size() + r->acceptedPersonPermissions().size();
  }
  if (auto r = envelope.as<AudioPlayerRequest>()) {
    add(r->token());
    n += r->offsetInMilliseconds().has_value();
    if (auto e = r->error()) n += e->type.size();
    if (auto s = r->currentPlaybackState()) add(s->token());
  }
  return n;
}

// Every value in the tree, with a way to replace it.
void collect(json::value& value, std::vector<json::value*>& out) {
  out.push_back(&value);
  if (auto* object = value.if_object()) {
    for (auto& entry : *object) collect(entry.value(), out);
  } else if (auto* array = value.if_array()) {
    for (auto& entry : *array) collect(entry, out);
  }
}

TEST(RequestFuzz, ReplacingAnyValueWithAnyTypeNeverBreaksTheViews) {
  const json::value replacements[] = {nullptr,
                                      5,
                                      -1,
                                      1.5,
                                      true,
                                      "x",
                                      json::array{},
                                      json::array{1, "a"},
                                      json::object{},
                                      json::object{{"name", 1}, {"value", json::array{}}}};
  std::size_t accepted = 0, rejected = 0;
  for (const auto& name : kFixtures) {
    const auto original = json::parse(testing::readFixture("alexa/" + name));
    std::vector<json::value*> nodes;
    auto copy = original;
    collect(copy, nodes);
    for (std::size_t index = 0; index < nodes.size(); ++index) {
      for (const auto& replacement : replacements) {
        auto mutated = original;
        std::vector<json::value*> targets;
        collect(mutated, targets);
        *targets[index] = replacement;
        auto parsed = parseRequest(json::serialize(mutated));
        if (parsed) {
          ++accepted;
          touchEverything(*parsed);
        } else {
          ++rejected;
          EXPECT_EQ(&parsed.error().category(), &errorCategory());
        }
      }
    }
  }
  EXPECT_GT(accepted, 0u);
  EXPECT_GT(rejected, 0u);
}

TEST(RequestFuzz, RandomByteEditsGiveAnErrorOrAUsableEnvelope) {
  std::mt19937 random(1405);
  const std::string alphabet = "{}[]:,\"\\ 0123456789.-+eEtruefalsnul\x80\xff";
  for (const auto& name : kFixtures) {
    const auto body = testing::readFixture("alexa/" + name);
    for (int round = 0; round < 1000; ++round) {
      auto mutated = body;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits; ++e) {
        const std::size_t pos = random() % mutated.size();
        const char c = alphabet[random() % alphabet.size()];
        if (random() % 2 == 0) {
          mutated[pos] = c;
        } else {
          mutated.insert(pos, 1, c);
        }
      }
      auto parsed = parseRequest(mutated);
      if (parsed) touchEverything(*parsed);
    }
  }
}

}  // namespace
}  // namespace parley::alexa
