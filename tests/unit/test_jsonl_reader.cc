#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "driftd/error.h"
#include "driftd/table.h"
#include "temp_file.h"

using driftd::CellKind;
using driftd::InputError;
using driftd::read_jsonl;
using driftd::Table;
using driftd::testing::points_into;
using driftd::testing::TempDir;

namespace {

#define REQUIRE_INPUT_ERROR(expression, message) \
  REQUIRE_THROWS_MATCHES(expression, InputError, Catch::Matchers::Message(message))

std::vector<std::string> names(const Table& table) {
  std::vector<std::string> out;
  for (const driftd::Column& column : table.columns) out.push_back(column.name);
  return out;
}

const driftd::Column& column(const Table& table, std::string_view name) {
  const driftd::Column* found = table.find(name);
  REQUIRE(found != nullptr);
  return *found;
}

// The event of include/driftd/README.md, "Events".
constexpr const char* event_line =
    R"({"model_id": "fraud-v3", "ts": 1763800000123, )"
    R"("features": {"amount": 12.5, "country": "KR", "is_new": true}, "prediction": 0.83, "label": 1})";

}  // namespace

TEST_CASE("jsonl_reader: flat objects, one kind per JSON type", "[jsonl_reader]") {
  TempDir dir;
  const Table table = read_jsonl(dir.write("a.jsonl", R"({"n": 1.50, "s": "KR", "b": true, "z": null})"
                                                      "\n"
                                                      R"({"n": -2e-05, "s": "", "b": false, "z": 3})"
                                                      "\n"));
  CHECK(names(table) == std::vector<std::string>{"n", "s", "b", "z"});
  REQUIRE(table.rows() == 2);
  // Numbers keep the token as written.
  CHECK(column(table, "n").cells == std::vector<std::string_view>{"1.50", "-2e-05"});
  CHECK(column(table, "n").kinds == std::vector<CellKind>{CellKind::number, CellKind::number});
  CHECK(column(table, "s").cells == std::vector<std::string_view>{"KR", ""});
  CHECK(column(table, "s").kinds == std::vector<CellKind>{CellKind::text, CellKind::text});
  CHECK(column(table, "b").cells == std::vector<std::string_view>{"true", "false"});
  CHECK(column(table, "b").kinds == std::vector<CellKind>{CellKind::boolean, CellKind::boolean});
  CHECK(column(table, "z").cells == std::vector<std::string_view>{"", "3"});
  CHECK(column(table, "z").kinds == std::vector<CellKind>{CellKind::missing, CellKind::number});
  CHECK(table.row_line == std::vector<std::uint64_t>{1, 2});
  // Cells without escapes are views into the file's bytes.
  CHECK(points_into(column(table, "n").cells[1], table.buffer));
  CHECK(points_into(column(table, "s").cells[0], table.buffer));
  CHECK(table.rewritten.empty());
}

TEST_CASE("jsonl_reader: number tokens that fit a double, however written", "[jsonl_reader]") {
  TempDir dir;
  const Table table = read_jsonl(dir.write(
      "a.jsonl",
      R"({"big": 12345678901234567890123, "e": 1E+2, "zero": -0.0e-0, "tiny": 1e-400, "max": 1.7976931348623157e308})"
      "\n"));
  CHECK(column(table, "big").cells[0] == "12345678901234567890123");
  CHECK(column(table, "e").cells[0] == "1E+2");
  CHECK(column(table, "zero").cells[0] == "-0.0e-0");
  CHECK(column(table, "tiny").cells[0] == "1e-400");
  CHECK(column(table, "max").cells[0] == "1.7976931348623157e308");
  CHECK(column(table, "max").kinds[0] == CellKind::number);
}

TEST_CASE("jsonl_reader: escaped strings and keys are unescaped", "[jsonl_reader]") {
  TempDir dir;
  const Table table = read_jsonl(dir.write("a.jsonl", R"({"k\u0065y": "q\"\u00e9\\n", "plain": "a b"})"
                                                      "\n"));
  CHECK(names(table) == std::vector<std::string>{"key", "plain"});
  CHECK(column(table, "key").cells[0] == "q\"\xC3\xA9\\n");
  CHECK(column(table, "key").kinds[0] == CellKind::text);
  CHECK_FALSE(points_into(column(table, "key").cells[0], table.buffer));
  CHECK(table.rewritten.size() == 1);
  CHECK(column(table, "plain").cells[0] == "a b");
}

TEST_CASE("jsonl_reader: keys missing from some lines give missing cells", "[jsonl_reader]") {
  TempDir dir;
  const Table table = read_jsonl(dir.write("a.jsonl", "{\"a\": 1}\n{\"b\": \"x\", \"a\": 2}\n{\"c\": true}\n{}\n"));
  CHECK(names(table) == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(table.rows() == 4);
  for (const driftd::Column& c : table.columns) {
    CHECK(c.cells.size() == 4);
    CHECK(c.kinds.size() == 4);
  }
  CHECK(column(table, "a").kinds ==
        std::vector<CellKind>{CellKind::number, CellKind::number, CellKind::missing, CellKind::missing});
  CHECK(column(table, "b").cells == std::vector<std::string_view>{"", "x", "", ""});
  CHECK(column(table, "c").kinds ==
        std::vector<CellKind>{CellKind::missing, CellKind::missing, CellKind::boolean, CellKind::missing});
}

TEST_CASE("jsonl_reader: blank lines, CRLF, a byte order mark and no final line end", "[jsonl_reader]") {
  TempDir dir;
  const Table table = read_jsonl(dir.write("a.jsonl", "\xEF\xBB\xBF{\"a\": 1}\r\n\r\n  \n{\"a\": 2}\n\t\n{\"a\": 3}"));
  CHECK(names(table) == std::vector<std::string>{"a"});
  CHECK(column(table, "a").cells == std::vector<std::string_view>{"1", "2", "3"});
  CHECK(table.row_line == std::vector<std::uint64_t>{1, 4, 6});
}

TEST_CASE("jsonl_reader: events give their features and prediction as columns", "[jsonl_reader]") {
  TempDir dir;
  const Table table = read_jsonl(dir.write(
      "a.jsonl",
      std::string(event_line) + "\n" +
          R"({"features": {"amount": null, "country": "US"}, "prediction": "fraud", "extra": {"any": [1]}})" + "\n"));
  CHECK(names(table) == std::vector<std::string>{"amount", "country", "is_new", "prediction"});
  REQUIRE(table.rows() == 2);
  CHECK(column(table, "amount").cells == std::vector<std::string_view>{"12.5", ""});
  CHECK(column(table, "amount").kinds == std::vector<CellKind>{CellKind::number, CellKind::missing});
  CHECK(column(table, "country").cells == std::vector<std::string_view>{"KR", "US"});
  CHECK(column(table, "is_new").kinds == std::vector<CellKind>{CellKind::boolean, CellKind::missing});
  CHECK(column(table, "prediction").cells == std::vector<std::string_view>{"0.83", "fraud"});
  CHECK(column(table, "prediction").kinds == std::vector<CellKind>{CellKind::number, CellKind::text});
  CHECK(table.find("ts") == nullptr);
  CHECK(table.find("label") == nullptr);
  CHECK(table.find("model_id") == nullptr);
}

TEST_CASE("jsonl_reader: a model id keeps that model's events and drops the others", "[jsonl_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.jsonl", R"({"model_id": "b", "features": {"only_b": 1, "x": 10}})"
                                                "\n"
                                                R"({"model_id": "a", "features": {"x": 1}})"
                                                "\n"
                                                R"({"features": {"x": 2}})"
                                                "\n"
                                                R"({"model_id": "b", "features": {"x": 20}})"
                                                "\n"
                                                R"({"model_id": "a", "features": {"x": 3, "y": "u"}})"
                                                "\n");
  const Table a = read_jsonl(path, "a");
  // Columns that only model b has are not columns of a; events without
  // model_id are kept.
  CHECK(names(a) == std::vector<std::string>{"x", "y"});
  CHECK(column(a, "x").cells == std::vector<std::string_view>{"1", "2", "3"});
  CHECK(column(a, "y").kinds == std::vector<CellKind>{CellKind::missing, CellKind::missing, CellKind::text});
  CHECK(a.row_line == std::vector<std::uint64_t>{2, 3, 5});
  const Table b = read_jsonl(path, "b");
  CHECK(names(b) == std::vector<std::string>{"only_b", "x"});
  CHECK(column(b, "x").cells == std::vector<std::string_view>{"10", "2", "20"});
  const std::string none = dir.write("none.jsonl", R"({"model_id": "a", "features": {"x": 1}})"
                                                   "\n");
  REQUIRE_INPUT_ERROR(read_jsonl(none, "c"), none + ": model_id: no events of model \"c\"");
  // Flat objects belong to no model: the filter keeps them all.
  const std::string flat = dir.write("flat.jsonl", "{\"model_id\": \"b\", \"x\": 1}\n{\"x\": 2}\n");
  const Table kept = read_jsonl(flat, "a");
  CHECK(kept.rows() == 2);
  CHECK(column(kept, "model_id").cells == std::vector<std::string_view>{"b", ""});
}

TEST_CASE("jsonl_reader: without a model id, events of one model only", "[jsonl_reader]") {
  TempDir dir;
  const std::string one = dir.write("one.jsonl", std::string(event_line) + "\n" + event_line + "\n");
  CHECK(read_jsonl(one).rows() == 2);
  const std::string two =
      dir.write("two.jsonl", std::string(event_line) + "\n\n" + R"({"features": {"amount": 1}})" + "\n" +
                                 R"({"model_id": "other", "features": {"amount": 1}})" + "\n");
  REQUIRE_INPUT_ERROR(read_jsonl(two), two +
                                           ":4: model_id: events of more than one model (\"fraud-v3\" from line 1, "
                                           "\"other\" here): pass --config to choose one");
}

TEST_CASE("jsonl_reader: cell views stay valid after the Table is moved", "[jsonl_reader]") {
  TempDir dir;
  Table table = read_jsonl(dir.write("a.jsonl", R"({"plain": "abc", "escaped": "a\tb", "n": 7})"
                                                "\n"));
  const char* plain = column(table, "plain").cells[0].data();
  const char* escaped = column(table, "escaped").cells[0].data();
  Table moved(std::move(table));
  Table assigned;
  assigned = std::move(moved);
  CHECK(column(assigned, "plain").cells[0].data() == plain);
  CHECK(column(assigned, "escaped").cells[0].data() == escaped);
  CHECK(points_into(column(assigned, "plain").cells[0], assigned.buffer));
  CHECK(column(assigned, "plain").cells[0] == "abc");
  CHECK(column(assigned, "escaped").cells[0] == "a\tb");
  CHECK(column(assigned, "n").cells[0] == "7");
}

TEST_CASE("jsonl_reader: a file that cannot be opened or read", "[jsonl_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.jsonl", "") + ".absent";
  REQUIRE_INPUT_ERROR(read_jsonl(path), path + ": cannot open: " + std::strerror(ENOENT));
  const std::string directory = std::filesystem::path(path).parent_path().string();
  REQUIRE_INPUT_ERROR(read_jsonl(directory), directory + ": cannot read: " + std::strerror(EISDIR));
}

TEST_CASE("jsonl_reader: a file without objects", "[jsonl_reader]") {
  TempDir dir;
  const std::string empty = dir.write("empty.jsonl", "");
  REQUIRE_INPUT_ERROR(read_jsonl(empty), empty + ": empty file: expected one JSON object per line");
  const std::string blank = dir.write("blank.jsonl", "\n  \r\n\t\n");
  REQUIRE_INPUT_ERROR(read_jsonl(blank), blank + ": empty file: expected one JSON object per line");
}

TEST_CASE("jsonl_reader: invalid JSON names the line and simdjson's reason", "[jsonl_reader]") {
  TempDir dir;
  const std::string comma = dir.write("comma.jsonl", "{\"a\": 1}\n{\"a\": 1,}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(comma), comma +
                                             ":2: invalid JSON: The JSON document has an improper structure: missing "
                                             "or superfluous commas, braces, missing keys, etc.");
  const std::string open = dir.write("open.jsonl", "{\"a\": \"x\n");
  REQUIRE_INPUT_ERROR(read_jsonl(open), open + ":1: invalid JSON: A string is opened, but never closed.");
  const std::string utf8 = dir.write("utf8.jsonl", "{\"a\": 1}\n\n{\"a\": \"\xFF\"}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(utf8), utf8 + ":3: invalid JSON: The input is not valid UTF-8");
  const std::string control = dir.write("control.jsonl", "{\"a\": \"tab\there\"}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(control), control +
                                               ":1: invalid JSON: Within strings, some characters must be escaped, we "
                                               "found unescaped characters");
  const std::string escape = dir.write("escape.jsonl", "{\"a\": \"\\q\"}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(escape), escape + ":1: a: invalid JSON: Problem while parsing a string");
  const std::string atom = dir.write("atom.jsonl", "{\"a\": tru}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(atom), atom + ":1: a: invalid JSON: unexpected 'tru'");
  const std::string null = dir.write("null.jsonl", "{\"a\": nan}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(null), null + ":1: a: invalid JSON: unexpected 'nan'");
  const std::string number = dir.write("number.jsonl", "{\"a\": 1}\n{\"a\": 01}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(number), number + ":2: a: invalid JSON: bad number '01'");
  const std::string infinity = dir.write("infinity.jsonl", "{\"features\": {\"a\": -Infinity}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(infinity), infinity + ":1: features.a: invalid JSON: bad number '-Infinity'");
  const std::string trailing = dir.write("trailing.jsonl", "{\"a\": 1} {\"b\": 2}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(trailing),
                      trailing + ":1: invalid JSON: Unexpected trailing content in the JSON input.");
  const std::string split = dir.write("split.jsonl", "{\"a\":\n 1}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(split),
                      split + ":1: invalid JSON: JSON document ended early in the middle of an object or array.");
}

TEST_CASE("jsonl_reader: invalid JSON inside an ignored event field is still found", "[jsonl_reader]") {
  TempDir dir;
  const std::string bad = dir.write("bad.jsonl", "{\"features\": {\"x\": 1}, \"meta\": {\"k\": [1, tru]}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(bad), bad + ":1: meta: invalid JSON: unexpected 'tru'");
  const std::string deep =
      dir.write("deep.jsonl", "{\"features\": {}, \"meta\": " + std::string(100, '[') + std::string(100, ']') + "}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(deep), deep + ":1: meta: invalid JSON: nested more than 64 levels deep");
}

TEST_CASE("jsonl_reader: a line that is not an object", "[jsonl_reader]") {
  TempDir dir;
  for (const char* line : {"[1, 2]", "\"text\"", "3", "null"}) {
    const std::string path = dir.write("a.jsonl", std::string("{\"a\": 1}\n") + line + "\n");
    REQUIRE_INPUT_ERROR(read_jsonl(path), path + ":2: expected a JSON object on each line");
  }
}

TEST_CASE("jsonl_reader: nested values are refused, naming the key", "[jsonl_reader]") {
  TempDir dir;
  const std::string object = dir.write("object.jsonl", "{\"a\": 1, \"b\": {\"c\": 1}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(object),
                      object + ":1: b: expected a number, string, boolean or null, found an object or array");
  const std::string array = dir.write("array.jsonl", "{\"a\": 1}\n{\"a\": [1]}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(array),
                      array + ":2: a: expected a number, string, boolean or null, found an object or array");
  const std::string feature = dir.write("feature.jsonl", "{\"features\": {\"x\": 1, \"y\": {\"z\": 1}}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(feature),
                      feature + ":1: features.y: expected a number, string, boolean or null, found an object or array");
  const std::string prediction = dir.write("prediction.jsonl", "{\"features\": {}, \"prediction\": [0.1, 0.9]}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(prediction), prediction +
                                                  ":1: prediction: expected a number, string, boolean or null, found "
                                                  "an object or array");
}

TEST_CASE("jsonl_reader: model_id must be a string", "[jsonl_reader]") {
  TempDir dir;
  const std::string number = dir.write("number.jsonl", "{\"model_id\": 3, \"features\": {}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(number), number + ":1: model_id: expected a string");
  const std::string object = dir.write("object.jsonl", "{\"model_id\": {}, \"features\": {}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(object), object + ":1: model_id: expected a string, found an object or array");
}

TEST_CASE("jsonl_reader: numbers that do not fit a double", "[jsonl_reader]") {
  TempDir dir;
  const std::string flat = dir.write("flat.jsonl", "{\"a\": 1}\n{\"a\": 1.8e308}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(flat), flat + ":2: a: number 1.8e308 is out of the range of a double");
  const std::string feature = dir.write("feature.jsonl", "{\"features\": {\"x\": -1e400}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(feature), feature + ":1: features.x: number -1e400 is out of the range of a double");
  const std::string digits = dir.write("digits.jsonl", "{\"a\": 1" + std::string(400, '0') + "}\n");
  CHECK_THROWS_WITH(read_jsonl(digits), Catch::StartsWith(digits + ":1: a: number 1000") &&
                                            Catch::EndsWith(" is out of the range of a double"));
}

TEST_CASE("jsonl_reader: a key repeated in one object", "[jsonl_reader]") {
  TempDir dir;
  const std::string flat = dir.write("flat.jsonl", "{\"a\": 1}\n{\"a\": 1, \"b\": 2, \"a\": 3}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(flat), flat + ":2: a: key repeated in the object");
  const std::string escaped = dir.write("escaped.jsonl", "{\"\\u0061\": 1, \"a\": 2}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(escaped), escaped + ":1: a: key repeated in the object");
  const std::string feature = dir.write("feature.jsonl", "{\"features\": {\"x\": 1, \"x\": 2}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(feature), feature + ":1: features.x: key repeated in the object");
  const std::string prediction =
      dir.write("prediction.jsonl", "{\"features\": {\"prediction\": 1}, \"prediction\": 2}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(prediction), prediction + ":1: prediction: key repeated in the object");
  const std::string top = dir.write("top.jsonl", "{\"model_id\": \"a\", \"features\": {}, \"model_id\": \"b\"}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(top), top + ":1: model_id: key repeated in the object");
  // Also in an event of another model, which is not kept.
  const std::string skipped = dir.write("skipped.jsonl",
                                        "{\"model_id\": \"b\", \"features\": {\"x\": 1, \"x\": 2}}\n"
                                        "{\"model_id\": \"a\", \"features\": {\"x\": 1}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(skipped, "a"), skipped + ":1: features.x: key repeated in the object");
}

TEST_CASE("jsonl_reader: events and flat objects do not mix", "[jsonl_reader]") {
  TempDir dir;
  const std::string event_after = dir.write("event_after.jsonl", "{\"a\": 1}\n\n{\"features\": {\"a\": 2}}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(event_after), event_after +
                                                   ":3: an event (an object with a \"features\" object) among flat "
                                                   "objects (line 1 is flat)");
  const std::string flat_after = dir.write("flat_after.jsonl", "\n{\"features\": {\"a\": 2}}\n{\"a\": 1}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(flat_after),
                      flat_after + ":3: expected an event with a \"features\" object, as on line 2");
  // "features" that is not an object makes a flat object of the line.
  const std::string scalar = dir.write("scalar.jsonl", "{\"features\": {}}\n{\"features\": null}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(scalar), scalar + ":2: expected an event with a \"features\" object, as on line 1");
}

TEST_CASE("jsonl_reader: InputError carries file, line and key apart", "[jsonl_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.jsonl", "{\"a\": 1}\n{\"features\": {\"x\": [1]}}\n");
  try {
    read_jsonl(path);
    FAIL("read_jsonl accepted a nested feature value");
  } catch (const InputError& error) {
    CHECK(error.file() == path);
    CHECK(error.line() == 2);
    CHECK(error.field() == "features.x");
  }
}

// Issue 13: a file whose lines share no key made a table of rows x keys
// cells (10,000 lines of one key each: 5.2 GB from 148 KB).
TEST_CASE("jsonl_reader: lines that share few keys are refused before they cost rows x keys", "[jsonl_reader]") {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 3000; ++i) lines += "{\"key" + std::to_string(i) + "\": 1}\n";
  const std::string path = dir.write("sparse.jsonl", lines);
  // r lines of r keys make r^2 cells for r values: past 16 r + 1,000,000 at r = 1009.
  REQUIRE_INPUT_ERROR(read_jsonl(path), path + ":1009: 1009 rows x 1009 distinct keys make 1018081 cells (an absent "
                                               "key is a missing cell) for 1009 values: lines must mostly share their "
                                               "keys (at most 16 cells per value, plus 1000000), so that the table's "
                                               "memory follows what the file holds");
}

TEST_CASE("jsonl_reader: keys absent from many lines are fine while the lines mostly share them", "[jsonl_reader]") {
  TempDir dir;
  // 100,000 rows of 5 common keys and one of 20 optional ones: 2.5 million
  // cells for 600,000 values.
  std::string lines;
  for (int i = 0; i < 100'000; ++i) {
    lines += "{";
    for (int k = 0; k < 5; ++k) lines += "\"k" + std::to_string(k) + "\":" + std::to_string(i % 7) + ",";
    lines += "\"o" + std::to_string(i % 20) + "\":1}\n";
  }
  const Table table = read_jsonl(dir.write("mostly_shared.jsonl", lines));
  CHECK(table.rows() == 100'000);
  CHECK(table.columns.size() == 25);
  CHECK(column(table, "o19").kinds[99'999] == CellKind::number);
  CHECK(column(table, "o19").kinds[0] == CellKind::missing);
}

TEST_CASE("jsonl_reader: a line longer than 16 MiB is an error naming it and the bound", "[jsonl_reader]") {
  TempDir dir;
  const std::string path =
      dir.write("long.jsonl", "{\"a\": 1}\n{\"a\": \"" + std::string((16 << 20), 'x') + "\"}\n{\"a\": 2}\n");
  REQUIRE_INPUT_ERROR(read_jsonl(path),
                      path + ":2: line longer than 16 MiB (16777216 bytes), the most one line may hold");
}
