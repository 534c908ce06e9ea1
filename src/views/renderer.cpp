#include "parley/views/renderer.hpp"

#include "parley/alexa/ssml.hpp"
#include "parley/views/catalog.hpp"

namespace parley::views {
namespace {

bool isNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

// The length of the name of a token starting at text[0] == '{' (0 when it is not a token).
std::size_t tokenName(std::string_view text) {
  if (text.size() < 3 || !isNameStart(text[1])) return 0;
  std::size_t end = 2;
  while (end < text.size() && isNameChar(text[end])) ++end;
  return end < text.size() && text[end] == '}' ? end - 1 : 0;
}

template <class OnText, class OnName>
void scan(std::string_view text, OnText on_text, OnName on_name) {
  std::size_t start = 0;
  for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
    const auto length = tokenName(text.substr(at));
    if (length == 0) continue;
    on_text(text.substr(start, at - start));
    on_name(text.substr(at + 1, length));
    start = at + length + 2;
    at = start - 1;
  }
  on_text(text.substr(start));
}

[[noreturn]] void wrongType(std::string_view path, std::string_view key, std::string_view wanted) {
  throw ViewError("View " + std::string(path) + (key.empty() ? "" : "." + std::string(key)) +
                  " must be " + std::string(wanted));
}

// One statement: a string, or a list of strings of which one is chosen.
std::string statement(const boost::json::value& value, std::string_view path, std::string_view key,
                      const VariableLookup& variables, core::Random& random) {
  if (const auto* text = value.if_string()) return renderText(*text, variables);
  if (const auto* list = value.if_array(); list != nullptr && !list->empty()) {
    const auto& chosen = (*list)[random.next() % list->size()];
    if (const auto* text = chosen.if_string()) return renderText(*text, variables);
  }
  wrongType(path, key, "a string or a non-empty list of strings");
}

// Strings inside cards and directives are templates too; everything else passes through.
boost::json::value renderTree(const boost::json::value& value, const VariableLookup& variables,
                              const boost::json::storage_ptr& storage) {
  switch (value.kind()) {
    case boost::json::kind::string:
      return boost::json::value(renderText(value.get_string(), variables), storage);
    case boost::json::kind::array: {
      boost::json::array out(storage);
      out.reserve(value.get_array().size());
      for (const auto& element : value.get_array()) {
        out.push_back(renderTree(element, variables, storage));
      }
      return out;
    }
    case boost::json::kind::object: {
      boost::json::object out(storage);
      out.reserve(value.get_object().size());
      for (const auto& member : value.get_object()) {
        out.emplace(member.key(), renderTree(member.value(), variables, storage));
      }
      return out;
    }
    default:
      return boost::json::value(value, storage);
  }
}

}  // namespace

void forEachVariable(std::string_view text, const std::function<void(std::string_view)>& visit) {
  scan(
      text, [](std::string_view) {}, visit);
}

std::string renderText(std::string_view text, const VariableLookup& variables) {
  std::string out;
  out.reserve(text.size() + 16);
  scan(
      text, [&](std::string_view literal) { out.append(literal); },
      [&](std::string_view name) {
        auto value = variables ? variables(name) : std::nullopt;
        if (!value) throw ViewError("No such variable in views, " + std::string(name));
        out.append(alexa::escapeSsmlText(*value));
      });
  return out;
}

Rendered render(const boost::json::value& view, std::string_view path,
                const VariableLookup& variables, core::Random& random,
                const boost::json::storage_ptr& storage) {
  Rendered out{.directives = boost::json::array(storage)};
  const auto* object = view.if_object();
  if (object == nullptr) {
    out.say.push_back(statement(view, path, {}, variables, random));
    return out;
  }
  bool any = false;
  const auto part = [&](std::string_view key) -> const boost::json::value* {
    const auto* value = object->if_contains(key);
    any = any || value != nullptr;
    return value;
  };
  if (const auto* say = part("say")) {
    // A list under "say" is one statement chosen at random, like under ask/tell.
    out.say.push_back(statement(*say, path, "say", variables, random));
  }
  if (const auto* ask = part("ask")) out.ask = statement(*ask, path, "ask", variables, random);
  if (const auto* tell = part("tell")) out.tell = statement(*tell, path, "tell", variables, random);
  if (const auto* reprompt = part("reprompt")) {
    out.reprompt = statement(*reprompt, path, "reprompt", variables, random);
  }
  if (const auto* card = part("card")) {
    if (!card->is_object()) wrongType(path, "card", "an object");
    auto rendered = renderTree(*card, variables, storage);
    out.card = std::move(rendered.as_object());
  }
  if (const auto* directives = part("directives")) {
    const auto* list = directives->if_array();
    if (list == nullptr) wrongType(path, "directives", "a list of objects");
    for (const auto& directive : *list) {
      if (!directive.is_object()) wrongType(path, "directives", "a list of objects");
      out.directives.push_back(renderTree(directive, variables, storage));
    }
  }
  if (!any) {
    throw ViewError("View " + std::string(path) +
                    " has none of ask, tell, say, reprompt, card, directives");
  }
  return out;
}

}  // namespace parley::views
