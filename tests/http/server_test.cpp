#include "parley/http/server.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "net/self_signed.hpp"
#include "parley/core/log.hpp"
#include "parley/http/forwarded.hpp"
#include "parley/http/static_files.hpp"
#include "parley/net/http_client.hpp"
#include "support/raw_client.hpp"

namespace parley::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using parley::testing::RawClient;
using namespace std::chrono_literals;

ServerOptions testOptions() {
  return {.host = "127.0.0.1",
          .port = 0,
          .io_threads = 2,
          .worker_threads = 2,
          .idle_timeout = 2s,
          .shutdown_timeout = 3s};
}

Router echoRouter() {
  Router router;
  router.get("/hello", [](const Request&) { return Response::json(R"({"hello":"world"})"); });
  router.post("/echo", [](const Request& r) { return Response::text(r.body()); });
  router.get("/query", [](const Request& r) {
    return Response::text(std::string(r.query()->get("q").value_or("none")));
  });
  return router;
}

std::string url(const Server& server, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + std::string(path);
}

TEST(Server, AnswersRoutesOverTheWire) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  ASSERT_NE(server.port(), 0);
  net::BeastHttpClient client;
  auto hello = client.send({.url = url(server, "/hello")});
  ASSERT_TRUE(hello) << hello.error().message();
  EXPECT_EQ(hello->status, 200u);
  EXPECT_EQ(hello->body, R"({"hello":"world"})");
  EXPECT_EQ(hello->header("Content-Type"), "application/json");
  auto echo = client.send({.method = "POST", .url = url(server, "/echo"), .body = "ping"});
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "ping");
  auto query = client.send({.url = url(server, "/query?q=a%20b")});
  ASSERT_TRUE(query);
  EXPECT_EQ(query->body, "a b");
}

TEST(Server, Answers404And405WithAllow) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  net::BeastHttpClient client;
  auto missing = client.send({.url = url(server, "/missing")});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404u);
  auto wrong = client.send({.method = "DELETE", .url = url(server, "/echo")});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405u);
  EXPECT_EQ(wrong->header("Allow"), "POST");
}

TEST(Server, KeepsConnectionsAliveAndAnswersPipelinedRequestsInOrder) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  RawClient raw(server.port());
  raw.send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo"
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto first = raw.readResponse();
  auto second = raw.readResponse();
  auto third = raw.readResponse();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body(), "one");
  EXPECT_EQ(second->body(), "two");
  EXPECT_EQ(third->result_int(), 200u);
  EXPECT_TRUE(third->keep_alive());
  raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto last = raw.readResponse();
  ASSERT_TRUE(last);
  EXPECT_FALSE(last->keep_alive());
  EXPECT_TRUE(raw.closedByServer());
}

TEST(Server, SendsHeadersOnlyForHead) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  RawClient raw(server.port());
  raw.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = raw.readResponse(true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->result_int(), 200u);
  EXPECT_EQ((*head)[bhttp::field::content_length], "17");
  // Had the HEAD answer carried a body, this would read it instead of the GET answer.
  auto get = raw.readResponse();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body(), R"({"hello":"world"})");
}

TEST(Server, RejectsBodyOverLimitWith413) {
  auto router = echoRouter();
  auto options = testOptions();
  options.body_limit = 1024;
  Server server(router, options);
  server.start();
  net::BeastHttpClient client;
  auto fits =
      client.send({.method = "POST", .url = url(server, "/echo"), .body = std::string(1024, 'a')});
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200u);
  auto over =
      client.send({.method = "POST", .url = url(server, "/echo"), .body = std::string(4096, 'a')});
  ASSERT_TRUE(over) << over.error().message();
  EXPECT_EQ(over->status, 413u);
}

TEST(Server, RejectsChunkedBodyOverLimitWith413) {
  auto router = echoRouter();
  auto options = testOptions();
  options.body_limit = 1024;
  Server server(router, options);
  server.start();
  RawClient raw(server.port());
  std::string chunk(800, 'c');
  raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n" + chunk +
           "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  auto response = raw.readResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_TRUE(raw.closedByServer());
}

TEST(Server, RejectsOversizedHeadersWith431) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  RawClient raw(server.port());
  raw.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'h') + "\r\n\r\n");
  auto response = raw.readResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->result_int(), 431u);
}

TEST(Server, RejectsGarbageWith400AndKeepsServing) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  for (std::string garbage :
       {std::string("NOT HTTP AT ALL\r\n\r\n"), std::string("GET /hello HTTP/9.9\r\n\r\n"),
        std::string("GET /hello HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    RawClient raw(server.port());
    raw.send(garbage);
    auto response = raw.readResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->result_int(), 400u);
  }
  net::BeastHttpClient client;
  auto still = client.send({.url = url(server, "/hello")});
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200u);
}

TEST(Server, ClosesSlowClientsAfterIdleTimeoutWhileServingOthers) {
  auto router = echoRouter();
  auto options = testOptions();
  options.io_threads = 1;
  options.idle_timeout = 300ms;
  Server server(router, options);
  server.start();
  RawClient slow(server.port());
  slow.send("GET /hello HTTP/1.1\r\nHo");  // and never more
  RawClient idle(server.port());           // connects, sends nothing
  net::BeastHttpClient client;
  for (int i = 0; i < 5; ++i) {
    auto response = client.send({.url = url(server, "/hello")});
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200u);
  }
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(slow.closedByServer());
  EXPECT_TRUE(idle.closedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(Server, AnswersManyConcurrentClients) {
  auto router = echoRouter();
  Server server(router, testOptions());
  server.start();
  constexpr int kClients = 16;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      net::BeastHttpClient client;
      for (int i = 0; i < kRequests; ++i) {
        auto body = std::to_string(c) + "/" + std::to_string(i);
        auto response = client.send({.method = "POST", .url = url(server, "/echo"), .body = body});
        if (response && response->status == 200 && response->body == body) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
}

TEST(Server, RunsBlockingRoutesOnWorkerThreads) {
  Router router;
  std::atomic<std::thread::id> io_thread{};
  std::atomic<std::thread::id> worker_thread{};
  router.get("/io", [&](const Request&) {
    io_thread = std::this_thread::get_id();
    return Response::text("io");
  });
  router.get("/blocking",
             [&](const Request&) {
               worker_thread = std::this_thread::get_id();
               return Response::text("worker");
             },
             {.blocking = true});
  auto options = testOptions();
  options.io_threads = 1;
  Server server(router, options);
  server.start();
  net::BeastHttpClient client;
  ASSERT_EQ(client.send({.url = url(server, "/io")})->body, "io");
  ASSERT_EQ(client.send({.url = url(server, "/blocking")})->body, "worker");
  EXPECT_NE(io_thread.load(), std::thread::id{});
  EXPECT_NE(worker_thread.load(), std::thread::id{});
  EXPECT_NE(io_thread.load(), worker_thread.load());
}

TEST(Server, RunsBlockingRoutesOnTheIoThreadWithoutWorkers) {
  Router router;
  std::atomic<std::thread::id> io_thread{};
  std::atomic<std::thread::id> blocking_thread{};
  router.get("/io", [&](const Request&) {
    io_thread = std::this_thread::get_id();
    return Response::text("io");
  });
  router.post("/blocking",
              [&](const Request& request) {
                blocking_thread = std::this_thread::get_id();
                return Response::text(request.body());
              },
              {.blocking = true});
  auto options = testOptions();
  options.io_threads = 1;
  options.worker_threads = 0;
  Server server(router, options);
  server.start();
  net::BeastHttpClient client;
  ASSERT_EQ(client.send({.url = url(server, "/io")})->body, "io");
  auto reply = client.send({.method = "POST", .url = url(server, "/blocking"), .body = "inline"});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body, "inline");
  EXPECT_NE(io_thread.load(), std::thread::id{});
  EXPECT_EQ(io_thread.load(), blocking_thread.load());
  server.stop();
}

TEST(Server, ClosesATricklingClientWhoseHeaderTakesLongerThanTheIdleTimeout) {
  auto router = echoRouter();
  auto options = testOptions();
  options.idle_timeout = 300ms;
  Server server(router, options);
  server.start();
  RawClient trickle(server.port());
  const std::string request = "GET /hello HTTP/1.1\r\nX-Padding: " + std::string(200, 'a');
  // Each byte arrives well within the timeout; the header as a whole does not.
  const auto started = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  while (sent < request.size() && trickle.trySend(request.substr(sent, 1))) {
    ++sent;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(trickle.closedByServer());
  EXPECT_LT(sent, request.size());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(Server, ClosesAClientThatStopsReadingItsResponse) {
  Router router = echoRouter();
  // More than the loopback socket buffers hold: the server's write waits for the client.
  const std::string big(32 * 1024 * 1024, 'x');
  router.get("/big", [&big](const Request&) { return Response::text(big); });
  auto options = testOptions();
  options.idle_timeout = 300ms;
  Server server(router, options);
  server.start();
  RawClient stalled(server.port());
  stalled.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  std::this_thread::sleep_for(900ms);  // reads nothing for three idle timeouts
  net::BeastHttpClient client;
  auto other = client.send({.url = url(server, "/hello")});
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200u);
  const auto received = stalled.drain();
  EXPECT_TRUE(received.closed);
  EXPECT_LT(received.bytes, big.size());  // the server gave up part way through
}

TEST(Server, AHandlerSlowerThanTheIdleTimeoutStillAnswersOnALiveConnection) {
  Router router = echoRouter();
  router.get("/slow",
             [](const Request&) {
               std::this_thread::sleep_for(500ms);
               return Response::text("late");
             },
             {.blocking = true});
  auto options = testOptions();
  options.idle_timeout = 200ms;
  Server server(router, options);
  server.start();
  RawClient client(server.port());
  client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  auto late = client.readResponse();
  ASSERT_TRUE(late);
  EXPECT_EQ(late->body(), "late");
  client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");  // the same connection, kept alive
  auto next = client.readResponse();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->result_int(), 200u);
  EXPECT_TRUE(client.closedByServer());  // and then idle for longer than the timeout
}

TEST(Server, KeepsServingWhileABlockingHandlerWaits) {
  Router router = echoRouter();
  std::promise<void> release;
  auto released = release.get_future().share();
  router.get("/wait",
             [released](const Request&) {
               released.wait_for(5s);
               return Response::text("done");
             },
             {.blocking = true});
  auto options = testOptions();
  options.io_threads = 1;
  Server server(router, options);
  server.start();
  auto slow = std::async(std::launch::async, [&] {
    net::BeastHttpClient client;
    return client.send({.url = url(server, "/wait")});
  });
  net::BeastHttpClient client;
  auto fast = client.send({.url = url(server, "/hello")});
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->status, 200u);
  EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);
  release.set_value();
  auto done = slow.get();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->body, "done");
}

TEST(Server, GracefulStopFinishesInFlightRequest) {
  Router router = echoRouter();
  std::promise<void> entered;
  router.get("/slow",
             [&entered](const Request&) {
               entered.set_value();
               std::this_thread::sleep_for(300ms);
               return Response::text("finished");
             },
             {.blocking = true});
  Server server(router, testOptions());
  server.start();
  auto port = server.port();
  RawClient idle(port);  // an idle keep-alive connection must not delay the stop
  auto in_flight = std::async(std::launch::async, [&] {
    net::BeastHttpClient client;
    return client.send({.url = url(server, "/slow")});
  });
  entered.get_future().wait();
  auto started = std::chrono::steady_clock::now();
  server.stop();
  auto took = std::chrono::steady_clock::now() - started;
  auto response = in_flight.get();
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->status, 200u);
  EXPECT_EQ(response->body, "finished");
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(idle.closedByServer());
  net::BeastHttpClient client;
  auto after = client.send({.url = "http://127.0.0.1:" + std::to_string(port) + "/hello"});
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error(), make_error_code(net::Error::kConnectFailed));
}

TEST(Server, RunReturnsAfterStopFromAnotherThread) {
  auto router = echoRouter();
  Server server(router, testOptions());
  auto running = std::async(std::launch::async, [&] { server.run(); });
  net::BeastHttpClient client;
  std::optional<boost::system::result<net::Response>> response;
  for (int i = 0; i < 50; ++i) {  // run() starts asynchronously
    response = client.send({.url = url(server, "/hello")});
    if (*response) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(*response);
  server.stop();
  EXPECT_EQ(running.wait_for(3s), std::future_status::ready);
}

TEST(Server, LogsOneLinePerRequestWithoutQueryString) {
  auto router = echoRouter();
  std::ostringstream lines;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(lines);
  auto logger = core::logger("http");
  logger->sinks().push_back(sink);
  {
    Server server(router, testOptions());
    server.start();
    net::BeastHttpClient client;
    ASSERT_TRUE(client.send({.url = url(server, "/query?q=secret-token-123")}));
  }
  logger->sinks().pop_back();
  auto text = lines.str();
  EXPECT_NE(text.find("GET /query 200 16B"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret-token-123"), std::string::npos) << text;
}

TEST(Server, ThrowsWhenPortIsTaken) {
  auto router = echoRouter();
  Server first(router, testOptions());
  auto options = testOptions();
  options.port = first.port();
  EXPECT_THROW(Server second(router, options), boost::system::system_error);
}

// Who the server says the client is, for the forwarding tests.
Router whoRouter() {
  Router router;
  router.get("/who", [](const Request& r) {
    return Response::text(std::string(r.remoteAddress()) + (r.https() ? " https" : " http"));
  });
  router.after(securityHeaders({.strict_transport_security = "max-age=31536000"}));
  return router;
}

TEST(Server, TakesClientAddressAndSchemeFromTrustedProxiesOnly) {
  auto router = whoRouter();
  const net::Headers forwarded{{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"},
                               {"X-Forwarded-Proto", "https"}};
  auto behind_proxy = testOptions();
  behind_proxy.forwarding.trusted_proxies = {*AddressRange::parse("127.0.0.0/8")};
  Server proxied(router, behind_proxy);
  proxied.start();
  net::BeastHttpClient client;
  auto via = client.send({.url = url(proxied, "/who"), .headers = forwarded});
  ASSERT_TRUE(via);
  EXPECT_EQ(via->body, "198.51.100.7 https");
  EXPECT_EQ(via->header("Strict-Transport-Security"), "max-age=31536000");
  auto direct = client.send({.url = url(proxied, "/who")});
  ASSERT_TRUE(direct);
  EXPECT_EQ(direct->body, "127.0.0.1 http");
  EXPECT_FALSE(direct->header("Strict-Transport-Security"));

  // 127.0.0.1 is not the trusted proxy here: its headers are the client's own claims.
  auto elsewhere = testOptions();
  elsewhere.forwarding.trusted_proxies = {*AddressRange::parse("10.0.0.1")};
  Server exposed(router, elsewhere);
  exposed.start();
  auto spoofed = client.send({.url = url(exposed, "/who"), .headers = forwarded});
  ASSERT_TRUE(spoofed);
  EXPECT_EQ(spoofed->body, "127.0.0.1 http");
  EXPECT_FALSE(spoofed->header("Strict-Transport-Security"));
}

class TlsServer : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("parley-http-tls-" + std::to_string(::getpid()));
    cert_ = testing::makeSelfSigned(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  ServerOptions tlsOptions() const {
    auto options = testOptions();
    options.tls_cert_file = cert_.cert_file.string();
    options.tls_key_file = cert_.key_file.string();
    return options;
  }
  std::filesystem::path dir_;
  testing::SelfSigned cert_;
};

TEST_F(TlsServer, CompletesRoundTrip) {
  auto router = echoRouter();
  Server server(router, tlsOptions());
  server.start();
  net::BeastHttpClient client({.ca_file = cert_.cert_file.string()});
  auto base = "https://localhost:" + std::to_string(server.port());
  for (int i = 0; i < 3; ++i) {
    auto response = client.send({.method = "POST", .url = base + "/echo", .body = "secure"});
    ASSERT_TRUE(response) << response.error().message();
    EXPECT_EQ(response->body, "secure");
  }
  EXPECT_EQ(client.idleConnections(), 1u);
  // A plain-HTTP client talking to the TLS port gets no answer and does not hurt the server.
  RawClient plain(server.port());
  plain.trySend("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_FALSE(plain.readResponse());
  EXPECT_TRUE(client.send({.url = base + "/hello"}));
}

TEST_F(TlsServer, ClosesAClientThatNeverStartsTheHandshake) {
  auto router = echoRouter();
  auto options = tlsOptions();
  options.idle_timeout = 300ms;
  Server server(router, options);
  server.start();
  RawClient silent(server.port());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.closedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(TlsServer, MarksRequestsOverTlsAsHttpsAndSendsHsts) {
  auto router = whoRouter();
  Server server(router, tlsOptions());
  server.start();
  net::BeastHttpClient client({.ca_file = cert_.cert_file.string()});
  auto response = client.send({.url = "https://localhost:" + std::to_string(server.port()) + "/who",
                               .headers = {{"X-Forwarded-Proto", "http"}}});
  ASSERT_TRUE(response) << response.error().message();
  EXPECT_EQ(response->body, "127.0.0.1 https");
  EXPECT_EQ(response->header("Strict-Transport-Security"), "max-age=31536000");
}

TEST_F(TlsServer, RefusesUnusableKeyFiles) {
  auto router = echoRouter();
  auto options = tlsOptions();
  options.tls_key_file = (dir_ / "missing.pem").string();
  EXPECT_ANY_THROW(Server server(router, options));
}

TEST(ServerStatic, ServesStaticFilesAndRefusesTraversal) {
  auto dir =
      std::filesystem::temp_directory_path() / ("parley-http-static-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "static");
  std::ofstream(dir / "static" / "app.css") << "body{}";
  std::ofstream(dir / "secret.txt") << "secret";
  Router router;
  router.prefix(Verb::get, "/static/", staticFiles({.root = dir / "static"}));
  router.after(securityHeaders({}));
  Server server(router, testOptions());
  server.start();
  net::BeastHttpClient client;
  auto css = client.send({.url = url(server, "/static/app.css")});
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200u);
  EXPECT_EQ(css->body, "body{}");
  EXPECT_EQ(css->header("X-Content-Type-Options"), "nosniff");
  // Raw, so that nothing normalizes the target before the server sees it.
  for (const char* target : {"/static/../secret.txt", "/static/%2e%2e/secret.txt",
                             "/static/%2e%2e%2fsecret.txt", "/static//etc/passwd"}) {
    RawClient raw(server.port());
    raw.send(std::string("GET ") + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    auto response = raw.readResponse();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->result_int(), 404u) << target;
    EXPECT_EQ(response->body().find("secret"), std::string::npos) << target;
  }
  server.stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace parley::http
