#include "score/html_report.h"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "score/svg_plot.h"
#include "temp_file.h"

using namespace driftd;
using Catch::Matchers::Contains;

namespace {

struct Report {
  Score score;
  std::vector<FeatureDistribution> distributions;
  std::string html;
};

Report report(const std::string& reference_csv, const std::string& current_csv) {
  testing::TempDir dir;
  const Table reference = read_csv(dir.write("ref.csv", reference_csv));
  const Table current = read_csv(dir.write("cur.csv", current_csv));
  TableNumbers ref(reference);
  TableNumbers cur(current);
  const ModelConfig model = default_plan(ref, cur);
  Report out;
  out.score = score_tables(ref, cur, model, Defaults{});
  out.distributions = feature_distributions(ref, cur, model);
  out.html = score_html(out.score, out.distributions);
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The value of attribute `name` in every <rect class="..."> of `svg`.
std::vector<double> rect_attribute(const std::string& svg, const std::string& rect_class, const std::string& name) {
  std::vector<double> out;
  const std::string open = "<rect class=\"" + rect_class + "\"";
  for (auto at = svg.find(open); at != std::string::npos; at = svg.find(open, at + 1)) {
    const auto end = svg.find("/>", at);
    const auto attribute = svg.find(" " + name + "=\"", at);
    REQUIRE(attribute < end);
    out.push_back(std::strtod(svg.c_str() + attribute + name.size() + 3, nullptr));
  }
  return out;
}

// Reference 0..3 uniform, current piled on 2, 3 and 5 (shares .25, .5, .25);
// a categorical column whose categories are markup.
const std::string kReference = "x,label\n0,a\n1,a\n2,b\n3,<script>alert(1)</script>\n";
const std::string kCurrent = "x,label\n2,a\n3,\"say \"\"hi\"\" & <b>\"\n3,b\n5,b\n";

}  // namespace

TEST_CASE("html report: the verdict, the row counts and one plot per feature", "[html_report]") {
  const Report r = report(kReference, kCurrent);
  CHECK_THAT(r.html, Contains("<!DOCTYPE html>"));
  CHECK_THAT(r.html, Contains(r.score.decision.drift ? "Drift detected" : "No drift detected"));
  CHECK_THAT(r.html, Contains("<b>4</b><span>reference rows</span>"));
  CHECK(count(r.html, "<svg") == r.score.evaluation.features.size());
  CHECK(count(r.html, "<article class=\"card") == 2);
  CHECK_THAT(r.html, Contains("Multivariate tests"));  // the MMD over x
  CHECK_THAT(r.html, Contains("<th class=\"num\">sigma</th>"));
}

TEST_CASE("html report: histogram bar heights are proportional to the bin shares", "[html_report]") {
  const Report r = report(kReference, kCurrent);
  const FeatureDistribution& x = r.distributions.at(0);
  REQUIRE(x.edges == std::vector<double>{-0.5, 0.5, 1.5, 2.5, 3.5, 4.5, 5.5});
  const std::string svg = distribution_svg(x);
  CHECK(count(r.html, svg) == 1);  // the page holds exactly this drawing
  // Bars are drawn only for bins with values: 4 of the reference, 3 of the current.
  const std::vector<double> ref = rect_attribute(svg, "ref", "height");
  const std::vector<double> cur = rect_attribute(svg, "cur", "height");
  REQUIRE(ref.size() == 4 + 1);  // and one legend swatch each, drawn first
  REQUIRE(cur.size() == 3 + 1);
  for (std::size_t k = 2; k < ref.size(); ++k) CHECK(ref[k] == Approx(ref[1]).margin(0.11));
  // Shares .25, .5, .25 in that order: the middle bar twice as tall.
  CHECK(cur[2] == Approx(2 * cur[1]).margin(0.2));
  CHECK(cur[3] == Approx(cur[1]).margin(0.11));
  // A share of .5 reaches the top of a 0..50% axis.
  CHECK(cur[2] > ref[1]);
  // The bars sit on their bins: the current's first bar (value 2) left of its second (value 3).
  const std::vector<double> cur_x = rect_attribute(svg, "cur", "x");
  CHECK(cur_x[1] < cur_x[2]);
  CHECK(cur_x[2] < cur_x[3]);
}

TEST_CASE("html report: text from the data is escaped", "[html_report]") {
  const Report r = report(kReference, kCurrent);
  CHECK_THAT(r.html, Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_THAT(r.html, Contains("say &quot;hi&quot; &amp; &lt;b&gt;"));
  CHECK_THAT(r.html, !Contains("<script"));
  CHECK_THAT(r.html, !Contains("<b>\""));

  const Report named = report("<img src=x onerror=alert(1)>\n1\n2\n", "<img src=x onerror=alert(1)>\n1\n3\n");
  CHECK_THAT(named.html, Contains("&lt;img src=x onerror=alert(1)&gt;"));
  CHECK_THAT(named.html, !Contains("<img"));
}

TEST_CASE("html report: self-contained, no script and nothing fetched", "[html_report]") {
  const Report r = report(kReference, kCurrent);
  CHECK_THAT(r.html, !Contains("<script"));
  CHECK_THAT(r.html, !Contains("http://"));
  CHECK_THAT(r.html, !Contains("https://"));
  CHECK_THAT(r.html, !Contains("src="));
  CHECK_THAT(r.html, !Contains("<link"));
  CHECK_THAT(r.html, !Contains("@import"));
  CHECK_THAT(r.html, !Contains("url("));
  CHECK_THAT(r.html, Contains("@media print"));
}

TEST_CASE("html report: many categories stay a summary", "[html_report]") {
  std::string ref_csv = "city\n";
  std::string cur_csv = "city\n";
  for (int row = 0; row < 3000; ++row) {
    ref_csv.append("city-").append(std::to_string(row % 300)).append("\n");
    cur_csv.append("city-").append(std::to_string(row % 150)).append("\n");
  }
  const Report r = report(ref_csv, cur_csv);
  CHECK_THAT(r.html, Contains("other (280)"));
  CHECK(count(r.html, "<rect class=\"ref\"") == kTopCategories + 1 + 1);  // bars, other, legend
  CHECK(r.html.size() < 40'000);
}

TEST_CASE("html report: tails in the outer bars are said, with each sample's range", "[html_report]") {
  std::string ref_csv = "x\n";
  for (int v = 0; v < 300; ++v) ref_csv.append(std::to_string(v % 100)).append(".5\n");
  const Report r = report(ref_csv + "-12345.5\n", ref_csv);
  CHECK_THAT(r.html, Contains("outer bars hold the tails: -12345.5 to 99.5</text>"));
  CHECK_THAT(r.html, Contains("<dt>min</dt><dd>-12345.5</dd><dd>0.5</dd>"));
  CHECK_THAT(r.html, Contains("<dt>max</dt><dd>99.5</dd><dd>99.5</dd>"));
}

TEST_CASE("html report: plots of extreme ranges finish and stay small", "[html_report]") {
  // A narrow range of large values (ticks 0.1 apart at 1e15), the whole
  // double range, a constant: each draws, with a bounded number of ticks.
  for (const auto& [reference, current] : {std::pair{"x\n1e15\n", "x\n1000000000000000.5\n"},
                                           std::pair{"x\n-1e308\n", "x\n1e308\n"},
                                           std::pair{"x\n2.5\n", "x\n2.5\n"}}) {
    const Report r = report(reference, current);
    CHECK(count(r.html, "<svg") == 1);
    CHECK(r.html.size() < 20'000);
  }
}

TEST_CASE("html report: a test that cannot run shows its error", "[html_report]") {
  // A numeric column with no values in the current file: its tests cannot run.
  const Report r = report("x,y\n1,2\n2,3\n", "x,y\n,4\n,5\n");
  CHECK_THAT(r.html, Contains("badge error"));
  CHECK(count(r.html, "<svg") == 2);
}
