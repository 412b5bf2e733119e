// What every command's output promises: it was all written, or the command
// fails (exit 3) saying so. A full disk or a closed file under stdout is
// otherwise only noticed by the C library when the process exits, silently.
#pragma once

namespace driftd {

// Flushes std::cout and stdout and checks that no write to them failed
// since the start; throws std::runtime_error ("cannot write to standard
// output: <reason>") otherwise.
void finish_standard_output();

}  // namespace driftd
