#include "sandbox/sandbox_control.h"

#include <charconv>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace driftd {
namespace {

template <typename Number>
Number number(const std::string& text, const char* what) {
  Number value{};
  const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument(std::string("expected ") + what + ", got '" + text + "'");
  }
  return value;
}

std::int32_t broker(const std::string& text) { return text == "all" ? -1 : number<std::int32_t>(text, "a broker id or all"); }

}  // namespace

std::string apply_sandbox_command(MockCluster& cluster, const std::string& line) {
  std::istringstream words(line);
  std::vector<std::string> w;
  for (std::string word; words >> word;) w.push_back(word);
  if (w.empty()) return "error empty command";
  try {
    if ((w[0] == "down" || w[0] == "up") && w.size() == 2) {
      cluster.set_broker_down(broker(w[1]), w[0] == "down");
    } else if (w[0] == "rtt" && w.size() == 3) {
      cluster.set_rtt(broker(w[1]), number<int>(w[2], "milliseconds"));
    } else if (w[0] == "errors" && w.size() >= 3) {
      std::vector<rd_kafka_resp_err_t> codes;
      for (std::size_t i = 2; i < w.size(); ++i) codes.push_back(rd_kafka_resp_err_t(number<int>(w[i], "an error code")));
      cluster.push_request_errors(number<std::int16_t>(w[1], "an API key"), codes);
    } else {
      return "error unknown command '" + line + "' (down B | up B | rtt B MS | errors API CODE...)";
    }
  } catch (const std::exception& e) {
    return std::string("error ") + e.what();
  }
  return "ok " + line;
}

}  // namespace driftd
