// The one CPU-bound kernel every model runs: the C++ counterpart of the notebook's
// cpu_heavy(n). Cost is linear in n; the result is a deterministic 64-bit value.
#pragma once

#include <cstdint>

namespace schedlab {

// The kernel's state, advanced in pieces: for any split a + b = n,
// SpinChain{}.advance(a).advance(b).value() == spin(n). The computing master of
// master-worker runs its own tasks in slices this way, answering workers in between.
class SpinChain {
 public:
  SpinChain& advance(std::uint64_t units);
  std::uint64_t value() const { return x_; }
  std::uint64_t units_done() const { return i_; }

 private:
  std::uint64_t x_ = 0x9E3779B97F4A7C15ULL;
  std::uint64_t i_ = 0;  // units run so far: each unit mixes its own index in
};

// Runs n units of dependent integer mixing and returns the final state.
// One unit is ~6 ns on the reference machine (see README, "Calibration").
std::uint64_t spin(std::uint64_t n);

// A worker's speed, measured on the kernel the tasks run: units per second this thread
// achieves on spin(units) now (wf2's weights when --weights is not given). Call it on
// every worker at once, so that each meets the machine as it is while all are busy.
inline constexpr std::uint64_t kSpeedProbeUnits = std::uint64_t{1} << 16;  // ~0.4 ms
double measure_units_per_second(std::uint64_t units = kSpeedProbeUnits);

}  // namespace schedlab
