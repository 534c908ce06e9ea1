#include "parley/http/forwarded.hpp"

#include <algorithm>
#include <array>
#include <boost/beast/core/string.hpp>
#include <cctype>
#include <charconv>

#include "parley/core/ascii.hpp"

namespace parley::http {
namespace {

namespace ip = boost::asio::ip;

ip::address unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool isPort(std::string_view text) {
  return !text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// A bare address as inet_pton reads it. Zone ids ("fe80::1%eth0") say nothing about a client.
std::optional<ip::address> bareAddress(std::string_view text) {
  if (text.empty() || text.find('%') != std::string_view::npos) return std::nullopt;
  boost::system::error_code ec;
  auto address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return address;
}

template <std::size_t N>
bool samePrefix(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b,
                unsigned prefix) {
  for (std::size_t i = 0; i < N && prefix > 0; ++i) {
    const unsigned bits = std::min(prefix, 8U);
    const auto mask = static_cast<unsigned char>(0xFFU << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
    prefix -= bits;
  }
  return true;
}

// Every field line of header `name` as one list, in order (RFC 9110 §5.3).
std::string joined(const Request& request, std::string_view name) {
  std::string out;
  auto [begin, end] = request.message().equal_range(name);
  for (auto it = begin; it != end; ++it) {
    if (!out.empty()) out += ',';
    out += it->value();
  }
  return out;
}

// "a, b,,c" → {"a", "b", "c"}: list elements, empty ones dropped (RFC 9110 §5.6.1).
std::vector<std::string> splitList(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool isHttps(std::string_view scheme) { return boost::beast::iequals(trim(scheme), "https"); }

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

struct ForwardedElement {
  std::string for_address{};  // empty when the element has no for=
  std::optional<std::string> proto{};
};

// RFC 7239 §4: elements separated by ",", pairs by ";", values tokens or quoted strings.
// Unquoted values may hold ":" and "[]" (what hand-written proxy configs send for IPv6);
// the address parser judges them. Nullopt when the header is not well-formed.
std::optional<std::vector<ForwardedElement>> parseForwarded(std::string_view text) {
  std::vector<ForwardedElement> elements;
  bool element_open = false;
  std::size_t i = 0;
  const auto skipSpace = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  for (;;) {
    skipSpace();
    if (i == text.size()) break;
    if (text[i] == ',' || text[i] == ';') {
      element_open = element_open && text[i] == ';';
      ++i;
      continue;
    }
    const auto name_start = i;
    while (i < text.size() && isTokenChar(text[i])) ++i;
    if (i == name_start || i == text.size() || text[i] != '=') return std::nullopt;
    const auto name = core::asciiLowercase(text.substr(name_start, i - name_start));
    ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i == text.size()) return std::nullopt;
          c = text[i++];
        }
        value.push_back(c);
      }
      if (!closed) return std::nullopt;
    } else {
      const auto value_start = i;
      while (i < text.size() &&
             (isTokenChar(text[i]) || text[i] == ':' || text[i] == '[' || text[i] == ']')) {
        ++i;
      }
      if (i == value_start) return std::nullopt;
      value = text.substr(value_start, i - value_start);
    }
    skipSpace();
    if (i < text.size() && text[i] != ';' && text[i] != ',') return std::nullopt;
    if (!element_open) elements.emplace_back();
    element_open = true;
    auto& element = elements.back();
    // A parameter MUST NOT occur twice in one element (RFC 7239 §4).
    if (name == "for") {
      if (!element.for_address.empty()) return std::nullopt;
      element.for_address = std::move(value);
    } else if (name == "proto") {
      if (element.proto) return std::nullopt;
      element.proto = std::move(value);
    }
  }
  return elements;
}

// The client among `hops` (forwarded addresses, leftmost first) seen through `peer`, and the
// index of the hop whose reporter's scheme applies (none without hops).
struct Walk {
  ip::address client;
  std::optional<std::size_t> hop{};
};

bool trusted(const Forwarding& forwarding, const ip::address& address) {
  return std::any_of(forwarding.trusted_proxies.begin(), forwarding.trusted_proxies.end(),
                     [&](const AddressRange& range) { return range.contains(address); });
}

Walk walk(const Forwarding& forwarding, const ip::address& peer,
          const std::vector<std::string>& hops) {
  Walk out{.client = peer};
  for (auto i = hops.size(); i-- > 0;) {
    out.hop = i;
    const auto address = parseAddress(hops[i]);
    if (!address) break;
    out.client = *address;
    if (!trusted(forwarding, *address)) break;
  }
  return out;
}

Client viaXForwarded(const Forwarding& forwarding, const ip::address& peer, bool tls,
                     const Request& request) {
  const auto hops = splitList(joined(request, "X-Forwarded-For"));
  const auto walked = walk(forwarding, peer, hops);
  const auto protos = splitList(joined(request, "X-Forwarded-Proto"));
  bool https = tls;
  if (!protos.empty()) {
    // One value: the proxy facing the client set it; one per hop: aligned with the addresses.
    if (protos.size() == 1) {
      https = isHttps(protos.front());
    } else {
      https = walked.hop && protos.size() == hops.size() && isHttps(protos[*walked.hop]);
    }
  }
  return {.address = walked.client.to_string(), .https = https};
}

Client viaForwarded(const Forwarding& forwarding, const ip::address& peer, bool tls,
                    const Request& request) {
  const auto elements = parseForwarded(joined(request, "Forwarded"));
  if (!elements) return {.address = peer.to_string(), .https = false};
  std::vector<std::string> hops;
  hops.reserve(elements->size());
  for (const auto& element : *elements) hops.push_back(element.for_address);
  const auto walked = walk(forwarding, peer, hops);
  bool https = tls;
  if (walked.hop) {
    if (const auto& proto = (*elements)[*walked.hop].proto) https = isHttps(*proto);
  }
  return {.address = walked.client.to_string(), .https = https};
}

}  // namespace

std::optional<AddressRange> AddressRange::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto address = bareAddress(text.substr(0, slash));
  if (!address) return std::nullopt;
  const unsigned width = address->is_v4() ? 32 : 128;
  unsigned prefix = width;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || digits.size() > 3 || error != std::errc{} ||
        end != digits.data() + digits.size() || prefix > width) {
      return std::nullopt;
    }
  }
  return AddressRange(*address, prefix);
}

bool AddressRange::contains(const ip::address& address) const {
  const auto candidate = unmapped(address);
  if (candidate.is_v4() && network_.is_v4()) {
    return samePrefix(candidate.to_v4().to_bytes(), network_.to_v4().to_bytes(), prefix_);
  }
  if (candidate.is_v6() && network_.is_v6()) {
    return samePrefix(candidate.to_v6().to_bytes(), network_.to_v6().to_bytes(), prefix_);
  }
  return false;
}

std::optional<ip::address> parseAddress(std::string_view text) {
  text = trim(text);
  std::optional<ip::address> address;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const auto rest = text.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && isPort(rest.substr(1)))) return std::nullopt;
    address = bareAddress(text.substr(1, close - 1));
    if (!address || !address->is_v6()) return std::nullopt;
  } else if (const auto colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    // One colon: IPv4 with a port (IPv6 has at least two).
    if (!isPort(text.substr(colon + 1))) return std::nullopt;
    address = bareAddress(text.substr(0, colon));
    if (!address || !address->is_v4()) return std::nullopt;
  } else {
    address = bareAddress(text);
    if (!address) return std::nullopt;
  }
  return unmapped(*address);
}

Client resolveClient(const Forwarding& forwarding, const ip::address& peer, bool tls,
                     const Request& request) {
  const auto socket_peer = unmapped(peer);
  if (!trusted(forwarding, socket_peer)) return {.address = socket_peer.to_string(), .https = tls};
  return forwarding.headers == ProxyHeaders::kForwarded
             ? viaForwarded(forwarding, socket_peer, tls, request)
             : viaXForwarded(forwarding, socket_peer, tls, request);
}

}  // namespace parley::http
