// Writes test input to a fresh file under the system temp folder.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>
#include <unistd.h>

namespace driftd::testing {

// A directory of its own for each test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> count{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("driftd-test-" + std::to_string(::getpid()) + "-dir-" + std::to_string(++count));
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() { std::filesystem::remove_all(dir_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

 private:
  std::filesystem::path dir_;
};

// Whether a cell's view points into the table's file buffer.
inline bool points_into(std::string_view view, const std::vector<char>& buffer) {
  return view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size();
}

inline std::string temp_file(const std::string& name, const std::string& content) {
  static std::atomic<int> counter{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("driftd-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << content;
  return path.string();
}

}  // namespace driftd::testing
