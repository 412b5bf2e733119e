#include "driftd/table.h"

namespace driftd {

void Table::index_columns() {
  index_.clear();
  index_.reserve(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) index_.emplace(columns[c].name, c);  // the first of a name wins
  indexed_columns_ = columns.size();
}

const Column* Table::find(std::string_view name) const {
  // The index describes the columns only while none was added or removed
  // since; a hit is checked against the column itself besides.
  if (indexed_columns_ == columns.size() && indexed_columns_ > 0) {
    const auto it = index_.find(name);
    if (it == index_.end()) return nullptr;
    if (columns[it->second].name == name) return &columns[it->second];
  }
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
