// The selector's two methods that reason about the loop: expert (a table of rules on what
// the last step measured) and simulate (every portfolio technique through the simulator on
// the measured task times and worker speeds). docs/techniques.md, "Choosing automatically".
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "schedlab/techniques/select.hpp"
#include "schedlab/techniques/simulate.hpp"
#include "select_text.hpp"

namespace schedlab::techniques {
namespace {

// What expert's rules look at. Measured: after a step; else from the predicted costs.
struct ExpertFacts {
  int workers = 1;
  bool measured = false;
  double cv = 0;                // of the task times at full speed (step 0: of the predicted costs)
  double load_balance = 1;      // measured LB (1 before a step)
  double slowest = 1;           // the slowest worker's speed (1 before a step)
  bool dispatch_cheap = false;  // h <= 1% of the mean task (or, h unknown, a long mean task)
};

// ExpertSel's idea (Auto4OMP, Mohammed et al., IEEE TPDS 2022): the portfolio ordered from
// least to most scheduling overhead, and the measured load imbalance moves the choice along
// that order. schedlab writes it as crisp rules, first match wins, in this table and in
// docs/techniques.md; Auto4OMP's own ExpertSel uses fuzzy thresholds on the imbalance.
struct ExpertRule {
  std::string_view technique;
  std::string_view when;  // the rule as the reason states it
  bool (*applies)(const ExpertFacts&);
};
constexpr std::array<ExpertRule, 6> kExpertRules{{
    {"static", "one worker: nothing to balance",
     [](const ExpertFacts& f) { return f.workers == 1; }},
    {"awf-b", "a worker slower than 0.8 of the fastest: adaptive weights learn it",
     [](const ExpertFacts& f) { return f.measured && f.slowest < 0.8; }},
    {"static", "task times regular (CV < 0.1) and LB >= 0.9: no dispatch needed",
     [](const ExpertFacts& f) { return f.cv < 0.1 && f.load_balance >= 0.9; }},
    {"fac2", "dispatch not known to be cheap: factoring's few chunks balance",
     [](const ExpertFacts& f) { return !f.dispatch_cheap; }},
    {"ss", "irregular tasks (CV >= 0.5), cheap dispatch: one task a chunk",
     [](const ExpertFacts& f) { return f.cv >= 0.5; }},
    {"gss", "mildly irregular tasks, cheap dispatch: guided chunks",
     [](const ExpertFacts&) { return true; }},
}};

ExpertFacts expert_facts(int workers, const std::optional<StepMeasure>& measured,
                         const std::vector<double>& full_speed, const std::vector<double>& speeds,
                         const std::vector<double>& predicted_costs) {
  ExpertFacts f;
  f.workers = workers;
  if (!measured) {
    f.cv = coefficient_of_variation(predicted_costs);
    return f;
  }
  f.measured = true;
  f.cv = coefficient_of_variation(full_speed);
  f.load_balance = measured_load_balance(*measured);
  if (std::isnan(f.load_balance)) f.load_balance = 1;
  f.slowest = speeds.empty() ? 1.0 : *std::min_element(speeds.begin(), speeds.end());
  const double mean = full_speed.empty()
                          ? 0.0
                          : std::accumulate(full_speed.begin(), full_speed.end(), 0.0) /
                                static_cast<double>(full_speed.size());
  f.dispatch_cheap = std::isnan(measured->dispatch_seconds)
                         ? mean >= kCheapDispatchTaskSeconds
                         : measured->dispatch_seconds <= 0.01 * mean;
  return f;
}

}  // namespace

Choice Selector::choose_expert(const std::vector<double>& predicted_costs) const {
  const ExpertFacts f =
      expert_facts(workers_, measured_, full_speed_seconds_, speeds_, predicted_costs);
  const std::string facts = std::string(f.measured ? "measured" : "predicted costs") + ": CV " +
                            detail::number_text(f.cv) +
                            (f.measured ? ", LB " + detail::number_text(f.load_balance) +
                                              ", slowest worker " + detail::number_text(f.slowest)
                                        : std::string());
  for (std::size_t r = 0; r < kExpertRules.size(); ++r) {
    const ExpertRule& rule = kExpertRules[r];
    if (!rule.applies(f)) continue;
    return named(index_of(rule.technique), "rule " + std::to_string(r + 1) + " (" +
                                               std::string(rule.when) + "; " + facts + ")");
  }
  return named(0, "no rule fired");  // unreachable: the last rule always applies
}

// Each portfolio technique's predicted Tp on `loop`, fastest first (a technique the simulator
// cannot run here is left out). At step 0 (`robust`) a technique is ranked by the worse of
// two predictions: equal workers, and the last worker at half speed, since nothing is known
// yet of the workers: a plan that splits the work evenly (static) is best only if they are.
std::vector<Selector::Ranked> Selector::rank_simulated(const SimLoop& loop,
                                                       const SimOptions& options,
                                                       bool robust) const {
  SimOptions slowed = options;
  if (robust && workers_ > 1) {
    slowed.speeds.assign(static_cast<std::size_t>(workers_), 1.0);
    slowed.speeds.back() = kStepZeroSlowSpeed;
  }
  std::vector<Ranked> ranked;
  ranked.reserve(pool_.size());
  for (std::size_t k = 0; k < pool_.size(); ++k) {
    try {
      const SimResult even = simulate(loop, workers_, pool_[k], options);
      double tp = even.tp;
      if (robust && workers_ > 1) tp = std::max(tp, simulate(loop, workers_, pool_[k], slowed).tp);
      ranked.push_back({tp, k, even.chunks});
    } catch (const std::exception&) {  // a technique the simulator cannot run here: skip it
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.tp < b.tp; });
  return ranked;
}

// SimAS (DLS4LB; Mohammed & Ciorba, "SimAS: A simulation-assisted approach for the scheduling
// algorithm selection under perturbations", Concurrency Computat. 2020): after each step the
// measured per-task times at full speed and the per-worker speeds go through the simulator for
// every portfolio technique; the predicted fastest runs next. Where one such decision costs
// more than kDecisionShare of a step, the steps after it keep its technique unsimulated.
Choice Selector::choose_simulate(const std::vector<double>& predicted_costs) {
  if (unsimulated_left_ > 0 && last_) {
    const int k = unsimulated_total_ - unsimulated_left_ + 1;
    --unsimulated_left_;
    simulated_ = false;
    return named(*last_, "kept without simulating (" + std::to_string(k) + " of " +
                             std::to_string(unsimulated_total_) + "): " + unsimulated_why_);
  }
  simulated_ = true;
  return simulated_choice(predicted_costs);
}

// The decision budget: when simulating decisions take more than kDecisionShare of the steps
// they schedule (the median of the last kSpeedWindow; with two the smaller, so one preempted
// decision does not count), as many unsimulated steps follow as bring the share over them down
// to kDecisionShare (at most kMaxUnsimulatedSteps): short steps are simulated every k steps.
void Selector::plan_unsimulated_steps(const StepMeasure& measure) {
  if (!simulated_) return;  // a kept step's measure: the window already counts down
  unsimulated_left_ = 0;
  const double last = measure.decision_seconds / measure.tp;
  if (!(measure.tp > 0) || std::isnan(last)) return;  // unknown: simulate every step
  decision_shares_.push_back(last);
  while (decision_shares_.size() > kSpeedWindow) decision_shares_.pop_front();
  std::vector<double> shares(decision_shares_.begin(), decision_shares_.end());
  std::sort(shares.begin(), shares.end());
  const double share = shares[(shares.size() - 1) / 2];  // odd: the middle; even: the smaller
  if (!(share > kDecisionShare)) return;
  const double steps = std::ceil(share / kDecisionShare) - 1;
  unsimulated_left_ = static_cast<int>(std::min(steps, double{kMaxUnsimulatedSteps}));
  unsimulated_total_ = unsimulated_left_;
  unsimulated_why_ = "simulating took " + detail::percent_text(share) + " of a step, more than " +
                     detail::percent_text(kDecisionShare) + ": simulate every " +
                     std::to_string(unsimulated_total_ + 1) + " steps";
}

// One simulating decision. Before any step the predicted costs stand in for the times: they
// rank the techniques but give no time in seconds.
Choice Selector::simulated_choice(const std::vector<double>& predicted_costs) const {
  SimOptions options;
  options.detail = SimDetail::kMakespan;
  std::vector<double> seconds = predicted_costs;
  const std::vector<double>* costs = &predicted_costs;
  if (measured_) {
    seconds = full_speed_seconds_;
    costs = &measured_->costs;
    // The load may move between steps (--drift): each task's time scales with its new cost.
    if (predicted_costs.size() == seconds.size() && costs->size() == seconds.size()) {
      for (std::size_t i = 0; i < seconds.size(); ++i) {
        if ((*costs)[i] > 0) seconds[i] *= predicted_costs[i] / (*costs)[i];
      }
      costs = &predicted_costs;
    }
    options.speeds = speeds_;
    // h: the last step's, or the last one measured (a plan's step dispatches nothing).
    if (!std::isnan(dispatch_seconds_)) options.dispatch_overhead = dispatch_seconds_;
  }
  const SimLoop loop(std::move(seconds), *costs);
  const std::vector<Ranked> ranked = rank_simulated(loop, options, !measured_);
  if (ranked.empty())
    return named(0, "no technique could be simulated: the first of the portfolio");
  const std::string of = std::to_string(ranked.size());
  // Hysteresis: the technique that ran the last step stays unless the best beats its
  // prediction by more than kSwitchGain. The simulator ranks near-equal techniques within a
  // percent or two while a step misses its prediction by more, and a switch costs what an
  // adaptive technique has learned (af, awf-b start afresh in a step they did not run before).
  const double near_best = ranked.front().tp * (1 + kSwitchGain);
  std::size_t pick = 0;
  if (measured_ && last_) {
    const auto current = std::find_if(ranked.begin(), ranked.end(),
                                      [&](const Ranked& r) { return r.index == *last_; });
    if (current != ranked.end() && current->tp <= near_best)
      pick = static_cast<std::size_t>(current - ranked.begin());
  }
  if (!measured_) {  // step 0: of the near-ties, the fewest chunks (kStepZeroSlowSpeed's note)
    for (std::size_t r = 1; r < ranked.size() && ranked[r].tp <= near_best; ++r) {
      if (ranked[r].chunks < ranked[pick].chunks) pick = r;
    }
  }
  std::string reason;
  if (!measured_) {
    reason = (pick == 0 ? "predicted best of " + of
                        : "the fewest chunks (" + std::to_string(ranked[pick].chunks) +
                              ") of those predicted within " + detail::percent_text(kSwitchGain) +
                              " of the best of " + of) +
             " (predicted costs, no time yet; the worse of equal workers and one at half speed)";
  } else {
    // What the prediction stood on: the measured times and the smoothed speeds.
    const double slowest =
        speeds_.empty() ? 1.0 : *std::min_element(speeds_.begin(), speeds_.end());
    const std::size_t n = speed_history_.steps();
    const std::string basis =
        " (the last step's measured times; slowest worker " + detail::number_text(slowest) +
        (n == 1 ? ", from one step)" : ", the median of " + std::to_string(n) + " steps)");
    reason = pick == 0 ? "predicted best of " + of + basis
                       : "kept: predicted within " + detail::percent_text(kSwitchGain) +
                             " of the best of " + of + basis;
  }
  Choice choice = named(ranked[pick].index, reason);
  for (std::size_t r = 0; r < ranked.size() && r < 3; ++r) {
    choice.predicted.emplace_back(pool_[ranked[r].index].text(),
                                  measured_ ? ranked[r].tp : std::nan(""));
  }
  if (measured_) choice.predicted_seconds = ranked[pick].tp;
  return choice;
}

}  // namespace schedlab::techniques
