// Fault injection for `driftd kafka-sandbox`: commands read line by line
// (from stdin), so that a test can take brokers down and bring them back,
// slow them or make requests fail while a daemon runs against the sandbox.
//
//   down B | up B          broker B (an id, or `all`) stops or resumes answering
//   rtt B MS               broker B answers MS milliseconds late (0: normal)
//   errors API CODE...     the next requests of Kafka API key API fail with
//                          these error codes, one per request, cluster-wide
//
// Each command is answered with one line: `ok ...` or `error ...`.
#pragma once

#include <string>

#include "sandbox/mock_cluster.h"

namespace driftd {

// Applies one command line; returns the answer line (without newline).
std::string apply_sandbox_command(MockCluster& cluster, const std::string& line);

}  // namespace driftd
