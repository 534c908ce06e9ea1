#include "parley/http/forwarded.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

namespace parley::http {
namespace {

namespace ip = boost::asio::ip;

AddressRange range(std::string_view text) {
  auto parsed = AddressRange::parse(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(*AddressRange::parse("0.0.0.0/32"));
}

Forwarding trusting(std::initializer_list<std::string_view> proxies,
                    ProxyHeaders headers = ProxyHeaders::kXForwarded) {
  Forwarding forwarding{.headers = headers};
  for (auto proxy : proxies) forwarding.trusted_proxies.push_back(range(proxy));
  return forwarding;
}

Request withHeaders(std::initializer_list<std::pair<std::string_view, std::string_view>> headers) {
  Request request(Verb::get, "/");
  // insert, not set: some tests send a header on several lines.
  for (const auto& [name, value] : headers) request.message().insert(name, value);
  return request;
}

Client resolve(const Forwarding& forwarding, std::string_view peer, const Request& request,
               bool tls = false) {
  return resolveClient(forwarding, ip::make_address(std::string(peer)), tls, request);
}

TEST(AddressRange, MatchesAddressesAndCidrRanges) {
  const auto network = range("10.0.0.0/8");
  EXPECT_TRUE(network.contains(ip::make_address("10.255.1.2")));
  EXPECT_FALSE(network.contains(ip::make_address("11.0.0.1")));
  EXPECT_FALSE(network.contains(ip::make_address("::a00:1")));
  // A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6.
  EXPECT_TRUE(network.contains(ip::make_address("::ffff:10.1.2.3")));
  const auto single = range("192.0.2.1");
  EXPECT_TRUE(single.contains(ip::make_address("192.0.2.1")));
  EXPECT_FALSE(single.contains(ip::make_address("192.0.2.2")));
  const auto v6 = range("2001:db8::/32");
  EXPECT_TRUE(v6.contains(ip::make_address("2001:db8:ffff::1")));
  EXPECT_FALSE(v6.contains(ip::make_address("2001:db9::1")));
  const auto odd = range("192.0.2.128/25");
  EXPECT_TRUE(odd.contains(ip::make_address("192.0.2.200")));
  EXPECT_FALSE(odd.contains(ip::make_address("192.0.2.127")));
  EXPECT_TRUE(range("0.0.0.0/0").contains(ip::make_address("203.0.113.1")));
}

TEST(AddressRange, RejectsWhatIsNotAnAddressOrRange) {
  for (std::string_view text :
       {"", "localhost", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/8x", "10.0.0.0/-1",
        "10.0.0.1:80", "[::1]", "fe80::1%eth0", "10.0.0", " 10.0.0.1", "10.0.0.0/0008"}) {
    EXPECT_FALSE(AddressRange::parse(text)) << text;
  }
}

TEST(ParseAddress, AcceptsTheFormsProxiesWriteAndDropsPorts) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"198.51.100.7", "198.51.100.7"},        {" 198.51.100.7 ", "198.51.100.7"},
      {"198.51.100.7:4711", "198.51.100.7"},   {"2001:DB8::1", "2001:db8::1"},
      {"[2001:db8::1]", "2001:db8::1"},        {"[2001:db8::1]:443", "2001:db8::1"},
      {"::ffff:198.51.100.7", "198.51.100.7"},
  };
  for (const auto& [text, canonical] : cases) {
    auto address = parseAddress(text);
    ASSERT_TRUE(address) << text;
    EXPECT_EQ(address->to_string(), canonical) << text;
  }
  for (std::string_view text :
       {"", "unknown", "_hidden", "example.com", "198.51.100.7:", "198.51.100.7:http",
        "198.51.100.7:123456", "[198.51.100.7]", "[2001:db8::1", "[2001:db8::1]443",
        "2001:db8::1%eth0", "1.2.3.4.5", "\"198.51.100.7\""}) {
    EXPECT_FALSE(parseAddress(text)) << text;
  }
}

TEST(ResolveClient, IgnoresForwardingHeadersFromAPeerThatIsNotTrusted) {
  const auto spoofed = withHeaders({{"X-Forwarded-For", "198.51.100.7"},
                                    {"X-Forwarded-Proto", "https"},
                                    {"Forwarded", "for=198.51.100.7;proto=https"}});
  for (const auto& forwarding : {Forwarding{}, trusting({"10.0.0.0/8"}),
                                 trusting({"10.0.0.0/8"}, ProxyHeaders::kForwarded)}) {
    const auto plain = resolve(forwarding, "203.0.113.9", spoofed);
    EXPECT_EQ(plain.address, "203.0.113.9");
    EXPECT_FALSE(plain.https);
    EXPECT_TRUE(resolve(forwarding, "203.0.113.9", spoofed, /*tls=*/true).https);
  }
  EXPECT_EQ(resolve({}, "::ffff:203.0.113.9", spoofed).address, "203.0.113.9");
}

TEST(ResolveClient, TakesTheRightmostAddressThatIsNotATrustedProxy) {
  const auto proxies = trusting({"10.0.0.0/8", "192.0.2.1"});
  // The client wrote 6.6.6.6 itself; the proxies appended what they saw.
  const auto chain =
      withHeaders({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7, 192.0.2.1, 10.1.2.3"}});
  EXPECT_EQ(resolve(proxies, "10.0.0.5", chain).address, "198.51.100.7");
  // Several field lines are one list.
  const auto lines = withHeaders(
      {{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}, {"X-Forwarded-For", "192.0.2.1,10.1.2.3"}});
  EXPECT_EQ(resolve(proxies, "10.0.0.5", lines).address, "198.51.100.7");
  // Every hop is one of ours (a probe from inside): the leftmost.
  EXPECT_EQ(resolve(proxies, "10.0.0.5", withHeaders({{"X-Forwarded-For", "10.0.0.7, 10.0.0.8"}}))
                .address,
            "10.0.0.7");
  // No header: the proxy itself.
  EXPECT_EQ(resolve(proxies, "10.0.0.5", withHeaders({})).address, "10.0.0.5");
  EXPECT_EQ(resolve(proxies, "10.0.0.5", withHeaders({{"X-Forwarded-For", " , "}})).address,
            "10.0.0.5");
  EXPECT_EQ(resolve(proxies, "10.0.0.5",
                    withHeaders({{"X-Forwarded-For", "[2001:db8::7]:443, 10.9.9.9:80"}}))
                .address,
            "2001:db8::7");
}

TEST(ResolveClient, StopsAtTheLastVouchedAddressWhenAnEntryIsMalformed) {
  const auto proxies = trusting({"10.0.0.0/8"});
  const auto at = [&](std::string_view header) {
    return resolve(proxies, "10.0.0.5", withHeaders({{"X-Forwarded-For", header}})).address;
  };
  EXPECT_EQ(at("198.51.100.7, garbage"), "10.0.0.5");
  EXPECT_EQ(at("198.51.100.7, unknown, 10.0.0.9"), "10.0.0.9");
  // Garbage left of the client is the client's own and changes nothing.
  EXPECT_EQ(at("<script>, 198.51.100.7, 10.0.0.9"), "198.51.100.7");
  EXPECT_EQ(at(std::string(2000, ',') + "198.51.100.7"), "198.51.100.7");
}

TEST(ResolveClient, TakesTheSchemeFromXForwardedProto) {
  const auto proxies = trusting({"10.0.0.0/8"});
  const auto https = [&](std::initializer_list<std::pair<std::string_view, std::string_view>> h,
                         bool tls = false) {
    return resolve(proxies, "10.0.0.5", withHeaders(h), tls).https;
  };
  EXPECT_TRUE(https({{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https"}}));
  EXPECT_TRUE(https({{"X-Forwarded-Proto", " HTTPS "}}));
  EXPECT_FALSE(https({{"X-Forwarded-Proto", "http"}}, /*tls=*/true));
  // No header: the socket's scheme; an unusable one: http.
  EXPECT_FALSE(https({{"X-Forwarded-For", "198.51.100.7"}}));
  EXPECT_TRUE(https({{"X-Forwarded-For", "198.51.100.7"}}, /*tls=*/true));
  for (std::string_view bad : {"ftp", "https;", "\"https\"", "wss"}) {
    EXPECT_FALSE(https({{"X-Forwarded-Proto", bad}}, /*tls=*/true)) << bad;
  }
  // One value per hop: the one next to the chosen address. A client-written "https" that a
  // proxy appended to does not count.
  EXPECT_FALSE(
      https({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}, {"X-Forwarded-Proto", "https, http"}}));
  EXPECT_TRUE(https({{"X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.9"},
                     {"X-Forwarded-Proto", "http, https, http"}}));
  // Neither one value nor one per hop: unusable.
  EXPECT_FALSE(https({{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https, https"}},
                     /*tls=*/true));
}

TEST(ResolveClient, ReadsOnlyTheConfiguredKindOfHeader) {
  const auto both = withHeaders({{"X-Forwarded-For", "198.51.100.7"},
                                 {"X-Forwarded-Proto", "https"},
                                 {"Forwarded", "for=203.0.113.50;proto=http"}});
  const auto x = resolve(trusting({"10.0.0.0/8"}), "10.0.0.5", both);
  EXPECT_EQ(x.address, "198.51.100.7");
  EXPECT_TRUE(x.https);
  const auto rfc = resolve(trusting({"10.0.0.0/8"}, ProxyHeaders::kForwarded), "10.0.0.5", both);
  EXPECT_EQ(rfc.address, "203.0.113.50");
  EXPECT_FALSE(rfc.https);
}

TEST(ResolveClient, ReadsRfc7239ForwardedElements) {
  const auto proxies = trusting({"10.0.0.0/8"}, ProxyHeaders::kForwarded);
  const auto via = [&](std::string_view header, bool tls = false) {
    return resolve(proxies, "10.0.0.5", withHeaders({{"Forwarded", header}}), tls);
  };
  // The scheme is the one reported with the chosen address.
  auto client =
      via("for=6.6.6.6;proto=https, for=198.51.100.7;proto=https, for=10.0.0.9;proto=http");
  EXPECT_EQ(client.address, "198.51.100.7");
  EXPECT_TRUE(client.https);
  client = via(R"(For="[2001:db8:cafe::17]:4711";Proto=HTTPS;by=10.0.0.5)");
  EXPECT_EQ(client.address, "2001:db8:cafe::17");
  EXPECT_TRUE(client.https);
  client = via("for=198.51.100.7:4711;proto=http", /*tls=*/true);
  EXPECT_EQ(client.address, "198.51.100.7");
  EXPECT_FALSE(client.https);
  // No proto: the socket's scheme.
  EXPECT_TRUE(via("for=198.51.100.7", /*tls=*/true).https);
  // An obfuscated client: the proxy that saw it, with the scheme it reported.
  client = via("for=_hidden;proto=https");
  EXPECT_EQ(client.address, "10.0.0.5");
  EXPECT_TRUE(client.https);
  EXPECT_EQ(via("proto=https, for=198.51.100.7").address, "198.51.100.7");
  EXPECT_EQ(via(R"(for="198.51.100\.7")").address, "198.51.100.7");
}

TEST(ResolveClient, TreatsAMalformedForwardedHeaderAsPlainHttpFromTheProxy) {
  const auto proxies = trusting({"10.0.0.0/8"}, ProxyHeaders::kForwarded);
  for (std::string_view header :
       {R"(for="198.51.100.7;proto=https)", "for=198.51.100.7;for=203.0.113.1;proto=https",
        "for=198.51.100.7;proto=https;proto=https", "for;proto=https", "=x", "for=;proto=https",
        "for=198.51.100.7 proto=https", R"(for=198.51.100.7;proto=https\)"}) {
    const auto client =
        resolve(proxies, "10.0.0.5", withHeaders({{"Forwarded", header}}), /*tls=*/true);
    EXPECT_EQ(client.address, "10.0.0.5") << header;
    EXPECT_FALSE(client.https) << header;
  }
}

}  // namespace
}  // namespace parley::http
