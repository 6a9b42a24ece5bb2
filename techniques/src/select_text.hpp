// Private: how the selector writes numbers into its reasons ("0.0123 s", "20%", "0.45").
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace schedlab::techniques::detail {

inline std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
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
