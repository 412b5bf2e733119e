// The HTML report's stylesheet, inlined in its <head> so that the file
// fetches nothing. Light colours only, a print layout, and the two sample
// colours the plots' "ref"/"cur" classes use.
#pragma once

#include <string_view>

namespace driftd {

std::string_view report_stylesheet();

}  // namespace driftd
