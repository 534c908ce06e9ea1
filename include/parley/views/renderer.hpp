#pragma once

// Turns a view (spec §6.7) into the parts of a reply: {variable} tokens are replaced by
// SSML-escaped variable values (the view text itself may hold SSML), a list means "pick one".

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/core/random.hpp"

namespace parley::views {

// The raw (unescaped) value of a variable; std::nullopt when there is no such variable.
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

// A rendered view. A string (or list of strings) view renders as `say`; an object view may hold
// the keys ask, tell, say, reprompt, card and directives (Voxa 2.x view objects).
struct Rendered {
  std::vector<std::string> say{};
  std::optional<std::string> ask{};
  std::optional<std::string> tell{};
  std::optional<std::string> reprompt{};
  std::optional<boost::json::object> card{};
  boost::json::array directives{};
};

// Calls `visit` with each variable name of `text` ("{user}" → "user"), in order.
void forEachVariable(std::string_view text, const std::function<void(std::string_view)>& visit);

// Replaces each {name} of `text` by the SSML-escaped value of `name`. Braces that do not enclose
// a name ([A-Za-z_][A-Za-z0-9_.-]*) stay as they are. Throws ViewError for an unknown variable.
std::string renderText(std::string_view text, const VariableLookup& variables);

// Renders the view found at `path` (for error messages). Lists in ask/tell/say/reprompt pick one
// element with `random`; strings inside card and directives are rendered as text. Throws
// ViewError for a view that is neither text nor an object with a reply key, or whose parts have
// the wrong type. The card and directives are allocated from `storage` (the engine passes the
// reply's, so they join it without a copy).
Rendered render(const boost::json::value& view, std::string_view path,
                const VariableLookup& variables, core::Random& random,
                const boost::json::storage_ptr& storage = {});

}  // namespace parley::views
