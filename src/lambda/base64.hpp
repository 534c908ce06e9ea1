#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::lambda::detail {

// Standard alphabet with padding, as API Gateway and function URLs use for bodies.
std::string base64Encode(std::string_view bytes);
// nullopt on any character outside the alphabet, bad padding or a truncated group.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace parley::lambda::detail
