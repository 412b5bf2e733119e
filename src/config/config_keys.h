// The keys each mapping of the configuration file accepts, in one place:
// load_config rejects any other key with these lists, and a unit test
// (tests/unit/test_config_docs.cc) holds config/README.md to them, so a key
// cannot be added to the loader without being documented.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace driftd::config_keys {

inline constexpr std::array<std::string_view, 6> kTop = {"kafka", "http", "state", "input", "defaults", "models"};
inline constexpr std::array<std::string_view, 11> kKafka = {
    "bootstrap_servers", "group_id",     "input_topics", "alert_topic", "retrain_topic",   "dead_letter_topic",
    "exactly_once",      "properties",   "connect_timeout", "batch_size", "transactional_id"};
inline constexpr std::array<std::string_view, 2> kHttp = {"listen", "ready_max_lag"};
inline constexpr std::array<std::string_view, 3> kState = {"topic", "checkpoint_interval", "dir"};
inline constexpr std::array<std::string_view, 2> kInput = {"fields", "max_bytes"};
inline constexpr std::array<std::string_view, 6> kInputFields = {"model_id",   "ts",    "features",
                                                                  "prediction", "label", "event_id"};
inline constexpr std::array<std::string_view, 5> kDefaults = {"p_value", "correction", "psi_threshold", "psi_bins",
                                                              "dataset_drift_share"};
inline constexpr std::array<std::string_view, 9> kModel = {"id",           "reference", "window",  "features", "prediction",
                                                           "multivariate", "alerting",  "retrain", "labels"};
inline constexpr std::array<std::string_view, 2> kReference = {"path", "from_stream"};
inline constexpr std::array<std::string_view, 4> kWindow = {"size", "step", "duration", "max_events"};
inline constexpr std::array<std::string_view, 3> kFeature = {"name", "type", "tests"};
// The prediction is a feature whose name is fixed.
inline constexpr std::array<std::string_view, 2> kPrediction = {"type", "tests"};
inline constexpr std::array<std::string_view, 5> kMultivariate = {"test", "features", "permutations", "sigma",
                                                                  "max_points"};
inline constexpr std::array<std::string_view, 4> kAlerting = {"min_consecutive", "cooldown", "mode",
                                                              "false_alarm_every"};
inline constexpr std::array<std::string_view, 2> kRetrain = {"drifted_share", "cooldown"};
inline constexpr std::array<std::string_view, 8> kLabels = {"task",   "positive_class", "threshold", "join_within",
                                                            "max_pending", "window", "max_drop",  "detectors"};


// A mapping of the file, named as config/README.md's headings name it
// (`[]` marks an item of a list), and the keys it accepts.
struct Section {
  std::string_view path;
  std::span<const std::string_view> keys;
};

inline constexpr std::array<Section, 17> kSections = {{
    {"Top level", kTop},
    {"kafka", kKafka},
    {"http", kHttp},
    {"state", kState},
    {"input", kInput},
    {"input.fields", kInputFields},
    {"defaults", kDefaults},
    {"models[]", kModel},
    {"models[].reference", kReference},
    {"models[].window", kWindow},
    {"models[].features[]", kFeature},
    {"models[].prediction", kPrediction},
    {"models[].multivariate[]", kMultivariate},
    {"models[].alerting", kAlerting},
    {"models[].retrain", kRetrain},
    {"models[].labels", kLabels},
    {"models[].labels.window", kWindow},
}};

}  // namespace driftd::config_keys
