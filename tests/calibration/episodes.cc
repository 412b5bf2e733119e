#include "episodes.h"

#include <simdjson.h>

#include <set>
#include <stdexcept>
#include <string_view>

namespace driftd::calibration {

AlertHistory read_alerts(const std::string& replay_output) {
  AlertHistory history;
  std::set<std::string> firing;  // "feature test" of each alert now firing
  bool any_before = false;       // whether one fired before the current evaluation
  std::int64_t evaluation = INT64_MIN;
  const auto close_evaluation = [&] {
    if (evaluation != INT64_MIN && !any_before && !firing.empty()) history.episode_starts.push_back(evaluation);
  };
  simdjson::dom::parser parser;
  std::string_view rest(replay_output);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty() || line.front() != '{') continue;
    const simdjson::dom::element alert = parser.parse(line.data(), line.size());
    if (std::string_view(alert["schema"]) != "driftd.alert.v1") continue;
    ++history.alerts;
    const std::int64_t at = alert["evaluated_at"];
    if (at != evaluation) {
      close_evaluation();
      any_before = !firing.empty();
      evaluation = at;
    }
    std::string feature{std::string_view(alert["feature"])}, test{std::string_view(alert["test"])};
    const std::string key = feature + " " + test;
    if (std::string_view(alert["state"]) == "firing") {
      firing.insert(key);
      history.firings.push_back({at, std::move(feature), std::move(test)});
    } else {
      firing.erase(key);
    }
  }
  close_evaluation();
  return history;
}

}  // namespace driftd::calibration
