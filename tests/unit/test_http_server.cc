#include "http/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <stdexcept>
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
  SECTION("not HTTP") {
    Client client(s.port());
    asio::write(client.socket, asio::buffer(std::string_view("hello there\r\n\r\n")));
    CHECK(client.read().result_int() == 400);
    CHECK(client.closed_by_server());
  }
  // None of that harmed the server.
  CHECK(get(s.port(), "/hello").result_int() == 200);
}

TEST_CASE("http server: connections beyond the limit are closed") {
  RunningServer s(hello_router);
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < HttpServer::kMaxConnections; ++i) clients.push_back(std::make_unique<Client>(s.port()));
  // Accepted in order: once the last one is answered, every one holds a slot.
  CHECK(clients.back()->request(http::verb::get, "/hello").result_int() == 200);

  Client excess(s.port());
  CHECK(excess.closed_by_server());

  // A freed slot is taken again (once the server has seen the close).
  clients.front().reset();
  bool served = false;
  for (int attempt = 0; attempt < 100 && !served; ++attempt) {
    Client again(s.port());
    beast::error_code ec;
    http::request<http::empty_body> req{http::verb::get, "/hello", 11};
    http::write(again.socket, req, ec);
    Response res;
    if (!ec) http::read(again.socket, again.buffer, res, ec);
    served = !ec && res.result_int() == 200;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(served);
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
