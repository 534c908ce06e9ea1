#pragma once

// Per-locale view catalogs (spec §6.7): one JSON tree per locale, views addressed by dot paths
// such as "Launch.Linked". Immutable once the skill is built, so it is shared between threads.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parley::views {

// A broken catalog (unreadable file, malformed JSON, unknown variable, missing view). At startup
// it stops the skill with its message; while handling a request it becomes the error reply.
class ViewError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Catalog {
 public:
  // Views for `locale` (e.g. "en-US"), replacing any views already given for it.
  void add(std::string_view locale, boost::json::object views);
  // Parses `json` (an object of views) for `locale`. Throws ViewError naming `origin`.
  void addJson(std::string_view locale, std::string_view json, std::string_view origin = "views");
  // Every <locale>.json in `directory` (e.g. app/views/en-US.json). Throws ViewError when the
  // directory holds no view file or a file is unreadable or malformed.
  static Catalog loadDirectory(const std::filesystem::path& directory);

  // The view at `path` for `locale`: the exact locale (case-insensitive), then its language
  // ("en" for "en-US"), then another locale of that language, then the same steps for the
  // fallback language "en". A found object with an "alexa" key yields that platform variant.
  // nullptr when no locale of the chain has the path.
  const boost::json::value* find(std::string_view locale, std::string_view path) const;
  // find() or ViewError "View <path> for <locale> locale is missing".
  const boost::json::value& at(std::string_view locale, std::string_view path) const;

  std::vector<std::string> locales() const;
  bool empty() const { return locales_.empty(); }

  // Startup check: every {variable} in every view is known to `is_variable`, and every path in
  // `required` exists for every locale (through the fallback chain). Throws one ViewError that
  // names the first problem, e.g. "en-US view Launch.Linked.ask: unknown variable {usr}".
  void validate(const std::function<bool(std::string_view)>& is_variable,
                const std::vector<std::string>& required) const;

 private:
  struct Locale {
    std::string name{};
    std::string lower{};  // lower-cased name, for case-insensitive matching
    boost::json::object views{};
  };
  std::vector<const Locale*> chain(std::string_view locale) const;

  std::vector<Locale> locales_{};
};

}  // namespace parley::views
