#include "parley/views/catalog.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "parley/core/ascii.hpp"
#include "parley/views/renderer.hpp"

namespace parley::views {
namespace {

constexpr std::string_view kFallbackLanguage = "en";
constexpr std::string_view kPlatform = "alexa";

std::string_view language(std::string_view lower_locale) {
  return lower_locale.substr(0, lower_locale.find_first_of("-_"));
}

const boost::json::value* walk(const boost::json::object& root, std::string_view path) {
  const boost::json::object* node = &root;
  const boost::json::value* found = nullptr;
  while (true) {
    const auto dot = path.find('.');
    const auto key = path.substr(0, dot);
    const auto it = node->find(key);
    if (it == node->end()) return nullptr;
    found = &it->value();
    if (dot == std::string_view::npos) break;
    node = found->if_object();
    if (node == nullptr) return nullptr;
    path.remove_prefix(dot + 1);
  }
  if (const auto* object = found->if_object()) {
    if (const auto* variant = object->if_contains(kPlatform)) return variant;
  }
  return found;
}

void collectVariables(const boost::json::value& value, const std::string& where,
                      const std::function<void(const std::string&, std::string_view)>& visit) {
  switch (value.kind()) {
    case boost::json::kind::string:
      forEachVariable(value.get_string(), [&](std::string_view name) { visit(where, name); });
      break;
    case boost::json::kind::array: {
      std::size_t index = 0;
      for (const auto& element : value.get_array()) {
        collectVariables(element, where + "[" + std::to_string(index++) + "]", visit);
      }
      break;
    }
    case boost::json::kind::object:
      for (const auto& member : value.get_object()) {
        const std::string key(member.key());
        collectVariables(member.value(), where.empty() ? key : where + "." + key, visit);
      }
      break;
    default:
      break;
  }
}

}  // namespace

void Catalog::add(std::string_view locale, boost::json::object views) {
  auto key = core::asciiLowercase(locale);
  auto it = std::find_if(locales_.begin(), locales_.end(),
                         [&](const Locale& existing) { return existing.lower == key; });
  if (it != locales_.end()) {
    it->views = std::move(views);
    return;
  }
  locales_.push_back(
      Locale{.name = std::string(locale), .lower = std::move(key), .views = std::move(views)});
}

void Catalog::addJson(std::string_view locale, std::string_view json, std::string_view origin) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(json, ec);
  if (ec) throw ViewError(std::string(origin) + ": malformed JSON: " + ec.message());
  auto* object = parsed.if_object();
  if (object == nullptr) throw ViewError(std::string(origin) + ": views must be a JSON object");
  add(locale, std::move(*object));
}

Catalog Catalog::loadDirectory(const std::filesystem::path& directory) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) throw ViewError("views " + directory.string() + ": " + ec.message());
  if (files.empty()) throw ViewError("views " + directory.string() + ": no <locale>.json file");
  std::sort(files.begin(), files.end());
  Catalog catalog;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw ViewError("views " + file.string() + ": unreadable");
    catalog.addJson(file.stem().string(), text.str(), file.string());
  }
  return catalog;
}

std::vector<const Catalog::Locale*> Catalog::chain(std::string_view locale) const {
  std::vector<const Locale*> out;
  const auto push = [&](const Locale& candidate) {
    if (std::find(out.begin(), out.end(), &candidate) == out.end()) out.push_back(&candidate);
  };
  const auto addLanguage = [&](std::string_view wanted, std::string_view lang) {
    for (const auto& candidate : locales_) {
      if (candidate.lower == wanted) push(candidate);
    }
    for (const auto& candidate : locales_) {
      if (candidate.lower == lang) push(candidate);
    }
    for (const auto& candidate : locales_) {
      if (language(candidate.lower) == lang) push(candidate);
    }
  };
  const auto wanted = core::asciiLowercase(locale);
  addLanguage(wanted, language(wanted));
  addLanguage(kFallbackLanguage, kFallbackLanguage);
  return out;
}

const boost::json::value* Catalog::find(std::string_view locale, std::string_view path) const {
  // Every request asks for its own locale, spelled as the catalog spells it: the head of the
  // chain, found without building the chain.
  const Locale* tried = nullptr;
  for (const auto& exact : locales_) {
    if (exact.name != locale) continue;
    if (const auto* view = walk(exact.views, path)) return view;
    tried = &exact;
    break;
  }
  for (const auto* candidate : chain(locale)) {
    if (candidate == tried) continue;
    if (const auto* view = walk(candidate->views, path)) return view;
  }
  return nullptr;
}

const boost::json::value& Catalog::at(std::string_view locale, std::string_view path) const {
  if (const auto* view = find(locale, path)) return *view;
  throw ViewError("View " + std::string(path) + " for " + std::string(locale) +
                  " locale is missing");
}

std::vector<std::string> Catalog::locales() const {
  std::vector<std::string> out;
  out.reserve(locales_.size());
  for (const auto& locale : locales_) out.push_back(locale.name);
  return out;
}

void Catalog::validate(const std::function<bool(std::string_view)>& is_variable,
                       const std::vector<std::string>& required) const {
  if (locales_.empty()) throw ViewError("views: no locale has any view");
  for (const auto& locale : locales_) {
    const auto check = [&](const std::string& where, std::string_view name) {
      if (!is_variable(name)) {
        throw ViewError(locale.name + " view " + where + ": unknown variable {" +
                        std::string(name) + "}");
      }
    };
    for (const auto& member : locale.views) {
      collectVariables(member.value(), std::string(member.key()), check);
    }
  }
  for (const auto& path : required) {
    for (const auto& locale : locales_) {
      if (find(locale.name, path) == nullptr) {
        throw ViewError("View " + path + " for " + locale.name + " locale is missing");
      }
    }
  }
}

}  // namespace parley::views
