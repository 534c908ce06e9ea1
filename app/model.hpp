#pragma once

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <optional>
#include <string>

#include "parley/statemachine/skill.hpp"
#include "parley/storage/user_store.hpp"

namespace parley::app {

// Kept in the session attributes between turns ("model"); the user is reloaded every request.
struct Model {
  std::optional<storage::User> user{};

  bool linked() const { return user && !user->email.empty(); }
};

using Event = parley::Event<Model>;

// {"user": {"id", "email"}} or {}: only what identifies the user; the rest stays in the store.
void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Model& model);
Model tag_invoke(boost::json::value_to_tag<Model>, const boost::json::value& in);

}  // namespace parley::app
