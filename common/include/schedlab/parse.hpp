// Strict text-to-number conversion for options and workload files: the whole text must
// be a number in range, or a UsageError names the value and what is allowed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace schedlab {

// A whole number in [min, max]; rejects signs, spaces, fractions, overflow.
std::uint64_t parse_uint(std::string_view what, std::string_view text, std::uint64_t min,
                         std::uint64_t max);

// A finite decimal number with min_exclusive < x <= max.
double parse_positive_double(std::string_view what, std::string_view text, double max);

// "2^62"-style rendering of limits in messages.
std::string describe_limit(std::uint64_t value);

}  // namespace schedlab
