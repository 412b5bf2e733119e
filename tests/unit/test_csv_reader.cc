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
using driftd::read_csv;
using driftd::Table;
using driftd::testing::points_into;
using driftd::testing::TempDir;

#define REQUIRE_INPUT_ERROR(expression, message) \
  REQUIRE_THROWS_MATCHES(expression, InputError, Catch::Matchers::Message(message))

TEST_CASE("csv_reader: header names the columns, rows fill them in order", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "x,name\n1.5,KR\n-2,US\n"));
  REQUIRE(table.columns.size() == 2);
  CHECK(table.columns[0].name == "x");
  CHECK(table.columns[1].name == "name");
  REQUIRE(table.rows() == 2);
  CHECK(table.columns[0].cells == std::vector<std::string_view>{"1.5", "-2"});
  CHECK(table.columns[1].cells == std::vector<std::string_view>{"KR", "US"});
  CHECK(table.columns[0].kinds == std::vector<CellKind>{CellKind::text, CellKind::text});
  CHECK(table.row_line == std::vector<std::uint64_t>{2, 3});
  CHECK(table.rewritten.empty());
  CHECK(points_into(table.columns[1].cells[0], table.buffer));
}

TEST_CASE("csv_reader: CRLF and LF line ends, last line without a line end", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "a,b\r\n1,2\n3,4\r\n5,6"));
  REQUIRE(table.rows() == 3);
  CHECK(table.columns[1].name == "b");
  CHECK(table.columns[0].cells == std::vector<std::string_view>{"1", "3", "5"});
  CHECK(table.columns[1].cells == std::vector<std::string_view>{"2", "4", "6"});
  CHECK(table.row_line == std::vector<std::uint64_t>{2, 3, 4});
}

TEST_CASE("csv_reader: a CR is a line end before LF or at the end of the file, data elsewhere", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "a,b\n1\r2,3\r"));
  REQUIRE(table.rows() == 1);
  CHECK(table.columns[0].cells[0] == "1\r2");
  CHECK(table.columns[1].cells[0] == "3");
}

TEST_CASE("csv_reader: a UTF-8 byte order mark is skipped", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv",
                                         "\xEF\xBB\xBF"
                                         "a,b\n1,2\n"));
  REQUIRE(table.columns.size() == 2);
  CHECK(table.columns[0].name == "a");
  CHECK(table.find("a") != nullptr);
}

TEST_CASE("csv_reader: quoted fields hold commas, quotes and line ends", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv",
                                         "\"a,1\",\"b \"\"q\"\"\"\n"
                                         "\"x,y\",\"say \"\"hi\"\"\"\n"
                                         "\"two\nlines\",\"crlf\r\ninside\"\r\n"
                                         "last,\"\"\"\"\n"));
  REQUIRE(table.columns.size() == 2);
  CHECK(table.columns[0].name == "a,1");
  CHECK(table.columns[1].name == "b \"q\"");
  REQUIRE(table.rows() == 3);
  CHECK(table.columns[0].cells == std::vector<std::string_view>{"x,y", "two\nlines", "last"});
  CHECK(table.columns[1].cells == std::vector<std::string_view>{"say \"hi\"", "crlf\r\ninside", "\""});
  CHECK(table.columns[1].kinds == std::vector<CellKind>{CellKind::text, CellKind::text, CellKind::text});
  // Quoted line ends count as lines: the third row spans lines 3 to 5.
  CHECK(table.row_line == std::vector<std::uint64_t>{2, 3, 6});
  // Only fields with doubled quotes are copied; the others stay in the buffer.
  CHECK(points_into(table.columns[0].cells[1], table.buffer));
  CHECK_FALSE(points_into(table.columns[1].cells[0], table.buffer));
  CHECK(table.rewritten.size() == 3);
}

TEST_CASE("csv_reader: an empty cell is missing, quoted or not, as pandas reads it", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "a,b,c\n,\"\",x\n1,,\n"));
  REQUIRE(table.rows() == 2);
  CHECK(table.columns[0].kinds == std::vector<CellKind>{CellKind::missing, CellKind::text});
  CHECK(table.columns[1].kinds == std::vector<CellKind>{CellKind::missing, CellKind::missing});
  CHECK(table.columns[2].kinds == std::vector<CellKind>{CellKind::text, CellKind::missing});
  CHECK(table.columns[0].cells[0].empty());
  CHECK(table.columns[1].cells[0].empty());
  CHECK(table.columns[2].cells[1].empty());
}

TEST_CASE("csv_reader: blank lines are skipped before the header, between rows and at the end", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "\n\r\na\n1\n\n\r\n2\n\n\n"));
  CHECK(table.columns[0].name == "a");
  CHECK(table.columns[0].cells == std::vector<std::string_view>{"1", "2"});
  CHECK(table.row_line == std::vector<std::uint64_t>{4, 7});
}

TEST_CASE("csv_reader: nothing is trimmed, and a quote inside an unquoted field is data", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "a,b\n 1 ,x\"y\"\n"));
  CHECK(table.columns[0].cells[0] == " 1 ");
  CHECK(table.columns[1].cells[0] == "x\"y\"");
}

TEST_CASE("csv_reader: cell views stay valid after the Table is moved", "[csv_reader]") {
  TempDir dir;
  Table table = read_csv(dir.write("a.csv", "a,b\nplain,\"dou\"\"bled\"\nx,y\n"));
  const char* plain = table.columns[0].cells[0].data();
  const char* doubled = table.columns[1].cells[0].data();
  Table moved(std::move(table));
  Table assigned;
  assigned = std::move(moved);
  // The same bytes, owned by the new Table (a copy would change the pointers).
  CHECK(assigned.columns[0].cells[0].data() == plain);
  CHECK(assigned.columns[1].cells[0].data() == doubled);
  CHECK(points_into(assigned.columns[0].cells[0], assigned.buffer));
  CHECK(assigned.columns[0].cells[0] == "plain");
  CHECK(assigned.columns[1].cells[0] == "dou\"bled");
  CHECK(assigned.columns[1].cells[1] == "y");
}

TEST_CASE("csv_reader: Table::find looks a column up by name", "[csv_reader]") {
  TempDir dir;
  const Table table = read_csv(dir.write("a.csv", "a,b\n1,2\n"));
  REQUIRE(table.find("b") != nullptr);
  CHECK(table.find("b") == &table.columns[1]);
  CHECK(table.find("B") == nullptr);
  CHECK(table.find("") == nullptr);
}

TEST_CASE("csv_reader: read_table reads CSV for every ending but the JSON ones", "[csv_reader]") {
  TempDir dir;
  // As CSV, these bytes are one row under the header {"a": 1}; as JSONL, two.
  const std::string lines = "{\"a\": 1}\n{\"a\": 2}\n";
  for (const char* name : {"a.csv", "a.txt", "a.JSONL", "a"}) {
    const Table table = driftd::read_table(dir.write(name, lines));
    REQUIRE(table.columns.size() == 1);
    CHECK(table.columns[0].name == "{\"a\": 1}");
    CHECK(table.rows() == 1);
  }
  for (const char* name : {"a.jsonl", "a.ndjson", "a.json"}) {
    const Table table = driftd::read_table(dir.write(name, lines));
    REQUIRE(table.columns.size() == 1);
    CHECK(table.columns[0].name == "a");
    CHECK(table.rows() == 2);
  }
}

TEST_CASE("csv_reader: a file that cannot be opened or read", "[csv_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.csv", "") + ".absent";
  REQUIRE_INPUT_ERROR(read_csv(path), path + ": cannot open: " + std::strerror(ENOENT));
  const std::string directory = std::filesystem::path(path).parent_path().string();
  REQUIRE_INPUT_ERROR(read_csv(directory), directory + ": cannot read: " + std::strerror(EISDIR));
}

TEST_CASE("csv_reader: a file without a header", "[csv_reader]") {
  TempDir dir;
  const std::string empty = dir.write("empty.csv", "");
  REQUIRE_INPUT_ERROR(read_csv(empty), empty + ": empty file: expected a header row");
  const std::string blank = dir.write("blank.csv", "\n\r\n\n");
  REQUIRE_INPUT_ERROR(read_csv(blank), blank + ": empty file: expected a header row");
  const std::string bom = dir.write("bom.csv", "\xEF\xBB\xBF");
  REQUIRE_INPUT_ERROR(read_csv(bom), bom + ": empty file: expected a header row");
}

TEST_CASE("csv_reader: a header without data rows", "[csv_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.csv", "\na,b\n\n");
  REQUIRE_INPUT_ERROR(read_csv(path), path + ":2: no data rows after the header");
}

TEST_CASE("csv_reader: a ragged row names its line and both counts", "[csv_reader]") {
  TempDir dir;
  const std::string more = dir.write("more.csv", "a,b\n1,2\n\"x\ny\",2,3\n");
  REQUIRE_INPUT_ERROR(read_csv(more), more + ":3: expected 2 fields, found 3");
  const std::string fewer = dir.write("fewer.csv", "a,b\n1,2\n\n1\n");
  REQUIRE_INPUT_ERROR(read_csv(fewer), fewer + ":4: expected 2 fields, found 1");
  const std::string trailing = dir.write("trailing.csv", "a,b\n1,2,");
  REQUIRE_INPUT_ERROR(read_csv(trailing), trailing + ":2: expected 2 fields, found 3");
}

TEST_CASE("csv_reader: an unterminated quote names the line where the field started", "[csv_reader]") {
  TempDir dir;
  const std::string row = dir.write("row.csv", "a,b\n1,2\n3,\"open\n\n4,5\n");
  REQUIRE_INPUT_ERROR(read_csv(row), row + ":3: b: unterminated quoted field");
  const std::string beyond = dir.write("beyond.csv", "a,b\n1,2,\"open\n");
  REQUIRE_INPUT_ERROR(read_csv(beyond), beyond + ":2: column 3: unterminated quoted field");
  const std::string header = dir.write("header.csv", "a,\"b");
  REQUIRE_INPUT_ERROR(read_csv(header), header + ":1: column 2: unterminated quoted field");
}

TEST_CASE("csv_reader: characters after a closing quote", "[csv_reader]") {
  TempDir dir;
  const std::string row = dir.write("row.csv", "a,b\n1,\"x\ny\"z\n");
  REQUIRE_INPUT_ERROR(read_csv(row), row + ":3: b: characters after a closing quote");
  const std::string cr = dir.write("cr.csv", "a,b\n\"1\"\r2,3\n");
  REQUIRE_INPUT_ERROR(read_csv(cr), cr + ":2: a: characters after a closing quote");
  const std::string header = dir.write("header.csv", "\"a\" ,b\n1,2\n");
  REQUIRE_INPUT_ERROR(read_csv(header), header + ":1: column 1: characters after a closing quote");
}

TEST_CASE("csv_reader: an empty or repeated column name", "[csv_reader]") {
  TempDir dir;
  const std::string empty = dir.write("empty.csv", "a,,c\n1,2,3\n");
  REQUIRE_INPUT_ERROR(read_csv(empty), empty + ":1: column 2: empty column name in the header");
  const std::string quoted = dir.write("quoted.csv", "a,\"\"\n1,2\n");
  REQUIRE_INPUT_ERROR(read_csv(quoted), quoted + ":1: column 2: empty column name in the header");
  const std::string last = dir.write("last.csv", "\na,b,\n1,2,3\n");
  REQUIRE_INPUT_ERROR(read_csv(last), last + ":2: column 3: empty column name in the header");
  const std::string repeated = dir.write("repeated.csv", "a,b,\"a\"\n1,2,3\n");
  REQUIRE_INPUT_ERROR(read_csv(repeated), repeated + ":1: a: column name repeated in the header (columns 1 and 3)");
}

TEST_CASE("csv_reader: InputError carries file, line and field apart", "[csv_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.csv", "a,b\n1,\"x\"y\n");
  try {
    read_csv(path);
    FAIL("read_csv accepted a field with characters after its closing quote");
  } catch (const InputError& error) {
    CHECK(error.file() == path);
    CHECK(error.line() == 2);
    CHECK(error.field() == "b");
  }
}

// Issue 13: bounds on what one file may make the reader hold. The messages
// name the file, the line and the bound.

TEST_CASE("csv_reader: a line longer than 16 MiB is an error naming its line and the bound", "[csv_reader]") {
  TempDir dir;
  const std::string path = dir.write("a.csv", "a,b\n1,2\n" + std::string((16 << 20) + 1, 'x') + ",3\n");
  REQUIRE_INPUT_ERROR(read_csv(path),
                      path + ":3: line longer than 16 MiB (16777216 bytes), the most one line may hold");
  // A file of one endless line (as /dev/zero is) stops there, whatever its size.
  const std::string zeros = dir.write("zeros.csv", std::string((16 << 20) + 100, '\0'));
  REQUIRE_INPUT_ERROR(read_csv(zeros),
                      zeros + ":1: line longer than 16 MiB (16777216 bytes), the most one line may hold");
}

TEST_CASE("csv_reader: a record whose quoted line ends make it longer than 16 MiB", "[csv_reader]") {
  TempDir dir;
  std::string field;
  for (int i = 0; i < (1 << 15); ++i) field += std::string(600, 'y') + "\n";  // ~19 MB in 32768 short lines
  const std::string path = dir.write("a.csv", "a,b\n1,2\n3,\"" + field + "\"\n4,5\n");
  REQUIRE_INPUT_ERROR(read_csv(path),
                      path + ":3: record longer than 16 MiB (16777216 bytes), the most one record may hold");
}

TEST_CASE("csv_reader: at most 100,000 columns", "[csv_reader]") {
  TempDir dir;
  std::string header = "c0";
  for (int c = 1; c < 100'000; ++c) header += ",c" + std::to_string(c);
  std::string row(2 * 100'000 - 1, ',');
  for (std::size_t i = 0; i < row.size(); i += 2) row[i] = '1';
  const Table widest = read_csv(dir.write("widest.csv", header + "\n" + row + "\n"));
  CHECK(widest.columns.size() == 100'000);
  // Every column is found by name, the last as well as the first.
  CHECK(widest.find("c0") == &widest.columns[0]);
  CHECK(widest.find("c99999") == &widest.columns[99'999]);
  CHECK(widest.find("c100000") == nullptr);

  const std::string wider = dir.write("wider.csv", header + ",one_more\n" + row + ",1\n");
  REQUIRE_INPUT_ERROR(read_csv(wider), wider + ":1: more than 100000 columns in the header, the most a file may have");
}
