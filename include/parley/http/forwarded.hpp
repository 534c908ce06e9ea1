#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parley/http/proxy_headers.hpp"
#include "parley/http/request.hpp"

// Who sent a request and over which scheme when a reverse proxy stands in front of the server
// (account-linking spec R4, R62): proxy headers count only from configured proxy addresses.
namespace parley::http {

// One address or a CIDR range: "203.0.113.7", "10.0.0.0/8", "2001:db8::/32".
class AddressRange {
 public:
  // Nullopt for host names, ports, zone ids or a prefix longer than the address.
  static std::optional<AddressRange> parse(std::string_view text);
  // IPv4-mapped IPv6 addresses (a dual-stack socket's view of IPv4 peers) count as IPv4.
  bool contains(const boost::asio::ip::address& address) const;

 private:
  AddressRange(boost::asio::ip::address network, unsigned prefix)
      : network_(network), prefix_(prefix) {}
  boost::asio::ip::address network_;
  unsigned prefix_;
};

// An address as peers and proxies write it: "203.0.113.7", "203.0.113.7:4711", "2001:db8::1",
// "[2001:db8::1]:443"; the port is dropped and IPv4-mapped IPv6 becomes IPv4. Nullopt for
// anything else (RFC 7239's "unknown" and "_obfuscated" identifiers included).
std::optional<boost::asio::ip::address> parseAddress(std::string_view text);

struct Forwarding {
  std::vector<AddressRange> trusted_proxies{};  // empty: the socket peer is always the client
  // Only these are read: a proxy passes the other kind through from the client unchanged.
  ProxyHeaders headers{ProxyHeaders::kXForwarded};
};

struct Client {
  std::string address{};  // canonical text: "203.0.113.7", "2001:db8::1"
  bool https{false};
};

// The client behind `peer`, which reached us over TLS or not.
//   - `peer` is not a trusted proxy: the peer and the socket's scheme; headers are ignored.
//   - `peer` is a trusted proxy: walking the forwarded addresses from the right (nearest hop
//     first), the first one that is not a trusted proxy, or the leftmost when all are. An entry
//     that is not an address stops the walk at the last address vouched for. The scheme is the
//     one reported by the hop that saw that address: the `proto` of its Forwarded element, or
//     X-Forwarded-Proto when it has one value or one per X-Forwarded-For entry. No scheme
//     header: the socket's; an unusable one: http.
Client resolveClient(const Forwarding& forwarding, const boost::asio::ip::address& peer, bool tls,
                     const Request& request);

}  // namespace parley::http
