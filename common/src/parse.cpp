// Number parsing shared by the options of every runner and the workload-file reader.
#include "schedlab/parse.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

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

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 32 || byte == 127) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

void check_input_file(std::string_view what, const std::string& path, std::uint64_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;  // the open that follows names the problem
  const char* kind = S_ISDIR(st.st_mode)                          ? "a folder"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                     : S_ISSOCK(st.st_mode)                       ? "a socket"
                                                                  : nullptr;
  if (kind != nullptr) {
    throw UsageError(fmt::format("{}: is {} (expected a regular file or a pipe)", what, kind));
  }
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    throw UsageError(fmt::format("{}: {} bytes, more than the limit of {} bytes", what,
                                 static_cast<std::uint64_t>(st.st_size),
                                 describe_limit(max_bytes)));
  }
}

std::string read_bounded(std::istream& in, std::string_view what, std::uint64_t max_bytes) {
  std::string text;
  char block[1 << 16];
  while (in) {
    in.read(block, sizeof block);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (text.size() + got > max_bytes) {
      throw UsageError(
          fmt::format("{}: more than the limit of {} bytes", what, describe_limit(max_bytes)));
    }
    text.append(block, got);
  }
  return text;
}

}  // namespace schedlab
