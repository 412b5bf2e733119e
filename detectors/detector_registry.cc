#include "detector_registry.h"

#include <algorithm>

#include "chi2.h"
#include "ks.h"
#include "mmd.h"
#include "psi.h"

namespace driftd {
namespace {

template <typename D>
std::unique_ptr<Detector> make_p_value_test(const TestParams& params) {
  return std::make_unique<D>(params.p_value);
}

std::unique_ptr<Detector> make_psi(const TestParams& params) {
  return std::make_unique<PsiDetector>(params.psi_bins, params.psi_threshold);
}

std::unique_ptr<Detector> make_mmd(const TestParams& params) {
  return std::make_unique<MmdDetector>(params.p_value ? params.permutations : 0, params.sigma, params.seed);
}

constexpr DetectorInfo kTable[] = {
    {.name = "ks", .kind = TestKind::p_value, .numeric = true, .categorical = false, .multivariate = false,
     .make = make_p_value_test<KsDetector>},
    {.name = "psi", .kind = TestKind::distance, .numeric = true, .categorical = true, .multivariate = false,
     .make = make_psi},
    {.name = "chi2", .kind = TestKind::p_value, .numeric = false, .categorical = true, .multivariate = false,
     .make = make_p_value_test<Chi2Detector>},
    {.name = "mmd", .kind = TestKind::p_value, .numeric = false, .categorical = false, .multivariate = true,
     .make = make_mmd},
};

}  // namespace

std::span<const DetectorInfo> detector_table() { return kTable; }

const DetectorInfo* find_detector(std::string_view name) {
  const auto* row = std::find_if(std::begin(kTable), std::end(kTable),
                                 [&](const DetectorInfo& info) { return info.name == name; });
  return row == std::end(kTable) ? nullptr : row;
}

std::unique_ptr<Detector> make_detector(std::string_view name, const TestParams& params) {
  const DetectorInfo* info = find_detector(name);
  return info == nullptr ? nullptr : info->make(params);
}

}  // namespace driftd
