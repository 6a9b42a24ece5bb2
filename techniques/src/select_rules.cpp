// The selector's two methods that reason about the loop: expert (a table of rules on what
// the last step measured) and simulate (every portfolio technique through the simulator on
// the measured task times and worker speeds). docs/techniques.md, "Choosing automatically".
#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <functional>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

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

// The median of a short window: odd, the middle; even, the smaller of the two middles, so one
// outlier of two (a preempted step or decision: they only ever take longer) does not count.
double smaller_median(const std::deque<double>& window) {
  std::vector<double> sorted(window.begin(), window.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted[(sorted.size() - 1) / 2];
}

void keep_last(std::deque<double>& window, double value) {
  window.push_back(value);
  while (window.size() > kSpeedWindow) window.pop_front();
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

// How one technique's Tp is predicted on a loop (the option sets made once a decision). At
// step 0 (`robust`) the worse of two predictions: equal workers, and the last worker at half
// speed, since nothing is known yet of the workers: a plan that splits the work evenly
// (static) is best only if they are. Measured uneven workers (kUnevenWorkers): a dispatched
// technique's first chunks go to whichever worker asks first, so it is predicted as the mean
// of the fastest and the slowest worker asking first (the simulator gives ties to the lower
// id; sorted speeds set the order).
struct Selector::Prediction {
  Prediction(const SimOptions& given, int workers, bool robust_step) : options(given) {
    robust = robust_step && workers > 1;
    if (robust) {  // the slow worker last (asks after the others) and first (asks first)
      slowed = given;
      slowed.speeds.assign(static_cast<std::size_t>(workers), 1.0);
      slowed.speeds.back() = kStepZeroSlowSpeed;
      slowed_first = slowed;
      std::reverse(slowed_first.speeds.begin(), slowed_first.speeds.end());
    }
    uneven = !robust_step && !given.speeds.empty() &&
             *std::min_element(given.speeds.begin(), given.speeds.end()) < kUnevenWorkers;
    if (uneven) {  // copied only when used: a decision is part of the step's time
      fast_first = given;
      slow_first = given;
      std::sort(fast_first.speeds.begin(), fast_first.speeds.end(), std::greater<>());
      std::sort(slow_first.speeds.begin(), slow_first.speeds.end());
    }
  }
  // Tp and chunks of `spec` on `loop`; throws what simulate() throws.
  SimResult of(const SimLoop& loop, int workers, const TechniqueSpec& spec) const {
    const bool race = uneven && spec.info->dispatch != Dispatch::kPlan;
    SimResult result = simulate(loop, workers, spec, race ? fast_first : options);
    if (robust) {
      double slow = simulate(loop, workers, spec, slowed).tp;
      if (spec.info->dispatch != Dispatch::kPlan)  // who asks first is a race (kUnevenWorkers)
        slow = (slow + simulate(loop, workers, spec, slowed_first).tp) / 2;
      result.tp = std::max(result.tp, slow);
    }
    if (race) result.tp = (result.tp + simulate(loop, workers, spec, slow_first).tp) / 2;
    return result;
  }
  const SimOptions& options;
  SimOptions slowed;
  SimOptions slowed_first;
  SimOptions fast_first;
  SimOptions slow_first;
  bool robust = false;
  bool uneven = false;
};

// Each portfolio technique's predicted Tp on `loop` (a technique the simulator cannot run
// here is left out), in portfolio order. A technique measured in this run (rank_measured()
// ranks it by its steps) is not simulated: its Tp is NaN until simulate_pick() needs it.
std::vector<Selector::Ranked> Selector::rank_simulated(const SimLoop& loop,
                                                       const Prediction& prediction) {
  std::vector<Ranked> ranked;
  ranked.reserve(pool_.size());
  for (std::size_t k = 0; k < pool_.size(); ++k) {
    if (measured_ && step_total_cost_ > 0 && !measured_per_cost_[k].empty()) {
      ranked.push_back({std::nan(""), std::nan(""), k, 0});
      continue;
    }
    try {
      const SimResult result = predict(loop, prediction, k);
      ranked.push_back({result.tp, result.tp, k, result.chunks});
    } catch (const std::exception&) {  // a technique the simulator cannot run here: skip it
    }
  }
  return ranked;
}

// The chosen technique's simulated Tp, when rank_simulated() skipped it: the calibration
// compares what its step will measure with it. NaN if the simulator cannot run it.
void Selector::simulate_pick(const SimLoop& loop, const Prediction& prediction, Ranked& pick) {
  if (!std::isnan(pick.simulated)) return;
  try {
    pick.simulated = predict(loop, prediction, pick.index).tp;
  } catch (const std::exception&) {
  }
}

// Predictions reused (kReuseChange's note): after a measured step, a technique already simulated
// on a loop that held since is not simulated again; its Tp per second of that loop's total
// time is taken times this loop's. Step 0's predictions (on the predicted costs) are not kept.
SimResult Selector::predict(const SimLoop& loop, const Prediction& prediction, std::size_t index) {
  const bool kept = measured_.has_value() && index < reuse_.per_second.size() && loop.total() > 0;
  if (kept && !std::isnan(reuse_.per_second[index])) {
    ++reused_;
    SimResult result;
    result.tp = reuse_.per_second[index] * loop.total();
    result.chunks = reuse_.chunks[index];
    return result;
  }
  SimResult result = prediction.of(loop, workers_, pool_[index]);
  if (kept) {
    reuse_.per_second[index] = result.tp / loop.total();
    reuse_.chunks[index] = result.chunks;
  }
  return result;
}

namespace {

// Each of kProfileBins contiguous bins of tasks' share of the loop's total time (fewer bins
// than tasks: one a task).
std::vector<double> time_profile(const SimLoop& loop) {
  const std::size_t n = loop.tasks();
  const std::size_t bins = std::min(n, kProfileBins);
  std::vector<double> profile(bins, 0.0);
  const double total = loop.total();
  if (!(total > 0)) return profile;
  for (std::size_t b = 0; b < bins; ++b) {
    const std::size_t first = b * n / bins;
    profile[b] = loop.seconds_of(first, (b + 1) * n / bins - first) / total;
  }
  return profile;
}

bool within(double now, double then, double change) {
  return std::fabs(now - then) <= change * std::fabs(then);
}

}  // namespace

// Whether the loop held since the simulation reused_ holds (kReuseChange's note): if not, or
// that one has been reused kReuseDecisions - 1 times, this decision simulates afresh and
// becomes the one to reuse.
void Selector::check_reuse(const SimLoop& loop, const SimOptions& options, bool uneven) {
  reused_ = 0;
  std::vector<double> profile = time_profile(loop);
  const double mean_task = loop.tasks() > 0 ? loop.total() / static_cast<double>(loop.tasks()) : 0;
  const double h = options.dispatch_overhead;
  bool held = !reuse_.per_second.empty() && reuse_.decisions < kReuseDecisions &&
              reuse_.tasks == loop.tasks() && reuse_.uneven == uneven &&
              reuse_.speeds.size() == options.speeds.size() &&
              within(loop.total(), reuse_.total, kRetrialChange) &&
              std::fabs(h - reuse_.dispatch) <= kReuseChange * mean_task;
  for (std::size_t w = 0; held && w < options.speeds.size(); ++w)
    held = within(options.speeds[w], reuse_.speeds[w], kReuseChange);
  if (held) {
    double moved = 0;
    for (std::size_t b = 0; b < profile.size(); ++b)
      moved += std::fabs(profile[b] - reuse_.profile[b]);
    held = moved <= kReuseProfile;
  }
  if (held) {
    ++reuse_.decisions;
    return;
  }
  reuse_.tasks = loop.tasks();
  reuse_.total = loop.total();
  reuse_.speeds = options.speeds;
  reuse_.dispatch = h;
  reuse_.profile = std::move(profile);
  reuse_.uneven = uneven;
  reuse_.decisions = 1;
  reuse_.per_second.assign(pool_.size(), std::nan(""));
  reuse_.chunks.assign(pool_.size(), 0);
}

// SimAS (DLS4LB; Mohammed & Ciorba, "SimAS: A simulation-assisted approach for the scheduling
// algorithm selection under perturbations", Concurrency Computat. 2020): after each step the
// measured per-task times at full speed and the per-worker speeds go through the simulator for
// every portfolio technique; the predicted fastest runs next. Where one such decision costs
// more than kDecisionShare of a step, the steps after it keep its technique unsimulated.
Choice Selector::choose_simulate(const std::vector<double>& predicted_costs) {
  const bool after_trial = step_trial_;
  step_simulated_ = std::nan("");  // a kept step predicts nothing: no calibration from it
  step_predicted_ = std::nan("");
  step_trial_ = false;
  choice_settles_ = false;
  const double total_cost = std::accumulate(predicted_costs.begin(), predicted_costs.end(), 0.0);
  step_total_cost_ = total_cost;
  if (unsimulated_left_ > 0 && last_) {
    const int k = unsimulated_total_ - unsimulated_left_ + 1;
    --unsimulated_left_;
    simulated_ = false;
    kept_expected_ = predicted_per_cost_ * total_cost;  // after_step() compares the step with it
    return named(*last_, "kept without simulating (" + std::to_string(k) + " of " +
                             std::to_string(unsimulated_total_) + "): " + unsimulated_why_);
  }
  kept_expected_ = std::nan("");
  simulated_ = true;
  step_fed_by_ = last_;
  Choice choice = simulated_choice(predicted_costs, after_trial);
  predicted_per_cost_ = total_cost > 0 ? step_predicted_ / total_cost : std::nan("");
  choice.reason += note_;  // why the kept steps ended early, if they did
  note_.clear();
  if (!anchor_) anchor_ = choice.index;
  ran_[choice.index] = true;
  return choice;
}

// The decision budget: when simulating decisions take more than kDecisionShare of the steps
// they schedule (the median of the last kSpeedWindow; with two the smaller, so one preempted
// decision does not count), as many unsimulated steps follow as bring the share over them down
// to kDecisionShare (at most kMaxUnsimulatedSteps): short steps are simulated every k steps.
// A trial's step is always followed by a simulating decision, which weighs what it measured.
// Settled (kMaxUnsimulatedSteps' note): a decision that could settle, whose step then held
// its prediction within kSwitchGain, is followed by 1, 2, then 4 kept steps; the more of the
// two rules asks for is taken.
void Selector::plan_unsimulated_steps(const StepMeasure& measure) {
  if (!simulated_) return;  // a kept step's measure: the window already counts down
  unsimulated_left_ = 0;
  if (step_trial_) {  // a trial's step is always followed by a simulating decision
    settled_streak_ = 0;
    return;
  }
  const bool held = choice_settles_ && step_predicted_ > 0 && measure.tp > 0 &&
                    std::fabs(measure.tp / step_predicted_ - 1) <= kSwitchGain;
  settled_streak_ = held ? settled_streak_ + 1 : 0;
  const int settled =
      held ? std::min(1 << std::min(settled_streak_ - 1, 8), kMaxUnsimulatedSteps) : 0;
  double share = std::nan("");
  const double last = measure.decision_seconds / measure.tp;
  if (measure.tp > 0 && !std::isnan(last)) {  // unknown: no budget
    keep_last(decision_shares_, last);
    share = smaller_median(decision_shares_);
  }
  const int budget = share > kDecisionShare
                         ? static_cast<int>(std::min(std::ceil(share / kDecisionShare) - 1,
                                                     double{kMaxUnsimulatedSteps}))
                         : 0;
  unsimulated_left_ = std::max(settled, budget);
  unsimulated_total_ = unsimulated_left_;
  if (unsimulated_left_ == 0) return;
  if (budget >= settled) {
    unsimulated_why_ = "simulating took " + detail::percent_text(share) + " of a step, more than " +
                       detail::percent_text(kDecisionShare) + ": simulate every " +
                       std::to_string(unsimulated_total_ + 1) + " steps";
  } else {
    unsimulated_why_ =
        "settled: " + std::to_string(settled_streak_) +
        (settled_streak_ == 1 ? " simulation" : " simulations in a row") + " kept " +
        pool_[*last_].text() + ", and its step came within " + detail::percent_text(kSwitchGain) +
        " of the prediction; simulating again in " + std::to_string(unsimulated_total_ + 1) +
        " steps, or once a step moves " + detail::percent_text(kRetrialChange) + " from it";
  }
}

// Calibration by measurement. The simulator replays the last step's task times, measured
// under the technique that ran it (j), so a step of technique k measured against its
// prediction tells how k's own costs (which rows share a cache line, what a chunk costs that
// the trace does not show) compare with j's, times the simulator's own error. The error is
// read where k = j (the ratio of a step whose technique ran the step before); where k != j,
// k's factor is its ratio over the error times j's factor. A ratio more than kRetrialChange
// off the error says the loop changed in that step (a perturbation began, a thread was
// preempted), not what the technique costs: it is not kept.
void Selector::learn_calibration(const StepMeasure& measure) {
  const double simulated = step_simulated_;
  step_simulated_ = std::nan("");  // one sample per step
  if (!last_ || !step_fed_by_ || !(simulated > 0) || !(measure.tp > 0)) return;
  const double ratio = measure.tp / simulated;
  if (*last_ == *step_fed_by_) {
    keep_last(errors_, ratio);
    return;
  }
  const double error = simulator_error();
  if (std::fabs(ratio / error - 1) > kRetrialChange) return;
  keep_last(factors_[*last_], ratio / error * known_factor(*step_fed_by_).value_or(1.0));
}

// A technique's factor: the median of its last kSpeedWindow (with two the smaller); the step-0
// technique's is 1 until it has its own (the others are measured against it); none for a
// technique not measured against a prediction.
std::optional<double> Selector::known_factor(std::size_t index) const {
  if (!factors_[index].empty()) return smaller_median(factors_[index]);
  if (anchor_ && *anchor_ == index) return 1.0;
  return std::nullopt;
}

// A technique not measured has the factor of the technique that ran the last step: nothing
// says it differs from it, so its prediction is calibrated by the simulator's error alone.
double Selector::factor(std::size_t index) const {
  if (const std::optional<double> own = known_factor(index)) return *own;
  if (last_) {
    if (const std::optional<double> last = known_factor(*last_)) return *last;
  }
  return 1.0;
}

double Selector::simulator_error() const { return errors_.empty() ? 1.0 : smaller_median(errors_); }

// What a decision fed by the last step's times multiplies index's simulated Tp by: its factor
// against the last step's technique, times the simulator's error.
double Selector::calibration(std::size_t index) const {
  if (!last_) return 1.0;
  return factor(index) / factor(*last_) * simulator_error();
}

void Selector::calibrate(std::vector<Ranked>& ranked) const {
  for (Ranked& r : ranked) {
    if (!std::isnan(r.simulated)) r.tp = r.simulated * calibration(r.index);
  }
}

// "over N steps": the measured steps behind the factor on index's prediction: the error's, and
// where index was measured against the last step's technique, both factors'.
std::string Selector::calibration_text(std::size_t index) const {
  std::size_t steps = errors_.size();
  if (last_ && index != *last_ && known_factor(index))
    steps += factors_[index].size() + factors_[*last_].size();
  if (steps == 0) return "not calibrated yet: no step measured against its prediction";
  return "calibrated: measured/predicted " + detail::number_text(calibration(index)) + " over " +
         std::to_string(steps) + (steps == 1 ? " step" : " steps");
}

// Near-tie trials: the first technique (in calibrated order) predicted within kSwitchGain of
// the best that has not run yet in this run, while fewer than kNearTieTrials were tried, once
// the simulator's own error is measured (a trial measures a technique against it), and only
// while the workers are uneven (kNearTieTrials' note: on equal workers a trial finds noise).
std::optional<std::size_t> Selector::near_tie_trial(const std::vector<Ranked>& ranked,
                                                    bool uneven) const {
  if (!uneven || near_tie_trials_ >= kNearTieTrials || errors_.empty() || ranked.empty()) return {};
  const double near_best = ranked.front().tp * (1 + kSwitchGain);
  for (std::size_t r = 0; r < ranked.size() && ranked[r].tp <= near_best; ++r) {
    if (!ran_[ranked[r].index]) return r;
  }
  return {};
}

// A measurement beats a prediction (the note in select.hpp): the techniques measured in this
// run are ranked against each other by the medians of their measured steps, and the level is
// the present's: the last step's technique's calibrated prediction from the last step's trace
// (the machine may have become faster or slower for every technique since the older steps; a
// stale level made every technique not yet run look 30% faster on triad once its steps went
// from 14.5 to 12.4 ms). So technique k ranks at median_k / median_last x prediction_last;
// the last step's technique at its own prediction, each other as measured against it.
// Without a level (the last step's technique not measured, or not simulable here), the
// techniques rank_simulated() skipped are simulated after all and ranked by prediction.
std::size_t Selector::rank_measured(std::vector<Ranked>& ranked, const SimLoop& loop,
                                    const Prediction& prediction) {
  const auto last = std::find_if(ranked.begin(), ranked.end(), [&](const Ranked& r) {
    return last_ && r.index == *last_ && !measured_per_cost_[r.index].empty();
  });
  if (last != ranked.end()) simulate_pick(loop, prediction, *last);
  if (last == ranked.end() || std::isnan(last->simulated)) {
    for (Ranked& r : ranked) {
      simulate_pick(loop, prediction, r);
      r.tp = r.simulated * calibration(r.index);
    }
    std::erase_if(ranked, [](const Ranked& r) { return std::isnan(r.tp); });  // not simulable
    return 0;
  }
  const double level =
      last->simulated * calibration(*last_) / smaller_median(measured_per_cost_[*last_]);
  std::size_t measured = 0;
  for (Ranked& r : ranked) {
    if (measured_per_cost_[r.index].empty()) continue;
    r.tp = smaller_median(measured_per_cost_[r.index]) * level;
    ++measured;
  }
  return measured;
}

// A worker's smoothed speed moved by more than kRetrialChange since the measurements were
// taken: they tell nothing of the machine now.
void Selector::forget_measured_on_new_speeds() {
  bool moved = measured_speeds_.size() != speeds_.size();
  for (std::size_t w = 0; !moved && w < speeds_.size(); ++w)
    moved = std::fabs(speeds_[w] / measured_speeds_[w] - 1) > kRetrialChange;
  if (!moved) return;
  for (std::deque<double>& times : measured_per_cost_) times.clear();
  measured_speeds_ = speeds_;
}

// The loop the next step is predicted on. Before any step the predicted costs stand in for
// the times: they rank the techniques but give no time in seconds.
SimLoop Selector::next_loop(const std::vector<double>& predicted_costs, SimOptions& options) const {
  std::vector<double> seconds = measured_ ? full_speed_seconds_ : predicted_costs;
  const std::vector<double>* costs = &predicted_costs;
  if (measured_) {
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
  return SimLoop(std::move(seconds), *costs);
}

// One simulating decision: every technique predicted, calibrated once a step is measured;
// then the step-0 rule, a near-tie trial, or the best with the hysteresis.
Choice Selector::simulated_choice(const std::vector<double>& predicted_costs, bool after_trial) {
  SimOptions options;
  options.detail = SimDetail::kMakespan;
  const SimLoop loop = next_loop(predicted_costs, options);
  const Prediction prediction(options, workers_, !measured_);
  if (measured_) check_reuse(loop, options, prediction.uneven);
  std::vector<Ranked> ranked = rank_simulated(loop, prediction);
  std::size_t measured = 0;  // ranked by their measured steps
  if (measured_) {
    calibrate(ranked);
    measured = rank_measured(ranked, loop, prediction);
  }
  if (ranked.empty())
    return named(0, "no technique could be simulated: the first of the portfolio");
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.tp < b.tp; });
  const std::string of = std::to_string(ranked.size());
  const std::string within = detail::percent_text(kSwitchGain) + " of the best of " + of;
  // Hysteresis: the technique that ran the last step stays unless the best beats its
  // prediction by more than kSwitchGain. The simulator ranks near-equal techniques within a
  // percent or two while a step misses its prediction by more, and a switch costs what an
  // adaptive technique has learned (af, awf-b start afresh in a step they did not run before).
  // After a trial the margin holds for the measured best (the calibrated best of the
  // techniques that ran), not for the trial: a trial is not kept because it ran last.
  const double near_best = ranked.front().tp * (1 + kSwitchGain);
  std::size_t pick = 0;
  const std::optional<std::size_t> trial = near_tie_trial(ranked, prediction.uneven);
  if (trial) {
    pick = *trial;
  } else if (measured_ && last_) {
    const auto current = std::find_if(ranked.begin(), ranked.end(), [&](const Ranked& r) {
      return after_trial ? ran_[r.index] : r.index == *last_;
    });
    if (current != ranked.end() && current->tp <= near_best)
      pick = static_cast<std::size_t>(current - ranked.begin());
  }
  if (!measured_) {  // step 0: of the ties, the fewest chunks (kStepZeroTie's note)
    const double tie = ranked.front().tp * (1 + kStepZeroTie);
    for (std::size_t r = 1; r < ranked.size() && ranked[r].tp <= tie; ++r) {
      if (ranked[r].chunks < ranked[pick].chunks) pick = r;
    }
  }
  std::string reason;
  if (!measured_) {
    reason = (pick == 0 ? "predicted best of " + of
                        : "the fewest chunks (" + std::to_string(ranked[pick].chunks) +
                              ") of those predicted within " + detail::percent_text(kStepZeroTie) +
                              " of the best of " + of) +
             " (predicted costs, no time yet; the worse of equal workers and one at half speed)";
  } else if (trial) {
    ++near_tie_trials_;
    reason = "trial " + std::to_string(near_tie_trials_) + " of " + std::to_string(kNearTieTrials) +
             ": predicted within " + within + ", not measured yet";
  } else {  // by its own measured steps, or by its prediction (rank_measured())
    const bool own = measured > 0 && !measured_per_cost_[ranked[pick].index].empty();
    const std::string best = (own ? "measured best of " : "predicted best of ") + of;
    const std::string near = (own ? "measured within " : "predicted within ") + within;
    if (after_trial)
      reason = "after a trial: " + (pick == 0 ? best : "the best of those run, " + near);
    else
      reason = pick == 0 ? best : "kept: " + near;
  }
  if (measured_) {
    simulate_pick(loop, prediction, ranked[pick]);
    reason += measured_basis(ranked[pick].index, measured);
    step_simulated_ = ranked[pick].simulated;
    step_predicted_ = ranked[pick].tp;
    // It may settle: it keeps the last step's technique, the error is measured, and no
    // near-tie is left to try (a trial would have been picked).
    choice_settles_ = !trial && last_ && ranked[pick].index == *last_ && !errors_.empty();
  }
  step_trial_ = trial.has_value();
  Choice choice = named(ranked[pick].index, reason);
  for (std::size_t r = 0; r < ranked.size() && r < 3; ++r) {
    choice.predicted.emplace_back(pool_[ranked[r].index].text(),
                                  measured_ ? ranked[r].tp : std::nan(""));
  }
  if (measured_) choice.predicted_seconds = ranked[pick].tp;
  return choice;
}

// What a measured prediction stood on: the measured times, the smoothed speeds, and the
// chosen technique's calibration.
std::string Selector::measured_basis(std::size_t index, std::size_t measured) const {
  const double slowest = speeds_.empty() ? 1.0 : *std::min_element(speeds_.begin(), speeds_.end());
  const std::size_t n = speed_history_.steps();
  const std::size_t own = measured > 0 ? measured_per_cost_[index].size() : 0;
  return " (the last step's measured times; slowest worker " + detail::number_text(slowest) +
         (n == 1 ? ", from one step" : ", the median of " + std::to_string(n) + " steps") + "; " +
         (own > 0 ? pool_[index].text() + " by its own measured steps (" +
                        (own == 1 ? std::string("1 step")
                                  : "the median of " + std::to_string(own) + " steps") +
                        ")"
                  : calibration_text(index)) +
         (measured > 0 ? "; " + std::to_string(measured) + " of " + std::to_string(pool_.size()) +
                             " techniques measured in this run ranked by their steps"
                       : std::string()) +
         reuse_text() + ")";
}

// "; 6 predictions reused from the simulation 2 decisions back (...)", when some were.
std::string Selector::reuse_text() const {
  if (reused_ == 0) return {};
  const int back = reuse_.decisions - 1;
  return "; " + std::to_string(reused_) + (reused_ == 1 ? " prediction" : " predictions") +
         " reused from the simulation " + std::to_string(back) +
         (back == 1 ? " decision" : " decisions") +
         " back (the loop held: its total, each worker's speed, h against a mean task and "
         "the task times' profile within a step's noise)";
}

}  // namespace schedlab::techniques
