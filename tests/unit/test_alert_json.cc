#include "driftd/alert.h"

#include <simdjson.h>

#include <catch2/catch.hpp>

using namespace driftd;

namespace {

constexpr WindowInfo kWindow = {.count = 5000, .start_ts = 1763800000123, .end_ts = 1763800900000, .end_sequence = 42};

Alert ks_alert() {
  return {.alert_id = "2326ba75-c16b-55b1-92b7-19b795c851d6",
          .model_id = "fraud-v3",
          .state = "firing",
          .severity = "warning",
          .feature = "amount",
          .test = "ks",
          .statistic = 0.21,
          .p_value = 3e-7,
          .threshold = 0.0025,
          .window = kWindow,
          .reference_rows = 10000,
          .evaluated_at = 1763800900000};
}

RetrainTrigger trigger() {
  return {.trigger_id = "c32edacb-6370-5348-a2fc-546bb4982fe2",
          .model_id = "fraud-v3",
          .drifted_features = {"amount", "amount+age"},
          .alert_ids = {"2326ba75-c16b-55b1-92b7-19b795c851d6", "801761fa-e1d4-5a26-a713-2af4d4a00e5e"},
          .drifted_share = 0.5,
          .window = kWindow,
          .evaluated_at = 1763800900000};
}

std::vector<std::string> keys_of(simdjson::dom::object object) {
  std::vector<std::string> keys;
  for (const auto field : object) keys.emplace_back(field.key);
  return keys;
}

}  // namespace

TEST_CASE("alert_json: a p-value alert, exactly", "[alert_json]") {
  CHECK(alert_json(ks_alert()) ==
        R"({"schema":"driftd.alert.v1","alert_id":"2326ba75-c16b-55b1-92b7-19b795c851d6","model_id":"fraud-v3",)"
        R"("state":"firing","severity":"warning","feature":"amount","test":"ks","statistic":0.21,"p_value":3e-07,)"
        R"("threshold":0.0025,"window":{"count":5000,"start_ts":1763800000123,"end_ts":1763800900000},)"
        R"("reference":{"rows":10000},"evaluated_at":1763800900000})");
}

TEST_CASE("alert_json: a distance alert has no p_value key", "[alert_json]") {
  Alert alert = ks_alert();
  alert.state = "resolved";
  alert.severity = "critical";
  alert.feature = "country";
  alert.test = "psi";
  alert.statistic = 0.125;
  alert.p_value.reset();
  alert.threshold = 0.2;
  CHECK(alert_json(alert) ==
        R"({"schema":"driftd.alert.v1","alert_id":"2326ba75-c16b-55b1-92b7-19b795c851d6","model_id":"fraud-v3",)"
        R"("state":"resolved","severity":"critical","feature":"country","test":"psi","statistic":0.125,)"
        R"("threshold":0.2,"window":{"count":5000,"start_ts":1763800000123,"end_ts":1763800900000},)"
        R"("reference":{"rows":10000},"evaluated_at":1763800900000})");
}

TEST_CASE("alert_json: a calibrated alert carries its calibration, the threshold on the statistic", "[alert_json]") {
  Alert alert = ks_alert();
  alert.threshold = 0.0878;
  alert.calibration = AlertCalibration{.false_alarm_every = 2'500'000, .by_time = false, .alpha = 2.5e-05};
  CHECK(alert_json(alert) ==
        R"({"schema":"driftd.alert.v1","alert_id":"2326ba75-c16b-55b1-92b7-19b795c851d6","model_id":"fraud-v3",)"
        R"("state":"firing","severity":"warning","feature":"amount","test":"ks","statistic":0.21,"p_value":3e-07,)"
        R"("threshold":0.0878,"window":{"count":5000,"start_ts":1763800000123,"end_ts":1763800900000},)"
        R"("reference":{"rows":10000},"calibration":{"false_alarm_every":2500000,"unit":"events","alpha":2.5e-05},)"
        R"("evaluated_at":1763800900000})");
  // A time window's budget is event time, in milliseconds.
  alert.calibration = AlertCalibration{.false_alarm_every = 2'592'000'000, .by_time = true, .alpha = 1e-06};
  simdjson::dom::parser parser;
  const simdjson::dom::object calibration = parser.parse(alert_json(alert))["calibration"].get_object();
  CHECK(std::uint64_t(calibration["false_alarm_every"]) == 2'592'000'000);
  CHECK(std::string_view(calibration["unit"]) == "ms");
  CHECK(double(calibration["alpha"]) == 1e-06);
}

TEST_CASE("alert_json: a retrain trigger, exactly", "[alert_json]") {
  CHECK(retrain_json(trigger()) ==
        R"({"schema":"driftd.retrain.v1","trigger_id":"c32edacb-6370-5348-a2fc-546bb4982fe2","model_id":"fraud-v3",)"
        R"("drifted_features":["amount","amount+age"],)"
        R"("alert_ids":["2326ba75-c16b-55b1-92b7-19b795c851d6","801761fa-e1d4-5a26-a713-2af4d4a00e5e"],)"
        R"("drifted_share":0.5,"window":{"count":5000,"start_ts":1763800000123,"end_ts":1763800900000},)"
        R"("evaluated_at":1763800900000})");
  RetrainTrigger empty = trigger();
  empty.drifted_features.clear();
  empty.alert_ids.clear();
  CHECK(retrain_json(empty).find(R"("drifted_features":[],"alert_ids":[],)") != std::string::npos);
}

TEST_CASE("alert_json: an alert parses with the right keys and types", "[alert_json]") {
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(alert_json(ks_alert()));
  REQUIRE(doc.is_object());
  CHECK(keys_of(doc.get_object().value()) ==
        std::vector<std::string>{"schema", "alert_id", "model_id", "state", "severity", "feature", "test", "statistic",
                                 "p_value", "threshold", "window", "reference", "evaluated_at"});
  CHECK(doc["schema"].get_string().value() == "driftd.alert.v1");
  CHECK(doc["alert_id"].get_string().value() == "2326ba75-c16b-55b1-92b7-19b795c851d6");
  CHECK(doc["statistic"].type().value() == simdjson::dom::element_type::DOUBLE);
  CHECK(doc["statistic"].get_double().value() == 0.21);
  CHECK(doc["p_value"].get_double().value() == 3e-7);
  CHECK(doc["threshold"].get_double().value() == 0.0025);
  CHECK(keys_of(doc["window"].get_object().value()) == std::vector<std::string>{"count", "start_ts", "end_ts"});
  CHECK(doc["window"]["count"].type().value() == simdjson::dom::element_type::INT64);
  CHECK(doc["window"]["count"].get_int64().value() == 5000);
  CHECK(doc["window"]["start_ts"].get_int64().value() == 1763800000123);
  CHECK(doc["window"]["end_ts"].get_int64().value() == 1763800900000);
  CHECK(doc["reference"]["rows"].get_int64().value() == 10000);
  CHECK(doc["evaluated_at"].type().value() == simdjson::dom::element_type::INT64);
  CHECK(doc["evaluated_at"].get_int64().value() == 1763800900000);
}

TEST_CASE("alert_json: a trigger parses with the right keys and types", "[alert_json]") {
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(retrain_json(trigger()));
  REQUIRE(doc.is_object());
  CHECK(keys_of(doc.get_object().value()) == std::vector<std::string>{"schema", "trigger_id", "model_id",
                                                                      "drifted_features", "alert_ids", "drifted_share",
                                                                      "window", "evaluated_at"});
  CHECK(doc["schema"].get_string().value() == "driftd.retrain.v1");
  const simdjson::dom::array features = doc["drifted_features"].get_array().value();
  REQUIRE(features.size() == 2);
  CHECK(features.at(1).get_string().value() == "amount+age");
  const simdjson::dom::array ids = doc["alert_ids"].get_array().value();
  REQUIRE(ids.size() == 2);
  CHECK(ids.at(0).get_string().value() == "2326ba75-c16b-55b1-92b7-19b795c851d6");
  CHECK(doc["drifted_share"].type().value() == simdjson::dom::element_type::DOUBLE);
  CHECK(doc["drifted_share"].get_double().value() == 0.5);
  CHECK(doc["window"]["start_ts"].get_int64().value() == 1763800000123);
  CHECK(doc["evaluated_at"].get_int64().value() == 1763800900000);
}

TEST_CASE("alert_json: strings are escaped and integers keep every digit", "[alert_json]") {
  Alert alert = ks_alert();
  alert.feature = "we\"ird\\name\n";
  alert.window = {.count = 9007199254740993,  // 2^53 + 1: a double would round it
                  .start_ts = -1,
                  .end_ts = 9223372036854775807};
  alert.reference_rows = 18446744073709551615u;
  const std::string json = alert_json(alert);
  CHECK(json.find(R"("feature":"we\"ird\\name\n",)") != std::string::npos);
  CHECK(json.find(R"("window":{"count":9007199254740993,"start_ts":-1,"end_ts":9223372036854775807},)") !=
        std::string::npos);
  CHECK(json.find(R"("reference":{"rows":18446744073709551615},)") != std::string::npos);
  CHECK(json.find('\n') == std::string::npos);

  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(json);
  CHECK(doc["feature"].get_string().value() == "we\"ird\\name\n");
  CHECK(doc["window"]["count"].get_int64().value() == 9007199254740993);
  CHECK(doc["window"]["start_ts"].get_int64().value() == -1);
  CHECK(doc["window"]["end_ts"].get_int64().value() == 9223372036854775807);
  CHECK(doc["reference"]["rows"].type().value() == simdjson::dom::element_type::UINT64);
  CHECK(doc["reference"]["rows"].get_uint64().value() == 18446744073709551615u);
}
