// libFuzzer target for the state snapshot codec. Build (not part of the CMake build):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc \
//     -Idetectors tests/fuzz/fuzz_snapshot_codec.cc src/state/snapshot_codec.cc -o fuzz_snapshot_codec
//   mkdir -p /tmp/snapshot_corpus  # new inputs go to the first directory, not the seeds
//   ./fuzz_snapshot_codec -max_total_time=60 /tmp/snapshot_corpus tests/fuzz/corpus/snapshot_codec
// Any input either decodes or throws SnapshotError; a crash, another
// exception, a sanitizer report or a broken invariant below is a finding.
// A decoded snapshot re-encodes to the very input (one encoding per
// snapshot), and that encoding decodes to a snapshot encoding the same.
//
// A mutation almost never keeps the CRC right, so on its own the fuzzer
// would stop at the checksum. Each input is therefore decoded twice: as it
// is, and with its checksum field recomputed over its body, which lets the
// mutations reach the body's decoder.
#include <boost/crc.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "state/snapshot_codec.h"

namespace {

constexpr std::size_t kChecksumAt = 12;
constexpr std::size_t kBodyAt = 24;

void require(bool condition) {
  if (!condition) std::abort();
}

void check(std::string_view bytes) {
  driftd::PartitionSnapshot snapshot;
  try {
    snapshot = driftd::decode_snapshot(bytes);
  } catch (const driftd::SnapshotError&) {
    return;
  }
  const std::string encoded = driftd::encode_snapshot(snapshot);
  require(encoded == bytes);
  driftd::PartitionSnapshot again;
  try {
    again = driftd::decode_snapshot(encoded);
  } catch (const driftd::SnapshotError&) {
    std::abort();
  }
  require(driftd::encode_snapshot(again) == encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input);
  if (size < kBodyAt) return 0;

  std::string fixed(input);
  boost::crc_32_type crc;
  crc.process_bytes(fixed.data() + kBodyAt, fixed.size() - kBodyAt);
  const std::uint32_t checksum = crc.checksum();
  for (std::size_t i = 0; i < 4; ++i) fixed[kChecksumAt + i] = static_cast<char>(checksum >> (8 * i));
  check(fixed);
  return 0;
}
