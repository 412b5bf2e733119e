#include "http/http_server.h"

#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <unordered_set>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "driftd/error.h"
#include "http/listen_address.h"

namespace driftd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kIoTimeout{10};
// After our last response, how long we read (and discard) what the client
// still sends, so that closing does not reset the connection under it and
// lose the response.
constexpr std::chrono::seconds kLingerTimeout{2};
// Accept errors (e.g. out of file descriptors) tend to repeat at once: wait
// rather than spin.
constexpr std::chrono::milliseconds kAcceptRetry{100};

class Session;

struct ServerState {
  ServerState(asio::io_context& io, HttpServer::Router r) : acceptor(io), retry(io), router(std::move(r)) {}

  tcp::acceptor acceptor;
  asio::steady_timer retry;
  HttpServer::Router router;
  std::unordered_set<Session*> sessions;  // each registers itself while it lives
  bool stopped = false;
};

using Response = http::response<http::string_body>;

Response make_response(unsigned status, std::string_view content_type, std::string body, bool head) {
  Response res;
  res.result(status);
  res.set(http::field::server, "driftd/" DRIFTD_VERSION);
  if (!content_type.empty()) {
    res.set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
  }
  if (head) {
    res.content_length(body.size());  // what GET would send, without sending it
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
  return res;
}

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    server_->sessions.insert(this);
  }
  ~Session() { server_->sessions.erase(this); }

  void start() { read(); }

  // Cancels whatever is pending; the handlers then end the session.
  void close() { stream_.close(); }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(HttpServer::kMaxHeaderBytes);
    parser_->body_limit(HttpServer::kMaxBodyBytes);
    stream_.expires_after(kIoTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (server_->stopped) return close();
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      return write(make_response(413, "text/plain; charset=utf-8", "request too large\n", false), false);
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) return close();
    if (ec.category() == http::make_error_code(http::error::bad_method).category()) {  // a malformed request
      return write(make_response(400, "text/plain; charset=utf-8", "bad request\n", false), false);
    }
    if (ec) return close();  // timeout, reset, cancelled: no one to answer

    const auto& request = parser_->get();
    const bool keep_alive = request.keep_alive();
    Response response = answer(request);
    response.version(request.version());
    write(std::move(response), keep_alive);
  }

  Response answer(const http::request<http::string_body>& request) const {
    const bool head = request.method() == http::verb::head;
    if (!head && request.method() != http::verb::get) {
      Response res = make_response(405, "text/plain; charset=utf-8", "method not allowed\n", false);
      res.set(http::field::allow, "GET, HEAD");
      return res;
    }
    std::string_view path(request.target().data(), request.target().size());
    path = path.substr(0, path.find_first_of("?#"));
    try {
      HttpResponse routed = server_->router(path);
      if (routed.status < 100 || routed.status > 599) throw std::out_of_range("HTTP status");
      return make_response(routed.status, routed.content_type, std::move(routed.body), head);
    } catch (...) {
      return make_response(500, "text/plain; charset=utf-8", "internal error\n", head);
    }
  }

  void write(Response response, bool keep_alive) {
    response_ = std::move(response);
    response_.keep_alive(keep_alive && !server_->stopped);
    stream_.expires_after(kIoTimeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || self->server_->stopped) return self->close();
      if (self->response_.need_eof()) return self->linger();
      self->read();
    });
  }

  // Half-closes, then discards input until the client closes too.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLingerTimeout);
    discard();
  }

  void discard() {
    stream_.async_read_some(asio::buffer(discarded_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || self->server_->stopped) return self->close();
      self->discard();
    });
  }

  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> server_;
  beast::flat_buffer buffer_;
  // Fresh for each request.
  std::optional<http::request_parser<http::string_body>> parser_;
  // Lives until written.
  Response response_;
  std::array<char, 1024> discarded_;
};

void accept(const std::shared_ptr<ServerState>& server) {
  server->acceptor.async_accept([server](beast::error_code ec, tcp::socket socket) {
    if (server->stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      server->retry.expires_after(kAcceptRetry);
      server->retry.async_wait([server](beast::error_code wait_ec) {
        if (!wait_ec && !server->stopped) accept(server);
      });
      return;
    }
    if (server->sessions.size() < HttpServer::kMaxConnections) {
      std::make_shared<Session>(std::move(socket), server)->start();
    } else {
      beast::error_code ignored;
      socket.close(ignored);
    }
    accept(server);
  });
}

}  // namespace

struct HttpServer::State : ServerState {
  using ServerState::ServerState;
};

HttpServer::HttpServer(boost::asio::io_context& io, std::string_view listen, Router router)
    : state_(std::make_shared<State>(io, std::move(router))) {
  const tcp::endpoint endpoint = resolve_listen_address(io, listen);
  tcp::acceptor& acceptor = state_->acceptor;
  beast::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("http.listen: cannot listen on " + std::string(listen) + ": " + ec.message());
  port_ = acceptor.local_endpoint().port();
  accept(state_);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::stop() {
  ServerState& server = *state_;
  server.stopped = true;
  beast::error_code ignored;
  server.acceptor.close(ignored);
  server.retry.cancel();
  for (Session* session : server.sessions) session->close();
}

}  // namespace driftd
