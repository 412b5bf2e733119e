// What the HTTP server answers, apart from any socket: the limits a request
// is parsed with, the path its target names, and the response to a request
// or to bytes that are not one. http_server.cc drives these over
// connections; tests/fuzz/fuzz_http_request.cc drives them over raw bytes.
#pragma once

#include <optional>
#include <string_view>

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_server.h"

namespace driftd {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpRequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
// The whole response as it goes on the wire (HttpResponse is the router's part of it).
using HttpReply = boost::beast::http::response<boost::beast::http::string_body>;

// One request being read: a parser with HttpServer's header and body limits,
// fed what arrives.
//
// Beast's header limit counts only the bytes its parser holds unparsed, and
// how many it holds depends on how the bytes arrived: read all at once, a
// request whose fields run a little over 8 KiB gets in (the parser takes the
// first fields, then the rest fits); byte by byte, it is refused. So
// parse() gives the parser one byte more at a time, as if each had arrived
// alone: the same bytes get the same answer however TCP splits them. (At
// most 16 KiB of header and body, so the byte steps cost nothing to speak
// of.) The limits that holds: a request line of at most 8 KiB, then fields
// of at most 8 KiB (with the blank line that ends them), a body of 8 KiB.
class RequestReading {
 public:
  RequestReading();

  // Parses what `buffer` holds and consumes what the parser took. Gives
  // need_more when the request is not whole yet (read more, call again),
  // nothing when it is (what follows it stays in `buffer`), or what is
  // wrong with it.
  boost::beast::error_code parse(boost::beast::flat_buffer& buffer);
  // The input ended: end_of_stream when the request had not begun,
  // partial_message when it had.
  boost::beast::error_code end_of_input();

  const HttpRequest& request() const { return parser_.get(); }

 private:
  HttpRequestParser parser_;
  // The bytes at the front of the buffer the parser has been given and left
  // there (a line it has not seen the end of).
  std::size_t seen_ = 0;
};

// The path a request target names, without its query: the origin form
// "/p?q" gives "/p"; the absolute form "http://host:port/p?q" gives "/p", or
// "/" when it has no path (RFC 7230 §5.3.2: clients send it to proxies, and
// a server must accept it). Nothing for the asterisk form ("*", for OPTIONS),
// the authority form ("host:port", for CONNECT), or another scheme than http
// and https: they name nothing this server has. The path is not decoded: the
// router compares it as sent.
std::optional<std::string_view> request_path(std::string_view target);

// The response to a request that was read whole: 405 for a method other than
// GET and HEAD, 400 for a target that names no path, else what the router
// gives, or 500 when that cannot be sent: the router throws, gives a status
// outside 200-599, or a body with 204 or 304. To HEAD, the headers GET would
// get, Content-Length included, without the body. In the request's HTTP
// version, keeping the connection open when the request asks to.
HttpReply answer_request(const HttpRequest& request, const HttpServer::Router& router);

// The response to bytes that could not be read as a request (`error` from
// RequestReading): 413 when over a
// limit, 400 when malformed, both closing the connection; nothing when
// there is no one to answer (the client closed, a timeout, a reset).
std::optional<HttpReply> answer_unreadable(boost::beast::error_code error);

}  // namespace driftd
