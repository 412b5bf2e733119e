#include "score/html_report.h"

#include <algorithm>

#include "score/report_style.h"
#include "score/svg_plot.h"
#include "util/format_number.h"
#include "util/html_text.h"

namespace driftd {
namespace {

// 1234567 as "1,234,567": row counts are read, not parsed.
std::string grouped(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void badge(std::string& out, bool drift) {
  out.append(drift ? "<span class=\"badge drift\">drift</span>" : "<span class=\"badge ok\">ok</span>");
}

// The cells a test shows in both tables: statistic, p-value, effective
// threshold, decision; one cell saying why for a test that could not run.
void test_cells(std::string& out, const TestResult& test, const TestDecision& decision) {
  if (!test.ok()) {
    out.append("<td colspan=\"4\"><span class=\"badge error\">error: ");
    append_html_text(out, test.error);
    out.append("</span></td>");
    return;
  }
  out.append("<td class=\"num\">").append(format_number("%.4g", test.statistic)).append("</td><td class=\"num\">");
  out.append(test.p_value ? format_number("%.3g", *test.p_value) : std::string("<span class=\"muted\">&ndash;</span>"));
  out.append("</td><td class=\"num\">").append(format_number("%.4g", decision.threshold)).append("</td><td>");
  badge(out, decision.drift);
  out.append("</td>");
}

// A feature's test t as table cells: its name, then test_cells().
void feature_test_cells(std::string& out, const Score& score, std::size_t f, std::size_t t) {
  const TestResult& test = score.evaluation.features[f].tests[t];
  out.append("<td>");
  append_html_text(out, test.test);
  out.append("</td>");
  test_cells(out, test, score.decision.tests[f][t]);
}

// "3 of 7".
std::string count_of(std::size_t count, std::size_t total) {
  std::string text = std::to_string(count);
  return text.append(" of ").append(std::to_string(total));
}

void figure(std::string& out, const std::string& value, const char* label) {
  out.append("<div class=\"figure\"><b>").append(value).append("</b><span>").append(label).append("</span></div>");
}

void verdict(std::string& out, const Score& score) {
  const Decision& decision = score.decision;
  out.append(decision.drift ? "<header class=\"verdict drift\">" : "<header class=\"verdict ok\">");
  out.append("<div class=\"kicker\">driftd score</div><h1 id=\"verdict\">");
  out.append(decision.drift ? "Drift detected" : "No drift detected").append("</h1><div class=\"figures\">");
  const auto drifted_features = std::count(decision.feature_drift.begin(), decision.feature_drift.end(), true);
  figure(out, count_of(std::size_t(drifted_features), decision.feature_drift.size()), "features drifted");
  figure(out, format_number("%.1f%%", decision.drifted_share * 100), "drifted share");
  if (!decision.multivariate.empty()) {
    const auto drifted_tests = std::count_if(decision.multivariate.begin(), decision.multivariate.end(),
                                             [](const TestDecision& test) { return test.drift; });
    figure(out, count_of(std::size_t(drifted_tests), decision.multivariate.size()), "multivariate tests drifted");
  }
  figure(out, grouped(score.reference_rows), "reference rows");
  figure(out, grouped(score.current_rows), "current rows");
  out.append("</div></header>");
}

void feature_table(std::string& out, const Score& score) {
  out.append(
      "<section><h2>Feature tests</h2><div class=\"panel\"><table class=\"results\"><thead><tr>"
      "<th>feature</th><th>type</th><th class=\"num\">missing</th><th>test</th><th class=\"num\">statistic</th>"
      "<th class=\"num\">p-value</th><th class=\"num\">threshold</th><th>drift</th></tr></thead>");
  const auto& features = score.evaluation.features;
  for (std::size_t f = 0; f < features.size(); ++f) {
    const FeatureEvaluation& feature = features[f];
    const std::string rows = std::to_string(std::max<std::size_t>(feature.tests.size(), 1));
    out.append(score.decision.feature_drift[f] ? "<tbody class=\"feature drift\">" : "<tbody class=\"feature\">");
    out.append("<tr><td class=\"name\" rowspan=\"").append(rows);
    out.append("\"><a href=\"#feature-").append(std::to_string(f)).append("\">");
    append_html_text(out, feature.name);
    out.append("</a></td><td rowspan=\"").append(rows).append("\">");
    out.append(feature.categorical ? "categorical" : "numeric");
    out.append("</td><td class=\"num\" rowspan=\"").append(rows).append("\">").append(grouped(feature.missing));
    out.append("</td>");
    if (feature.tests.empty()) out.append("<td colspan=\"5\" class=\"muted\">no tests</td></tr>");
    for (std::size_t t = 0; t < feature.tests.size(); ++t) {
      if (t > 0) out.append("<tr>");
      feature_test_cells(out, score, f, t);
      out.append("</tr>");
    }
    out.append("</tbody>");
  }
  out.append("</table></div></section>");
}

void multivariate_table(std::string& out, const Score& score) {
  const auto& tests = score.evaluation.multivariate;
  if (tests.empty()) return;
  out.append(
      "<section><h2>Multivariate tests</h2><div class=\"panel\"><table class=\"results\"><thead><tr>"
      "<th>test</th><th>features</th><th class=\"num\">sigma</th><th class=\"num\">statistic</th>"
      "<th class=\"num\">p-value</th><th class=\"num\">threshold</th><th>drift</th></tr></thead><tbody>");
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const TestResult& test = tests[i].test;
    out.append("<tr><td>");
    append_html_text(out, test.test);
    out.append("</td><td class=\"name\">");
    append_html_text(out, joined_features(tests[i].features));
    out.append("</td><td class=\"num\">");
    out.append(test.ok() && test.sigma ? format_number("%.4g", *test.sigma) : std::string("&ndash;")).append("</td>");
    test_cells(out, test, score.decision.multivariate[i]);
    out.append("</tr>");
  }
  out.append("</tbody></table></div></section>");
}

// Values and missing values of each sample, under the card's tests.
void sample_counts(std::string& out, const FeatureDistribution& d) {
  out.append("<dl class=\"counts\"><dt></dt><dd class=\"muted\">reference</dd><dd class=\"muted\">current</dd>");
  out.append("<dt>values</dt><dd>").append(grouped(d.reference.values)).append("</dd><dd>");
  out.append(grouped(d.current.values)).append("</dd><dt>missing</dt><dd>").append(grouped(d.reference.missing));
  out.append("</dd><dd>").append(grouped(d.current.missing)).append("</dd>");
  if (!d.categorical) {
    for (const auto& [label, first] : {std::pair{"min", true}, std::pair{"max", false}}) {
      out.append("<dt>").append(label).append("</dt>");
      for (const auto* sample : {&d.reference, &d.current}) {
        out.append("<dd>");
        out.append(sample->values > 0 ? format_number("%.6g", first ? sample->min : sample->max) : std::string("&ndash;"));
        out.append("</dd>");
      }
    }
  } else {
    out.append("<dt>categories</dt><dd>").append(grouped(d.categories.size() + d.other_categories));
    out.append("</dd><dd class=\"muted\">both</dd>");
  }
  out.append("</dl>");
}

void feature_card(std::string& out, const Score& score, std::size_t f, const FeatureDistribution* distribution) {
  const FeatureEvaluation& feature = score.evaluation.features[f];
  const bool drift = score.decision.feature_drift[f];
  out.append(drift ? "<article class=\"card drift\" id=\"feature-" : "<article class=\"card ok\" id=\"feature-");
  out.append(std::to_string(f)).append("\"><div class=\"card-head\"><h3>");
  append_html_text(out, feature.name);
  out.append("</h3><span class=\"muted\">").append(feature.categorical ? "categorical" : "numeric").append("</span>");
  badge(out, drift);
  out.append("</div><div class=\"card-body\"><figure>");
  if (distribution != nullptr) out.append(distribution_svg(*distribution));
  out.append(
      "</figure><div class=\"side\"><table class=\"stats\"><thead><tr><th>test</th><th class=\"num\">statistic"
      "</th><th class=\"num\">p-value</th><th class=\"num\">threshold</th><th>drift</th></tr></thead><tbody>");
  for (std::size_t t = 0; t < feature.tests.size(); ++t) {
    out.append("<tr>");
    feature_test_cells(out, score, f, t);
    out.append("</tr>");
  }
  out.append("</tbody></table>");
  if (distribution != nullptr) sample_counts(out, *distribution);
  out.append("</div></div></article>");
}

}  // namespace

std::string score_html(const Score& score, const std::vector<FeatureDistribution>& distributions) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>driftd score: ";
  out.append(score.decision.drift ? "drift detected" : "no drift").append("</title><style>");
  out.append(report_stylesheet()).append("</style></head><body><main>");
  verdict(out, score);
  feature_table(out, score);
  multivariate_table(out, score);
  out.append("<section><h2>Distributions</h2><div class=\"grid\">");
  const auto& features = score.evaluation.features;
  for (std::size_t f = 0; f < features.size(); ++f) {
    const bool matches = f < distributions.size() && distributions[f].name == features[f].name;
    feature_card(out, score, f, matches ? &distributions[f] : nullptr);
  }
  out.append("</div></section><footer>Generated by driftd " DRIFTD_VERSION
             ". Thresholds are the effective ones, "
             "after the multiple-testing correction: a p-value test drifts when its p-value is below its threshold, "
             "a distance test (psi) when its statistic reaches it. Bars are shares of each sample's non-missing "
             "values, over bins shared by both samples.</footer></main></body></html>\n");
  return out;
}

}  // namespace driftd
