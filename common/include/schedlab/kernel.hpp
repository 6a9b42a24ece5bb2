// The one CPU-bound kernel every model runs: the C++ counterpart of the notebook's
// cpu_heavy(n). Cost is linear in n; the result is a deterministic 64-bit value.
#pragma once

#include <cstdint>

namespace schedlab {

// Runs n units of dependent integer mixing and returns the final state.
// One unit is ~6 ns on the reference machine (see README, "Calibration").
std::uint64_t spin(std::uint64_t n);

}  // namespace schedlab
