// Draws a feature's reference and current distributions as inline SVG text,
// for the HTML report: a histogram for a numeric feature (both samples'
// bars over the same bins, semi-transparent so that each shows through the
// other), grouped horizontal bars for a categorical one. Hand-written SVG: no
// plotting library, no script, nothing fetched. Each bar is a <rect> of
// class "ref" or "cur", so the page's style colours it and a test can find it.
#pragma once

#include <string>

#include "score/distributions.h"

namespace driftd {

// One <svg class="plot"> element with axes, ticks, a legend and a tooltip
// (<title>) per bar. Text from the user's data is escaped.
std::string distribution_svg(const FeatureDistribution& distribution);

}  // namespace driftd
