// How `driftd score` prints its result: JSON (include/driftd/README.md, "driftd score"; for machines) or an
// aligned table (for people in a terminal).
#pragma once

#include <string>

#include "scorer.h"

namespace driftd {

std::string score_json(const Score& score);
std::string score_table(const Score& score);

}  // namespace driftd
