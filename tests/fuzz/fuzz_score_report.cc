// libFuzzer target for `driftd score --format html`: two CSV files in, the
// whole report out. Build and run with scripts/fuzz.sh (make fuzz).
// The input is the reference file, then a NUL byte and the current file (no
// NUL: the same bytes for both). An InputError is the expected answer to
// bad input; anything else (a crash, another exception, a sanitizer report)
// is a finding, and so is a page that breaks these rules:
// - it is valid UTF-8, whatever bytes the files hold;
// - every tag in it is one the report writes (a column name or category
//   that made a tag of its own, `<script>` or `<img onerror=...>`, would be
//   markup injected from a user's file);
// - one plot card per feature the comparison tested.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "driftd/error.h"
#include "score/distributions.h"
#include "score/html_report.h"
#include "score/score_input.h"
#include "score/scorer.h"
#include "table_checks.h"
#include "util/utf8.h"

namespace {

// Every tag html_report.cc and svg_plot.cc write.
constexpr std::array<std::string_view, 34> kTags = {
    "a",     "article", "b",     "body", "dd",    "div",   "dl",    "dt",    "figure", "footer", "g",  "h1",
    "h2",    "h3",      "head",  "header", "html", "line",  "main",  "meta",  "path",   "rect",   "section",
    "span",  "style",   "svg",   "table", "tbody", "td",    "text",  "th",    "thead",  "title",  "tr"};

bool is_tag_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void check_page(const std::string& page, std::size_t features) {
  for (std::string_view rest = page; !rest.empty();) {
    const driftd::Utf8Step step = driftd::utf8_step(rest);
    if (!step.valid) std::abort();
    rest.remove_prefix(step.length);
  }
  // Inside <style> the CSS holds no '<'; everywhere else a '<' opens a tag,
  // a closing tag, the doctype or a comment.
  for (std::size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
    std::size_t name = at + 1;
    if (name < page.size() && page[name] == '/') ++name;
    if (page.compare(name, 1, "!") == 0) continue;
    std::size_t end = name;
    while (end < page.size() && is_tag_letter(page[end])) ++end;
    const std::string_view tag(page.data() + name, end - name);
    if (std::find(kTags.begin(), kTags.end(), tag) == kTags.end()) std::abort();
  }
  std::size_t cards = 0;
  for (std::size_t at = page.find("<article"); at != std::string::npos; at = page.find("<article", at + 1)) ++cards;
  if (cards != features) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* split = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
  const std::size_t reference_size = split == nullptr ? size : std::size_t(split - data);
  const std::string reference_path = driftd::fuzzing::write_input(".reference.csv", data, reference_size);
  const std::string current_path =
      split == nullptr ? reference_path
                       : driftd::fuzzing::write_input(".current.csv", split + 1, size - reference_size - 1);
  try {
    const driftd::ScoreInputs inputs = driftd::read_score_inputs(reference_path, current_path, "", {});
    driftd::TableNumbers& reference = inputs.reference->numbers;
    driftd::TableNumbers& current = inputs.current->numbers;
    const driftd::ModelConfig model = driftd::default_plan(reference, current);
    const driftd::Score score = driftd::score_tables(reference, current, model, driftd::Defaults{});
    const std::string page = driftd::score_html(score, driftd::feature_distributions(reference, current, model));
    check_page(page, model.features.size());
  } catch (const driftd::InputError&) {
  }
  std::remove(reference_path.c_str());
  std::remove(current_path.c_str());
  return 0;
}
