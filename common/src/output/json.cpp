// The JSON record (schema: docs/results-schema.md), written atomically through symlinks; a
// signal while a huge record is built or serialised stops it (nothing half-written).
#include "schedlab/output/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <streambuf>

#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output/record.hpp"
#include "schedlab/output/selection.hpp"
#include "schedlab/selection.hpp"

namespace schedlab {

namespace {

using nlohmann::json;

// Collects the serialised text and looks at the stop check every 1 MiB: nlohmann's dump()
// cannot be interrupted otherwise, and a record of millions of trace entries takes seconds.
class CheckedText : public std::streambuf {
 public:
  CheckedText(const StopCheck& stop, const std::string& path) : stop_(stop), path_(path) {}
  std::string& text() { return text_; }

 protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) append(static_cast<char>(c), 1);
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    text_.append(s, static_cast<std::size_t>(n));
    check();
    return n;
  }

 private:
  void append(char c, std::size_t n) {
    text_.append(n, c);
    check();
  }
  void check() {
    if (text_.size() < next_check_) return;
    next_check_ = text_.size() + (std::size_t{1} << 20);
    stop_.throw_if_requested(path_);
  }
  const StopCheck& stop_;
  const std::string& path_;
  std::string text_;
  std::size_t next_check_ = std::size_t{1} << 20;
};

std::vector<double> first_step(const std::vector<double>& seconds, std::size_t n) {
  return {seconds.begin(), seconds.begin() + static_cast<long>(std::min(n, seconds.size()))};
}

// SCHEDLAB_INTERFERENCE: the competing load jobs/noise.sh started beside this run (its command
// and PID), recorded so a slow run says why; null when the variable is not set.
json interference_or_null() {
  const std::string value = env_or_unset("SCHEDLAB_INTERFERENCE");
  return value == "unset" ? json(nullptr) : json(value);
}

json perturbations_json(const std::vector<Perturbation>& list) {
  json out = json::array();
  for (const Perturbation& p : list) {
    out.push_back({{"kind", to_string(p.kind)},
                   {"worker", p.worker >= 0 ? json(p.worker) : json(nullptr)},  // null: every
                   {"slow", p.slow},
                   {"pause", p.pause},
                   {"every", p.every},
                   {"latency", p.latency},
                   {"from", p.from},
                   {"from_step", p.from_step}});
  }
  return out;
}

// Each step of a row: its Tp, LB (null without per-task times), chunks and checksum.
json steps_json(const StrategyRow& r) {
  json out = json::array();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const StepSummary& step = r.steps[i];
    out.push_back({{"step", i},
                   {"tp", step.seconds},
                   {"load_balance",
                    std::isfinite(step.load_balance) ? json(step.load_balance) : json(nullptr)},
                   {"chunks", step.chunks < 0 ? json(nullptr) : json(step.chunks)},
                   {"checksum", fmt::format("{:016x}", step.checksum)}});
  }
  return out;
}

json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// An auto row's steps: what the selector chose and why, and what the step then measured.
json decisions_json(const RunResult& run) {
  json out = json::array();
  for (std::size_t s = 0; s < run.decisions.size(); ++s) {
    const StepDecision& d = run.decisions[s];
    json predicted = json::array();
    for (const PredictedTime& p : d.predicted)
      predicted.push_back({{"technique", p.technique}, {"seconds", finite_or_null(p.seconds)}});
    out.push_back({{"step", s},
                   {"technique", d.technique},
                   {"reason", d.reason},
                   {"predicted", predicted},
                   {"predicted_seconds", finite_or_null(d.predicted_seconds)},
                   {"decision_seconds", d.decision_seconds},
                   {"measured_seconds",
                    finite_or_null(measured_step_seconds(run.step_seconds, run.wall_seconds, s))}});
  }
  return out;
}

// An auto row against the fixed rows of the run (schedlab/selection.hpp); null figures where
// they could not be computed (fewer than kMinFixedRows fixed rows, another step count).
json selection_json(const SelectionSummary& s) {
  const auto name_or_null = [](const std::string& name) {
    return name.empty() ? json(nullptr) : json(name);
  };
  return {{"verified", s.verified},
          {"seconds", finite_or_null(s.seconds)},
          {"fixed_rows", s.fixed_rows},
          {"best_fixed", name_or_null(s.best_fixed)},
          {"best_fixed_seconds", finite_or_null(s.best_fixed_seconds)},
          {"regret_pct", finite_or_null(s.regret_pct)},
          {"median_fixed", name_or_null(s.median_fixed)},
          {"median_fixed_seconds", finite_or_null(s.median_fixed_seconds)},
          {"steps_paired", s.steps_paired},
          {"steps_faster_than_median", s.steps_faster_than_median},
          {"oracle_seconds", finite_or_null(s.oracle_seconds)},
          {"oracle_gap_pct", finite_or_null(s.oracle_gap_pct)}};
}

// One entry of "strategies": the row, its metrics, steps, trace and, on an auto row, its
// decisions and selection summary.
json strategy_json(const Comparison& comparison, const StrategyRow& r,
                   const std::vector<SelectionSummary>& selection, const StopCheck& stop,
                   const std::string& path) {
  const RunInfo& info = comparison.info();
  const std::vector<Task>& tasks = comparison.tasks();
  const bool traced = info.settings.trace == TraceLevel::kTasks;
  const Metrics& m = r.metrics;
  // And the host each worker ran on (its rank's), so w0 cpu0 and w4 cpu0 on two nodes differ.
  const std::vector<std::string> hosts = worker_hosts(info, r.ranks, r.threads);
  json trace = json::array();
  for (std::size_t i = 0; i < r.best.trace.size(); ++i) {
    if ((i + 1) % 4096 == 0) stop.throw_if_requested(path);
    const TaskRecord& rec = r.best.trace[i];
    if (!rec.ran() || !traced) continue;
    const auto worker = static_cast<std::size_t>(rec.worker);
    // --steps: slot s*N + i is task i of step s.
    trace.push_back({{"step", tasks.empty() ? 0 : i / tasks.size()},
                     {"task", rec.task},
                     {"worker", rec.worker},
                     {"host", worker < hosts.size() ? hosts[worker] : std::string()},
                     {"cpu", rec.cpu},
                     {"start", rec.start},
                     {"end", rec.end},
                     {"chunk", rec.chunk}});
  }
  // Affinity: the CPUs each worker was seen on (sched_getcpu at each task's start).
  const std::vector<std::vector<int>> worker_cpus =
      traced ? cpus_per_worker(r.best) : std::vector<std::vector<int>>{};
  json error = nullptr;
  if (r.best.error) {
    error = {{"task", r.best.error->task},
             {"rank", r.best.error->rank},
             {"message", r.best.error->message}};
  }
  const std::vector<std::string> noise =
      noise_reasons(r, comparison.baseline(), info.noise, logical_cpus());
  json entry = {
      {"strategy", r.strategy},
      {"ranks", r.ranks},
      {"threads", r.threads},
      {"workers", r.workers()},
      {"times", r.times},
      {"time_min", r.time_min()},
      {"time_median", r.time_median()},
      {"metrics",
       {{"t1", m.t1},
        {"tp", m.tp},
        {"speedup", m.speedup},
        {"efficiency", m.efficiency},
        {"load_balance", finite_or_null(m.load_balance)},
        {"lower_bound", finite_or_null(m.lower_bound)},
        {"tp_over_lower_bound", finite_or_null(m.tp_over_lower_bound)},
        {"karp_flatt", finite_or_null(m.karp_flatt)}}},
      {"checksum", fmt::format("{:016x}", r.checksum)},
      {"verification", r.verified ? "PASSED" : "FAILED"},
      {"status", to_string(r.status)},
      {"completed", r.best.completed()},
      {"chunks", chunk_count(r.best) < 0 ? json(nullptr) : json(chunk_count(r.best))},
      {"steps", steps_json(r)},
      {"completion_order", r.best.completion_order},
      {"busy", traced ? json(busy_per_worker(r.best)) : json::array()},
      {"worker_cpus", worker_cpus},
      {"worker_hosts", hosts},
      {"trace", trace},
      {"error", error},
      {"noisy", !noise.empty()},
      {"noise_tolerance", info.noise.tolerance(r.time_min())},
      {"noise", noise},
  };
  // Auto rows only: older readers never see the fields on other rows.
  if (!r.best.decisions.empty()) entry["decisions"] = decisions_json(r.best);
  for (const SelectionSummary& summary : selection) {
    if (summary.row == r.strategy) entry["selection"] = selection_json(summary);
  }
  return entry;
}

}  // namespace

void write_json(const Comparison& comparison, const std::string& path, const StopCheck& stop) {
  const RunInfo& info = comparison.info();
  const std::vector<Task>& tasks = comparison.tasks();
  const std::vector<StrategyRow>& rows = comparison.rows();
  const WorkloadSpec& w = info.settings.workload;
  const bool traced = info.settings.trace == TraceLevel::kTasks;
  json sizes = json::array();
  for (const auto& t : tasks) {
    if (sizes.size() % 4096 == 0) stop.throw_if_requested(path);
    sizes.push_back(t.size);
  }
  json record = {
      {"schema", kSchemaVersion},
      {"runner", info.runner},
      {"version", kVersion},
      {"timestamp", utc_timestamp()},
      {"host", hostname()},
      {"hosts", info.hosts},  // by rank (rank 0's first): gathered once per run
      {"command", info.command_line},
      {"ranks", info.ranks},
      {"threads", info.threads},
      {"binding", info.binding},
      // null: /proc/loadavg could not be read (unknown, never a made-up 0)
      {"load_average", info.load_average ? json(*info.load_average) : json(nullptr)},
      {"cpus", logical_cpus()},
      // Deliberate competing load started beside the run (jobs/noise.sh exports it), else null.
      {"interference", interference_or_null()},
      // Measured over the run (schedlab/noise.hpp); other_load null: not measured.
      {"noise_measure",
       {{"other_load", info.noise.other_load ? json(*info.noise.other_load) : json(nullptr)},
        {"wall_s", info.noise.wall_s},
        {"clock_resolution_s", info.noise.timer.resolution_s},
        {"spin_spread", info.noise.timer.spin_spread}}},
      {"repeat", info.settings.repeat},
      {"workload",
       {{"kind", to_string(w.kind)},
        {"path", w.path},
        {"tasks", tasks.size()},
        {"size", w.size},
        {"spread", w.spread},
        {"seed", w.seed},
        {"scale", w.scale},
        {"total_units", total_units(tasks)},
        {"sizes", sizes}}},
      // --trace off: no per-task times at all (empty lists below), so nothing can be drawn
      // or simulated from this record; the readers say so.
      {"trace_level", to_string(info.settings.trace)},
      // --steps: step 0's, one per task of workload.sizes (each step's Tp is in "steps").
      {"serial_task_seconds",
       traced ? json(first_step(comparison.serial_task_seconds(), tasks.size())) : json::array()},
      {"steps", info.settings.steps},
      {"drift", info.settings.drift},
      {"perturb", to_string(info.settings.perturbations)},
      {"perturbations", perturbations_json(info.settings.perturbations)},
      {"verification", comparison.all_verified() ? "PASSED" : "FAILED"},
      {"complete",
       std::all_of(rows.begin(), rows.end(),
                   [](const StrategyRow& r) { return r.status != RowStatus::kInterrupted; })},
  };
  const std::vector<SelectionSummary> selection = summarize_selection(comparison);
  json strategies = json::array();
  for (const auto& r : rows)
    strategies.push_back(strategy_json(comparison, r, selection, stop, path));
  record["strategies"] = strategies;
  stop.throw_if_requested(path);
  CheckedText text(stop, path);
  std::ostream out(&text);
  // The signal check's exception leaves the stream as itself, not as a failed stream.
  out.exceptions(std::ios::badbit);
  out << std::setw(1) << record << "\n";  // setw(1): dump(1)'s one-space indent
  write_file_atomically(path, text.text(), stop);
}

}  // namespace schedlab
