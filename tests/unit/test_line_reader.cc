// LineReader: `replay`'s input, read a line at a time with bounded memory.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "decode/line_reader.h"
#include "driftd/error.h"
#include "temp_file.h"

using driftd::LineReader;
using driftd::TextLine;
using driftd::testing::TempDir;

namespace {

struct Seen {
  std::string text;
  bool cut;
  std::uint64_t number;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> read_all(const std::string& path, std::size_t max_line) {
  LineReader reader(path, max_line);
  std::vector<Seen> out;
  TextLine line;
  while (reader.next(line)) out.push_back({std::string(line.text), line.cut, line.number});
  return out;
}

}  // namespace

TEST_CASE("line_reader: lines without their line end, a last line without one too", "[line_reader]") {
  TempDir dir;
  CHECK(read_all(dir.write("a", "one\n\ntwo\r\nthree"), 100) ==
        std::vector<Seen>{{"one", false, 1}, {"", false, 2}, {"two\r", false, 3}, {"three", false, 4}});
  CHECK(read_all(dir.write("b", ""), 100).empty());
  CHECK(read_all(dir.write("c", "\n"), 100) == std::vector<Seen>{{"", false, 1}});
}

TEST_CASE("line_reader: a line over the bound is given cut, and the next lines follow", "[line_reader]") {
  TempDir dir;
  // Lines far longer than the reader's 64 KiB chunks, around the bound.
  const std::string long_line(300'000, 'x');
  const std::string at_bound(1000, 'y');
  const std::string path = dir.write("a", "a\n" + long_line + "\n" + at_bound + "\n" + at_bound + "z\nb\n" + long_line);
  const auto lines = read_all(path, 1000);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == Seen{"a", false, 1});
  CHECK(lines[1] == Seen{std::string(1001, 'x'), true, 2});
  CHECK(lines[2] == Seen{at_bound, false, 3});
  CHECK(lines[3] == Seen{at_bound + "z", true, 4});
  CHECK(lines[4] == Seen{"b", false, 5});
  CHECK(lines[5] == Seen{std::string(1001, 'x'), true, 6});
}

TEST_CASE("line_reader: many short lines across chunk boundaries", "[line_reader]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 50'000; ++i) text += std::to_string(i) + "\n";
  const auto lines = read_all(dir.write("a", text), 16);
  REQUIRE(lines.size() == 50'000);
  for (int i = 0; i < 50'000; i += 997) CHECK(lines[i] == Seen{std::to_string(i), false, std::uint64_t(i + 1)});
}

TEST_CASE("line_reader: a directory or a missing file is an input error", "[line_reader]") {
  TempDir dir;
  const std::string file = dir.write("a", "x\n");
  const std::string folder = file.substr(0, file.rfind('/'));
  CHECK_THROWS_AS(LineReader(folder, 10), driftd::InputError);
  CHECK_THROWS_AS(LineReader(folder + "/absent", 10), driftd::InputError);
}
