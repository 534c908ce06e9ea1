#pragma once

#include <boost/json/object.hpp>
#include <filesystem>
#include <map>
#include <string>

namespace parley::hosting {

// The Mustache templates of www/templates, read once at startup; rendering is thread-safe.
// Every {{value}} is HTML-escaped by Mustache.
class Pages {
 public:
  struct Options {
    // Parse each template at startup so that a broken one stops the host there. A Lambda cold
    // start skips it (about a millisecond; the shipped templates are parsed by the tests), and a
    // broken template then fails its first render instead.
    bool check_at_startup{true};
  };

  // Reads every *.mustache file of `directory`; throws std::runtime_error naming the file when
  // one is unreadable or, when checked, does not parse.
  explicit Pages(const std::filesystem::path& directory, Options options);
  explicit Pages(const std::filesystem::path& directory) : Pages(directory, Options{}) {}
  ~Pages();
  Pages(const Pages&) = delete;
  Pages& operator=(const Pages&) = delete;

  // Renders template `name` (file name without .mustache); throws std::out_of_range when unknown.
  std::string render(const std::string& name, const boost::json::object& model) const;

 private:
  std::map<std::string, std::string, std::less<>> sources_;
};

}  // namespace parley::hosting
