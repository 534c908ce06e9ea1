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

// Disabling the skill unlinks the account: Alexa drops its token, so the grants behind it are
// revoked here too (spec R72). Whether the event still carries the token is unverified (spec
// U-11); without one there is nothing to resolve the user by.
void revokeOnDisable(Event& e, const RevokeLink& revoke_link) {
  logSkillEvent(e);
  if (!revoke_link) return;
  const auto token = e.accessToken();
  if (!token) {
    core::logger("app")->warn("{}: no access token, nothing revoked", e.requestType());
    return;
  }
  core::logger("app")->info("{}: revoked {} grant(s)", e.requestType(), revoke_link(*token));
}

}  // namespace

void registerSkill(Skill<Model>& skill, storage::UserStore& users, UserByToken user_by_token,
                   RevokeLink revoke_link) {
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
  skill.on("AlexaSkillEvent.SkillAccountLinked", logSkillEvent);
  skill.on("AlexaSkillEvent.SkillDisabled",
           [revoke_link = std::move(revoke_link)](Event& e) { revokeOnDisable(e, revoke_link); });

  skill.onError<storage::StorageError>(
      [](Event&, const storage::StorageError&) -> std::optional<Transition> {
        return Transition{.reply = "Error.Unavailable"};
      });
}

std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      views::Catalog views,
                                                      const Options& options) {
  Skill<Model> skill(std::move(views), options.skill);
  registerSkill(skill, users, options.user_by_token, options.revoke_link);
  return std::move(skill).build();
}

std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      const Options& options) {
  return makeSampleSkill(users, views::Catalog::loadDirectory(options.views), options);
}

}  // namespace parley::app
