// Reducing repeats to rows and verifying every row against the serial baseline.
#include "schedlab/comparison.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"

namespace schedlab {

std::string_view to_string(RowStatus status) {
  switch (status) {
    case RowStatus::kOk:
      return "ok";
    case RowStatus::kFailed:
      return "failed";
    case RowStatus::kInterrupted:
      return "interrupted";
    case RowStatus::kMismatch:
      return "mismatch";
  }
  return "unknown";
}

std::vector<std::string> worker_hosts(const RunInfo& info, int ranks, int threads) {
  const int per_rank = std::max(threads, 1);
  std::vector<std::string> hosts;
  for (int w = 0; w < std::max(ranks, 1) * per_rank; ++w) {
    const auto rank = static_cast<std::size_t>(w / per_rank);
    hosts.push_back(rank < info.hosts.size() ? info.hosts[rank] : std::string());
  }
  return hosts;
}

std::size_t distinct_hosts(const std::vector<std::string>& hosts) {
  std::set<std::string> names(hosts.begin(), hosts.end());
  names.erase(std::string());
  return names.size();
}

double StrategyRow::time_min() const {
  return times.empty() ? 0.0 : *std::min_element(times.begin(), times.end());
}

double StrategyRow::time_mean() const {
  if (times.empty()) return 0.0;
  return std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(times.size());
}

double StrategyRow::time_median() const { return median(times); }

namespace {

// Without per-task times (--trace off) the load balance and the lower bound are unknown:
// NaN, shown as "-" (table), an empty field (CSV) and null (JSON), never a made-up 0.
void forget_traced_metrics(Metrics& m) {
  const double unknown = std::numeric_limits<double>::quiet_NaN();
  m.load_balance = unknown;
  m.lower_bound = unknown;
  m.tp_over_lower_bound = unknown;
}

StrategyRow make_row(const std::string& strategy, int ranks, int threads,
                     std::vector<RunResult> runs) {
  StrategyRow row;
  row.strategy = strategy;
  row.ranks = ranks;
  row.threads = threads;
  if (runs.empty()) throw std::logic_error("a strategy row needs at least one run");
  for (const auto& run : runs) row.times.push_back(run.wall_seconds);
  // A failed or interrupted run is the one to show; otherwise the fastest repeat.
  auto chosen =
      std::find_if(runs.begin(), runs.end(), [](const RunResult& r) { return !r.complete(); });
  if (chosen == runs.end()) {
    chosen = std::min_element(runs.begin(), runs.end(), [](const RunResult& a, const RunResult& b) {
      return a.wall_seconds < b.wall_seconds;
    });
  }
  row.best = std::move(*chosen);
  row.checksum = checksum(row.best.results);
  if (row.best.error) {
    row.status = RowStatus::kFailed;
  } else if (row.best.interrupted || row.best.completed() != row.best.results.size()) {
    row.status = RowStatus::kInterrupted;
  } else {
    row.status = RowStatus::kOk;
  }
  return row;
}

}  // namespace

Comparison::Comparison(RunInfo info, std::vector<Task> tasks)
    : info_(std::move(info)), tasks_(std::move(tasks)) {}

void Comparison::set_baseline(std::vector<RunResult> runs) {
  if (!rows_.empty()) throw std::logic_error("the baseline must be set first, once");
  rows_.push_back(make_row("serial", 1, 1, std::move(runs)));
  StrategyRow& base = rows_.front();
  // Without per-task times (--trace off) there are none: plans then cost tasks by size.
  if (info_.settings.trace == TraceLevel::kTasks) serial_task_seconds_ = task_seconds(base.best);
  base.verified = base.status == RowStatus::kOk;
  const double t1 = base.time_min();
  base.metrics = compute_metrics(t1, t1, 1, busy_per_worker(base.best), serial_task_seconds_);
  finish_row(base);
}

// What every row gets after its metrics: the lower bound of a stepped run (the sum of the
// steps' bounds), its steps, and no traced metric without a trace.
void Comparison::finish_row(StrategyRow& row) const {
  const bool traced = info_.settings.trace == TraceLevel::kTasks;
  row.steps = step_summaries(row.best, tasks_.size(), traced);
  if (row.best.step_seconds.size() > 1 && !serial_task_seconds_.empty()) {
    Metrics& m = row.metrics;
    m.lower_bound = stepped_lower_bound(serial_task_seconds_, tasks_.size(), row.workers());
    m.tp_over_lower_bound = m.lower_bound > 0 ? m.tp / m.lower_bound : 0.0;
  }
  if (!traced) forget_traced_metrics(row.metrics);
}

const StrategyRow& Comparison::add(const std::string& strategy, int ranks, int threads,
                                   std::vector<RunResult> runs) {
  if (rows_.empty()) throw std::logic_error("set_baseline() before add()");
  StrategyRow row = make_row(strategy, ranks, threads, std::move(runs));
  const StrategyRow& base = rows_.front();
  // Verified means: complete, and every result equals the serial one in the same slot.
  row.verified = row.status == RowStatus::kOk && base.status == RowStatus::kOk &&
                 row.best.results == base.best.results;
  if (row.status == RowStatus::kOk && !row.verified) row.status = RowStatus::kMismatch;
  row.metrics = compute_metrics(base.time_min(), row.time_min(), row.workers(),
                                busy_per_worker(row.best), serial_task_seconds_);
  finish_row(row);
  rows_.push_back(std::move(row));
  return rows_.back();
}

bool Comparison::all_verified() const {
  return !rows_.empty() &&
         std::all_of(rows_.begin(), rows_.end(), [](const StrategyRow& r) { return r.verified; });
}

int Comparison::exit_code() const {
  for (const auto& row : rows_) {
    if (row.status == RowStatus::kInterrupted && interrupt_signal() != 0) {
      return 128 + interrupt_signal();
    }
  }
  return all_verified() ? kExitOk : kExitFailed;
}

}  // namespace schedlab
