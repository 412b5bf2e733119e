// Writes the demo's reference files (demo/reference_files.h) into the
// directory given, config/ by `make demo-references`. A program of its own
// rather than a driftd subcommand: users never need it.
//   driftd_demo_references DIR
#include <cstdio>
#include <exception>

#include "demo/reference_files.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  try {
    driftd::write_demo_references(argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
