// libFuzzer target: the JSON record reader must turn any bytes into a record or a UsageError
// (never a crash, a hang, GBs, or another exception), and every record it returns must keep
// the bounds it promises (docs/results-schema.md, "Limits").
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "schedlab/errors.hpp"
#include "schedlab/report/reader.hpp"
#include "schedlab/report/selection.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const schedlab::report::RunRecord record = schedlab::report::parse_json_text(text, "fuzz.json");
    std::uint64_t workers = 0;
    for (const auto& s : record.strategies) {
      workers += static_cast<std::uint64_t>(s.run.workers);
      for (const double t : s.times) {
        if (!(t >= 0) || !std::isfinite(t)) __builtin_trap();  // a bad time got through
      }
    }
    if (workers > schedlab::report::kMaxRecordWorkers) __builtin_trap();
    for (const double t : record.serial_task_seconds) {
      if (!(t >= 0) || !std::isfinite(t)) __builtin_trap();
    }
    for (const auto& s : record.strategies) {
      // An auto row's decisions: at most one per step (issue 22).
      if (s.run.decisions.size() > static_cast<std::size_t>(record.steps)) __builtin_trap();
    }
    (void)schedlab::report::rows_of(record);
    (void)schedlab::report::render_selection(record);
  } catch (const schedlab::UsageError&) {
    // Expected for bad input.
  }
  return 0;
}
