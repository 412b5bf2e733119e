// YAML → Config. Every accessor names the dotted key path and the YAML line,
// so a user can find the fault without reading our code.
#include <librdkafka/rdkafkacpp.h>
#include <yaml-cpp/yaml.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "config/config_keys.h"
#include "config/test_params.h"
#include "decode/input_file.h"
#include "decode/read_file.h"
#include "detector_registry.h"
#include "driftd/config.h"
#include "driftd/error.h"
#include "error_stream_registry.h"
#include "labels/class_text.h"
#include "http/listen_address.h"
#include "util/show_duration.h"

namespace driftd {

std::optional<Millis> parse_duration(std::string_view text) {
  double amount = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || !std::isfinite(amount) || amount < 0) return std::nullopt;
  const std::string_view unit(end, text.data() + text.size() - end);
  double millis_per_unit = 0;
  if (unit == "ms") millis_per_unit = 1;
  else if (unit.empty() || unit == "s") millis_per_unit = 1e3;
  else if (unit == "m") millis_per_unit = 60e3;
  else if (unit == "h") millis_per_unit = 3600e3;
  else if (unit == "d") millis_per_unit = 86400e3;
  else return std::nullopt;
  // Beyond int64 milliseconds (~292 million years) llround's result is unspecified (LLONG_MIN here).
  const double millis = std::round(amount * millis_per_unit);
  if (!(millis < 9223372036854775808.0)) return std::nullopt;
  return Millis(std::int64_t(millis));
}

namespace {

namespace limits = config_limits;

// "1.2 GB", "640.0 MB": an estimate as a person reads it.
std::string about_bytes(double bytes) {
  char text[48];
  if (bytes >= 1e9) {
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
  } else {
    std::snprintf(text, sizeof text, "%.1f MB", bytes / 1e6);
  }
  return text;
}

// Why `path` cannot be a reference file, or empty when it can: references
// are read whole at every start, so only a readable, non-empty regular file
// is one (a pipe would be read once, a device might never end).
std::string reference_file_problem(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return "no such file: " + path;
    return "cannot access " + path + ": " + std::strerror(errno);
  }
  if (S_ISDIR(info.st_mode)) return path + " is a directory, not a file";
  if (!S_ISREG(info.st_mode)) {
    return path + " is " + file_kind(info.st_mode) + ", not a regular file: a reference is read whole at every start";
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "cannot open " + path + ": " + std::strerror(errno);
  ::close(fd);
  if (info.st_size == 0) return path + " is empty";
  return {};
}

// One YAML node and the key path that led to it.
class Field {
 public:
  Field(const std::string& file, YAML::Node node, std::string key)
      : file_(file), node_(std::move(node)), key_(std::move(key)) {}

  const std::string& key() const { return key_; }
  std::string dump() const { return YAML::Dump(node_); }

  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(file_, std::uint64_t(node_.Mark().line + 1), key_, problem);
  }

  // Checks that every key of the map is one of `allowed`, and none is given twice.
  void expect_keys(std::span<const std::string_view> allowed) const {
    if (!node_.IsMap()) fail("expected a mapping");
    std::unordered_map<std::string, YAML::Mark> seen;
    for (const auto& entry : node_) {
      const auto name = key_name(entry.first);
      check_once(seen, name, entry.first);
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string known;
        for (const auto k : allowed) known += (known.empty() ? "" : ", ") + std::string(k);
        throw InputError(file_, std::uint64_t(entry.first.Mark().line + 1), join(name),
                         "unknown key (expected one of: " + known + ")");
      }
    }
  }

  std::optional<Field> child(const std::string& name) const {
    const YAML::Node value = node_[name];
    if (!value.IsDefined() || value.IsNull()) return std::nullopt;
    return Field(file_, value, join(name));
  }

  Field required(const std::string& name) const {
    auto value = child(name);
    if (!value) fail("missing required key '" + name + "'");
    return *value;
  }

  // The list's items; more than `most` is an error saying `why`.
  std::vector<Field> items(std::size_t most, const std::string& why) const {
    if (!node_.IsSequence()) fail("expected a list");
    if (node_.size() > most) {
      fail(std::to_string(node_.size()) + " items, more than the " + std::to_string(most) + " allowed: " + why);
    }
    return items();
  }

  std::vector<Field> items() const {
    if (!node_.IsSequence()) fail("expected a list");
    std::vector<Field> out;
    for (std::size_t i = 0; i < node_.size(); ++i) {
      out.emplace_back(file_, node_[i], key_ + "[" + std::to_string(i) + "]");
    }
    return out;
  }

  std::string text() const {
    if (!node_.IsScalar()) fail("expected a string");
    return node_.Scalar();
  }

  double number(double low, double high, bool low_open = false) const {
    double value = 0;
    if (!node_.IsScalar() || !YAML::convert<double>::decode(node_, value) || !std::isfinite(value)) {
      fail("expected a number, found '" + scalar_or_kind() + "'");
    }
    if (value < low || value > high || (low_open && value == low)) {
      fail("expected a number in " + std::string(low_open ? "(" : "[") + fmt(low) + ", " + fmt(high) +
           "], found " + node_.Scalar());
    }
    return value;
  }

  // A whole number in [low, high]; `why` says what the bounds protect.
  std::size_t count(std::size_t low, std::size_t high, const std::string& why = {}) const {
    std::uint64_t value = 0;
    if (!node_.IsScalar() || !YAML::convert<std::uint64_t>::decode(node_, value)) {
      fail("expected a whole number, found '" + scalar_or_kind() + "'");
    }
    if (value < low || value > high) {
      fail("expected a whole number in [" + std::to_string(low) + ", " + std::to_string(high) + "], found " +
           std::to_string(value) + (why.empty() ? "" : ": " + why));
    }
    return std::size_t(value);
  }

  bool boolean() const {
    bool value = false;
    if (!node_.IsScalar() || !YAML::convert<bool>::decode(node_, value)) {
      fail("expected true or false, found '" + scalar_or_kind() + "'");
    }
    return value;
  }

  // A positive duration of at most `most` (config_limits::kMaxDuration but
  // where a tighter bound applies, which `why` explains).
  Millis duration(Millis most = limits::kMaxDuration,
                  const char* why = "event time plus a duration must stay far within 64-bit milliseconds") const {
    const auto value = parse_duration(text());
    if (!value || value->count() <= 0) fail("expected a positive duration like 500ms, 10s, 5m, 1h, found '" + text() + "'");
    if (*value > most) {
      fail("expected a duration of at most " + show_duration(most) + ", found '" + text() + "' (" +
           std::to_string(value->count()) + "ms): " + why);
    }
    return *value;
  }

  std::vector<std::pair<std::string, Field>> entries() const {
    if (!node_.IsMap()) fail("expected a mapping");
    std::vector<std::pair<std::string, Field>> out;
    std::unordered_map<std::string, YAML::Mark> seen;
    for (const auto& entry : node_) {
      const auto name = key_name(entry.first);
      check_once(seen, name, entry.first);
      out.emplace_back(name, Field(file_, entry.second, join(name)));
    }
    return out;
  }

  std::vector<std::string> texts() const {
    std::vector<std::string> out;
    for (const auto& item : items()) out.push_back(item.text());
    return out;
  }

 private:
  std::string join(const std::string& name) const { return key_.empty() ? name : key_ + "." + name; }
  // A mapping's key as text; YAML allows lists and mappings as keys (`[a, b]: 1`), we do not.
  std::string key_name(const YAML::Node& key) const {
    if (key.IsNull()) return "null";
    if (!key.IsScalar()) {
      throw InputError(file_, std::uint64_t(key.Mark().line + 1), key_, "expected a text key, found a " +
                       std::string(key.IsSequence() ? "list" : "mapping"));
    }
    return key.Scalar();
  }
  // yaml-cpp keeps both entries of a key written twice in a mapping, and
  // looking the key up finds the first: the second would be ignored silently.
  void check_once(std::unordered_map<std::string, YAML::Mark>& seen, const std::string& name,
                  const YAML::Node& key) const {
    const auto [first, added] = seen.emplace(name, key.Mark());
    if (!added) {
      const auto place = [](const YAML::Mark& mark) {
        return "line " + std::to_string(mark.line + 1) + " column " + std::to_string(mark.column + 1);
      };
      throw InputError(file_, std::uint64_t(key.Mark().line + 1), join(name),
                       "key given twice in the mapping (" + place(first->second) + ", and " + place(key.Mark()) +
                           "): only one value can hold");
    }
  }
  std::string scalar_or_kind() const {
    if (node_.IsScalar()) return node_.Scalar();
    return node_.IsSequence() ? "a list" : "a mapping";
  }
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  const std::string& file_;
  YAML::Node node_;
  std::string key_;
};

void load_kafka(const Field& f, KafkaConfig& kafka) {
  f.expect_keys(config_keys::kKafka);
  if (auto v = f.child("bootstrap_servers")) kafka.bootstrap_servers = v->text();
  if (auto v = f.child("group_id")) kafka.group_id = v->text();
  if (auto v = f.child("input_topics")) kafka.input_topics = v->texts();
  if (auto v = f.child("alert_topic")) kafka.alert_topic = v->text();
  if (auto v = f.child("retrain_topic")) kafka.retrain_topic = v->text();
  if (auto v = f.child("dead_letter_topic")) kafka.dead_letter_topic = v->text();
  if (auto v = f.child("exactly_once")) kafka.exactly_once = v->boolean();
  if (auto v = f.child("transactional_id")) kafka.transactional_id = v->text();
  if (auto v = f.child("connect_timeout")) {
    kafka.connect_timeout = v->duration(limits::kMaxKafkaTimeout, "librdkafka takes timeouts as 32-bit milliseconds");
  }
  if (auto v = f.child("batch_size")) kafka.batch_size = v->count(1, 1'000'000);
  if (auto v = f.child("properties")) {
    // Checked against librdkafka now, so that a misspelt property stops the
    // daemon at start with its line, not later with none.
    const std::unique_ptr<RdKafka::Conf> probe(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    for (const auto& [name, value] : v->entries()) {
      std::string problem;
      // Loading plugins is librdkafka's business when the daemon starts, not validate's.
      if (name != "plugin.library.paths" && probe->set(name, value.text(), problem) != RdKafka::Conf::CONF_OK) {
        value.fail(problem);
      }
      kafka.properties[name] = value.text();
    }
  }
}

Defaults load_defaults(const Field& f) {
  f.expect_keys(config_keys::kDefaults);
  Defaults d;
  if (auto v = f.child("p_value")) d.p_value = v->number(0, 1, true);
  if (auto v = f.child("correction")) {
    const auto name = v->text();
    if (name == "none") d.correction = Correction::none;
    else if (name == "bonferroni") d.correction = Correction::bonferroni;
    else if (name == "fdr") d.correction = Correction::fdr;
    else v->fail("expected none, bonferroni or fdr, found '" + name + "'");
  }
  if (auto v = f.child("psi_threshold")) d.psi_threshold = v->number(0, 1e9, true);
  if (auto v = f.child("psi_bins")) d.psi_bins = v->count(2, 1000);
  if (auto v = f.child("dataset_drift_share")) d.dataset_drift_share = v->number(0, 1, true);
  return d;
}

FeatureConfig load_feature(const Field& f, std::string fixed_name = {}) {
  if (fixed_name.empty()) f.expect_keys(config_keys::kFeature);
  else f.expect_keys(config_keys::kPrediction);
  FeatureConfig feature;
  feature.name = fixed_name.empty() ? f.required("name").text() : fixed_name;
  if (feature.name.empty()) f.required("name").fail("expected a non-empty name");
  const auto type = f.required("type");
  if (type.text() == "numeric") feature.type = FeatureType::numeric;
  else if (type.text() == "categorical") feature.type = FeatureType::categorical;
  else type.fail("expected numeric or categorical, found '" + type.text() + "'");

  const bool numeric = feature.type == FeatureType::numeric;
  if (auto tests = f.child("tests")) {
    for (const auto& item : tests->items()) {
      const auto name = item.text();
      const DetectorInfo* test = find_detector(name);
      if (test == nullptr) item.fail("unknown test '" + name + "'");
      if (test->multivariate) item.fail("'" + name + "' is multivariate: list it under multivariate");
      if (!(numeric ? test->numeric : test->categorical)) {
        item.fail("test '" + name + "' does not apply to a " + (numeric ? "numeric" : "categorical") + " feature");
      }
      if (std::find(feature.tests.begin(), feature.tests.end(), name) != feature.tests.end()) {
        item.fail("test '" + name + "' listed twice");
      }
      feature.tests.push_back(name);
    }
    if (feature.tests.empty()) tests->fail("expected at least one test");
  } else {
    feature.tests = default_tests(feature.type);
  }
  return feature;
}

// The tests that may be listed under `multivariate`, for messages.
std::string multivariate_test_names() {
  std::string names;
  for (const DetectorInfo& info : detector_table()) {
    if (!info.multivariate) continue;
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

// A model's features by name, for the multivariate tests to look up.
using FeatureTypes = std::unordered_map<std::string, FeatureType>;

MultivariateConfig load_multivariate(const Field& f, const FeatureTypes& types) {
  f.expect_keys(config_keys::kMultivariate);
  MultivariateConfig mv;
  const auto test = f.required("test");
  mv.test = test.text();
  if (const DetectorInfo* info = find_detector(mv.test); info == nullptr || !info->multivariate) {
    test.fail("expected a multivariate test (" + multivariate_test_names() + "), found '" + mv.test + "'");
  }
  const auto features = f.required("features");
  std::unordered_set<std::string> listed;
  for (const auto& item : features.items()) {
    const auto name = item.text();
    const auto it = types.find(name);
    if (it == types.end()) item.fail("'" + name + "' is not a feature of this model");
    if (it->second != FeatureType::numeric) item.fail("'" + name + "' is not numeric");
    if (!listed.insert(name).second) item.fail("'" + name + "' listed twice");
    mv.features.push_back(name);
  }
  if (mv.features.empty()) features.fail("expected at least one feature");
  if (auto v = f.child("permutations")) mv.permutations = v->count(1, 100'000);
  if (auto v = f.child("sigma")) {
    if (v->text() != "auto") mv.sigma = v->number(0, 1e300, true);
  }
  if (auto v = f.child("max_points")) {
    // The bound is about time: the message says what the value asked would cost.
    const std::size_t asked = v->count(0, std::numeric_limits<std::size_t>::max());
    if (asked < 2) v->fail("expected a whole number in [2, " + std::to_string(limits::kMaxMmdPoints) + "], found " + std::to_string(asked));
    if (asked > limits::kMaxMmdPoints) {
      const auto pairs = [](std::size_t points) {
        char text[32];
        std::snprintf(text, sizeof text, "%.3g", std::pow(2.0 * double(points), 2) / 2);
        return std::string(text);
      };
      v->fail("max_points " + std::to_string(asked) + " asks MMD for (2 x " + std::to_string(asked) + ")^2 / 2 = " +
              pairs(asked) + " pairs of points per evaluation; at most " + std::to_string(limits::kMaxMmdPoints) + " (" +
              pairs(limits::kMaxMmdPoints) + " pairs, about 0.2 s with 100 permutations on two cores)");
    }
    mv.max_points = asked;
  }
  return mv;
}

const std::string kWindowEventsWhy = "a window holds its events in memory, a slot per column each";

WindowConfig load_window(const Field& f) {
  f.expect_keys(config_keys::kWindow);
  WindowConfig w;
  const auto step = f.required("step");
  if (auto duration = f.child("duration")) {
    if (f.child("size")) f.required("size").fail("a window has either size (events) or duration (time), not both");
    w.duration = duration->duration();
    w.step_duration = step.duration();
    if (w.step_duration > w.duration) step.fail("step must not exceed the window's duration");
    // Exact: duration <= 100 years, so 100000 steps of it cannot overflow.
    if (w.duration.count() > limits::kMaxStepsPerWindow * w.step_duration.count()) {
      step.fail("a window of " + show_duration(w.duration) + " evaluated every " + show_duration(w.step_duration) +
                " has " + std::to_string(w.duration.count() / w.step_duration.count()) + " steps, more than " +
                std::to_string(limits::kMaxStepsPerWindow) +
                ": one event can close a window at each step, each an evaluation of every test");
    }
    if (auto v = f.child("max_events")) w.max_events = v->count(2, limits::kMaxWindowEvents, kWindowEventsWhy);
  } else {
    if (f.child("max_events")) f.required("max_events").fail("max_events bounds time windows; a count window holds size events");
    w.size = f.required("size").count(2, limits::kMaxWindowEvents, kWindowEventsWhy);
    w.step = step.count(1, w.size, "a count window is evaluated every step events, at most once per size");
  }
  return w;
}

LabelsConfig load_labels(const Field& f) {
  f.expect_keys(config_keys::kLabels);
  LabelsConfig labels;
  if (auto v = f.child("task")) {
    const std::string task = v->text();
    if (task == "classification") labels.task = LabelTask::classification;
    else if (task == "regression") labels.task = LabelTask::regression;
    else v->fail("expected classification or regression, found '" + task + "'");
  }
  const bool classification = labels.task == LabelTask::classification;
  if (auto v = f.child("positive_class")) {
    if (!classification) v->fail("positive_class is for task: classification");
    labels.positive_class = class_text_of_token(v->text());
  }
  if (auto v = f.child("threshold")) {
    if (!classification) v->fail("threshold turns a score into a class: it is for task: classification");
    if (labels.positive_class.empty()) v->fail("a threshold says when the prediction is positive_class: set positive_class too");
    labels.threshold = v->number(-1e300, 1e300);
  }
  if (auto v = f.child("join_within")) labels.join_within = v->duration();
  if (auto v = f.child("max_pending")) {
    labels.max_pending = v->count(1, limits::kMaxWindowEvents, "predictions waiting for a label are held in memory");
  }
  if (auto window = f.child("window")) labels.window = load_window(*window);
  if (auto v = f.child("max_drop")) labels.max_drop = v->number(0, 1e300, true);
  if (auto detectors = f.child("detectors")) {
    for (const auto& item : detectors->items(kErrorStreamDetectors.size(), "each detector once")) {
      const std::string name = item.text();
      if (std::find(kErrorStreamDetectors.begin(), kErrorStreamDetectors.end(), name) == kErrorStreamDetectors.end()) {
        std::string known;
        for (const auto k : kErrorStreamDetectors) known += (known.empty() ? "" : ", ") + std::string(k);
        item.fail("unknown concept-drift detector '" + name + "' (expected one of: " + known + ")");
      }
      if (std::find(labels.detectors.begin(), labels.detectors.end(), name) != labels.detectors.end()) {
        item.fail("detector '" + name + "' is named twice");
      }
      // DDM and EDDM count errors as 0 or 1, and the HDDM bounds hold for
      // values in [0, 1]: a regressor's absolute errors are neither.
      if (!classification && name != "adwin" && name != "page_hinkley") {
        item.fail("detector '" + name + "' watches errors of 0 or 1 (or in [0, 1]); a regressor's absolute errors "
                  "suit adwin or page_hinkley");
      }
      labels.detectors.push_back(name);
    }
  }
  if (!labels.max_drop && labels.detectors.empty()) {
    f.fail("labels without max_drop or detectors test nothing: set max_drop (the performance test), detectors, or both");
  }
  return labels;
}

ModelConfig load_model(const Field& f, const std::string& config_dir, ConfigUse use) {
  f.expect_keys(config_keys::kModel);
  ModelConfig model;
  model.id = f.required("id").text();
  if (model.id.empty()) f.required("id").fail("expected a non-empty model id");

  const bool for_score = use == ConfigUse::score;
  if (!for_score || f.child("reference")) {
    const auto reference = f.required("reference");
    reference.expect_keys(config_keys::kReference);
    if (auto path = reference.child("path")) {
      if (reference.child("from_stream")) path->fail("a reference has either path or from_stream, not both");
      const std::filesystem::path p = path->text();
      model.reference.path =
          p.is_absolute() ? p.string() : (std::filesystem::path(config_dir) / p).lexically_normal().string();
      if (const std::string problem = reference_file_problem(model.reference.path); !problem.empty() && !for_score) {
        path->fail(problem);
      }
    } else {
      model.reference.from_stream = reference.required("from_stream").count(
          2, limits::kMaxWindowEvents, "a reference from the stream holds its events in memory, a value per column each");
    }
  }
  if (!for_score || f.child("window")) model.window = load_window(f.required("window"));

  const auto features = f.required("features");
  FeatureTypes types;
  for (const auto& item : features.items(limits::kMaxFeaturesPerModel, "features of one model")) {
    auto feature = load_feature(item);
    if (!types.emplace(feature.name, feature.type).second) {
      item.required("name").fail("feature '" + feature.name + "' is named twice");
    }
    model.features.push_back(std::move(feature));
  }
  if (auto prediction = f.child("prediction")) {
    if (types.contains("prediction")) prediction->fail("a feature is already named 'prediction'");
    if (model.features.size() == limits::kMaxFeaturesPerModel) {
      prediction->fail("the prediction makes more than " + std::to_string(limits::kMaxFeaturesPerModel) +
                       " features of one model");
    }
    model.prediction = load_feature(*prediction, "prediction");
  }
  if (model.features.empty() && !model.prediction) features.fail("expected at least one feature");
  if (auto multivariate = f.child("multivariate")) {
    for (const auto& item : multivariate->items()) model.multivariate.push_back(load_multivariate(item, types));
  }
  if (auto alerting = f.child("alerting")) {
    alerting->expect_keys(config_keys::kAlerting);
    if (auto v = alerting->child("min_consecutive")) model.alerting.min_consecutive = v->count(1, 1000);
    if (auto v = alerting->child("cooldown")) model.alerting.cooldown = v->duration();
    if (auto v = alerting->child("mode")) {
      const std::string mode = v->text();
      if (mode == "calibrated") model.alerting.mode = AlertMode::calibrated;
      else if (mode == "per_window") model.alerting.mode = AlertMode::per_window;
      else v->fail("expected calibrated or per_window, found '" + mode + "'");
    }
    if (auto v = alerting->child("false_alarm_every")) {
      if (model.alerting.mode == AlertMode::per_window) v->fail("false_alarm_every calibrates mode: calibrated, not per_window");
      // At least 10 steps: an alarm episode needs evaluations without one
      // between, so a budget near one step could not be kept by any threshold.
      const char* why = "the mean distance between false alarms, at least 10 window steps";
      if (model.window.by_time()) {
        const Millis every = v->duration();
        if (every.count() < 10 * model.window.step_duration.count()) {
          v->fail("expected at least 10 steps of the window (" + show_duration(10 * model.window.step_duration) +
                  "), found " + show_duration(every) + ": " + why);
        }
        model.alerting.false_alarm_every = std::uint64_t(every.count());
      } else {
        model.alerting.false_alarm_every = v->count(10 * model.window.step, limits::kMaxFalseAlarmEvents, why);
      }
    }
  }
  if (auto labels = f.child("labels")) {
    model.labels = load_labels(*labels);
    if (model.labels->max_drop && model.reference.from_stream > 0) {
      labels->required("max_drop").fail("the performance test compares with the reference file's own labels "
                                        "(its label and prediction columns); a from_stream reference has none");
    }
  }
  if (auto retrain = f.child("retrain")) {
    retrain->expect_keys(config_keys::kRetrain);
    if (auto v = retrain->child("drifted_share")) model.retrain.drifted_share = v->number(0, 1, true);
    if (auto v = retrain->child("cooldown")) model.retrain.cooldown = v->duration();
  }
  return model;
}

}  // namespace

Config load_config(const std::string& path, ConfigUse use) {
  // Read within bounds first: YAML::LoadFile would read a directory as an
  // I/O failure (exit 3), wait for ever on a FIFO and never end on /dev/zero.
  const std::vector<char> bytes = read_file(
      path, {.max_file_bytes = limits::kMaxFileBytes, .max_line_bytes = limits::kMaxFileBytes, .what = "a configuration file"});
  YAML::Node root;
  try {
    root = YAML::Load(std::string(bytes.begin(), bytes.end()));
  } catch (const YAML::Exception& e) {
    throw InputError(path, std::uint64_t(e.mark.line + 1), "", "invalid YAML: " + e.msg);
  }
  Config config;
  config.path = path;
  const Field top(config.path, root, "");
  if (!root.IsMap()) top.fail("expected a mapping with a models list");
  top.expect_keys(config_keys::kTop);

  if (auto kafka = top.child("kafka")) {
    load_kafka(*kafka, config.kafka);
  }
  if (auto http = top.child("http")) {
    http->expect_keys(config_keys::kHttp);
    if (auto v = http->child("listen")) {
      // The syntax now, with this line; a host name is resolved when `run` starts.
      std::string problem;
      if (!parse_listen_address(v->text(), problem)) v->fail(problem);
      config.http.listen = v->text();
    }
    if (auto v = http->child("ready_max_lag")) config.http.ready_max_lag = v->count(0, std::size_t(1) << 62);
  }
  if (auto state = top.child("state")) {
    state->expect_keys(config_keys::kState);
    if (auto v = state->child("dir")) {
      v->fail("state.dir is gone: run keeps its state in a Kafka topic (state.topic, by default "
              "<kafka.group_id>.state); remove the key");
    }
    if (auto v = state->child("topic")) config.state.topic = v->text();
    if (auto v = state->child("checkpoint_interval")) config.state.checkpoint_interval = v->duration();
  }
  if (auto input = top.child("input")) {
    input->expect_keys(config_keys::kInput);
    if (auto fields = input->child("fields")) {
      fields->expect_keys(config_keys::kInputFields);
      if (auto v = fields->child("model_id")) config.input.model_id_field = v->text();
      if (auto v = fields->child("ts")) config.input.ts_field = v->text();
      if (auto v = fields->child("features")) config.input.features_field = v->text();
      if (auto v = fields->child("prediction")) config.input.prediction_field = v->text();
      if (auto v = fields->child("label")) config.input.label_field = v->text();
      if (auto v = fields->child("event_id")) config.input.event_id_field = v->text();
    }
    if (auto v = input->child("max_bytes")) config.input.max_bytes = v->count(64, 64 << 20);
  }
  if (auto defaults = top.child("defaults")) config.defaults = load_defaults(*defaults);
  // Everything that shapes a model's events and decisions besides its own entry.
  std::string shared_settings = "\n# defaults\n";
  if (auto defaults = top.child("defaults")) shared_settings += defaults->dump();
  shared_settings += "\n# input\n";
  if (auto input = top.child("input")) shared_settings += input->dump();

  const auto models = top.required("models");
  const std::string dir = std::filesystem::path(path).parent_path().string();
  std::unordered_set<std::string> ids;
  std::size_t features = 0;
  std::uint64_t held = 0;
  for (const auto& item : models.items(limits::kMaxModels, "models in one configuration")) {
    auto model = load_model(item, dir, use);
    model.settings = item.dump() + shared_settings;
    if (!ids.insert(model.id).second) item.required("id").fail("model '" + model.id + "' is configured twice");
    features += model.features.size() + (model.prediction ? 1 : 0);
    if (features > limits::kMaxFeatures) {
      item.required("features").fail("the models up to this one have " + std::to_string(features) +
                                     " features (predictions included), more than the " +
                                     std::to_string(limits::kMaxFeatures) + " one configuration may monitor");
    }
    const std::uint64_t model_held = held_bytes(model);
    held += model_held;
    if (held > limits::kMaxHeldBytes) {
      item.required("window").fail("this model's window" + std::string(model.reference.from_stream > 0 ? " and stream reference" : "") +
                                   " would hold about " + about_bytes(double(model_held)) + ", the models up to it " +
                                   about_bytes(double(held)) + ", more than the " + describe_bytes(limits::kMaxHeldBytes) +
                                   " a configuration may hold in its windows (memory is bounded by the configured "
                                   "windows): fewer events or fewer features");
    }
    config.models.push_back(std::move(model));
  }
  if (config.models.empty()) models.fail("expected at least one model");
  return config;
}

}  // namespace driftd
