// JSON text written by driftd is always valid JSON, whatever bytes the
// user's files held (issue 13: a Latin-1 CSV header made score's output
// invalid).
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <string>

#include "util/json_text.h"
#include "util/utf8.h"

using driftd::append_json_string;

namespace {

std::string json(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// What a JSON parser (simdjson validates UTF-8) reads back.
std::string read_back(const std::string& json_text) {
  simdjson::dom::parser parser;
  std::string_view value;
  REQUIRE(parser.parse(json_text).get_string().get(value) == simdjson::SUCCESS);
  return std::string(value);
}

const std::string kFFFD = "\xEF\xBF\xBD";

}  // namespace

TEST_CASE("json_text: valid UTF-8 is written as it is, controls and quotes escaped", "[json_text]") {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \x7F";
  CHECK(json(text) == "\"" + text + "\"");
  CHECK(json("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
  CHECK(read_back(json(text)) == text);
}

TEST_CASE("json_text: ill-formed UTF-8 becomes U+FFFD, one per maximal subpart", "[json_text]") {
  // Unicode §3.9's examples of maximal subparts.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"caf\xE9", "caf" + kFFFD},                     // Latin-1
      {"\x80x", kFFFD + "x"},                         // a lone continuation byte
      {"\xC0\xAF", kFFFD + kFFFD},                    // overlong '/': C0 is never valid
      {"\xE0\x80\xAF", kFFFD + kFFFD + kFFFD},        // overlong three-byte form
      {"\xED\xA0\x80", kFFFD + kFFFD + kFFFD},        // a surrogate
      {"\xF4\x90\x80\x80", kFFFD + kFFFD + kFFFD + kFFFD},  // past U+10FFFF
      {"\xE2\x82", kFFFD},                            // truncated at the end: one subpart
      {"\xE2\x82x", kFFFD + "x"},                     // truncated before ASCII
      {"\xF0\x9F\x98", kFFFD},                        // truncated four-byte form
      {"\xFF\xFE", kFFFD + kFFFD},
  };
  for (const auto& [bytes, expected] : cases) {
    INFO(bytes);
    CHECK(json(bytes) == "\"" + expected + "\"");
    CHECK(read_back(json(bytes)) == expected);
    CHECK(driftd::valid_utf8(bytes) == expected);
  }
}

TEST_CASE("json_text: every byte string gives valid JSON", "[json_text]") {
  // All two-byte strings, and a sweep of three-byte ones: each must parse.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string bytes{char(a), char(b)};
      const std::string text = json(bytes);
      simdjson::dom::parser parser;
      std::string_view value;
      if (parser.parse(text).get_string().get(value) != simdjson::SUCCESS) FAIL("invalid JSON for bytes " << a << " " << b);
    }
  }
  for (int a = 0xE0; a < 0x100; a += 3) {
    for (int b = 0x70; b < 0xC8; b += 5) {
      for (int c = 0x70; c < 0xC8; c += 7) {
        const std::string bytes{char(a), char(b), char(c)};
        CHECK(!read_back(json(bytes)).empty());
      }
    }
  }
}
