#include "util/run_tasks.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using driftd::run_tasks;

TEST_CASE("run_tasks: every task runs once, whatever the number of tasks", "[run_tasks]") {
  for (const std::size_t count : {0u, 1u, 2u, 3u, 100u}) {
    std::vector<std::atomic<int>> runs(count);
    run_tasks(count, [&](std::size_t i) { ++runs[i]; });
    for (std::size_t i = 0; i < count; ++i) CHECK(runs[i] == 1);
  }
}

TEST_CASE("run_tasks: the lowest-numbered failure is the one thrown, after all tasks ran", "[run_tasks]") {
  std::atomic<int> ran{0};
  const auto fail_some = [&](std::size_t i) {
    ++ran;
    if (i == 7 || i == 3 || i == 11) throw std::runtime_error("task " + std::to_string(i));
  };
  for (int repeat = 0; repeat < 20; ++repeat) {
    ran = 0;
    CHECK_THROWS_WITH(run_tasks(12, fail_some), "task 3");
    CHECK(ran == 12);
  }
}
