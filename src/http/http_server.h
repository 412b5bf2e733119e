// A small HTTP/1.1 server (Boost.Beast) for /metrics, /healthz, /readyz and
// /v1/status. It runs on the caller's io_context, so the routing function is
// called on that io_context's thread and may read the daemon's state without
// locks.
//
// Only what a scraper or a probe needs: GET and HEAD (anything else: 405),
// the path without its query string, requests of at most 8 KiB of header and
// 8 KiB of body (else 413; malformed: 400), keep-alive, a 10 s timeout on
// every read and write so a slow client cannot hold a connection, and at most
// 64 connections at once (more are closed on accept). A routing function that
// throws gives a 500; nothing throws out of the event loop.
#pragma once

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
