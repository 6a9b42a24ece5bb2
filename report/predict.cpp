// Predicted makespans per schedule and worker count, and the check against measurement.
#include "predict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "schedlab/errors.hpp"
#include "schedlab/metrics.hpp"
#include "schedlab/parse.hpp"

namespace schedlab::report {

std::vector<int> parse_worker_list(const std::string& text) {
  const auto fail = [&]() {
    return UsageError(
        fmt::format("--workers '{}': expected counts from 1 to {} as a list or ranges, "
                    "e.g. 1,2,4 or 1-16 or 1-8,64",
                    text, kMaxPredictedWorkers));
  };
  std::set<int> workers;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    const std::size_t dash = item.find('-');
    try {
      const auto low = parse_uint("--workers", item.substr(0, dash), 1, kMaxPredictedWorkers);
      const auto high = dash == std::string::npos ? low
                                                  : parse_uint("--workers", item.substr(dash + 1),
                                                               1, kMaxPredictedWorkers);
      if (high < low) throw fail();
      for (auto w = low; w <= high; ++w) workers.insert(static_cast<int>(w));
    } catch (const UsageError&) {
      throw fail();
    }
    begin = end + 1;
  }
  return {workers.begin(), workers.end()};
}

std::vector<Schedule> compared_schedules(std::size_t chunk) {
  return {{ScheduleKind::kStaticBlock, 1},
          {ScheduleKind::kStaticChunked, 1},
          {ScheduleKind::kDynamic, chunk},
          {ScheduleKind::kGuided, chunk}};
}

std::vector<PredictionRow> predict(const std::vector<double>& task_seconds,
                                   const std::vector<int>& workers,
                                   const std::vector<Schedule>& schedules,
                                   double dispatch_overhead) {
  std::vector<PredictionRow> rows;
  for (const int p : workers) {
    PredictionRow row;
    row.workers = p;
    row.lower_bound = lower_bound_seconds(task_seconds, p);
    for (const auto& s : schedules)
      row.makespans.push_back(simulate(task_seconds, p, s, dispatch_overhead).makespan());
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<PredictedVsMeasured> predicted_vs_measured(const RunRecord& record,
                                                       double dispatch_overhead) {
  std::vector<PredictedVsMeasured> rows;
  for (const auto& s : record.strategies) {
    if (s.strategy == "serial") continue;
    PredictedVsMeasured row;
    row.strategy = s.strategy;
    row.workers = s.ranks * s.threads;
    row.measured = *std::min_element(s.times.begin(), s.times.end());
    if (const auto model = model_of_strategy(s.strategy, s.ranks, s.threads)) {
      row.computing_workers = model->computing_workers;
      row.model = model->schedule.name();
      row.predicted = simulate(record.serial_task_seconds, model->computing_workers,
                               model->schedule, dispatch_overhead)
                          .makespan();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

// Past the point where every task has its own worker, more workers change nothing: a
// run of identical rows prints as one line instead of a thousand.
bool same_prediction(const PredictionRow& a, const PredictionRow& b) {
  return a.lower_bound == b.lower_bound && a.makespans == b.makespans;
}

template <typename Cells>
std::string prediction_block(const std::vector<PredictionRow>& rows, Cells cells) {
  std::string text;
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t last = i;
    while (last + 1 < rows.size() && same_prediction(rows[last + 1], rows[i])) ++last;
    if (last < i + 2) last = i;  // one or two repeats read better printed out
    text += fmt::format("  {:>5}{}\n", rows[i].workers, cells(rows[i]));
    if (last > i) {
      text += fmt::format(
          "  {:>5}  ... the same for P = {} .. {} ({} worker counts: more "
          "workers shorten no schedule)\n",
          "", rows[i + 1].workers, rows[last].workers, last - i);
    }
    i = last + 1;
  }
  return text;
}

}  // namespace

std::string render_predictions(const std::vector<double>& task_seconds,
                               const std::vector<Schedule>& schedules,
                               const std::vector<PredictionRow>& rows) {
  const double total = std::accumulate(task_seconds.begin(), task_seconds.end(), 0.0);
  std::string header = fmt::format("  {:>5} {:>10}", "P", "bound L");
  for (const auto& s : schedules) header += fmt::format(" {:>10}", s.name());
  std::string text =
      "predicted time Tp [s] (bound L = max(sum t / P, max t): no schedule beats it)\n" + header +
      "\n";
  text += prediction_block(rows, [](const PredictionRow& r) {
    std::string cells = fmt::format(" {:>10.4g}", r.lower_bound);
    for (const double m : r.makespans) cells += fmt::format(" {:>10.4g}", m);
    return cells;
  });
  text += "\npredicted speedup (sum t / Tp)\n" + header + "\n";
  text += prediction_block(rows, [total](const PredictionRow& r) {
    std::string cells = fmt::format(" {:>10.2f}", speedup(total, r.lower_bound));
    for (const double m : r.makespans) cells += fmt::format(" {:>10.2f}", speedup(total, m));
    return cells;
  });
  return text;
}

std::string render_predicted_vs_measured(const std::vector<PredictedVsMeasured>& rows) {
  if (rows.empty()) return "no parallel runs in this record to compare with\n";
  std::size_t width = 8;
  for (const auto& r : rows) width = std::max(width, r.strategy.size());
  std::string text =
      fmt::format("predicted vs measured\n  {:<{}} {:>5} {:>12} {:>11} {:>12} {:>8}\n", "strategy",
                  width, "P", "model", "measured[s]", "predicted[s]", "error");
  for (const auto& r : rows) {
    if (r.model.empty()) {
      text += fmt::format("  {:<{}} {:>5} {:>12} {:>11.4g} {:>12} {:>8}\n", r.strategy, width,
                          r.workers, "no model", r.measured, "-", "-");
      continue;
    }
    const std::string model = r.computing_workers == r.workers
                                  ? r.model
                                  : fmt::format("{} on {}", r.model, r.computing_workers);
    text += fmt::format("  {:<{}} {:>5} {:>12} {:>11.4g} {:>12.4g} {:>+7.1f}%\n", r.strategy, width,
                        r.workers, model, r.measured, r.predicted, 100.0 * r.error());
  }
  text +=
      "  error = (predicted - measured) / measured: + the model is slower than the run "
      "(pessimistic),\n          - it is faster (optimistic: the run lost time the model "
      "does not know of)\n";
  return text;
}

}  // namespace schedlab::report
