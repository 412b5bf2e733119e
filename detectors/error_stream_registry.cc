#include "error_stream_registry.h"

#include "adwin.h"
#include "ddm.h"
#include "eddm.h"
#include "hddm_a.h"
#include "hddm_w.h"
#include "page_hinkley.h"

namespace driftd {

std::unique_ptr<ErrorStreamDetector> make_error_stream_detector(std::string_view name) {
  if (name == "ddm") return std::make_unique<Ddm>();
  if (name == "eddm") return std::make_unique<Eddm>();
  if (name == "adwin") return std::make_unique<Adwin>();
  if (name == "page_hinkley") return std::make_unique<PageHinkley>();
  if (name == "hddm_a") return std::make_unique<HddmA>();
  if (name == "hddm_w") return std::make_unique<HddmW>();
  return nullptr;
}

}  // namespace driftd
