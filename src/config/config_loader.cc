// YAML → Config. Every accessor names the dotted key path and the YAML line,
// so a user can find the fault without reading our code.
#include <librdkafka/rdkafkacpp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

#include "driftd/config.h"
#include "driftd/error.h"
#include "registry.h"

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

// One YAML node and the key path that led to it.
class Field {
 public:
  Field(const std::string& file, YAML::Node node, std::string key)
      : file_(file), node_(std::move(node)), key_(std::move(key)) {}

  const std::string& key() const { return key_; }

  [[noreturn]] void fail(const std::string& problem) const {
    throw InputError(file_, std::uint64_t(node_.Mark().line + 1), key_, problem);
  }

  // The map's entries, after checking that every key is one of `allowed`.
  void expect_keys(std::initializer_list<std::string_view> allowed) const {
    if (!node_.IsMap()) fail("expected a mapping");
    for (const auto& entry : node_) {
      const auto name = key_name(entry.first);
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

  std::size_t count(std::size_t low, std::size_t high) const {
    std::uint64_t value = 0;
    if (!node_.IsScalar() || !YAML::convert<std::uint64_t>::decode(node_, value)) {
      fail("expected a whole number, found '" + scalar_or_kind() + "'");
    }
    if (value < low || value > high) {
      fail("expected a whole number in [" + std::to_string(low) + ", " + std::to_string(high) +
           "], found " + std::to_string(value));
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

  Millis duration() const {
    const auto value = parse_duration(text());
    if (!value || value->count() <= 0) fail("expected a positive duration like 500ms, 10s, 5m, 1h, found '" + text() + "'");
    return *value;
  }

  std::vector<std::pair<std::string, Field>> entries() const {
    if (!node_.IsMap()) fail("expected a mapping");
    std::vector<std::pair<std::string, Field>> out;
    for (const auto& entry : node_) {
      const auto name = key_name(entry.first);
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
  f.expect_keys({"bootstrap_servers", "group_id", "input_topics", "alert_topic", "retrain_topic",
                 "dead_letter_topic", "exactly_once", "properties", "connect_timeout", "batch_size", "transactional_id"});
  if (auto v = f.child("bootstrap_servers")) kafka.bootstrap_servers = v->text();
  if (auto v = f.child("group_id")) kafka.group_id = v->text();
  if (auto v = f.child("input_topics")) kafka.input_topics = v->texts();
  if (auto v = f.child("alert_topic")) kafka.alert_topic = v->text();
  if (auto v = f.child("retrain_topic")) kafka.retrain_topic = v->text();
  if (auto v = f.child("dead_letter_topic")) kafka.dead_letter_topic = v->text();
  if (auto v = f.child("exactly_once")) kafka.exactly_once = v->boolean();
  if (auto v = f.child("transactional_id")) kafka.transactional_id = v->text();
  if (auto v = f.child("connect_timeout")) kafka.connect_timeout = v->duration();
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
  f.expect_keys({"p_value", "correction", "psi_threshold", "psi_bins", "dataset_drift_share"});
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
  if (fixed_name.empty()) f.expect_keys({"name", "type", "tests"});
  else f.expect_keys({"type", "tests"});
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
      if (!make_detector(name, {})) item.fail("unknown test '" + name + "'");
      if (detector_is_multivariate(name)) item.fail("'" + name + "' is multivariate: list it under multivariate");
      if (numeric ? !detector_takes_numeric(name) : !detector_takes_categorical(name)) {
        item.fail("test '" + name + "' does not apply to a " + (numeric ? "numeric" : "categorical") + " feature");
      }
      if (std::find(feature.tests.begin(), feature.tests.end(), name) != feature.tests.end()) {
        item.fail("test '" + name + "' listed twice");
      }
      feature.tests.push_back(name);
    }
    if (feature.tests.empty()) tests->fail("expected at least one test");
  } else {
    feature.tests = numeric ? std::vector<std::string>{"ks", "psi"} : std::vector<std::string>{"chi2", "psi"};
  }
  return feature;
}

MultivariateConfig load_multivariate(const Field& f, const ModelConfig& model) {
  f.expect_keys({"test", "features", "permutations", "sigma", "max_points"});
  MultivariateConfig mv;
  const auto test = f.required("test");
  mv.test = test.text();
  if (!detector_is_multivariate(mv.test)) test.fail("expected a multivariate test (mmd), found '" + mv.test + "'");
  const auto features = f.required("features");
  for (const auto& item : features.items()) {
    const auto name = item.text();
    const auto it = std::find_if(model.features.begin(), model.features.end(),
                                 [&](const FeatureConfig& feature) { return feature.name == name; });
    if (it == model.features.end()) item.fail("'" + name + "' is not a feature of this model");
    if (it->type != FeatureType::numeric) item.fail("'" + name + "' is not numeric");
    if (std::find(mv.features.begin(), mv.features.end(), name) != mv.features.end()) item.fail("'" + name + "' listed twice");
    mv.features.push_back(name);
  }
  if (mv.features.empty()) features.fail("expected at least one feature");
  if (auto v = f.child("permutations")) mv.permutations = v->count(1, 100'000);
  if (auto v = f.child("sigma")) {
    if (v->text() != "auto") mv.sigma = v->number(0, 1e300, true);
  }
  if (auto v = f.child("max_points")) mv.max_points = v->count(2, 100'000);
  return mv;
}

WindowConfig load_window(const Field& f) {
  f.expect_keys({"size", "step", "duration", "max_events"});
  WindowConfig w;
  const auto step = f.required("step");
  if (auto duration = f.child("duration")) {
    if (f.child("size")) f.required("size").fail("a window has either size (events) or duration (time), not both");
    w.duration = duration->duration();
    w.step_duration = step.duration();
    if (w.step_duration > w.duration) step.fail("step must not exceed the window's duration");
    if (auto v = f.child("max_events")) w.max_events = v->count(2, 10'000'000);
  } else {
    if (f.child("max_events")) f.required("max_events").fail("max_events bounds time windows; a count window holds size events");
    w.size = f.required("size").count(2, 10'000'000);
    w.step = step.count(1, w.size);
  }
  return w;
}

ModelConfig load_model(const Field& f, const std::string& config_dir) {
  f.expect_keys({"id", "reference", "window", "features", "prediction", "multivariate", "alerting", "retrain"});
  ModelConfig model;
  model.id = f.required("id").text();
  if (model.id.empty()) f.required("id").fail("expected a non-empty model id");

  const auto reference = f.required("reference");
  reference.expect_keys({"path", "from_stream"});
  if (auto path = reference.child("path")) {
    if (reference.child("from_stream")) path->fail("a reference has either path or from_stream, not both");
    const std::filesystem::path p = path->text();
    model.reference.path = p.is_absolute() ? p.string() : (std::filesystem::path(config_dir) / p).lexically_normal().string();
    // The error_code overload: a name too long, a symlink loop or a folder we may not
    // enter are the user's input errors too, not a std::filesystem_error.
    std::error_code error;
    if (!std::filesystem::is_regular_file(model.reference.path, error)) {
      std::string problem = "no such file: " + model.reference.path;
      if (error && error != std::errc::no_such_file_or_directory) problem += " (" + error.message() + ")";
      path->fail(problem);
    }
  } else {
    model.reference.from_stream = reference.required("from_stream").count(2, 10'000'000);
  }
  model.window = load_window(f.required("window"));

  const auto features = f.required("features");
  for (const auto& item : features.items()) {
    auto feature = load_feature(item);
    for (const auto& seen : model.features) {
      if (seen.name == feature.name) item.required("name").fail("feature '" + feature.name + "' is named twice");
    }
    model.features.push_back(std::move(feature));
  }
  if (auto prediction = f.child("prediction")) {
    for (const auto& seen : model.features) {
      if (seen.name == "prediction") prediction->fail("a feature is already named 'prediction'");
    }
    model.prediction = load_feature(*prediction, "prediction");
  }
  if (model.features.empty() && !model.prediction) features.fail("expected at least one feature");
  if (auto multivariate = f.child("multivariate")) {
    for (const auto& item : multivariate->items()) model.multivariate.push_back(load_multivariate(item, model));
  }
  if (auto alerting = f.child("alerting")) {
    alerting->expect_keys({"min_consecutive", "cooldown"});
    if (auto v = alerting->child("min_consecutive")) model.alerting.min_consecutive = v->count(1, 1000);
    if (auto v = alerting->child("cooldown")) model.alerting.cooldown = v->duration();
  }
  if (auto retrain = f.child("retrain")) {
    retrain->expect_keys({"drifted_share", "cooldown"});
    if (auto v = retrain->child("drifted_share")) model.retrain.drifted_share = v->number(0, 1, true);
    if (auto v = retrain->child("cooldown")) model.retrain.cooldown = v->duration();
  }
  return model;
}

}  // namespace

Config load_config(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw InputError(path, 0, "", "cannot open the configuration file");
  } catch (const YAML::Exception& e) {
    throw InputError(path, std::uint64_t(e.mark.line + 1), "", "invalid YAML: " + e.msg);
  }
  Config config;
  config.path = path;
  const Field top(config.path, root, "");
  if (!root.IsMap()) top.fail("expected a mapping with a models list");
  top.expect_keys({"kafka", "http", "state", "input", "defaults", "models"});

  if (auto kafka = top.child("kafka")) {
    load_kafka(*kafka, config.kafka);
  }
  if (auto http = top.child("http")) {
    http->expect_keys({"listen", "ready_max_lag"});
    if (auto v = http->child("listen")) config.http.listen = v->text();
    if (auto v = http->child("ready_max_lag")) config.http.ready_max_lag = v->count(0, std::size_t(1) << 62);
  }
  if (auto state = top.child("state")) {
    state->expect_keys({"dir", "checkpoint_interval"});
    if (auto v = state->child("dir")) config.state.dir = v->text();
    if (auto v = state->child("checkpoint_interval")) config.state.checkpoint_interval = v->duration();
  }
  if (auto input = top.child("input")) {
    input->expect_keys({"fields", "max_bytes"});
    if (auto fields = input->child("fields")) {
      fields->expect_keys({"model_id", "ts", "features", "prediction", "label"});
      if (auto v = fields->child("model_id")) config.input.model_id_field = v->text();
      if (auto v = fields->child("ts")) config.input.ts_field = v->text();
      if (auto v = fields->child("features")) config.input.features_field = v->text();
      if (auto v = fields->child("prediction")) config.input.prediction_field = v->text();
      if (auto v = fields->child("label")) config.input.label_field = v->text();
    }
    if (auto v = input->child("max_bytes")) config.input.max_bytes = v->count(64, 64 << 20);
  }
  if (auto defaults = top.child("defaults")) config.defaults = load_defaults(*defaults);

  const auto models = top.required("models");
  const std::string dir = std::filesystem::path(path).parent_path().string();
  for (const auto& item : models.items()) {
    auto model = load_model(item, dir);
    for (const auto& seen : config.models) {
      if (seen.id == model.id) item.required("id").fail("model '" + model.id + "' is configured twice");
    }
    config.models.push_back(std::move(model));
  }
  if (config.models.empty()) models.fail("expected at least one model");
  return config;
}

}  // namespace driftd
