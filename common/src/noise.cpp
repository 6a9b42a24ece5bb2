// The noise rules every output shares (table, CSV, JSON), so a row flagged in one is
// flagged in all, and schedlab-report reads the same flag back.
#include "schedlab/noise.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

namespace schedlab {

std::optional<double> read_load_average(const char* path) {
  std::ifstream in(path);
  double one_minute = 0;
  if (!(in >> one_minute) || !std::isfinite(one_minute) || one_minute < 0) return std::nullopt;
  return one_minute;
}

std::vector<std::string> noise_reasons(const StrategyRow& row, const StrategyRow& serial) {
  std::vector<std::string> reasons;
  if (row.status != RowStatus::kOk) return reasons;
  const Metrics& m = row.metrics;
  // E > 1 would mean each worker ran faster than the serial loop did alone.
  if (m.efficiency > 1.0) reasons.push_back(fmt::format("E {:.2f} > 1", m.efficiency));
  // L is a floor no schedule can beat, measured from the serial per-task times.
  if (m.tp_over_lower_bound > 0 && m.tp_over_lower_bound < 1.0)
    reasons.push_back(fmt::format("Tp/L {:.2f} < 1", m.tp_over_lower_bound));
  // Every speedup divides by T1: if T1 itself moved, so did every speedup.
  const double fastest = serial.time_min();
  if (fastest > 0 && serial.time_median() > 1.1 * fastest)
    reasons.push_back(
        fmt::format("T1 varies {:.0f}%", 100.0 * (serial.time_median() / fastest - 1.0)));
  return reasons;
}

std::string join_reasons(const std::vector<std::string>& reasons, const char* separator) {
  std::string text;
  for (const auto& r : reasons) text += (text.empty() ? "" : separator) + r;
  return text;
}

}  // namespace schedlab
