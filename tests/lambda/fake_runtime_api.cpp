#include "fake_runtime_api.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <utility>

namespace parley::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {
constexpr std::string_view kPrefix = "/2018-06-01/runtime/";
}  // namespace

struct FakeRuntimeApi::Impl {
  explicit Impl(Options opts) : options(opts) {
    acceptor.open(tcp::v4());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept_thread = std::thread([this] { acceptLoop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
      // shutdown(2) wakes threads blocked in accept/recv on these descriptors.
      ::shutdown(acceptor.native_handle(), SHUT_RDWR);
      for (auto& socket : sockets) ::shutdown(socket.native_handle(), SHUT_RDWR);
    }
    changed.notify_all();
    accept_thread.join();
    for (auto& thread : threads) thread.join();
  }

  void acceptLoop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket(ioc);
      acceptor.accept(socket, ec);
      std::lock_guard lock(mutex);
      if (ec || stopping) return;
      auto& stored = sockets.emplace_back(std::move(socket));
      threads.emplace_back([this, &stored] { serve(stored); });
    }
  }

  void serve(tcp::socket& socket) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.max_payload + 1024 * 1024);
      boost::system::error_code ec;
      bhttp::read(socket, buffer, parser, ec);
      if (ec == bhttp::error::body_limit) {
        bhttp::response<bhttp::string_body> too_large{bhttp::status::payload_too_large, 11};
        too_large.set(bhttp::field::connection, "close");
        too_large.prepare_payload();
        bhttp::write(socket, too_large, ec);
        return;
      }
      if (ec) return;
      auto response = handle(parser.get());
      response.version(11);
      response.keep_alive(true);
      response.prepare_payload();
      bhttp::write(socket, response, ec);
      if (ec) return;
    }
  }

  bhttp::response<bhttp::string_body> reply(bhttp::status status, std::string body = {}) {
    bhttp::response<bhttp::string_body> response{status, 11};
    response.set(bhttp::field::content_type, "application/json");
    response.body() = std::move(body);
    return response;
  }

  bhttp::response<bhttp::string_body> handle(const bhttp::request<bhttp::string_body>& request) {
    std::string_view target = request.target();
    if (!target.starts_with(kPrefix)) return reply(bhttp::status::not_found);
    target.remove_prefix(kPrefix.size());
    if (target == "invocation/next" && request.method() == bhttp::verb::get) return next();
    if (request.method() != bhttp::verb::post) return reply(bhttp::status::method_not_allowed);

    Posted posted;
    posted.at = std::chrono::steady_clock::now();
    posted.body = request.body();
    posted.error_type = std::string(request["Lambda-Runtime-Function-Error-Type"]);
    if (target == "init/error") {
      posted.kind = Posted::Kind::kInitError;
    } else if (target.starts_with("invocation/")) {
      target.remove_prefix(std::string_view("invocation/").size());
      const auto slash = target.find('/');
      if (slash == std::string_view::npos) return reply(bhttp::status::not_found);
      posted.request_id = std::string(target.substr(0, slash));
      const auto action = target.substr(slash + 1);
      if (action == "response") {
        posted.kind = Posted::Kind::kResponse;
      } else if (action == "error") {
        posted.kind = Posted::Kind::kError;
      } else {
        return reply(bhttp::status::not_found);
      }
      if (posted.kind == Posted::Kind::kResponse && posted.body.size() > options.max_payload) {
        return reply(bhttp::status::payload_too_large,
                     R"({"errorMessage":"payload too large","errorType":"RequestEntityTooLarge"})");
      }
    } else {
      return reply(bhttp::status::not_found);
    }
    {
      std::lock_guard lock(mutex);
      if (posted.kind != Posted::Kind::kInitError &&
          (!issued.contains(posted.request_id) || answered.contains(posted.request_id))) {
        return reply(bhttp::status::forbidden,
                     R"({"errorMessage":"invalid state","errorType":"InvalidStateTransition"})");
      }
      answered.insert(posted.request_id);
      results.push_back(std::move(posted));
    }
    changed.notify_all();
    return reply(bhttp::status::accepted, R"({"status":"OK"})");
  }

  bhttp::response<bhttp::string_body> next() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [this] { return stopping || finished || !queue.empty(); });
    if (stopping || queue.empty()) return reply(bhttp::status::internal_server_error);
    auto item = std::move(queue.front());
    queue.pop_front();
    issued.insert(item.id);
    ++handed_out;
    lock.unlock();

    auto response = reply(bhttp::status::ok, std::move(item.event));
    const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
        (std::chrono::system_clock::now() + options.timeout).time_since_epoch());
    response.set("Lambda-Runtime-Aws-Request-Id", item.id);
    response.set("Lambda-Runtime-Deadline-Ms",
                 item.deadline_header.value_or(std::to_string(deadline.count())));
    response.set("Lambda-Runtime-Invoked-Function-Arn",
                 "arn:aws:lambda:us-east-1:123456789012:function:parley-skill-dev-skill");
    response.set("Lambda-Runtime-Trace-Id",
                 "Root=1-6747c1a0-" + item.id + ";Parent=53995c3f42cd8ad8;Sampled=0");
    return response;
  }

  struct Queued {
    std::string id;
    std::string event;
    std::optional<std::string> deadline_header;
  };

  Options options;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  unsigned short port{0};
  std::thread accept_thread;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  bool stopping{false};
  bool finished{false};
  std::size_t counter{0};
  std::size_t handed_out{0};
  std::deque<Queued> queue;
  std::set<std::string> issued;
  std::set<std::string> answered;
  std::vector<Posted> results;
  std::list<tcp::socket> sockets;  // a list: serving threads hold references
  std::vector<std::thread> threads;
};

FakeRuntimeApi::FakeRuntimeApi() : FakeRuntimeApi(Options{}) {}
FakeRuntimeApi::FakeRuntimeApi(Options options) : impl_(std::make_unique<Impl>(options)) {}
FakeRuntimeApi::~FakeRuntimeApi() = default;

std::string FakeRuntimeApi::endpoint() const { return "127.0.0.1:" + std::to_string(impl_->port); }

std::string FakeRuntimeApi::enqueue(std::string event, std::optional<std::string> deadline_header) {
  std::string id;
  {
    std::lock_guard lock(impl_->mutex);
    id = "8476a536-e9f4-11e8-9739-" + std::to_string(100000000000 + ++impl_->counter);
    impl_->queue.push_back({id, std::move(event), std::move(deadline_header)});
  }
  impl_->changed.notify_all();
  return id;
}

void FakeRuntimeApi::finish() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->finished = true;
  }
  impl_->changed.notify_all();
}

bool FakeRuntimeApi::waitForPosts(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout,
                                 [this, count] { return impl_->results.size() >= count; });
}

std::vector<Posted> FakeRuntimeApi::posts() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->results;
}

std::optional<Posted> FakeRuntimeApi::postFor(const std::string& request_id) const {
  std::lock_guard lock(impl_->mutex);
  const auto it = std::find_if(impl_->results.begin(), impl_->results.end(),
                               [&](const Posted& p) { return p.request_id == request_id; });
  if (it == impl_->results.end()) return std::nullopt;
  return *it;
}

std::size_t FakeRuntimeApi::handedOut() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->handed_out;
}

}  // namespace parley::testing
