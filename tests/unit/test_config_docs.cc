// config/README.md is the configuration reference users read; it must list
// every key load_config accepts (config_keys.h), and no key it rejects.
// A section of the catalogue is a heading of the README whose text, without
// backticks, is the section's path (`models[].window`); its keys are the
// first cells, in backticks, of the table rows under that heading.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "config/config_keys.h"

namespace {

using DocumentedKeys = std::map<std::string, std::set<std::string>>;

std::string without_backticks(std::string text) {
  std::erase(text, '`');
  return text;
}

// Heading (without #, spaces and backticks) → the keys its table rows name.
DocumentedKeys documented_keys(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  DocumentedKeys keys;
  std::string heading;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) {
      const auto start = line.find_first_not_of("# ");
      heading = start == std::string::npos ? "" : without_backticks(line.substr(start));
      keys[heading];
    } else if (line.starts_with("| `")) {
      const auto end = line.find('`', 3);
      if (end != std::string::npos) keys[heading].insert(line.substr(3, end - 3));
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("config docs: config/README.md documents every key the loader accepts, and only those", "[config]") {
  const auto documented = documented_keys(std::string(DRIFTD_SOURCE_DIR) + "/config/README.md");
  for (const auto& section : driftd::config_keys::kSections) {
    const std::string path(section.path);
    INFO("config/README.md, section " << path);
    const auto found = documented.find(path);
    REQUIRE(found != documented.end());
    std::set<std::string> accepted;
    for (const auto key : section.keys) {
      accepted.emplace(key);
      INFO("key `" << key << "` has no table row");
      CHECK(found->second.contains(std::string(key)));
    }
    for (const auto& key : found->second) {
      INFO("key `" << key << "` is documented but the loader rejects it");
      CHECK(accepted.contains(key));
    }
  }
}
