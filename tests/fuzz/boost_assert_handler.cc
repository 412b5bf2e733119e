// What a failed BOOST_ASSERT does in the fuzz build (scripts/fuzz.sh defines
// BOOST_ENABLE_ASSERT_HANDLER): print it and abort, as Boost would, so that
// libFuzzer reports it; except one assertion that is wrong.
//
// Boost 1.74's HTTP parser asserts that a chunked body's final chunk, given
// again after it asked for more, spans at least 5 bytes ("\r\n0\r\n"), but
// when it is the first chunk it spans 3 ("0\r\n"): a body "0\r\n\r\n"
// arriving a byte at a time fails it. The code after the assertion handles
// 3 bytes correctly, and Beast corrected the assertion (boostorg/beast pull
// request 2861, 2024). Our builds define NDEBUG, so the server never asserts.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::string_view(expr) == "n >= 5" && std::string_view(file).ends_with("beast/http/impl/basic_parser.ipp")) return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
