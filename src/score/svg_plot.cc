#include "score/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "util/format_number.h"
#include "util/html_text.h"
#include "util/utf8.h"

namespace driftd {
namespace {

// The drawing's own units; the page scales it to its card's width.
constexpr double kWidth = 600;
constexpr double kLegendHeight = 28;  // above the plot area
constexpr double kAxisHeight = 30;    // below it: the x axis' numbers
constexpr double kHistogramHeight = 260;
constexpr double kCategoryRow = 22;  // per category: two bars and a gap
constexpr std::size_t kLabelCharacters = 18;

// printf into the string: the SVG is mostly numbers in attributes.
void appendf(std::string& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void appendf(std::string& out, const char* format, ...) {
  char buffer[256];
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  if (n > 0) out.append(buffer, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buffer - 1));
}

// A step of 1, 2, 2.5 or 5 times a power of ten that cuts `range` into
// about `parts` parts: ticks people read at a glance.
double nice_step(double range, double parts) {
  const double raw = range / parts;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * magnitude;
}

std::string number_text(double value) {
  value += 0.0;  // -0 (a tick at ceil(-0.3)) reads as 0
  const double size = std::abs(value);
  return format_number(size != 0 && (size >= 1e6 || size < 1e-4) ? "%.3g" : "%g", value);
}

std::string percent_text(double share) { return format_number("%.3g%%", share * 100); }

void line(std::string& out, const char* kind, double x1, double y1, double x2, double y2) {
  appendf(out, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", kind, x1, y1, x2, y2);
}

// A category's label: at most kLabelCharacters characters, "…" for the rest
// (the bar's tooltip has all of it).
std::string short_label(std::string_view text) {
  std::size_t bytes = 0;
  for (std::size_t characters = 0; bytes < text.size(); ++characters) {
    if (characters == kLabelCharacters) return html_text(text.substr(0, bytes)) + "\u2026";
    bytes += utf8_step(text.substr(bytes)).length;
  }
  return html_text(text);
}

// Ticks of a share axis from 0 to a round maximum at or above `largest`.
struct ShareAxis {
  double step;
  double top;
};

ShareAxis share_axis(const FeatureDistribution& d) {
  double largest = 0;
  for (const double s : d.reference.shares) largest = std::max(largest, s);
  for (const double s : d.current.shares) largest = std::max(largest, s);
  if (largest <= 0) largest = 1;
  const double step = nice_step(largest, 4);
  return {step, std::ceil(largest / step - 1e-9) * step};
}

void open_svg(std::string& out, double height, const std::string& label) {
  appendf(out,
          "<svg class=\"plot\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
          "height=\"%.0f\" role=\"img\" aria-label=\"",
          kWidth, height, kWidth, height);
  append_html_text(out, label);
  out.append("\">");
}

void legend(std::string& out) {
  appendf(
      out,
      "<g class=\"legend\"><rect class=\"ref\" x=\"%.0f\" y=\"8\" width=\"12\" height=\"12\"/>"
      "<text x=\"%.0f\" y=\"18\">reference</text><rect class=\"cur\" x=\"%.0f\" y=\"8\" width=\"12\" height=\"12\"/>"
      "<text x=\"%.0f\" y=\"18\">current</text></g>",
      kWidth - 170, kWidth - 154, kWidth - 80, kWidth - 64);
}

void empty_plot(std::string& out, const FeatureDistribution& d) {
  open_svg(out, 80, d.name);
  appendf(out, "<text class=\"empty\" x=\"%.0f\" y=\"45\" text-anchor=\"middle\">no values to draw</text></svg>",
          kWidth / 2);
}

// Numeric: bars over shared bins, share on the y axis.
void histogram(std::string& out, const FeatureDistribution& d) {
  const double left = 52, right = kWidth - 12, top = kLegendHeight + 4;
  const double bottom = kHistogramHeight - kAxisHeight;
  const double lo = d.edges.front(), hi = d.edges.back();
  const auto x_of = [&](double v) { return hi > lo ? left + (v - lo) / (hi - lo) * (right - left) : left; };
  const ShareAxis axis = share_axis(d);
  const auto y_of = [&](double share) { return bottom - share / axis.top * (bottom - top); };

  // With tails, the outer bars' tooltips and a note give the values' true
  // ends: the bars are drawn only as wide as their bins.
  double first = lo, last = hi;
  for (const auto* sample : {&d.reference, &d.current}) {
    if (sample->values > 0) first = std::min(first, sample->min), last = std::max(last, sample->max);
  }

  open_svg(out, kHistogramHeight, d.name);
  legend(out);
  if (d.tails()) {
    appendf(out, "<text class=\"note\" x=\"%.1f\" y=\"18\">outer bars hold the tails: %s to %s</text>", left,
            number_text(first).c_str(), number_text(last).c_str());
  }
  for (double t = 0; t <= axis.top + axis.step / 2; t += axis.step) {  // y grid and share ticks
    line(out, "grid", left, y_of(t), right, y_of(t));
    appendf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>", left - 5, y_of(t) + 4,
            percent_text(t).c_str());
  }
  for (std::size_t k = 0; k + 1 < d.edges.size(); ++k) {
    const double x = x_of(d.edges[k]);
    const double w = std::max(x_of(d.edges[k + 1]) - x, 0.5);
    const bool end = k + 2 == d.edges.size();
    appendf(out, "<g><title>[%s, %s%s: reference %s, current %s</title>",
            number_text(k == 0 ? first : d.edges[k]).c_str(), number_text(end ? last : d.edges[k + 1]).c_str(),
            end ? "]" : ")", percent_text(d.reference.shares[k]).c_str(), percent_text(d.current.shares[k]).c_str());
    for (const auto* sample : {&d.reference, &d.current}) {
      const double share = sample->shares[k];
      if (share <= 0) continue;  // nothing to draw: keeps the file small
      appendf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
              sample == &d.reference ? "ref" : "cur", x, y_of(share), w, bottom - y_of(share));
    }
    out.append("</g>");
  }
  line(out, "axis", left, bottom, right, bottom);
  if (hi > lo) {  // x ticks at round numbers inside the range
    const double step = nice_step(hi - lo, 5);
    const double start = std::ceil(lo / step);
    // Counted, not stepped: where lo/step passes 2^53 (a narrow range of
    // large values), adding one to it changes nothing.
    for (int k = 0; k <= 12; ++k) {
      const double value = (start + k) * step;
      if (!(value <= hi + step * 1e-9)) break;
      const double x = x_of(value);
      line(out, "axis", x, bottom, x, bottom + 4);
      appendf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, bottom + 17,
              number_text(value).c_str());
    }
  }
  out.append("</svg>");
}

// Categorical: one row per category, the reference's bar above the
// current's, share on the x axis; category names on the left.
void category_bars(std::string& out, const FeatureDistribution& d) {
  const double left = 140, right = kWidth - 16, top = kLegendHeight + 4;
  const double bottom = top + kCategoryRow * static_cast<double>(d.bars());
  const double height = bottom + kAxisHeight;
  const ShareAxis axis = share_axis(d);
  const auto x_of = [&](double share) { return left + share / axis.top * (right - left); };

  open_svg(out, height, d.name);
  legend(out);
  for (double t = 0; t <= axis.top + axis.step / 2; t += axis.step) {  // x grid and share ticks
    line(out, "grid", x_of(t), top, x_of(t), bottom);
    appendf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x_of(t), bottom + 17,
            percent_text(t).c_str());
  }
  for (std::size_t k = 0; k < d.bars(); ++k) {
    const bool other = k == d.categories.size();
    const double y = top + kCategoryRow * static_cast<double>(k);
    out.append("<g><title>");
    if (other) {
      appendf(out, "%zu other categories", d.other_categories);
    } else {
      append_html_text(out, d.categories[k]);
    }
    appendf(out, ": reference %s, current %s</title>", percent_text(d.reference.shares[k]).c_str(),
            percent_text(d.current.shares[k]).c_str());
    appendf(out, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", other ? "label other" : "label",
            left - 6, y + kCategoryRow / 2 + 4);
    if (other) {
      appendf(out, "other (%zu)", d.other_categories);
    } else {
      out.append(short_label(d.categories[k]));
    }
    out.append("</text>");
    for (const auto* sample : {&d.reference, &d.current}) {
      const double share = sample->shares[k];
      if (share <= 0) continue;
      appendf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"8\"/>",
              sample == &d.reference ? "ref" : "cur", left, y + (sample == &d.reference ? 3 : 11),
              std::max(x_of(share) - left, 0.5));
    }
    out.append("</g>");
  }
  line(out, "axis", left, top, left, bottom);
  out.append("</svg>");
}

}  // namespace

std::string distribution_svg(const FeatureDistribution& distribution) {
  std::string out;
  if (distribution.bars() == 0) {
    empty_plot(out, distribution);
  } else if (distribution.categorical) {
    category_bars(out, distribution);
  } else {
    histogram(out, distribution);
  }
  return out;
}

}  // namespace driftd
