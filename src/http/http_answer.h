// What the HTTP server answers, apart from any socket: the limits a request
// is parsed with, the path its target names, and the response to a request
// or to bytes that are not one. http_server.cc drives these over
// connections; tests/fuzz/fuzz_http_request.cc drives them over raw bytes.
#pragma once

#include <optional>
#include <string_view>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_server.h"

namespace driftd {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpRequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
// The whole response as it goes on the wire (HttpResponse is the router's part of it).
using HttpReply = boost::beast::http::response<boost::beast::http::string_body>;

// Sets HttpServer's header and body limits on a fresh parser.
void limit_request(HttpRequestParser& parser);

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
// reading them with a parser set up by limit_request): 413 when over a
// limit, 400 when malformed, both closing the connection; nothing when
// there is no one to answer (the client closed, a timeout, a reset).
std::optional<HttpReply> answer_unreadable(boost::beast::error_code error);

}  // namespace driftd
