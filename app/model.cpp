#include "model.hpp"

#include <boost/json/object.hpp>

namespace parley::app {

void tag_invoke(boost::json::value_from_tag, boost::json::value& out, const Model& model) {
  // Built in place, in `out`'s storage (the reply's attributes, see Event::saveModel).
  auto& object = out.emplace_object();
  if (model.user) object["user"] = {{"id", model.user->id}, {"email", model.user->email}};
}

Model tag_invoke(boost::json::value_to_tag<Model>, const boost::json::value& in) {
  Model model;
  const auto* user = in.as_object().if_contains("user");
  if (user != nullptr) {
    const auto& fields = user->as_object();
    model.user = storage::User{.id = std::string(fields.at("id").as_string()),
                               .email = std::string(fields.at("email").as_string())};
  }
  return model;
}

}  // namespace parley::app
