// A small HTTP/1.1 server (Boost.Beast) for /metrics, /healthz, /readyz and
// /v1/status. It runs on the caller's io_context, so the routing function is
// called on that io_context's thread and may read the daemon's state without
// locks.
//
// Only what a scraper or a probe needs: GET and HEAD (anything else: 405),
// the path of an origin-form ("/metrics?q") or absolute-form
// ("http://host/metrics?q") target without its query (any other target:
// 400), requests of at most 8 KiB of request line, 8 KiB of fields and
// 8 KiB of body, however TCP splits them (else 413; malformed: 400),
// keep-alive. A routing function that throws, or answers
// with a status outside 200-599, gives a 500; nothing throws out of the
// event loop.
//
// Whoever can reach the port must not be able to keep /healthz from being
// answered: a liveness probe that fails gets the pod restarted. So no client
// holds a connection for long, and none holds one a newcomer needs:
// - A connection waiting for the first byte of a request (a new one, or one
//   kept alive after a response) is closed after 2 s; a request must arrive
//   whole within 5 s of its first byte, however slowly its bytes dribble in;
//   writing a response may take 10 s.
// - At most 64 connections at once. One more (or one that accept() cannot
//   take because the process is out of file descriptors) is served, and an
//   old one closed to make room: of the peer holding the most connections,
//   the one that has gone longest without an answer since it was accepted
//   or last answered. A peer is an IPv4 address or an IPv6 /64 network (a
//   host can pick any address in its /64). So a peer flooding the server
//   only ever evicts its own connections, and a client from an address that
//   holds fewer is never the one closed. From the flooding address itself,
//   a client is served if its request is in before that address opens 63
//   more connections, for a fresh connection is the last to go.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

namespace driftd {

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpServer {
 public:
  using Router = std::function<HttpResponse(std::string_view path)>;

  static constexpr std::size_t kMaxConnections = 64;
  static constexpr std::size_t kMaxHeaderBytes = 8 * 1024;
  static constexpr std::size_t kMaxBodyBytes = 8 * 1024;
  static constexpr std::chrono::seconds kIdleTimeout{2};
  static constexpr std::chrono::seconds kRequestTimeout{5};
  static constexpr std::chrono::seconds kWriteTimeout{10};

  // Listens on `listen`: "host:port" with an IPv4 address or a host name,
  // or "[IPv6]:port"; port 0 picks a free port. A malformed string or
  // unresolvable host throws UsageError ("http.listen: ..."); a port that
  // cannot be bound throws std::runtime_error.
  HttpServer(boost::asio::io_context& io, std::string_view listen, Router router);

  // Calls stop(): same thread rule.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port listened on (the chosen one when the listen string said 0).
  std::uint16_t port() const { return port_; }

  // Stops accepting and closes every open connection; the io_context's run()
  // then returns once nothing else is pending. Call it on the io_context's
  // thread (e.g. through boost::asio::post), or while the io_context is not
  // running.
  void stop();

 private:
  struct State;  // shared with the connections, which may outlive the server object
  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
};

}  // namespace driftd
