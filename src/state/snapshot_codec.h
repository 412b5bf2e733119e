// The bytes of a PartitionSnapshot on the state topic.
//
// Layout: the magic "DRIFTDSS", the u32 format version
// (PartitionSnapshot::kFormatVersion), the u32 CRC-32 of the body, the u64
// body length, then the body. In the body integers are fixed-width little
// endian, doubles their IEEE bits (so a missing number, NaN, comes back bit
// for bit), strings and vectors a u64 length or count then their contents,
// optionals and bools one byte, 0 or 1.
//
// A snapshot comes from a topic anyone with access can write to, possibly
// from another driftd version: decoding trusts nothing in it. Each encoding
// decodes to one snapshot and each snapshot has one encoding, so
// encode(decode(bytes)) == bytes whenever decoding succeeds.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "state/partition_snapshot.h"

namespace driftd {

// Bytes that are not a snapshot this driftd can read; what() says why.
struct SnapshotError : std::runtime_error {
  // What a restart tells the user and counts: another program's bytes,
  // another driftd format, or a damaged snapshot.
  enum class Kind { foreign, other_format, corrupt };
  explicit SnapshotError(const std::string& what, Kind kind = Kind::corrupt) : std::runtime_error(what), kind(kind) {}
  Kind kind;
};

std::string encode_snapshot(const PartitionSnapshot& snapshot);

// Throws SnapshotError: "not a driftd state snapshot" (another magic),
// "format version N, this driftd reads 1", "checksum mismatch (corrupt)",
// "truncated at <field>", "trailing bytes ...", a count larger than the
// bytes left, or a flag byte other than 0 or 1.
PartitionSnapshot decode_snapshot(std::string_view bytes);

}  // namespace driftd
