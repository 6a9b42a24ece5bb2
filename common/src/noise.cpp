// The noise rules every output shares (table, CSV, JSON), so a row flagged in one is
// flagged in all, and schedlab-report and jobs/schedlab_grade.py read the same flag back.
#include "schedlab/noise.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

#include "schedlab/comparison.hpp"
#include "schedlab/kernel.hpp"

namespace schedlab {

std::optional<CpuTimes> read_cpu_times(const char* stat_path, const char* self_path) {
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return std::nullopt;
  CpuTimes t;
  t.seconds_per_tick = 1.0 / static_cast<double>(ticks);
  // /proc/stat: "cpu  user nice system idle iowait irq softirq steal ..." in ticks, all
  // CPUs summed. Idle and iowait are free CPU; everything else (steal too: the hypervisor
  // gave our CPU to another guest) is time something ran.
  constexpr std::string_view kAllCpusLine = "cpu";  // the first line's label: every CPU summed
  std::ifstream stat(stat_path);
  std::string label;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(stat >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq) ||
      label != kAllCpusLine)
    return std::nullopt;
  if (!(stat >> steal)) steal = 0;  // kernels before 2.6.11 have no steal field
  t.all_busy_s = (user + nice + system + irq + softirq + steal) * t.seconds_per_tick;
  // /proc/self/stat: "pid (comm) state ..."; utime and stime are fields 14 and 15, the
  // 12th and 13th after the ')' (comm may hold spaces, never a ')' after the last one).
  std::ifstream self(self_path);
  const std::string line{std::istreambuf_iterator<char>(self), std::istreambuf_iterator<char>()};
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  double utime = -1, stime = -1;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::strtod(field.c_str(), nullptr);
    if (i == 15) stime = std::strtod(field.c_str(), nullptr);
  }
  if (utime < 0 || stime < 0) return std::nullopt;
  t.own_s = (utime + stime) * t.seconds_per_tick;
  return t;
}

TimerJitter measure_timer_jitter() {
  using Steady = std::chrono::steady_clock;
  TimerJitter jitter;
  // Resolution: the smallest non-zero step between back-to-back reads.
  double smallest = 1.0;
  for (int i = 0; i < 1000; ++i) {
    const auto a = Steady::now();
    auto b = Steady::now();
    while (b == a) b = Steady::now();
    smallest = std::min(smallest, std::chrono::duration<double>(b - a).count());
  }
  jitter.resolution_s = smallest;
  // Spread: the same ~0.4 ms spin, 21 times after one warm-up; how far the typical time
  // sits above the fastest is how far two equal pieces of work differ by themselves.
  std::vector<double> times;
  volatile std::uint64_t sink = spin(kSpeedProbeUnits);
  for (int i = 0; i < 21; ++i) {
    const auto start = Steady::now();
    sink = sink + spin(kSpeedProbeUnits);
    times.push_back(std::chrono::duration<double>(Steady::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  if (times.front() > 0) jitter.spin_spread = times[times.size() / 2] / times.front() - 1.0;
  return jitter;
}

double RunNoise::tolerance(double seconds) const {
  const double clock = seconds > 0 ? 2.0 * timer.resolution_s / seconds : 0.0;
  return timer.spin_spread + clock;
}

double RunNoise::allowed_other_load(int workers, std::size_t cpus) const {
  // A tenth of a CPU: on 2 workers, another process's 10% is already a 5% slower Tp.
  constexpr double kMargin = 0.1;
  const double free_cpus = std::max(0.0, static_cast<double>(cpus) - workers);
  const double counters =
      wall_s > 0 ? static_cast<double>(cpus + 1) * seconds_per_tick / wall_s : 0.0;
  return free_cpus + kMargin + counters;
}

RunNoise measure_run_noise(const std::optional<CpuTimes>& start, const std::optional<CpuTimes>& end,
                           double wall_s, const TimerJitter& timer, double siblings_s) {
  RunNoise noise;
  noise.wall_s = wall_s;
  noise.timer = timer;
  if (start && end && wall_s > 0) {
    noise.seconds_per_tick = start->seconds_per_tick;
    const double others =
        (end->all_busy_s - start->all_busy_s) - (end->own_s - start->own_s) - siblings_s;
    noise.other_load = std::max(0.0, others / wall_s);
  }
  return noise;
}

NoiseProbe::NoiseProbe(bool measure_timer) {
  if (measure_timer) jitter_ = measure_timer_jitter();
  start_ = read_cpu_times();
  wall_start_ = std::chrono::steady_clock::now();
}

double NoiseProbe::own_cpu_seconds() const {
  const std::optional<CpuTimes> now = read_cpu_times();
  return start_ && now ? std::max(0.0, now->own_s - start_->own_s) : 0.0;
}

RunNoise NoiseProbe::finish(double siblings_s) const {
  const std::optional<CpuTimes> end = read_cpu_times();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_start_;
  return measure_run_noise(start_, end, wall.count(), jitter_, siblings_s);
}

std::optional<double> read_load_average(const char* path) {
  std::ifstream in(path);
  double one_minute = 0;
  if (!(in >> one_minute) || !std::isfinite(one_minute) || one_minute < 0) return std::nullopt;
  return one_minute;
}

std::vector<std::string> noise_reasons(const StrategyRow& row, const StrategyRow& serial,
                                       const RunNoise& noise, std::size_t cpus) {
  std::vector<std::string> reasons;
  if (row.status != RowStatus::kOk) return reasons;
  const Metrics& m = row.metrics;
  // Three digits: a tolerance of 0.002 must be able to show an excess of 0.004.
  const double tol = noise.tolerance(row.time_min());
  // E > 1 would mean each worker ran faster than the serial loop did alone.
  if (m.efficiency > 1.0 + tol)
    reasons.push_back(fmt::format("E {:.3f} > 1 + tolerance {:.3f}", m.efficiency, tol));
  // L is a floor no schedule can beat, measured from the serial per-task times.
  if (m.tp_over_lower_bound > 0 && m.tp_over_lower_bound < 1.0 - tol)
    reasons.push_back(
        fmt::format("Tp/L {:.3f} < 1 - tolerance {:.3f}", m.tp_over_lower_bound, tol));
  // Every speedup divides by T1: if T1 itself moved, so did every speedup.
  const double fastest = serial.time_min();
  if (fastest > 0 && serial.time_median() > 1.1 * fastest)
    reasons.push_back(
        fmt::format("T1 varies {:.0f}%", 100.0 * (serial.time_median() / fastest - 1.0)));
  // Other processes ran during the run on CPUs this row's workers needed (or the serial
  // baseline's one, which every speedup divides by).
  if (noise.other_load) {
    const double allowed = noise.allowed_other_load(std::max(row.workers(), 1), cpus);
    if (*noise.other_load > allowed)
      reasons.push_back(
          fmt::format("other load {:.2f} CPUs > {:.2f} allowed", *noise.other_load, allowed));
  }
  return reasons;
}

std::string join_reasons(const std::vector<std::string>& reasons, const char* separator) {
  std::string text;
  for (const auto& r : reasons) text += (text.empty() ? "" : separator) + r;
  return text;
}

}  // namespace schedlab
