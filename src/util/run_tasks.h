// Independent tasks on every core: `score` runs each test of a comparison
// as one task.
#pragma once

#include <cstddef>
#include <functional>

namespace driftd {

// Calls task(0) .. task(count - 1), each once, on up to as many threads as
// the machine has cores (the calling thread among them), and returns when
// all have ended. Tasks must not depend on each other's order; each should
// write only its own results. When tasks throw, the exception of the
// lowest-numbered one is rethrown, so the error reported does not depend on
// the threads.
void run_tasks(std::size_t count, const std::function<void(std::size_t)>& task);

}  // namespace driftd
