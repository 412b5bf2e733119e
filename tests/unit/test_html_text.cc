#include "util/html_text.h"

#include <catch2/catch.hpp>

using namespace driftd;

TEST_CASE("html text: markup and quotes become character references", "[html_text]") {
  CHECK(html_text("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  CHECK(html_text("a \"b\" & c") == "a &quot;b&quot; &amp; c");
  CHECK(html_text("&amp;") == "&amp;amp;");  // escaped again: the text is shown as written
  CHECK(html_text("plain, ümlaut, 日本") == "plain, ümlaut, 日本");
}

TEST_CASE("html text: bytes HTML cannot hold become U+FFFD", "[html_text]") {
  CHECK(html_text(std::string_view("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(html_text("a\x1b[31mb") == "a\xEF\xBF\xBD[31mb");  // a terminal escape
  CHECK(html_text("a\x7f") == "a\xEF\xBF\xBD");
  CHECK(html_text("a\xC2\x85") == "a\xEF\xBF\xBD");  // C1 control U+0085
  CHECK(html_text("\xff<") == "\xEF\xBF\xBD&lt;");   // not UTF-8, then markup
  CHECK(html_text("tab\tand\nnewline") == "tab\tand\nnewline");
}
