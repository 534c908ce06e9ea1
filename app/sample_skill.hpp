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
#include "parley/storage/alexa_user_store.hpp"
#include "parley/storage/grant_store.hpp"
#include "parley/storage/user_store.hpp"
#include "parley/views/catalog.hpp"

namespace parley::app {

// The user an Alexa access token belongs to; nullopt for an unknown, expired or revoked token.
using UserByToken = std::function<std::optional<storage::User>(std::string_view access_token)>;
// The grant an access token was issued under, even an expired or revoked one; nullopt for an
// unknown token.
using GrantOfToken =
    std::function<std::optional<storage::GrantFamily>(std::string_view access_token)>;
// Revokes every grant of a user for a client; returns how many were revoked.
using RevokeGrants =
    std::function<std::size_t(std::string_view user_id, std::string_view client_id)>;

// The account-linking server, for the skill events (spec R72, R81). Unset: the events are only
// logged, as in the original kit, whose token is the user id and which kept no grants.
struct Linking {
  GrantOfToken grant_of_token{};
  RevokeGrants revoke_grants{};
  // Alexa users recorded on SkillAccountLinked, so that a SkillDisabled without a token still
  // finds the grants to revoke. Must outlive the skill.
  storage::AlexaUserStore* alexa_users{};
};

struct Options {
  // Directory of <locale>.json views (config skill.views).
  std::filesystem::path views{"app/views"};
  statemachine::Options skill{};
  // Unset: the token is the user id in `users`, as in the original kit (its form handed the new
  // user's id to Alexa as the access token). Hosts with the OAuth server plug its lookup in here.
  UserByToken user_by_token{};
  Linking linking{};
};

// Registers the states, hooks and variables on `skill`.
void registerSkill(Skill<Model>& skill, storage::UserStore& users, UserByToken user_by_token = {},
                   Linking linking = {});

// The validated engine the hosts run. `users` must outlive it. Throws views::ViewError when the
// views do not load or do not match the skill.
std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      const Options& options = {});
// The same with views already loaded (tests, benchmarks).
std::unique_ptr<statemachine::Engine> makeSampleSkill(storage::UserStore& users,
                                                      views::Catalog views,
                                                      const Options& options = {});

}  // namespace parley::app
