// What the engine's fuzz targets (fuzz_engine, fuzz_restore) share: a
// configuration loaded once from YAML text, and a sink that counts
// evaluations.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "driftd/config.h"
#include "engine/pipeline.h"

namespace driftd::fuzzing {

inline void require(bool condition) {
  if (!condition) std::abort();
}

// `yaml` loaded through a file, as driftd loads it; `name` keeps the
// temporary folders of concurrent targets apart. Never destroyed: the
// pipelines of every input keep references into it.
inline const Config& load_once(const char* yaml, const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("driftd_fuzz_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "driftd.yaml";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  require(file != nullptr && std::fputs(yaml, file) >= 0 && std::fclose(file) == 0);
  const Config* loaded = new Config(load_config(path.string()));
  fs::remove_all(dir);
  return *loaded;
}

struct EvaluationCounter final : PipelineSink {
  void on_evaluation(const EvaluationReport&) override { ++evaluations; }
  std::uint64_t evaluations = 0;
};

}  // namespace driftd::fuzzing
