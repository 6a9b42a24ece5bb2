// libFuzzer target: the technique-name parser (--schedule, --strategy, --technique) must turn
// any text into a technique or one std::invalid_argument; every parameter it accepts is a
// finite number from 0 to kMaxParameter, so that the chunk rules convert it exactly, and the
// canonical text it prints parses back to the same technique.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "schedlab/techniques/registry.hpp"

namespace tq = schedlab::techniques;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256) return 0;  // a technique name is short; longer inputs test nothing new
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const tq::TechniqueSpec spec = tq::parse_technique(text);
    for (const double v : spec.params.values) {
      if (!std::isfinite(v) || v < 0 || v > tq::kMaxParameter) __builtin_trap();
    }
    const tq::TechniqueSpec again = tq::parse_technique(spec.text());
    if (again.info != spec.info) __builtin_trap();
    // The chunk sizes for a small loop (what --print-chunks prints) must cover it exactly;
    // adaptive techniques cannot answer without running and say so.
    if (!spec.info->adaptive) {
      tq::LoopSetup loop;
      loop.tasks = 100;
      loop.workers = 3;
      std::size_t covered = 0;
      for (const std::size_t chunk : tq::chunk_sizes(spec, loop)) covered += chunk;
      if (covered != loop.tasks) __builtin_trap();
    }
  } catch (const std::invalid_argument&) {
    // Expected for bad input.
  }
  return 0;
}
