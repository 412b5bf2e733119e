// libFuzzer target for what the HTTP server answers (src/http/http_answer.h).
// Build and run with scripts/fuzz.sh (make fuzz), or by hand:
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     tests/fuzz/fuzz_http_request.cc src/http/http_answer.cc -o fuzz_http_request
//   mkdir -p /tmp/http_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_http_request -max_total_time=60 /tmp/http_corpus tests/fuzz/corpus/http_request
// The input is what a client sends on one connection. It is read as the
// server reads it (driftd::RequestReading), request after
// request while keep-alive holds, and each is answered as the server answers,
// by a router that records what it is asked. All of it twice: the bytes
// arriving at once, then one at a time (TCP splits them anywhere).
// A crash, an exception, a sanitizer report or a broken rule is a finding:
// - the two readings give the same answers byte for byte, refusals included;
// - the router is asked only for GET and HEAD, with what request_path gives:
//   a path that begins with '/', holds no '?' or '#', and is part of the
//   target; other methods get 405 (with Allow), targets without a path 400;
// - every answer has the request's version and keep-alive, a status of
//   200-599 (the router's, or 500 when it throws or gives what cannot be
//   sent), and reads back whole as the same message; to HEAD the headers of
//   GET, Content-Length included, without a body;
// - bytes that are not a request get 413 or 400 and close, or no answer
//   when they end before a request does.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "http/http_answer.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using driftd::HttpReply;
using driftd::HttpRequest;

void require(bool condition) {
  if (!condition) std::abort();
}

std::string_view view(beast::string_view text) { return {text.data(), text.size()}; }

// "/boom" throws; "/status/N" answers status N (in range or not); any other
// path answers 200 with the path as the body.
driftd::HttpResponse route(std::string_view path) {
  if (path == "/boom") throw std::runtime_error("router failed");
  if (path.starts_with("/status/")) {
    unsigned status = 0;
    const std::string_view digits = path.substr(8);
    std::from_chars(digits.data(), digits.data() + digits.size(), status);
    return {.status = status, .body = "status\n"};
  }
  return {.body = std::string(path) + "\n"};
}

// The status the server sends for what route() answers `path` with: 500
// for what cannot be sent (a throw, no final status, a body that 204 and
// 304 cannot have).
unsigned expected_status(std::string_view path) {
  try {
    const unsigned status = route(path).status;
    return status >= 200 && status <= 599 && status != 204 && status != 304 ? status : 500;
  } catch (const std::runtime_error&) {
    return 500;
  }
}

// The reply as it goes on the wire.
std::string wire(const HttpReply& reply) {
  std::ostringstream out;
  out << reply;
  return out.str();
}

// Reads `reply` back from its wire form and requires the same message.
void require_reads_back(const HttpReply& reply, bool head) {
  boost::asio::io_context io;
  beast::test::stream stream(io, wire(reply));
  stream.close_remote();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.skip(head);  // a response to HEAD announces a body it does not carry
  beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  require(!ec);
  const HttpReply& read = parser.get();
  require(read.result_int() == reply.result_int());
  require(read.version() == reply.version());
  require(read.keep_alive() == reply.keep_alive());
  require(read[http::field::content_type] == reply[http::field::content_type]);
  require(read[http::field::content_length] == reply[http::field::content_length]);
  require(read.body() == reply.body());
  require(buffer.size() == 0);  // nothing after the message: the next one would start in step
}

// Checks the answer to a request read whole, by the rules above.
void check_answer(const HttpRequest& request, const HttpReply& reply, const std::optional<std::string>& asked) {
  const std::string_view target = view(request.target());
  const std::optional<std::string_view> path = driftd::request_path(target);
  const bool head = request.method() == http::verb::head;
  require(request.body().size() <= driftd::HttpServer::kMaxBodyBytes);
  require(reply.version() == request.version());
  require(reply.keep_alive() == request.keep_alive());

  if (!head && request.method() != http::verb::get) {
    require(reply.result_int() == 405 && reply[http::field::allow] == "GET, HEAD" && !asked);
  } else if (!path) {
    require(reply.result_int() == 400 && !asked);
  } else {
    require(asked && *asked == *path);
    require(path->starts_with('/') && path->find_first_of("?#") == std::string_view::npos);
    require(target.find(*path) != std::string_view::npos || *path == "/");
    require(reply.result_int() == expected_status(*path));
  }
  if (head) {
    HttpRequest as_get = request;
    as_get.method(http::verb::get);
    const HttpReply get = driftd::answer_request(as_get, route);
    require(reply.result_int() == get.result_int());
    require(reply[http::field::content_length] == std::to_string(get.body().size()));
    require(reply.body().empty());
  } else {
    require(reply[http::field::content_length] == std::to_string(reply.body().size()));
  }
  require_reads_back(reply, head);
}

// Reads `input` as one connection's bytes, `read_size` at most at a time,
// and answers as the server does; gives all it answers, in order, the
// refusal of bytes that are not a request included.
std::string serve(std::string_view input, std::size_t read_size) {
  boost::asio::io_context io;
  beast::test::stream stream(io, beast::string_view(input.data(), input.size()));
  stream.read_size(read_size);
  stream.close_remote();
  beast::flat_buffer buffer;
  std::string answers;
  for (;;) {
    driftd::RequestReading reading;
    beast::error_code ec = reading.parse(buffer);
    while (ec == http::error::need_more) {
      beast::error_code read_error;
      buffer.commit(stream.read_some(buffer.prepare(read_size), read_error));
      ec = read_error == boost::asio::error::eof ? reading.end_of_input() : reading.parse(buffer);
    }
    if (ec) {
      const std::optional<HttpReply> refusal = driftd::answer_unreadable(ec);
      if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
        require(!refusal);
      } else {
        require(refusal && (refusal->result_int() == 413 || refusal->result_int() == 400));
        require(!refusal->keep_alive());
        require_reads_back(*refusal, false);
        answers += wire(*refusal);
      }
      return answers;
    }
    const HttpRequest& request = reading.request();
    std::optional<std::string> asked;
    const HttpReply reply = driftd::answer_request(request, [&](std::string_view path) {
      require(!asked);
      asked.emplace(path);
      return route(path);
    });
    check_answer(request, reply, asked);
    answers += wire(reply);
    if (!reply.keep_alive()) return answers;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  require(serve(input, input.size() + 1) == serve(input, 1));
  return 0;
}
