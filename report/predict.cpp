// Predicted makespans per schedule and worker count, and the check against measurement.
#include "schedlab/report/predict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "schedlab/errors.hpp"
#include "schedlab/metrics.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/techniques/simulate.hpp"

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
  std::vector<Schedule> list{technique_schedule("static"), cyclic_schedule(1)};
  if (chunk == 1) {
    // The handout's clauses, simulated by the registry's rules they are: dynamic,1 is ss,
    // guided is gss.
    Schedule dynamic = technique_schedule("ss");
    dynamic.label = "dynamic,1";
    list.push_back(std::move(dynamic));
    Schedule guided = technique_schedule("gss");
    guided.label = "guided";
    list.push_back(std::move(guided));
  } else {
    // dynamic,C: fixed chunks of C, the registry's tss,C,C, shown under its clause's name.
    Schedule dynamic{techniques::fixed_chunk_technique(chunk), 0, ""};
    dynamic.label = fmt::format("dynamic,{}", chunk);
    list.push_back(std::move(dynamic));
    Schedule guided = technique_schedule(fmt::format("gss,{}", chunk));
    guided.label = fmt::format("guided,{}", chunk);
    list.push_back(std::move(guided));
  }
  list.push_back(technique_schedule("tss"));
  list.push_back(technique_schedule("fac2"));
  return list;
}

std::vector<Schedule> schedules_named(const std::vector<std::string>& names) {
  std::vector<Schedule> list;
  for (const std::string& name : names) {
    auto model = model_of_strategy(name, 1, 1);
    if (!model && techniques::find_technique(name.substr(0, name.find(','))) != nullptr) {
      // A known technique with a bad parameter: the parser's message names it and the limit.
      try {
        techniques::parse_technique(name);
      } catch (const std::invalid_argument& e) {
        throw UsageError(fmt::format("--technique '{}': {}", name, e.what()));
      }
    }
    if (!model || name.rfind("master-worker", 0) == 0) {
      throw UsageError(fmt::format(
          "--technique '{}': expected a technique ({}) or static,C / dynamic,C / guided,C", name,
          techniques::technique_names()));
    }
    if (model->schedule.technique.info != nullptr && model->schedule.name() != name &&
        techniques::find_technique(name.substr(0, name.find(','))) == nullptr) {
      model->schedule.label = name;  // a literal clause keeps the name it was asked by
    }
    list.push_back(std::move(model->schedule));
  }
  return list;
}

std::vector<PredictionRow> predict(const std::vector<double>& task_seconds,
                                   const std::vector<int>& workers,
                                   const std::vector<Schedule>& schedules, double dispatch_overhead,
                                   double master_service, const PredictProgress& progress) {
  const techniques::SimLoop loop(task_seconds);
  // lower_bound_seconds()'s sum and max once, not once per P.
  const double sum = std::accumulate(task_seconds.begin(), task_seconds.end(), 0.0);
  const double longest =
      task_seconds.empty() ? 0.0 : *std::max_element(task_seconds.begin(), task_seconds.end());
  const std::size_t total = workers.size() * schedules.size();
  std::size_t done = 0;
  SimCosts costs;
  costs.dispatch_overhead = dispatch_overhead;
  costs.master_service = master_service;
  std::vector<PredictionRow> rows;
  for (const int p : workers) {
    PredictionRow row;
    row.workers = p;
    row.lower_bound = std::max(sum / p, longest);  // max(sum t / P, max t)
    for (const auto& s : schedules) {
      row.makespans.push_back(predicted_makespan(loop, p, s, costs));
      if (progress) progress(++done, total);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

int saturation_workers(const std::vector<PredictionRow>& rows, std::size_t schedule) {
  if (rows.empty()) return 0;
  double best = rows.front().makespans.at(schedule);
  for (const auto& r : rows) best = std::min(best, r.makespans.at(schedule));
  for (const auto& r : rows) {
    if (r.makespans[schedule] <= 1.01 * best) return r.workers;
  }
  return rows.back().workers;
}

double master_bound_workers(double chunk_seconds, double master_service) {
  return master_service > 0 ? 1.0 + chunk_seconds / master_service : 0.0;
}

namespace {

// How much longer a perturbed worker takes: slow=F, F; pause=S,every=E leaves it E - S
// seconds of work in each E-second window: E / (E - S).
double factor_of(const Perturbation& p) {
  return p.kind == PerturbKind::kPause ? p.every / (p.every - p.pause) : p.slow;
}

// The costs of step `step` of a row, the step starting `start` seconds after the run: the
// slowdowns active in it (from = S counts from the run's start, so a step that starts later
// sees it sooner; several on one worker multiply, from the last one's moment), and for a row
// whose chunks come in messages a latency aimed at every rank (S on each dispatch: the
// simulator adds 2L per chunk, so L = S / 2). `row_workers` - computing: a dedicated master's
// workers, the first global ids.
SimCosts step_costs(const std::vector<Perturbation>& list, int step, double start,
                    const StrategyModel& model, int row_workers, SimCosts costs) {
  const int offset = row_workers - model.computing_workers;
  std::map<int, techniques::Slowdown> slowed;
  for (const Perturbation& p : list) {
    if (step < p.from_step) continue;
    if (p.kind == PerturbKind::kLatency) {
      if (model.messages && p.worker < 0) costs.message_latency += p.latency / 2;
      continue;
    }
    const double from = std::max(0.0, p.from - start);
    for (int w = 0; w < model.computing_workers; ++w) {
      if (p.worker >= 0 && p.worker != w + offset) continue;
      auto [it, fresh] = slowed.try_emplace(w, techniques::Slowdown{w, from, 1.0});
      it->second.slow *= factor_of(p);
      it->second.from_seconds = std::max(it->second.from_seconds, from);
    }
  }
  for (const auto& [w, s] : slowed) costs.slowdowns.push_back(s);
  return costs;
}

bool same_costs(const SimCosts& a, const SimCosts& b) {
  if (a.message_latency != b.message_latency || a.slowdowns.size() != b.slowdowns.size())
    return false;
  for (std::size_t i = 0; i < a.slowdowns.size(); ++i) {
    const auto& x = a.slowdowns[i];
    const auto& y = b.slowdowns[i];
    if (x.worker != y.worker || x.from_seconds != y.from_seconds || x.slow != y.slow) return false;
  }
  return true;
}

// A row's T steps, each simulated on the serial step-0 task times (the record holds no
// others), one after the other: Tp is their sum, as the runners measure it. A step whose
// costs equal the previous one's takes its Tp without another simulation.
double predicted_steps(const RunRecord& record, const techniques::SimLoop& loop,
                       const StrategyModel& model, int row_workers, const SimCosts& base,
                       bool replay) {
  double start = 0;
  SimCosts previous;
  double previous_tp = -1;
  for (int step = 0; step < std::max(record.steps, 1); ++step) {
    SimCosts costs =
        replay ? step_costs(record.perturbations, step, start, model, row_workers, base) : base;
    if (previous_tp < 0 || !same_costs(costs, previous)) {
      previous_tp = predicted_makespan(loop, model.computing_workers, model.schedule, costs);
      previous = std::move(costs);
    }
    start += previous_tp;
  }
  return start;
}

}  // namespace

std::vector<PredictedVsMeasured> predicted_vs_measured(const RunRecord& record,
                                                       double dispatch_overhead,
                                                       double master_service, bool replay) {
  std::vector<PredictedVsMeasured> rows;
  const techniques::SimLoop loop(record.serial_task_seconds);
  for (const auto& s : record.strategies) {
    if (s.is_serial()) continue;
    PredictedVsMeasured row;
    row.strategy = s.strategy;
    row.workers = s.ranks * s.threads;
    row.measured = *std::min_element(s.times.begin(), s.times.end());
    if (const auto model = model_of_strategy(s.strategy, s.ranks, s.threads, record.runner)) {
      row.computing_workers = model->computing_workers;
      row.model = model->schedule.name();
      // Only rows whose chunks come from schedlab-mpi's master queue at it.
      SimCosts costs;
      costs.dispatch_overhead = dispatch_overhead;
      costs.master_service = model->through_master ? master_service : 0.0;
      row.predicted = predicted_steps(record, loop, *model, row.workers, costs, replay);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string render_replay(const RunRecord& record, bool replay) {
  if (record.perturbations.empty()) return "";
  if (!replay) {
    return fmt::format("perturbations not replayed (--no-replay): {}\n\n",
                       to_string(record.perturbations));
  }
  std::string text =
      "replayed perturbations (the predicted-vs-measured rows; the table above is "
      "the unperturbed machine):\n";
  for (const Perturbation& p : record.perturbations) {
    const std::string who = p.worker < 0 ? "every worker" : fmt::format("worker {}", p.worker);
    const std::string when =
        p.from_step > 0
            ? fmt::format("from step {} (steps as long as predicted) + {} s", p.from_step, p.from)
            : fmt::format("from {} s", p.from);
    std::string what;
    if (p.kind == PerturbKind::kSlow) {
      what = fmt::format("{} {} times slower {}", who, p.slow, when);
    } else if (p.kind == PerturbKind::kPause) {
      what = fmt::format("{} {:.3g} times slower {} (a pause of {} s every {} s as E / (E - S))",
                         who, factor_of(p), when, p.pause, p.every);
    } else if (p.worker < 0) {
      what = fmt::format(
          "{} s more per dispatch {} on the master-worker, MPI technique and rma "
          "rows",
          p.latency, when);
    } else {
      what = "not modelled: a latency for one rank (the simulator has one latency for all)";
    }
    text += fmt::format("  {}: {}\n", to_string(p), what);
  }
  return text + "\n";
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

std::string render_master_predictions(const std::vector<double>& task_seconds,
                                      const std::vector<Schedule>& schedules,
                                      const std::vector<PredictionRow>& master_rows,
                                      double master_service) {
  // A thousand rows of a second table read badly: powers of two, the saturation points and
  // the last P are enough to see the curve bend.
  std::set<int> shown;
  for (std::size_t s = 0; s < schedules.size(); ++s) {
    const auto* info = schedules[s].technique.info;
    if (info != nullptr && info->dispatch != techniques::Dispatch::kPlan)
      shown.insert(saturation_workers(master_rows, s));
  }
  std::vector<PredictionRow> rows;
  for (const auto& r : master_rows) {
    const bool power_of_two = (r.workers & (r.workers - 1)) == 0;
    if (power_of_two || shown.count(r.workers) > 0 || &r == &master_rows.back()) rows.push_back(r);
  }
  std::string text = render_predictions(task_seconds, schedules, rows);
  text.replace(0, text.find('\n'),
               fmt::format("master-worker: predicted time Tp [s] with one master busy {:.3g} s "
                           "per chunk (requests queue; P: powers of two and saturation points)",
                           master_service));
  text += fmt::format(
      "\nwhere master-worker saturates (the smallest P with Tp within 1% of its best; "
      "past it,\nworkers queue at the master)\n");
  const double total = std::accumulate(task_seconds.begin(), task_seconds.end(), 0.0);
  for (std::size_t s = 0; s < schedules.size(); ++s) {
    if (schedules[s].technique.info == nullptr ||
        schedules[s].technique.info->dispatch == techniques::Dispatch::kPlan) {
      text +=
          fmt::format("  {:>10}  no master: a plan, nothing to hand out\n", schedules[s].name());
      continue;
    }
    const int p = saturation_workers(master_rows, s);
    double tp = 0;
    for (const auto& r : master_rows)
      if (r.workers == p) tp = r.makespans[s];
    text += fmt::format("  {:>10}  saturates at P = {} (Tp {:.4g} s, speedup {:.2f})\n",
                        schedules[s].name(), p, tp, speedup(total, tp));
  }
  if (!task_seconds.empty()) {
    const double mean = total / static_cast<double>(task_seconds.size());
    text += fmt::format(
        "  (one task per chunk, ss: the master is busy all the time past P = 1 + t/s = {:.0f}, "
        "t = {:.3g} s the mean task)\n",
        master_bound_workers(mean, master_service), mean);
  }
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
