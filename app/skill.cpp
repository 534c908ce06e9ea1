#include <chrono>
#include <string>

#include "parley/core/log.hpp"
#include "sample_skill.hpp"

namespace parley::app {
namespace {

Transition launch(Event& e) {
  if (e.model.linked()) return {.reply = "Launch.Linked", .to = "entry"};
  return {.reply = "Launch.NotLinked", .flow = Flow::Terminate};
}

// Skill events carry no session; log who and when, never the token.
void logSkillEvent(Event& e) {
  const auto event = e.envelope().as<alexa::SkillEventRequest>();
  core::logger("app")->info("{} for user {} at {}", e.requestType(), e.userId().value_or("-"),
                            event ? event->eventCreationTime().value_or(e.envelope().timestamp())
                                  : e.envelope().timestamp());
}

// SkillAccountLinked: remember which user and client the Alexa user linked (spec R81), so that
// a SkillDisabled without a usable token still finds the grants to revoke.
void recordLink(Event& e, const Linking& linking) {
  logSkillEvent(e);
  if (!linking.grant_of_token || linking.alexa_users == nullptr) return;
  const auto event = e.envelope().as<alexa::SkillEventRequest>();
  auto token = event ? event->accessToken() : std::nullopt;
  if (!token) token = e.accessToken();
  const auto alexa_user = e.userId();
  const auto grant = token ? linking.grant_of_token(*token) : std::nullopt;
  if (!alexa_user || !grant || grant->revoked_at) {
    core::logger("app")->warn("{}: no user id or no live grant for the token, nothing recorded",
                              e.requestType());
    return;
  }
  linking.alexa_users->put({.alexa_user_id = std::string(*alexa_user),
                            .user_id = grant->user_id,
                            .client_id = grant->client_id});
  core::logger("app")->info("{}: recorded the link to client {}", e.requestType(),
                            grant->client_id);
}

// Disabling the skill unlinks the account: Alexa drops its token, so the grants behind it are
// revoked here too (spec R72). The event may carry no token (spec U-11), or one unknown by now;
// the link recorded on SkillAccountLinked names the user and client then. NOT_PERSISTED asks to
// forget the Alexa user: that is the recorded link, as the sample keeps nothing else per Alexa
// user (the model lives in the session attributes).
void unlinkOnDisable(Event& e, const Linking& linking) {
  logSkillEvent(e);
  if (!linking.grant_of_token || !linking.revoke_grants) return;
  const auto log = core::logger("app");
  const auto alexa_user = e.userId();
  const auto token = e.accessToken();
  const auto grant = token ? linking.grant_of_token(*token) : std::nullopt;
  const auto recorded = !grant && alexa_user && linking.alexa_users != nullptr
                            ? linking.alexa_users->find(*alexa_user)
                            : std::nullopt;
  if (grant) {
    log->info("{}: revoked {} grant(s) of the event's token", e.requestType(),
              linking.revoke_grants(grant->user_id, grant->client_id));
  } else if (recorded) {
    log->info("{}: revoked {} grant(s) of the recorded link", e.requestType(),
              linking.revoke_grants(recorded->user_id, recorded->client_id));
  } else {
    log->warn("{}: no known access token and no recorded link, nothing revoked", e.requestType());
  }
  const auto event = e.envelope().as<alexa::SkillEventRequest>();
  const bool forget = event && event->userInformationPersistenceStatus() == "NOT_PERSISTED";
  if (forget && alexa_user && linking.alexa_users != nullptr &&
      linking.alexa_users->remove(*alexa_user)) {
    log->info("{}: NOT_PERSISTED, deleted the recorded link", e.requestType());
  }
}

}  // namespace

void registerSkill(Skill<Model>& skill, storage::UserStore& users, UserByToken user_by_token,
                   Linking linking) {
  if (!user_by_token) {
    user_by_token = [&users](std::string_view token) { return users.get(token); };
  }
  skill.onRequestStarted([user_by_token = std::move(user_by_token)](Event& e) {
    const auto token = e.accessToken();
    e.model.user = token ? user_by_token(*token) : std::nullopt;
  });

  skill.onIntent("LaunchIntent", launch);
  skill.onIntent("AMAZON.NavigateHomeIntent", launch);
  skill.onIntent("WhoAmIIntent", [](Event& e) -> Transition {
    if (e.model.linked()) return {.reply = "WhoAmI", .flow = Flow::Terminate};
    return {.reply = "Launch.NotLinked", .flow = Flow::Terminate};
  });
  skill.onIntent("AMAZON.HelpIntent", {.reply = "Help", .flow = Flow::Yield});
  skill.onIntent("AMAZON.FallbackIntent", {.reply = "Fallback", .flow = Flow::Yield});
  skill.onIntent("AMAZON.StopIntent", {.reply = "Goodbye"});
  skill.onIntent("AMAZON.CancelIntent", {.reply = "Goodbye"});

  skill.variable("user", [](const Event& e) {
    return e.model.linked() ? e.model.user->email : std::string{"Unidentified user"};
  });

  skill.on("AlexaSkillEvent.SkillEnabled", logSkillEvent);
  skill.on("AlexaSkillEvent.SkillAccountLinked", [linking](Event& e) { recordLink(e, linking); });
  skill.on("AlexaSkillEvent.SkillDisabled",
           [linking = std::move(linking)](Event& e) { unlinkOnDisable(e, linking); });

  skill.onError<storage::StorageError>(
      [](Event&, const storage::StorageError&) -> std::optional<Transition> {
        return Transition{.reply = "Error.Unavailable"};
      });
}

std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      views::Catalog views,
                                                      const Options& options) {
  Skill<Model> skill(std::move(views), options.skill);
  registerSkill(skill, users, options.user_by_token, options.linking);
  return std::move(skill).build();
}

std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      const Options& options) {
  return makeSampleSkill(users, views::Catalog::loadDirectory(options.views), options);
}

}  // namespace parley::app
