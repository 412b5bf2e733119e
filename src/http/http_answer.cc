#include "http/http_answer.h"

#include <stdexcept>
#include <string>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace driftd {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::string_view kText = "text/plain; charset=utf-8";

HttpReply make_reply(unsigned status, std::string_view content_type, std::string body) {
  HttpReply reply;
  reply.result(status);
  if (!content_type.empty()) {
    reply.set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
  }
  reply.body() = std::move(body);
  reply.prepare_payload();  // throws std::invalid_argument for a body with 204 or 304
  return reply;
}

bool is_http_scheme(std::string_view scheme) {
  const beast::string_view name(scheme.data(), scheme.size());
  return beast::iequals(name, "http") || beast::iequals(name, "https");
}

}  // namespace

RequestReading::RequestReading() {
  parser_.header_limit(HttpServer::kMaxHeaderBytes);
  parser_.body_limit(HttpServer::kMaxBodyBytes);
}

beast::error_code RequestReading::parse(beast::flat_buffer& buffer) {
  while (!parser_.is_done()) {
    if (seen_ == buffer.size()) return http::error::need_more;
    const std::size_t given = seen_ + 1;
    beast::error_code ec;
    const std::size_t taken = parser_.put(boost::asio::buffer(buffer.data().data(), given), ec);
    buffer.consume(taken);
    seen_ = given - taken;
    if (ec && ec != http::error::need_more) return ec;
  }
  return {};
}

beast::error_code RequestReading::end_of_input() {
  if (!parser_.got_some()) return http::error::end_of_stream;
  beast::error_code ec;
  parser_.put_eof(ec);  // partial_message: no request has a body that ends with the input
  return ec;
}

std::optional<std::string_view> request_path(std::string_view target) {
  const auto without_query = [](std::string_view path) { return path.substr(0, path.find_first_of("?#")); };
  if (target.starts_with('/')) return without_query(target);

  const auto scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos || !is_http_scheme(target.substr(0, scheme_end))) return std::nullopt;
  const std::string_view after_scheme = target.substr(scheme_end + 3);
  const auto authority_end = after_scheme.find_first_of("/?#");
  if (authority_end == 0) return std::nullopt;  // "http:///p": an http URI needs a host
  if (authority_end == std::string_view::npos || after_scheme[authority_end] != '/') return "/";
  return without_query(after_scheme.substr(authority_end));
}

HttpReply answer_request(const HttpRequest& request, const HttpServer::Router& router) {
  const bool head = request.method() == http::verb::head;
  HttpReply reply = [&] {
    if (!head && request.method() != http::verb::get) {
      HttpReply refused = make_reply(405, kText, "method not allowed\n");
      refused.set(http::field::allow, "GET, HEAD");
      return refused;
    }
    const auto path = request_path(std::string_view(request.target().data(), request.target().size()));
    if (!path) return make_reply(400, kText, "bad request target: expected a path such as /metrics\n");
    try {
      HttpResponse routed = router(*path);
      // A 1xx is not a final answer: the client would wait for another.
      if (routed.status < 200 || routed.status > 599) throw std::out_of_range("HTTP status");
      return make_reply(routed.status, routed.content_type, std::move(routed.body));
    } catch (...) {
      return make_reply(500, kText, "internal error\n");
    }
  }();
  if (head) reply.body().clear();  // the headers of GET, Content-Length included
  reply.version(request.version());
  reply.keep_alive(request.keep_alive());
  return reply;
}

std::optional<HttpReply> answer_unreadable(beast::error_code error) {
  const auto closing = [](HttpReply reply) {
    reply.keep_alive(false);  // the parser cannot tell where the next request would begin
    return reply;
  };
  if (error == http::error::header_limit || error == http::error::body_limit) {
    return closing(make_reply(413, kText, "request too large\n"));
  }
  // In the same category as a malformed request, but the client has gone.
  if (error == http::error::end_of_stream || error == http::error::partial_message) return std::nullopt;
  if (error.category() == http::make_error_code(http::error::bad_method).category()) {
    return closing(make_reply(400, kText, "bad request\n"));
  }
  return std::nullopt;
}

}  // namespace driftd
