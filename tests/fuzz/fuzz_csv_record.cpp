// libFuzzer target: the CSV reader must turn any bytes into rows or a UsageError (never a
// crash, a hang or another exception), and the rows it returns keep their times >= 0.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "schedlab/errors.hpp"
#include "schedlab/report/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& row : schedlab::report::parse_csv_text(text, "fuzz.csv")) {
      if (!(row.time_min >= 0) || !(row.t1 >= 0) || !std::isfinite(row.time_min)) __builtin_trap();
      if (row.ranks < 1 || row.threads < 1) __builtin_trap();
    }
  } catch (const schedlab::UsageError&) {
    // Expected for bad input.
  }
  return 0;
}
