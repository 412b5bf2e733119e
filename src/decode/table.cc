#include "driftd/table.h"

namespace driftd {

const Column* Table::find(std::string_view name) const {
  for (const Column& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

Table read_table(const std::string& path, std::string_view model_id) {
  const std::string_view name(path);
  for (std::string_view ending : {".jsonl", ".ndjson", ".json"}) {
    if (name.ends_with(ending)) return read_jsonl(path, model_id);
  }
  return read_csv(path);
}

}  // namespace driftd
