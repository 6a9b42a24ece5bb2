// What both MPI dispatch benchmarks (schedlab-bench-mpi, schedlab-bench-mpi-claims) time
// their strategies against: the serial loop on rank 0, best of `repeat`, while the other
// ranks wait asleep (a spinning wait would take a core from it when ranks outnumber cores).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "schedlab/mpi/mpi_env.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/serial/serial_loop.hpp"

namespace schedlab {

// T1 at rank 0 (1e300 elsewhere); `reference` gets the serial results to verify against.
inline double serial_seconds(const std::vector<Task>& tasks, const MpiSession& mpi, int repeat,
                             std::vector<std::uint64_t>& reference) {
  double best = 1e300;
  if (mpi.rank() == 0) {
    for (int r = 0; r < repeat; ++r) {
      Progress quiet(tasks.size(), 0, nullptr, false);
      RunResult run = run_serial(tasks, std::nullopt, quiet);
      best = std::min(best, run.wall_seconds);
      reference = std::move(run.results);
    }
  }
  barrier_without_spinning(mpi.comm());
  return best;
}

}  // namespace schedlab
