#include "report.h"

#include <algorithm>
#include <cstdio>

#include "driftd/decision.h"
#include "util/format_number.h"
#include "util/json_text.h"
#include "util/utf8.h"

namespace driftd {
namespace {

// One test object; a multivariate test lists its features after its name.
void append_test(std::string& out, const TestResult& test, const TestDecision& decision,
                 const std::vector<std::string>* features = nullptr) {
  out += "{\"test\":";
  append_json_string(out, test.test);
  if (features != nullptr) {
    out += ",\"features\":[";
    for (std::size_t k = 0; k < features->size(); ++k) {
      if (k > 0) out += ',';
      append_json_string(out, (*features)[k]);
    }
    out += ']';
  }
  if (!test.ok()) {
    out += ",\"error\":";
    append_json_string(out, test.error);
  } else {
    out += ",\"statistic\":";
    append_json_number(out, test.statistic);
    if (test.p_value) {
      out += ",\"p_value\":";
      append_json_number(out, *test.p_value);
    }
    out += ",\"threshold\":";
    append_json_number(out, decision.threshold);
    if (test.sigma) {
      out += ",\"sigma\":";
      append_json_number(out, *test.sigma);
    }
  }
  out += decision.drift ? ",\"drift\":true}" : ",\"drift\":false}";
}

// Text from the user's files as the table shows it: valid UTF-8 (U+FFFD
// for the rest) without control characters, which would break the layout or
// drive the terminal (an escape sequence in a CSV header).
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const Utf8Step step = utf8_step(text);
    const auto first = static_cast<unsigned char>(text[0]);
    // C1 controls are U+0080..U+009F: 0xC2 followed by 0x80..0x9F.
    const bool c1 = step.valid && step.length == 2 && first == 0xC2 && static_cast<unsigned char>(text[1]) < 0xA0;
    if (!step.valid) {
      out += kReplacementCharacter;
    } else if (first < 0x20 || first == 0x7F || c1) {
      const unsigned code = c1 ? static_cast<unsigned char>(text[1]) : first;
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", code);
      out += escaped;
    } else {
      out.append(text.substr(0, step.length));
    }
    text.remove_prefix(step.length);
  }
  return out;
}

// Columns a printable() text takes: one per character.
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

std::string table_number(double value) {
  return format_number(std::abs(value) >= 1e-3 || value == 0 ? "%.4f" : "%.3e", value);
}

}  // namespace

std::string score_json(const Score& score) {
  const Evaluation& evaluation = score.evaluation;
  const Decision& decision = score.decision;
  std::string out = "{\"reference_rows\":" + std::to_string(score.reference_rows) +
                    ",\"current_rows\":" + std::to_string(score.current_rows) +
                    ",\"drift\":" + (decision.drift ? "true" : "false") + ",\"drifted_share\":";
  append_json_number(out, decision.drifted_share);
  out += ",\"features\":[";
  for (std::size_t f = 0; f < evaluation.features.size(); ++f) {
    const FeatureEvaluation& feature = evaluation.features[f];
    if (f > 0) out += ',';
    out += "{\"name\":";
    append_json_string(out, feature.name);
    out += feature.categorical ? ",\"type\":\"categorical\"" : ",\"type\":\"numeric\"";
    out += decision.feature_drift[f] ? ",\"drift\":true" : ",\"drift\":false";
    out += ",\"missing\":" + std::to_string(feature.missing) + ",\"tests\":[";
    for (std::size_t t = 0; t < feature.tests.size(); ++t) {
      if (t > 0) out += ',';
      append_test(out, feature.tests[t], decision.tests[f][t]);
    }
    out += "]}";
  }
  out += "],\"multivariate\":[";
  for (std::size_t i = 0; i < evaluation.multivariate.size(); ++i) {
    if (i > 0) out += ',';
    append_test(out, evaluation.multivariate[i].test, decision.multivariate[i], &evaluation.multivariate[i].features);
  }
  out += "]}\n";
  return out;
}

std::string score_table(const Score& score) {
  struct Row {
    std::string feature, type, test, statistic, p_value, threshold, verdict;
  };
  std::vector<Row> rows;
  rows.push_back({"feature", "type", "test", "statistic", "p_value", "threshold", "drift"});
  const auto add = [&](const std::string& feature, const std::string& type, const TestResult& test,
                       const TestDecision& decision) {
    if (!test.ok()) {
      rows.push_back({printable(feature), type, test.test, "-", "-", "-", printable("error: " + test.error)});
      return;
    }
    rows.push_back({printable(feature), type, test.test, table_number(test.statistic),
                    test.p_value ? table_number(*test.p_value) : "-", table_number(decision.threshold),
                    decision.drift ? "DRIFT" : "ok"});
  };
  const Evaluation& evaluation = score.evaluation;
  for (std::size_t f = 0; f < evaluation.features.size(); ++f) {
    const auto& feature = evaluation.features[f];
    for (std::size_t t = 0; t < feature.tests.size(); ++t) {
      add(feature.name, feature.categorical ? "categorical" : "numeric", feature.tests[t], score.decision.tests[f][t]);
    }
  }
  for (std::size_t i = 0; i < evaluation.multivariate.size(); ++i) {
    add(joined_features(evaluation.multivariate[i].features), "multivariate", evaluation.multivariate[i].test,
        score.decision.multivariate[i]);
  }
  std::vector<std::size_t> width(7, 0);
  for (const Row& row : rows) {
    const std::string* cells[] = {&row.feature, &row.type, &row.test, &row.statistic, &row.p_value, &row.threshold, &row.verdict};
    for (std::size_t k = 0; k < 7; ++k) width[k] = std::max(width[k], display_width(*cells[k]));
  }
  std::string out;
  for (const Row& row : rows) {
    const std::string* cells[] = {&row.feature, &row.type, &row.test, &row.statistic, &row.p_value, &row.threshold, &row.verdict};
    for (std::size_t k = 0; k < 7; ++k) {
      const bool right = k >= 3 && k <= 5;  // numbers align on the right
      const std::string pad(width[k] - display_width(*cells[k]), ' ');
      out += right ? pad + *cells[k] : *cells[k] + (k + 1 < 7 ? pad : "");
      if (k + 1 < 7) out += "  ";
    }
    out += '\n';
  }
  char summary[160];
  std::snprintf(summary, sizeof summary, "\nreference rows %llu, current rows %llu, drifted share %.3f: %s\n",
                static_cast<unsigned long long>(score.reference_rows),
                static_cast<unsigned long long>(score.current_rows), score.decision.drifted_share,
                score.decision.drift ? "DRIFT DETECTED" : "no drift");
  return out + summary;
}

}  // namespace driftd
