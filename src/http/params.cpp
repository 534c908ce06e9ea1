#include "parley/http/params.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>
#include <unordered_set>

namespace parley::http {

namespace {

// Percent-decodes one name or value; nullopt on a malformed escape.
std::optional<std::string> decode(std::string_view encoded, bool plus_is_space) {
  auto checked =
      boost::urls::make_pct_string_view(boost::urls::string_view(encoded.data(), encoded.size()));
  if (!checked) return std::nullopt;
  return checked->decode(boost::urls::encoding_opts(plus_is_space));
}

}  // namespace

// Split by hand: Boost.URL 1.81's parse_query() runs strlen() over its argument, reading past
// the end of a view into Beast's target buffer (found by ASan).
boost::system::result<Params> Params::parse(std::string_view encoded, bool plus_is_space) {
  Items items;
  while (!encoded.empty()) {
    auto amp = encoded.find('&');
    auto pair = encoded.substr(0, amp);
    encoded = amp == std::string_view::npos ? std::string_view() : encoded.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    auto eq = pair.find('=');
    auto name = decode(pair.substr(0, eq), plus_is_space);
    auto value = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                        plus_is_space);
    if (!name || !value) return Error::kMalformedQuery;
    items.emplace_back(std::move(*name), std::move(*value));
  }
  return Params(std::move(items));
}

std::optional<std::string_view> Params::get(std::string_view name) const {
  for (const auto& [key, value] : items_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Params::all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [key, value] : items_) {
    if (key == name) out.emplace_back(value);
  }
  return out;
}

std::size_t Params::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& item : items_) n += item.first == name ? 1 : 0;
  return n;
}

bool Params::hasRepeats() const {
  std::unordered_set<std::string_view> seen;
  for (const auto& item : items_) {
    if (!seen.insert(item.first).second) return true;
  }
  return false;
}

}  // namespace parley::http
