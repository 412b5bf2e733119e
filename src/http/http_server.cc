#include "http/http_server.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <map>
#include <optional>
#include <unordered_set>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "driftd/error.h"
#include "http/http_answer.h"
#include "http/listen_address.h"

namespace driftd {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// After our last response, how long we read (and discard) what the client
// still sends, so that closing does not reset the connection under it and
// lose the response.
constexpr std::chrono::seconds kLingerTimeout{2};
// Accept errors (e.g. out of file descriptors) tend to repeat at once: wait
// rather than spin, unless closing a connection of ours made room.
constexpr std::chrono::milliseconds kAcceptRetry{100};

class Session;

struct ServerState {
  ServerState(asio::io_context& io, HttpServer::Router r) : acceptor(io), retry(io), router(std::move(r)) {}

  tcp::acceptor acceptor;
  asio::steady_timer retry;
  HttpServer::Router router;
  std::unordered_set<Session*> sessions;  // each open one registers itself; a closed one is gone
  bool stopped = false;
};

// Whom a connection counts against when the table is full: its address, or
// for IPv6 its /64 (a host can pick any address in its /64).
asio::ip::address peer_of(const tcp::socket& socket) {
  beast::error_code ec;
  asio::ip::address address = socket.remote_endpoint(ec).address();
  if (ec || !address.is_v6()) return address;  // on error: unspecified, one peer for all such
  const asio::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) return asio::ip::make_address_v4(asio::ip::v4_mapped, v6);  // a dual-stack listener
  asio::ip::address_v6::bytes_type network = v6.to_bytes();
  std::fill(network.begin() + 8, network.end(), 0);
  return asio::ip::address_v6(network);
}

// One connection: wait for a request, read it, answer it, repeat while
// keep-alive holds. Each wait has its own deadline (see the header).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> server)
      : peer_(peer_of(socket)), stream_(std::move(socket)), server_(std::move(server)) {
    server_->sessions.insert(this);
  }
  ~Session() { server_->sessions.erase(this); }

  void start() { await_request(); }

  // Leaves the table at once (its slot and descriptor are free for the next
  // connection), and cancels whatever is pending; the handlers then end the
  // session.
  void close() {
    server_->sessions.erase(this);
    stream_.close();
  }

  const asio::ip::address& peer() const { return peer_; }
  // Since it was accepted, or last answered when kept alive: how long it has
  // held its slot for nothing. (Lingering after its last answer, it keeps the
  // time from before that answer, and so goes early: it has nothing to ask.)
  Clock::time_point unanswered_since() const { return unanswered_since_; }

 private:
  // An idle connection costs a slot and gives nothing: it gets a short
  // deadline for its first byte, and the request then a deadline of its own.
  void await_request() {
    unanswered_since_ = Clock::now();
    if (buffer_.size() > 0) return read_request();  // pipelined: it has begun already
    stream_.expires_after(HttpServer::kIdleTimeout);
    stream_.async_read_some(buffer_.prepare(HttpServer::kMaxHeaderBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              self->buffer_.commit(bytes);
                              if (ec || self->server_->stopped) return self->close();
                              self->read_request();
                            });
  }

  // One deadline for the whole request, so that dribbling bytes does not
  // keep the connection.
  void read_request() {
    reading_.emplace();
    stream_.expires_after(HttpServer::kRequestTimeout);
    parse_request();
  }

  void parse_request() {
    if (server_->stopped) return close();
    const beast::error_code ec = reading_->parse(buffer_);
    if (ec != http::error::need_more) return on_read(ec);
    stream_.async_read_some(buffer_.prepare(HttpServer::kMaxHeaderBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                              self->buffer_.commit(bytes);
                              if (ec == asio::error::eof) return self->on_read(self->reading_->end_of_input());
                              if (ec) return self->close();
                              self->parse_request();
                            });
  }

  void on_read(beast::error_code ec) {
    if (server_->stopped) return close();
    if (ec) {
      std::optional<HttpReply> refusal = answer_unreadable(ec);
      return refusal ? write(std::move(*refusal)) : close();
    }
    write(answer_request(reading_->request(), server_->router));
  }

  void write(HttpReply reply) {
    response_ = std::move(reply);
    response_.set(http::field::server, "driftd/" DRIFTD_VERSION);
    if (server_->stopped) response_.keep_alive(false);
    stream_.expires_after(HttpServer::kWriteTimeout);
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || self->server_->stopped) return self->close();
      if (self->response_.need_eof()) return self->linger();
      self->await_request();
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

  asio::ip::address peer_;
  Clock::time_point unanswered_since_ = Clock::now();
  beast::tcp_stream stream_;
  std::shared_ptr<ServerState> server_;
  beast::flat_buffer buffer_;
  // Fresh for each request.
  std::optional<RequestReading> reading_;
  // Lives until written.
  HttpReply response_;
  std::array<char, 1024> discarded_;
};

// Makes room for a newcomer by closing the connection least likely to be
// anyone's request in progress: of the peer holding the most connections,
// the one unanswered longest. Why not refuse the newcomer instead: then
// whoever holds the table (64 idle connections suffice) shuts everyone else
// out. Why age: whatever a connection is doing (waiting, dribbling a request,
// reading its response slowly), an honest one is done in milliseconds, and a
// fresh connection, the probe's, is the last to go. Why by peer first: a
// flood from one address would otherwise cycle the whole table in
// milliseconds and could close a probe before its request was in; this way
// it only cycles its own. Returns whether there was one to close.
bool evict_one(ServerState& server) {
  if (server.sessions.empty()) return false;
  std::map<asio::ip::address, std::size_t> held;  // at most kMaxConnections entries
  for (const Session* session : server.sessions) ++held[session->peer()];
  Session* victim = nullptr;
  std::size_t victim_held = 0;
  for (Session* session : server.sessions) {
    const std::size_t n = held[session->peer()];
    if (victim == nullptr || n > victim_held ||
        (n == victim_held && session->unanswered_since() < victim->unanswered_since())) {
      victim = session;
      victim_held = n;
    }
  }
  victim->close();
  return true;
}

bool out_of_descriptors(beast::error_code ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system;
}

void accept(const std::shared_ptr<ServerState>& server) {
  server->acceptor.async_accept([server](beast::error_code ec, tcp::socket socket) {
    if (server->stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors, a connection of ours can give its own to the
      // one waiting: a probe must get in even then.
      if (out_of_descriptors(ec) && evict_one(*server)) return accept(server);
      server->retry.expires_after(kAcceptRetry);
      server->retry.async_wait([server](beast::error_code wait_ec) {
        if (!wait_ec && !server->stopped) accept(server);
      });
      return;
    }
    if (server->sessions.size() >= HttpServer::kMaxConnections) evict_one(*server);
    std::make_shared<Session>(std::move(socket), server)->start();
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
  while (!server.sessions.empty()) (*server.sessions.begin())->close();  // each leaves the set
}

}  // namespace driftd
