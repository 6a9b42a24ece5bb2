// Private: how the selector writes numbers into its reasons ("0.0123 s", "20%", "0.45").
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

namespace schedlab::techniques::detail {

// Three significant digits, never an exponent for a large value: a decision preempted on a
// loaded machine can take 1640% of a short step, which "%.3g" would print as 1.64e+03%.
inline std::string number_text(double value) {
  char buffer[48];
  const bool large = std::fabs(value) >= 999.5 && std::fabs(value) < 1e15;
  std::snprintf(buffer, sizeof buffer, large ? "%.0f" : "%.3g", value);
  return buffer;
}
inline std::string seconds_text(double seconds) { return number_text(seconds) + " s"; }
inline std::string percent_text(double fraction) { return number_text(fraction * 100) + "%"; }

// A value quoted in a one-line message: control characters and bytes past ASCII as '?'.
inline std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) out += (c >= ' ' && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace schedlab::techniques::detail
