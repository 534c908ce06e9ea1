#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parley::linking {

// Decoded query or form fields. A multimap so that repeated parameters stay visible (R8, R59).
using Params = std::multimap<std::string, std::string, std::less<>>;

// Parses `a=1&b=x+y%21` (application/x-www-form-urlencoded). Empty pieces are skipped; a
// malformed percent escape makes the whole input invalid (nullopt).
std::optional<Params> parseUrlEncoded(std::string_view text);

// The value of parameter `name`; an empty value counts as absent (R8).
std::optional<std::string> param(const Params& params, std::string_view name);

// Whether some parameter appears more than once (R8: such a request is refused).
bool anyRepeated(const Params& params);

// Whether a Content-Type header names application/x-www-form-urlencoded (in any case, with or
// without parameters such as charset).
bool isFormContentType(std::string_view content_type);

// Decodes one form-encoded component ('+' is a space); nullopt on a malformed escape.
std::optional<std::string> formDecode(std::string_view text);

// application/x-www-form-urlencoded encoding of one value: unreserved characters stay, space
// becomes '+', everything else %XX (upper-case hex). The result never holds CR, LF, '&' or '#'.
std::string formEncode(std::string_view value);

// `name=value&…` with every name and value form-encoded, in the given order.
std::string encodeParams(const std::vector<std::pair<std::string, std::string>>& params);

// Appends response parameters to a stored redirect URI (R14): after '#' for the implicit grant,
// otherwise after '?' or, when the URI already has a query, '&'.
std::string appendToRedirect(std::string_view redirect_uri,
                             const std::vector<std::pair<std::string, std::string>>& params,
                             bool fragment);

// "https://host[:port]" of an absolute URI, for CSP form-action; empty when not absolute.
std::string originOf(std::string_view uri);

}  // namespace parley::linking
