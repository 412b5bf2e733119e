// `driftd score --format html`: one self-contained page for people (a CI
// artefact, a review attachment): the verdict, the results table and each
// feature's two distributions drawn over each other beside its tests. Style
// and plots are inline; no script, nothing fetched, so it opens offline,
// from a mail or a build server, and prints.
#pragma once

#include <string>
#include <vector>

#include "score/distributions.h"
#include "score/scorer.h"

namespace driftd {

// `distributions` are feature_distributions() of the scored model: one per
// evaluated feature, in the same order (a feature without one gets no plot).
std::string score_html(const Score& score, const std::vector<FeatureDistribution>& distributions);

}  // namespace driftd
