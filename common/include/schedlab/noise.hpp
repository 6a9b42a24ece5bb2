// Noise, called out rather than hidden: what else used the CPUs during a run (from
// /proc/stat, over the run itself), how precise the timer is, and the rows whose timing
// no schedule can explain (docs/results-schema.md, "Noise").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace schedlab {

struct StrategyRow;

// CPU time so far: all CPUs' non-idle time (/proc/stat's `cpu` line) and this process's
// own, every thread (/proc/self/stat utime + stime), both in seconds.
struct CpuTimes {
  double all_busy_s = 0;
  double own_s = 0;
  double seconds_per_tick = 0.01;  // 1 / sysconf(_SC_CLK_TCK): the counters' resolution
};

// std::nullopt where /proc cannot be read (not Linux, or /proc not mounted).
std::optional<CpuTimes> read_cpu_times(const char* stat_path = "/proc/stat",
                                       const char* self_path = "/proc/self/stat");

// How the timer behaves on this machine now, measured at a run's start (~10 ms).
struct TimerJitter {
  double resolution_s = 0;  // smallest step between two back-to-back steady_clock reads
  double spin_spread = 0;   // the same short spin repeated: median / fastest - 1
};
TimerJitter measure_timer_jitter();

// What a run records about its surroundings (RunInfo::noise; the CSV's `other_load`,
// `noise_tolerance`; the JSON's `noise_measure`).
struct RunNoise {
  // CPUs' worth of time other processes used during the run (serial baseline to the last
  // strategy): (all CPUs' busy time - this job's processes' on this node) / wall time.
  // nullopt: not measured (no /proc).
  std::optional<double> other_load;
  double wall_s = 0;               // the span other_load averages over
  double seconds_per_tick = 0.01;  // the /proc counters' resolution
  TimerJitter timer{};
  // The E / Tp/L tolerance: the spin spread (how much the same work's time moves by
  // itself) plus two clock steps over the row's time.
  double tolerance(double seconds) const;
  // The other load a row of `workers` workers can meet without sharing a CPU with it:
  // the free CPUs plus a margin of 0.1 CPU and the counters' own error
  // ((cpus + 1) ticks over the run: one tick per CPU's counter and one for our own).
  double allowed_other_load(int workers, std::size_t cpus) const;
};

// The run's noise from two samples around it; other_load stays nullopt if either is.
// `siblings_s`: CPU seconds of the job's other processes on this node, subtracted as well.
RunNoise measure_run_noise(const std::optional<CpuTimes>& start, const std::optional<CpuTimes>& end,
                           double wall_s, const TimerJitter& timer, double siblings_s = 0);

// Measures a run from its start (the timer's jitter, then the CPU counters) to finish().
// Every process of a job samples the CPU counters (two small /proc reads); only the one that
// prints (`measure_timer`) measures the timer's jitter.
class NoiseProbe {
 public:
  explicit NoiseProbe(bool measure_timer);
  // This process's own CPU seconds since the probe started (0 where /proc cannot be read).
  double own_cpu_seconds() const;
  // The run's noise. `siblings_s`: CPU seconds the job's other processes on this node used
  // meanwhile (MPI ranks sharing the printing rank's node): they are the run, not "other".
  RunNoise finish(double siblings_s = 0) const;

 private:
  TimerJitter jitter_{};
  std::optional<CpuTimes> start_;
  std::chrono::steady_clock::time_point wall_start_;
};

// The 1-minute load average from /proc/loadavg (std::nullopt where it cannot be read).
// Recorded for the reader's information only: it lags by a minute (a build just before
// the run still shows in it), so no noise rule uses it.
std::optional<double> read_load_average(const char* path = "/proc/loadavg");

// Why `row` cannot be trusted, empty when nothing was seen (only completed rows):
// "E 1.004 > 1 + tolerance 0.002", "Tp/L 0.583 < 1 - tolerance 0.002" (no schedule can do
// either: the serial baseline was slowed by something else), "T1 varies 12%" (the serial
// baseline spread more than 10% over its repeats, median against fastest), "other load
// 0.83 CPUs > 0.12 allowed" (other processes used CPUs this row's workers needed).
std::vector<std::string> noise_reasons(const StrategyRow& row, const StrategyRow& serial,
                                       const RunNoise& noise, std::size_t cpus);

// "E 1.004 > 1 + tolerance 0.002; T1 varies 12%" (the form of the CSV's `noise` column).
std::string join_reasons(const std::vector<std::string>& reasons, const char* separator = "; ");

}  // namespace schedlab
