#include "parley/linking/email.hpp"

#include <algorithm>
#include <cctype>

#include "parley/core/ascii.hpp"

namespace parley::linking {
namespace {

constexpr std::size_t kMaxEmailBytes = 254;

bool isAtext(char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+/=?^_`{|}~-";
  return std::isalnum(static_cast<unsigned char>(c)) || kSpecials.find(c) != std::string_view::npos;
}

bool validDotted(std::string_view text, bool (*allowed)(char)) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(),
                     [allowed](char c) { return c == '.' || allowed(c); });
}

bool isDomainChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

}  // namespace

std::optional<std::string> normalizeEmail(std::string_view email) {
  auto first = email.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  email = email.substr(first, email.find_last_not_of(" \t") - first + 1);
  if (email.size() > kMaxEmailBytes) return std::nullopt;
  if (std::any_of(email.begin(), email.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return std::nullopt;
  }
  auto at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto local = email.substr(0, at);
  auto domain = email.substr(at + 1);
  if (!validDotted(local, isAtext) || !validDotted(domain, isDomainChar)) return std::nullopt;
  if (domain.find('.') == std::string_view::npos) return std::nullopt;
  return core::asciiLowercase(email);
}

}  // namespace parley::linking
