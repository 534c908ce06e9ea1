#include "parley/hosting/pages.hpp"

#include <boost/json/serialize.hpp>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <stdexcept>

namespace parley::hosting {
namespace {

namespace mustache = kainjow::mustache;

mustache::data toData(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.get_object()) object.set(key, toData(item));
      return object;
    }
    case boost::json::kind::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value.get_array()) list.push_back(toData(item));
      return list;
    }
    case boost::json::kind::string:
      return mustache::data{std::string(value.get_string())};
    case boost::json::kind::bool_:
      return value.get_bool() ? mustache::data{mustache::data::type::bool_true}
                              : mustache::data{mustache::data::type::bool_false};
    case boost::json::kind::null:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{std::string(boost::json::serialize(value))};
  }
}

}  // namespace

Pages::Pages(const std::filesystem::path& directory, Options options) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read template " + entry.path().string());
    if (options.check_at_startup) {
      mustache::mustache parsed{text.str()};
      if (!parsed.is_valid()) {
        throw std::runtime_error("template " + entry.path().string() + ": " +
                                 parsed.error_message());
      }
    }
    sources_.emplace(entry.path().stem().string(), text.str());
  }
  if (error) throw std::runtime_error("cannot list templates in " + directory.string());
}

Pages::~Pages() = default;

std::string Pages::render(const std::string& name, const boost::json::object& model) const {
  auto found = sources_.find(name);
  if (found == sources_.end()) throw std::out_of_range("no template " + name);
  // A mustache object per call: kainjow's renderer keeps per-render state in the object.
  mustache::mustache view{found->second};
  if (!view.is_valid()) {
    throw std::runtime_error("template " + name + ": " + view.error_message());
  }
  return view.render(toData(model));
}

}  // namespace parley::hosting
