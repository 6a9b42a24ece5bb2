// The peak rate of the bare kernel for Task Bench's scoring: spin(units) on P threads at once,
// no per-task bookkeeping at all (no clock per task, no trace, no scheduler).
#include <algorithm>
#include <barrier>
#include <numeric>
#include <thread>
#include <vector>

#include "schedlab/bench/metg.hpp"
#include "schedlab/kernel.hpp"

namespace schedlab {

PeakMeasurement measure_peak(int workers, std::uint64_t units, int repeats) {
  // rates[r][w]: units per second of worker w in repeat r, each timed on its own thread.
  std::vector<std::vector<double>> rates(static_cast<std::size_t>(repeats),
                                         std::vector<double>(static_cast<std::size_t>(workers)));
  // Every repeat starts on all threads together, so each one runs while all are busy.
  std::barrier start(workers);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers));
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      measure_units_per_second(units / 8 + 1);  // warm-up: clock, caches, frequency
      for (int r = 0; r < repeats; ++r) {
        start.arrive_and_wait();
        rates[static_cast<std::size_t>(r)][static_cast<std::size_t>(w)] =
            measure_units_per_second(units);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  PeakMeasurement peak{0.0, workers, units, repeats};
  for (const std::vector<double>& repeat : rates) {
    const double mean = std::accumulate(repeat.begin(), repeat.end(), 0.0) / workers;
    peak.units_per_second = std::max(peak.units_per_second, mean);
  }
  return peak;
}

}  // namespace schedlab
