#pragma once

// The sample skill: the original starter kit's skill/ (states, variables, views) on Parley.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "model.hpp"
#include "parley/statemachine/engine.hpp"
#include "parley/storage/user_store.hpp"
#include "parley/views/catalog.hpp"

namespace parley::app {

// The user an Alexa access token belongs to; nullopt for an unknown, expired or revoked token.
using UserByToken = std::function<std::optional<storage::User>(std::string_view access_token)>;
// Revokes every grant of the user an access token was issued to, for the client it was issued
// to, even when the token itself has expired; returns how many were revoked.
using RevokeLink = std::function<std::size_t(std::string_view access_token)>;

struct Options {
  // Directory of <locale>.json views (config skill.views).
  std::filesystem::path views{"app/views"};
  statemachine::Options skill{};
  // Unset: the token is the user id in `users`, as in the original kit (its form handed the new
  // user's id to Alexa as the access token). Hosts with the OAuth server plug its lookup in here.
  UserByToken user_by_token{};
  // AlexaSkillEvent.SkillDisabled unlinks the account (spec R72, R81). Unset: there is nothing
  // to revoke (the original kit's token is the user id), the event is only logged.
  RevokeLink revoke_link{};
};

// Registers the states, hooks and variables on `skill`.
void registerSkill(Skill<Model>& skill, storage::UserStore& users, UserByToken user_by_token = {},
                   RevokeLink revoke_link = {});

// The validated engine the hosts run. `users` must outlive it. Throws views::ViewError when the
// views do not load or do not match the skill.
std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      const Options& options = {});
// The same with views already loaded (tests, benchmarks).
std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      views::Catalog views,
                                                      const Options& options = {});

}  // namespace parley::app
