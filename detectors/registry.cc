#include "registry.h"

#include <algorithm>
#include <array>

#include "chi2.h"
#include "ks.h"
#include "mmd.h"
#include "psi.h"

namespace driftd {
namespace {

constexpr std::array<std::string_view, 4> kNames = {"ks", "psi", "chi2", "mmd"};

}  // namespace

std::unique_ptr<Detector> make_detector(std::string_view name, const TestParams& params) {
  if (name == "ks") return std::make_unique<KsDetector>();
  if (name == "psi") return std::make_unique<PsiDetector>(params.psi_bins, params.psi_threshold);
  if (name == "chi2") return std::make_unique<Chi2Detector>();
  if (name == "mmd") return std::make_unique<MmdDetector>(params.permutations, params.sigma, params.seed);
  return nullptr;
}

std::span<const std::string_view> detector_names() { return kNames; }

bool detector_takes_numeric(std::string_view name) { return name == "ks" || name == "psi"; }
bool detector_takes_categorical(std::string_view name) { return name == "chi2" || name == "psi"; }
bool detector_is_multivariate(std::string_view name) { return name == "mmd"; }

}  // namespace driftd
