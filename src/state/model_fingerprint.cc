#include "state/model_fingerprint.h"

#include <cstring>
#include <string>

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid.hpp>

namespace driftd {
namespace {

// Columns and texts are written with their size first, so that no two
// references give the same bytes.
void append_number(std::string& out, std::uint64_t bits) {
  char bytes[sizeof bits];
  std::memcpy(bytes, &bits, sizeof bits);
  out.append(bytes, sizeof bytes);
}

}  // namespace

std::uint64_t model_fingerprint(const ModelConfig& model, const std::optional<ReferenceData>& reference) {
  std::string text = model.id;
  text += '\n';
  text += model.settings;
  if (reference) {
    append_number(text, reference->rows);
    for (const auto& column : reference->numbers) {
      append_number(text, column.size());
      for (const double v : column) {
        std::uint64_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        append_number(text, bits);
      }
    }
    for (const auto& column : reference->texts) {
      append_number(text, column.size());
      for (const auto& v : column) {
        append_number(text, v ? v->size() : ~std::uint64_t(0));
        if (v) text += *v;
      }
    }
  }
  // SHA-1 through Boost's name-based UUIDs: stable across builds and
  // machines, unlike std::hash.
  const boost::uuids::uuid digest = boost::uuids::name_generator_sha1(boost::uuids::uuid{})(text.data(), text.size());
  std::uint64_t out = 0;
  for (std::size_t i = 0; i < 8; ++i) out = (out << 8) | digest.data[i];
  return out;
}

}  // namespace driftd
