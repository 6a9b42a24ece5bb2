// Number parsing shared by the options of every runner and the workload-file reader.
#include "schedlab/parse.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "schedlab/errors.hpp"

namespace schedlab {

std::string describe_limit(std::uint64_t value) {
  for (int bit = 10; bit < 64; ++bit) {
    if (value == (std::uint64_t{1} << bit)) return fmt::format("2^{}", bit);
  }
  if (value == UINT64_MAX) return "2^64-1";
  return fmt::format("{}", value);
}

std::uint64_t parse_uint(std::string_view what, std::string_view text, std::uint64_t min,
                         std::uint64_t max) {
  const auto fail = [&]() {
    // "1e6" or "4.0" name a whole number in a form this parser refuses on purpose (a
    // fraction would be cut silently): say how to write it.
    double as_decimal = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, as_decimal);
    std::string hint;
    if (ec == std::errc{} && ptr == end && std::isfinite(as_decimal) && as_decimal >= 0 &&
        as_decimal <= 1e15 && as_decimal == std::floor(as_decimal) &&
        static_cast<std::uint64_t>(as_decimal) >= min &&
        static_cast<std::uint64_t>(as_decimal) <= max) {
      hint = fmt::format("; write it out: {}", static_cast<std::uint64_t>(as_decimal));
    }
    return UsageError(fmt::format("{} '{}': expected a whole number from {} to {}{}", what, text,
                                  describe_limit(min), describe_limit(max), hint));
  };
  if (text.empty() || text.front() < '0' || text.front() > '9') throw fail();
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < min || value > max) throw fail();
  return value;
}

double parse_positive_double(std::string_view what, std::string_view text, double max) {
  const auto fail = [&]() {
    return UsageError(
        fmt::format("{} '{}': expected a number greater than 0 and at most {}", what, text, max));
  };
  if (text.empty()) throw fail();
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || !std::isfinite(value) || value <= 0 || value > max) {
    throw fail();
  }
  return value;
}

}  // namespace schedlab
