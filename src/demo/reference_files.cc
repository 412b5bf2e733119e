#include "demo/reference_files.h"

#include <cstdio>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "demo/synthetic_stream.h"

namespace driftd {
namespace {

// Six significant digits: the files stay ~1 MB, and rounding at 1e-6
// relative leaves the continuous columns practically free of ties.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::ofstream open(const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return out;
}

}  // namespace

void write_demo_references(const std::filesystem::path& dir, std::size_t rows, std::uint64_t seed) {
  // Never drifting, never malformed: the distribution before the onset.
  SyntheticStream stream(seed, std::numeric_limits<std::uint64_t>::max(), 0);
  std::ofstream fraud = open(dir / "demo-fraud-v3-reference.csv");
  fraud << "amount,age,country,is_new,prediction\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const SyntheticStream::FraudRow row = stream.draw_fraud(false);
    fraud << number(row.amount) << ',' << number(row.age) << ',' << row.country << ','
          << (row.is_new ? "true" : "false") << ',' << number(row.prediction) << '\n';
  }
  std::ofstream churn = open(dir / "demo-churn-v1-reference.csv");
  churn << "tenure_months,support_tickets,plan\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const SyntheticStream::ChurnRow row = stream.draw_churn();
    churn << number(row.tenure_months) << ',' << row.support_tickets << ',' << row.plan << '\n';
  }
  // The router's reference holds its labels too: the performance test
  // compares the live accuracy with the accuracy on these rows.
  std::ofstream support = open(dir / "demo-support-router-v2-reference.csv");
  support << "words,product,plan,prediction,label\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const SyntheticStream::SupportRow row = stream.draw_support(false);
    support << row.words << ',' << row.product << ',' << row.plan << ',' << row.prediction << ',' << row.label << '\n';
  }
  if (!fraud.flush() || !churn.flush() || !support.flush()) {
    throw std::runtime_error("cannot write the demo references in " + dir.string());
  }
}

}  // namespace driftd
