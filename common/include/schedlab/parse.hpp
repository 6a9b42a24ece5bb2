// Strict text-to-number conversion for options and workload files: the whole text must
// be a number in range, or a UsageError names the value and what is allowed. Also the
// bounds every input file and every message share (issue 20: records are untrusted input).
#pragma once

#include <cstdint>
#include <istream>
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

// The text with every control character escaped (a newline as \n, others as \xNN), so
// that a message quoting a value stays one line.
std::string printable(std::string_view text);

// Every input file is at most this large (records, CSV files, workload files).
inline constexpr std::uint64_t kMaxInputFileBytes = std::uint64_t{256} << 20;  // 256 MiB
// Every line of a CSV file or a workload file is at most this long.
inline constexpr std::size_t kMaxInputLineBytes = std::size_t{64} << 10;  // 64 KiB

// Before reading: a regular file of at most max_bytes, or a pipe (stdin, read with the same
// bound by read_bounded). A folder, a device or a socket is refused: UsageError
// "WHAT: is a device (expected a regular file)".
void check_input_file(std::string_view what, const std::string& path, std::uint64_t max_bytes);

// Reads the whole stream, refusing (UsageError naming `what` and the limit) past max_bytes.
std::string read_bounded(std::istream& in, std::string_view what, std::uint64_t max_bytes);

}  // namespace schedlab
