#include "http/http_server.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "driftd/error.h"
#include "metrics/metrics.h"

using namespace driftd;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Response = http::response<http::string_body>;

// A server on an ephemeral loopback port, its io_context running on a thread
// of its own, as the daemon runs it.
struct RunningServer {
  asio::io_context io;
  std::optional<HttpServer> server;
  std::thread thread;

  explicit RunningServer(HttpServer::Router router, std::string_view listen = "127.0.0.1:0") {
    server.emplace(io, listen, std::move(router));
    thread = std::thread([this] { io.run(); });
  }
  ~RunningServer() {
    asio::post(io, [this] { server->stop(); });
    thread.join();
  }
  std::uint16_t port() const { return server->port(); }
};

HttpResponse hello_router(std::string_view path) {
  if (path == "/hello") return {.body = "hello\n"};
  if (path == "/boom") throw std::runtime_error("router failed");
  return {.status = 404, .body = "not found\n"};
}

// A client connection to the server.
struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;

  explicit Client(std::uint16_t port, const char* address = "127.0.0.1") {
    socket.connect({asio::ip::make_address(address), port});
  }

  Response request(http::verb verb, const std::string& target, bool keep_alive = true, std::string extra_header = "") {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "localhost");
    req.keep_alive(keep_alive);
    if (!extra_header.empty()) req.set("X-Extra", extra_header);
    req.prepare_payload();
    http::write(socket, req);
    return read(verb == http::verb::head);
  }

  Response read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);  // a response to HEAD announces a body it does not carry
    http::read(socket, buffer, parser);
    return parser.release();
  }

  // Whether the server has closed this connection (read gives EOF or a reset).
  bool closed_by_server() {
    char byte;
    beast::error_code ec;
    socket.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
};

Response get(std::uint16_t port, const std::string& target) {
  return Client(port).request(http::verb::get, target, false);
}

std::string header(const Response& res, http::field field) { return std::string(res[field]); }

// A one-off GET with a deadline, as a liveness probe makes it: it either gets
// its answer within the deadline or reports why not. Its socket is opened at
// construction, from `from` (any 127/8 address is loopback on Linux: a probe
// from another address than the hostile clients below is another peer, as
// the kubelet is).
struct Probe {
  asio::io_context io;
  tcp::socket socket{io};
  std::optional<Response> response;
  std::string failure = "no answer within the deadline";

  explicit Probe(const char* from = "127.0.0.1") {
    socket.open(tcp::v4());
    socket.bind({asio::ip::make_address(from), 0});
  }

  // Whether the answer came (then in `response`) within `deadline`.
  bool get(std::uint16_t port, const std::string& target, std::chrono::milliseconds deadline) {
    beast::flat_buffer buffer;
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, "localhost");
    Response answer;
    const auto fail = [&](beast::error_code ec) {
      failure = ec.message();
      io.stop();
    };
    socket.async_connect({asio::ip::make_address("127.0.0.1"), port}, [&](beast::error_code ec) {
      if (ec) return fail(ec);
      http::async_write(socket, request, [&](beast::error_code ec, std::size_t) {
        if (ec) return fail(ec);
        http::async_read(socket, buffer, answer, [&](beast::error_code ec, std::size_t) {
          if (ec) return fail(ec);
          response = std::move(answer);
        });
      });
    });
    io.run_for(deadline);
    return response.has_value();
  }
};

// Clients that hold connections to the server without ever completing a
// request, and open a new one whenever the server closes one: `idle` ones
// never send a byte, `slowloris` ones send a request header one byte a second.
class HostileClients {
 public:
  enum class Kind { idle, slowloris };

  HostileClients(std::uint16_t port, std::size_t count, Kind kind)
      : server_({asio::ip::make_address("127.0.0.1"), port}), kind_(kind) {
    for (std::size_t i = 0; i < count; ++i) connections_.push_back(std::make_unique<Connection>(io_));
    for (auto& connection : connections_) open(*connection);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~HostileClients() {
    io_.stop();
    thread_.join();
  }

  // Connections established so far, re-opened ones included.
  std::size_t connects() const { return connects_; }

  // Waits (up to 30 s) until `n` connections have been established.
  bool wait_for_connects(std::size_t n) const {
    for (int i = 0; i < 3000 && connects_ < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return connects_ >= n;
  }

 private:
  struct Connection {
    explicit Connection(asio::io_context& io) : socket(io), timer(io) {}
    tcp::socket socket;
    asio::steady_timer timer;
    unsigned generation = 0;  // handlers of an earlier socket find it changed and stop
    std::size_t sent = 0;
    char received = 0;
  };

  void open(Connection& c) {
    beast::error_code ignored;
    c.socket.close(ignored);
    c.timer.cancel();
    c.sent = 0;
    const unsigned generation = ++c.generation;
    c.socket.async_connect(server_, [this, &c, generation](beast::error_code ec) {
      if (generation != c.generation) return;
      if (ec) {  // e.g. out of ports or descriptors for a moment: try again soon
        c.timer.expires_after(std::chrono::milliseconds(10));
        c.timer.async_wait([this, &c, generation](beast::error_code wait_ec) {
          if (!wait_ec && generation == c.generation) open(c);
        });
        return;
      }
      ++connects_;
      watch(c, generation);
      if (kind_ == Kind::slowloris) drip(c, generation);
    });
  }

  // Anything from the server (an answer, the end of the stream, a reset)
  // means this connection is over: open another.
  void watch(Connection& c, unsigned generation) {
    c.socket.async_read_some(asio::buffer(&c.received, 1), [this, &c, generation](beast::error_code, std::size_t) {
      if (generation == c.generation) open(c);
    });
  }

  void drip(Connection& c, unsigned generation) {
    static constexpr std::string_view start = "GET /hello HTTP/1.1\r\nX-Slow: ";
    const char byte = c.sent < start.size() ? start[c.sent] : 'a';
    ++c.sent;
    beast::error_code ignored;
    c.socket.write_some(asio::buffer(&byte, 1), ignored);
    c.timer.expires_after(std::chrono::seconds(1));
    c.timer.async_wait([this, &c, generation](beast::error_code ec) {
      if (!ec && generation == c.generation) drip(c, generation);
    });
  }

  asio::io_context io_;
  tcp::endpoint server_;
  Kind kind_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::atomic<std::size_t> connects_{0};
  std::thread thread_;
};

// Lowers this process's descriptor limit to the descriptors it has open and
// takes every free number below it, so that the next accept() fails with
// EMFILE; restores both on destruction.
class DescriptorsExhausted {
 public:
  DescriptorsExhausted() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      highest = std::max(highest, std::stoi(entry.path().filename().string()));
    }
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(highest) + 1;
    ::setrlimit(RLIMIT_NOFILE, &lowered);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) fillers_.push_back(fd);
    exhausted_ = errno == EMFILE;
  }
  ~DescriptorsExhausted() {
    for (const int fd : fillers_) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  DescriptorsExhausted(const DescriptorsExhausted&) = delete;
  DescriptorsExhausted& operator=(const DescriptorsExhausted&) = delete;

  bool exhausted() const { return exhausted_; }

 private:
  rlimit saved_{};
  std::vector<int> fillers_;
  bool exhausted_ = false;
};

}  // namespace

TEST_CASE("http server: routes GET by path, without the query string") {
  std::vector<std::string> paths;
  RunningServer s([&](std::string_view path) {
    paths.emplace_back(path);
    return hello_router(path);
  });
  REQUIRE(s.port() != 0);

  const Response ok = get(s.port(), "/hello?verbose=1");
  CHECK(ok.result_int() == 200);
  CHECK(ok.body() == "hello\n");
  CHECK(header(ok, http::field::content_type) == "text/plain; charset=utf-8");
  CHECK(header(ok, http::field::content_length) == "6");

  const Response missing = get(s.port(), "/nope");
  CHECK(missing.result_int() == 404);
  CHECK(missing.body() == "not found\n");

  CHECK(paths == std::vector<std::string>{"/hello", "/nope"});
}

TEST_CASE("http server: an absolute-form target is served by its path") {
  std::vector<std::string> paths;
  RunningServer s([&](std::string_view path) {
    paths.emplace_back(path);
    return hello_router(path);
  });
  const Response ok = get(s.port(), "http://localhost/hello?verbose=1");
  CHECK(ok.result_int() == 200);
  CHECK(ok.body() == "hello\n");
  CHECK(get(s.port(), "HTTP://127.0.0.1:8080/hello").result_int() == 200);
  CHECK(get(s.port(), "https://localhost/nope").result_int() == 404);
  CHECK(get(s.port(), "http://localhost").result_int() == 404);
  CHECK(paths == std::vector<std::string>{"/hello", "/hello", "/nope", "/"});
}

TEST_CASE("http server: asterisk- and authority-form targets are refused") {
  std::vector<std::string> paths;
  RunningServer s([&](std::string_view path) {
    paths.emplace_back(path);
    return hello_router(path);
  });
  const auto send = [&](http::verb verb, const std::string& target) {
    return Client(s.port()).request(verb, target, false);
  };
  CHECK(send(http::verb::options, "*").result_int() == 405);
  CHECK(send(http::verb::connect, "localhost:443").result_int() == 405);
  CHECK(send(http::verb::get, "*").result_int() == 400);
  CHECK(send(http::verb::get, "localhost:443").result_int() == 400);
  CHECK(send(http::verb::get, "ftp://localhost/hello").result_int() == 400);
  CHECK(send(http::verb::get, "http:///hello").result_int() == 400);
  const Response head = Client(s.port()).request(http::verb::head, "*", false);
  CHECK(head.result_int() == 400);
  CHECK(head.body().empty());
  CHECK(paths.empty());
  CHECK(get(s.port(), "/hello").result_int() == 200);
}

TEST_CASE("http server: HEAD gives the headers of GET without the body") {
  RunningServer s(hello_router);
  Client client(s.port());
  const Response head = client.request(http::verb::head, "/hello");
  CHECK(head.result_int() == 200);
  CHECK(header(head, http::field::content_length) == "6");
  CHECK(head.body().empty());
  // The connection is still in step: the next response is read whole.
  CHECK(client.request(http::verb::get, "/hello").body() == "hello\n");
}

TEST_CASE("http server: methods other than GET and HEAD get 405") {
  RunningServer s(hello_router);
  for (const auto verb : {http::verb::post, http::verb::put, http::verb::delete_}) {
    const Response res = Client(s.port()).request(verb, "/hello", false);
    CHECK(res.result_int() == 405);
    CHECK(header(res, http::field::allow) == "GET, HEAD");
  }
}

TEST_CASE("http server: a router that throws gives 500 and the server goes on") {
  RunningServer s(hello_router);
  CHECK(get(s.port(), "/boom").result_int() == 500);
  CHECK(get(s.port(), "/hello").result_int() == 200);
}

TEST_CASE("http server: keep-alive serves several requests on one connection") {
  RunningServer s(hello_router);
  Client client(s.port());
  const Response first = client.request(http::verb::get, "/hello");
  CHECK(first.result_int() == 200);
  CHECK(first.keep_alive());
  const Response second = client.request(http::verb::get, "/nope");
  CHECK(second.result_int() == 404);
  const Response third = client.request(http::verb::get, "/hello", false);
  CHECK(third.body() == "hello\n");
  CHECK_FALSE(third.keep_alive());
  CHECK(client.closed_by_server());
}

TEST_CASE("http server: oversized or malformed requests are refused") {
  RunningServer s(hello_router);
  SECTION("a header over 8 KiB") {
    Client client(s.port());
    const Response res = client.request(http::verb::get, "/hello", true, std::string(9000, 'a'));
    CHECK(res.result_int() == 413);
    CHECK(client.closed_by_server());
  }
  SECTION("a body over 8 KiB") {
    Client client(s.port());
    http::request<http::string_body> req{http::verb::get, "/hello", 11};
    req.body() = std::string(9000, 'b');
    req.prepare_payload();
    http::write(client.socket, req);
    CHECK(client.read().result_int() == 413);
  }
  SECTION("fields a little over 8 KiB, however they arrive") {
    // Given all at once, Beast's parser would take the first fields and then
    // find the rest under its limit; byte by byte it would not. Sent in two
    // writes, the server's first read holds just the first ones.
    for (const std::size_t fields_bytes : {std::size_t{8000}, std::size_t{8400}}) {
      const std::string first = "GET /hello HTTP/1.1\r\nHost: localhost\r\nX-First: " + std::string(300, 'f') + "\r\n";
      const std::size_t first_fields = first.size() - std::string_view("GET /hello HTTP/1.1\r\n").size();
      const std::string rest = "X-Rest: " + std::string(fields_bytes - first_fields - 12, 'r') + "\r\n\r\n";
      const unsigned expected = fields_bytes <= HttpServer::kMaxHeaderBytes ? 200 : 413;
      INFO("fields of " << fields_bytes << " bytes");
      Client at_once(s.port());
      asio::write(at_once.socket, asio::buffer(first + rest));
      CHECK(at_once.read().result_int() == expected);
      Client in_two(s.port());
      asio::write(in_two.socket, asio::buffer(first));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      asio::write(in_two.socket, asio::buffer(rest));
      CHECK(in_two.read().result_int() == expected);
    }
  }
  SECTION("not HTTP") {
    Client client(s.port());
    asio::write(client.socket, asio::buffer(std::string_view("hello there\r\n\r\n")));
    CHECK(client.read().result_int() == 400);
    CHECK(client.closed_by_server());
  }
  // None of that harmed the server.
  CHECK(get(s.port(), "/hello").result_int() == 200);
}

TEST_CASE("http server: at the connection limit, a new connection is served and the oldest closed") {
  RunningServer s(hello_router);
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < HttpServer::kMaxConnections; ++i) clients.push_back(std::make_unique<Client>(s.port()));
  // Accepted in order: once the last one is answered, every one holds a slot.
  CHECK(clients.back()->request(http::verb::get, "/hello").result_int() == 200);

  Client newcomer(s.port());
  CHECK(newcomer.request(http::verb::get, "/hello").result_int() == 200);
  // The one that made room: the first, which has waited longest without a request.
  CHECK(clients.front()->closed_by_server());
}

// Five probes from another address than the hostile clients', `pause` apart: each answered 200 within 5 s.
static void check_probes_answered(std::uint16_t port, std::chrono::milliseconds pause) {
  for (int round = 0; round < 5; ++round) {
    INFO("round " << round);
    Probe probe("127.0.0.2");
    const bool answered = probe.get(port, "/hello", std::chrono::seconds(5));
    INFO(probe.failure);
    REQUIRE(answered);
    CHECK(probe.response->result_int() == 200);
    std::this_thread::sleep_for(pause);
  }
}

TEST_CASE("http server: a probe is answered while 200 idle connections are held open") {
  RunningServer s(hello_router);
  HostileClients hostile(s.port(), 200, HostileClients::Kind::idle);
  REQUIRE(hostile.wait_for_connects(200));
  check_probes_answered(s.port(), std::chrono::milliseconds(200));
  // They did contend for the slots: the server closed some, and they came back.
  CHECK(hostile.connects() > 200);
}

TEST_CASE("http server: a probe is answered while 200 connections send a header a byte a second") {
  RunningServer s(hello_router);
  HostileClients hostile(s.port(), 200, HostileClients::Kind::slowloris);
  REQUIRE(hostile.wait_for_connects(200));
  // Let them dribble a while: every slot is held by a request begun and unfinished.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  check_probes_answered(s.port(), std::chrono::milliseconds(500));
  CHECK(hostile.connects() > 200);
}

TEST_CASE("http server: out of file descriptors, a new connection still gets in") {
  RunningServer s(hello_router);
  // Connections that hold their descriptor: each has begun a request.
  std::vector<std::unique_ptr<Client>> holders;
  for (int i = 0; i < 8; ++i) holders.push_back(std::make_unique<Client>(s.port()));
  // Accepted in order: once the last one is answered, every one is in.
  CHECK(holders.back()->request(http::verb::get, "/hello").result_int() == 200);
  for (auto& holder : holders) asio::write(holder->socket, asio::buffer(std::string_view("GET /hello HTTP/1.1\r\n")));

  // A probe's first exchange, before the limit: UndefinedBehaviorSanitizer
  // checks a type on its first use with a pipe(), which fails without a
  // descriptor and is then reported as a bad object. For the same reason
  // nothing is asserted until the descriptors are given back.
  REQUIRE(Probe().get(s.port(), "/hello", std::chrono::seconds(3)));
  Probe probe;  // its socket, and its io_context's, exist before the limit
  std::optional<DescriptorsExhausted> exhausted(std::in_place);
  const bool was_exhausted = exhausted->exhausted();
  const bool answered = probe.get(s.port(), "/hello", std::chrono::seconds(3));
  exhausted.reset();
  REQUIRE(was_exhausted);
  INFO(probe.failure);
  REQUIRE(answered);
  CHECK(probe.response->result_int() == 200);
}

TEST_CASE("http server: stop() closes open connections") {
  RunningServer s(hello_router);
  Client client(s.port());
  CHECK(client.request(http::verb::get, "/hello").result_int() == 200);
  asio::post(s.io, [&] { s.server->stop(); });
  CHECK(client.closed_by_server());
}

TEST_CASE("http server: listen strings") {
  asio::io_context io;
  for (const char* bad :
       {"", "9108", "localhost", "127.0.0.1", "127.0.0.1:", "127.0.0.1:port", "127.0.0.1:65536", "127.0.0.1:-1",
        ":9108", "::1:9108", "[::1]9108", "[::1", "[localhost]:9108", "no-such-host.invalid:9108"}) {
    INFO(bad);
    try {
      HttpServer server(io, bad, hello_router);
      FAIL("accepted");
    } catch (const UsageError& e) {
      CHECK(std::string(e.what()).starts_with("http.listen: "));
      CHECK(std::string(e.what()).find(bad) != std::string::npos);
    }
  }

  HttpServer by_name(io, "localhost:0", hello_router);
  CHECK(by_name.port() != 0);

  // A port that is taken is a runtime failure, not a usage error.
  const auto listen_twice = [&] {
    HttpServer server(io, "127.0.0.1:0", hello_router);
    HttpServer again(io, "127.0.0.1:" + std::to_string(server.port()), hello_router);
  };
  CHECK_THROWS_AS(listen_twice(), std::runtime_error);
}

TEST_CASE("http server: IPv6 loopback") {
  std::optional<RunningServer> s;
  try {
    s.emplace(hello_router, "[::1]:0");
  } catch (const std::runtime_error& e) {
    WARN("no IPv6 loopback here: " << e.what());
    return;
  }
  Client client(s->port(), "::1");
  CHECK(client.request(http::verb::get, "/hello").body() == "hello\n");
}

TEST_CASE("http server: serves Metrics::text() at /metrics") {
  Config config;
  ModelConfig model;
  model.id = "fraud-v3";
  model.features.push_back({.name = "amount", .type = FeatureType::numeric, .tests = {"ks"}});
  config.models.push_back(model);
  const auto schemas = model_schemas(config);
  Metrics metrics(schemas, config);
  metrics.add_consumed(0, 7);

  RunningServer s([&](std::string_view path) -> HttpResponse {
    if (path == "/metrics") return {.content_type = std::string(Metrics::kContentType), .body = metrics.text()};
    return {.status = 404};
  });
  const Response res = get(s.port(), "/metrics");
  CHECK(res.result_int() == 200);
  CHECK(header(res, http::field::content_type) == Metrics::kContentType);
  CHECK(res.body().find("\ndriftd_events_consumed_total{model=\"fraud-v3\"} 7\n") != std::string::npos);
}
