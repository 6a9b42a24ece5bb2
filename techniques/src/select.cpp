// The selector of `auto:METHOD`: the portfolio, what a step measured (worker speeds, load
// balance), and the two methods that need no model of the loop: exhaustive and random. The
// rule-based and the simulated choices are in select_rules.cpp.
#include "schedlab/techniques/select.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "select_text.hpp"

namespace schedlab::techniques {

std::string_view to_string(SelectMethod method) {
  switch (method) {
    case SelectMethod::kExhaustive:
      return "exhaustive";
    case SelectMethod::kExpert:
      return "expert";
    case SelectMethod::kSimulate:
      return "simulate";
    case SelectMethod::kRandom:
      return "random";
  }
  return "?";
}

const std::vector<SelectMethod>& select_methods() {
  static const std::vector<SelectMethod> methods{SelectMethod::kExhaustive, SelectMethod::kExpert,
                                                 SelectMethod::kSimulate, SelectMethod::kRandom};
  return methods;
}

std::string select_method_names() {
  std::string names;
  for (const SelectMethod m : select_methods())
    names += (names.empty() ? "" : ", ") + std::string(to_string(m));
  return names;
}

SelectMethod parse_select_method(std::string_view text) {
  for (const SelectMethod m : select_methods()) {
    if (text == to_string(m)) return m;
  }
  throw std::invalid_argument("auto method '" + detail::printable(text) +
                              "' is unknown; allowed: " + select_method_names());
}

std::vector<TechniqueSpec> portfolio() {
  std::vector<TechniqueSpec> pool;
  for (const TechniqueInfo& info : registry()) {
    if (info.portfolio) pool.push_back(parse_technique(info.name));
  }
  return pool;
}

std::vector<double> worker_speeds(const StepMeasure& m) {
  const auto p = static_cast<std::size_t>(std::max(m.workers, 1));
  std::vector<double> cost(p, 0.0);
  std::vector<double> seconds(p, 0.0);
  for (std::size_t i = 0; i < m.seconds.size() && i < m.worker.size() && i < m.costs.size(); ++i) {
    const int w = m.worker[i];
    if (w < 0 || static_cast<std::size_t>(w) >= p || !(m.seconds[i] >= 0)) continue;
    cost[static_cast<std::size_t>(w)] += m.costs[i];
    seconds[static_cast<std::size_t>(w)] += m.seconds[i];
  }
  std::vector<double> rate(p, 0.0);
  for (std::size_t w = 0; w < p; ++w) {
    if (seconds[w] > 0 && cost[w] > 0) rate[w] = cost[w] / seconds[w];
  }
  const double fastest = *std::max_element(rate.begin(), rate.end());
  std::vector<double> speeds(p, 1.0);
  for (std::size_t w = 0; w < p; ++w) {
    if (fastest > 0 && rate[w] > 0) speeds[w] = rate[w] / fastest;  // ran nothing: 1
  }
  return speeds;
}

void SpeedHistory::add(std::vector<double> speeds) {
  if (!steps_.empty() && steps_.back().size() != speeds.size()) steps_.clear();
  steps_.push_back(std::move(speeds));
  while (steps_.size() > kSpeedWindow) steps_.pop_front();
}

std::vector<double> SpeedHistory::speeds() const {
  if (steps_.empty()) return {};
  std::vector<double> median(steps_.back().size(), 1.0);
  std::vector<double> column;
  for (std::size_t w = 0; w < median.size(); ++w) {
    column.clear();
    for (const std::vector<double>& step : steps_) column.push_back(step[w]);
    std::sort(column.begin(), column.end());
    median[w] = column[column.size() / 2];  // odd: the middle; even: the larger middle
  }
  return median;
}

double dispatch_gap(const std::vector<double>& start, const std::vector<double>& end,
                    const std::vector<int>& chunk, const std::vector<int>& worker, int workers) {
  const auto p = static_cast<std::size_t>(std::max(workers, 1));
  std::vector<double> last_end(p, 0.0);
  std::vector<int> last_chunk(p, -1);
  std::vector<double> gaps;
  const std::size_t n = std::min({start.size(), end.size(), chunk.size(), worker.size()});
  for (std::size_t i = 0; i < n; ++i) {
    const int w = worker[i];
    if (w < 0 || static_cast<std::size_t>(w) >= p || chunk[i] < 0) continue;
    const auto k = static_cast<std::size_t>(w);
    if (last_chunk[k] >= 0 && chunk[i] != last_chunk[k] && start[i] >= last_end[k])
      gaps.push_back(start[i] - last_end[k]);
    last_chunk[k] = chunk[i];
    last_end[k] = end[i];
  }
  if (gaps.empty()) return std::nan("");
  const auto middle = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
  std::nth_element(gaps.begin(), middle, gaps.end());
  return *middle;
}

double measured_load_balance(const StepMeasure& m) {
  std::vector<double> busy(static_cast<std::size_t>(std::max(m.workers, 1)), 0.0);
  for (std::size_t i = 0; i < m.seconds.size() && i < m.worker.size(); ++i) {
    const int w = m.worker[i];
    if (w >= 0 && static_cast<std::size_t>(w) < busy.size() && m.seconds[i] >= 0)
      busy[static_cast<std::size_t>(w)] += m.seconds[i];
  }
  const double most = *std::max_element(busy.begin(), busy.end());
  if (!(most > 0)) return std::nan("");
  return std::accumulate(busy.begin(), busy.end(), 0.0) / static_cast<double>(busy.size()) / most;
}

double coefficient_of_variation(const std::vector<double>& values) {
  if (values.empty()) return 0;
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (!(mean > 0)) return 0;
  double squares = 0;
  for (const double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / n) / mean;
}

Selector::Selector(SelectMethod method, int workers, std::uint64_t seed)
    : Selector(method, workers, seed, portfolio()) {}

Selector::Selector(SelectMethod method, int workers, std::uint64_t seed,
                   std::vector<TechniqueSpec> pool)
    : method_(method), workers_(workers), seed_(seed), pool_(std::move(pool)) {
  if (pool_.empty()) throw std::invalid_argument("auto: the portfolio is empty");
  if (workers_ < 1) throw std::invalid_argument("auto: workers must be at least 1");
  reset();
}

void Selector::reset() {
  random_.seed(seed_);
  last_.reset();
  measured_.reset();
  speed_history_.clear();
  speeds_.clear();
  full_speed_seconds_.clear();
  dispatch_seconds_ = std::nan("");
  simulated_ = false;
  decision_shares_.clear();
  unsimulated_left_ = 0;
  unsimulated_total_ = 0;
  unsimulated_why_.clear();
  measured_per_cost_.assign(pool_.size(), {});
  step_total_cost_ = 0;
  measured_speeds_.clear();
  settled_streak_ = 0;
  choice_settles_ = false;
  step_predicted_ = std::nan("");
  predicted_per_cost_ = std::nan("");
  kept_expected_ = std::nan("");
  step_simulated_ = std::nan("");
  step_fed_by_.reset();
  step_trial_ = false;
  errors_.clear();
  factors_.assign(pool_.size(), {});
  anchor_.reset();
  ran_.assign(pool_.size(), false);
  near_tie_trials_ = 0;
  reuse_ = {};
  reused_ = 0;
  trial_ = 0;
  trial_seconds_.assign(pool_.size(), 0.0);
  chosen_.reset();
  chosen_seconds_ = 0;
  note_.clear();
}

Choice Selector::choose(int /*step*/, const std::vector<double>& predicted_costs) {
  Choice choice;
  switch (method_) {
    case SelectMethod::kExhaustive:
      choice = choose_exhaustive();
      break;
    case SelectMethod::kExpert:
      choice = choose_expert(predicted_costs);
      break;
    case SelectMethod::kSimulate:
      choice = choose_simulate(predicted_costs);
      break;
    case SelectMethod::kRandom:
      choice = choose_random();
      break;
  }
  last_ = choice.index;
  return choice;
}

void Selector::observe(StepMeasure step) {
  // h is kept from the last step that measured one. A plan's step dispatches nothing: its
  // chunks are pieces of each worker's plan, run back to back (binlpt's in an order not that
  // of the tasks), so the gaps dispatch_gap() reads between them are other chunks' time
  // (milliseconds on mandelbrot), not a claim, and would make every dispatching technique
  // look slow next.
  if (last_ && pool_[*last_].info->dispatch == Dispatch::kPlan)
    step.dispatch_seconds = std::nan("");
  if (std::isnan(step.dispatch_seconds))
    step.dispatch_seconds = dispatch_seconds_;
  else
    dispatch_seconds_ = step.dispatch_seconds;
  measured_ = std::move(step);
  const StepMeasure& measure = *measured_;
  // Each task's time had it run at full speed: measured x the speed its worker had in THIS
  // step (a preempted worker's tasks took longer in it). The next step is predicted with the
  // speeds over the last kSpeedWindow steps (speeds_): what a worker will likely do next.
  const std::vector<double> step_speeds = worker_speeds(measure);
  full_speed_seconds_.assign(measure.seconds.size(), 0.0);
  for (std::size_t i = 0; i < measure.seconds.size(); ++i) {
    const int w = i < measure.worker.size() ? measure.worker[i] : -1;
    if (w < 0 || static_cast<std::size_t>(w) >= step_speeds.size() || !(measure.seconds[i] >= 0))
      continue;
    full_speed_seconds_[i] = measure.seconds[i] * step_speeds[static_cast<std::size_t>(w)];
  }
  speed_history_.add(step_speeds);
  speeds_ = speed_history_.speeds();
  if (method_ == SelectMethod::kSimulate) {
    forget_measured_on_new_speeds();
    learn_calibration(measure);
    plan_unsimulated_steps(measure);
  }
  if (method_ != SelectMethod::kExhaustive || !last_) return;
  if (trial_ < pool_.size()) {  // a trial step: keep its time; the last trial picks the fastest
    trial_seconds_[*last_] = measure.tp;
    if (++trial_ == pool_.size()) {
      chosen_ = static_cast<std::size_t>(
          std::min_element(trial_seconds_.begin(), trial_seconds_.end()) - trial_seconds_.begin());
      chosen_seconds_ = trial_seconds_[*chosen_];
    }
    return;
  }
  // The loop changed (drift, a perturbation): a new round of trials.
  if (std::fabs(measure.tp - chosen_seconds_) > kRetrialChange * chosen_seconds_) {
    note_ = "step time " + detail::seconds_text(measure.tp) + " moved more than " +
            detail::percent_text(kRetrialChange) + " from " +
            detail::seconds_text(chosen_seconds_) + ": new trials; ";
    trial_ = 0;
    trial_seconds_.assign(pool_.size(), 0.0);
    chosen_.reset();
  }
}

MeasureNeed Selector::after_step(double step_seconds) {
  if (method_ == SelectMethod::kSimulate && last_ && step_seconds > 0 && step_total_cost_ > 0) {
    std::deque<double>& times = measured_per_cost_[*last_];
    times.push_back(step_seconds / step_total_cost_);
    while (times.size() > kSpeedWindow) times.pop_front();
  }
  // kept_expected_ is set for a kept (unsimulated) step only.
  if (method_ == SelectMethod::kSimulate && kept_expected_ > 0 &&
      std::fabs(step_seconds / kept_expected_ - 1) > kRetrialChange) {
    note_ = "; simulated again: the kept step took " + detail::seconds_text(step_seconds) +
            ", more than " + detail::percent_text(kRetrialChange) + " off the " +
            detail::seconds_text(kept_expected_) + " predicted";
    unsimulated_left_ = 0;
    settled_streak_ = 0;
  }
  return measure_need();
}

MeasureNeed Selector::measure_need() const {
  switch (method_) {
    case SelectMethod::kExhaustive:
      return MeasureNeed::kTime;
    case SelectMethod::kExpert:
      return MeasureNeed::kTrace;
    case SelectMethod::kSimulate:
      return unsimulated_left_ == 0 ? MeasureNeed::kTrace : MeasureNeed::kNothing;
    case SelectMethod::kRandom:
      return MeasureNeed::kNothing;
  }
  return MeasureNeed::kTrace;
}

// Auto4OMP's ExhaustiveSel (Mohammed et al., IEEE TPDS 2022): each technique of the portfolio
// runs one step, in a fixed order; then the fastest runs until its step time moves by more
// than kRetrialChange from the time it had when chosen, which starts a new round.
Choice Selector::choose_exhaustive() {
  std::string note = std::move(note_);
  note_.clear();
  if (trial_ < pool_.size()) {
    return named(trial_, note + "trial " + std::to_string(trial_ + 1) + " of " +
                             std::to_string(pool_.size()));
  }
  return named(*chosen_, "fastest of " + std::to_string(pool_.size()) + " trials (" +
                             detail::seconds_text(chosen_seconds_) + "); kept while its step " +
                             "time stays within " + detail::percent_text(kRetrialChange));
}

// Auto4OMP's RandomSel: a uniform choice each step, from a generator seeded with --seed, so a
// run (and each repeat) makes the same choices again. The baseline a method must beat.
Choice Selector::choose_random() {
  const auto k = static_cast<std::size_t>(random_() % pool_.size());
  return named(k, "uniform choice, seed " + std::to_string(seed_));
}

Choice Selector::named(std::size_t index, std::string reason) const {
  Choice choice;
  choice.index = index;
  choice.technique = pool_.at(index);
  choice.reason = std::move(reason);
  return choice;
}

std::size_t Selector::index_of(std::string_view name) const {
  for (std::size_t k = 0; k < pool_.size(); ++k) {
    if (pool_[k].info->name == name) return k;
  }
  return 0;  // a portfolio without it (a test's): its first technique
}

}  // namespace schedlab::techniques
