// The selector behind `auto:METHOD` (issue 22): before each time step it chooses the technique
// of the portfolio (the registry rows flagged `portfolio`) that runs the step, and says why;
// after the step it is told what the step measured. Pure C++: the OpenMP and MPI auto rows
// call it (docs/techniques.md, "Choosing automatically"; docs/design.md, "The auto row").
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "schedlab/techniques/registry.hpp"
#include "schedlab/techniques/simulate.hpp"

namespace schedlab::techniques {

// How auto chooses: Auto4OMP's three selection methods and DLS4LB's SimAS.
enum class SelectMethod { kExhaustive, kExpert, kSimulate, kRandom };
std::string_view to_string(SelectMethod method);  // "exhaustive", "expert", ...
// Throws std::invalid_argument naming the text and the methods allowed.
SelectMethod parse_select_method(std::string_view text);
// Every method, in the order `all-fixed` runs them.
const std::vector<SelectMethod>& select_methods();
std::string select_method_names();  // "exhaustive, expert, simulate, random"

// The registry rows flagged `portfolio`, with their defaults, in registry order.
std::vector<TechniqueSpec> portfolio();

// exhaustive: a new round of trials when the chosen technique's step time moves by more than
// this fraction from the time it had when it was chosen (Auto4OMP's ExhaustiveSel re-selects
// when the loop's time changes).
inline constexpr double kRetrialChange = 0.20;
// simulate: the technique that ran the last step is kept unless the predicted best is faster
// than its prediction by more than this fraction (a switch must beat the simulator's error).
inline constexpr double kSwitchGain = 0.05;
// simulate: of the techniques ranked within kSwitchGain of the best, this many per run (and
// repeat) that have not run yet are each tried for one step, in predicted order; then the
// calibrated ranking keeps the measured best. On a memory-bound loop the simulator, fed one
// technique's task times, predicts its top three within 0.1% (which rows share cache lines
// differs by technique, and no replay of one technique's times shows it), while the fixed rows
// differ by 2-6%: only a measured step tells them apart. Two: a trial costs at most
// kSwitchGain of one step, and of 10 steps the measured best of three still runs most.
// Only while the workers are uneven (the slowest's smoothed speed below kUnevenWorkers):
// there who claims the large first chunks is a race the simulator averages, and adaptive
// weights must be learned, so near-ties really differ; on equal workers they lie within a
// step's noise of each other and a one-step trial finds only noise (the measurements:
// docs/techniques.md, "Choosing automatically", simulate, "Near-tie trials").
inline constexpr int kNearTieTrials = 2;
// simulate, after a measured step: when the slowest worker's speed is below this, which worker
// claims a dispatched technique's first (largest) chunks matters, and it is a race (the
// simulator gives ties to the lower worker id). Such a technique is predicted as the mean of
// the two extreme orders, the fastest worker claiming first and the slowest first: gss at
// P = 2 with worker 1 three times slower measured 33 ms a step when the fast thread took the
// first half of the loop and 76 ms when the slow one did (spmv, the lab's sizes), while the
// simulator, fast worker first, predicted it within 5% of the best.
inline constexpr double kUnevenWorkers = 0.9;
// simulate at step 0: nothing is measured, so each technique is ranked by the worse of its
// predictions on equal workers and with one worker at this speed (a plan that splits the work
// evenly is chosen only if it stays best when the workers are not equal); with the slow worker
// a dispatched technique is the mean of it asking last and first (who claims the first, large
// chunk is a race, kUnevenWorkers).
inline constexpr double kStepZeroSlowSpeed = 0.5;
// Of the techniques so ranked within this of the best, step 0 takes the one with the fewest
// chunks: with no step measured, the costs a chunk brings and the simulator does not see (the
// dispatch h, and on a memory-bound loop cache lines two workers share: ss on spmv measured
// 6-18% slower than the best fixed row) are unknown, and fewer chunks risk less. 1%, not
// kSwitchGain: a wider window took tss on spmv and triad, predicted 2-4% behind with a slow
// worker, and in 51 quiet runs of each its fixed row was below the median fixed row in 17 and
// 14 (fac2: 44 and 33; af: 36 and 40).
inline constexpr double kStepZeroTie = 0.01;
// simulate and expert: a worker's speed is the median of its speeds over the last this many
// measured steps (SpeedHistory), so one step in which a thread was preempted does not read as
// a slow worker, while a worker that really slows down is seen so within this many steps.
inline constexpr std::size_t kSpeedWindow = 3;
// simulate: a decision may cost this share of the step it schedules, over the steps. When the
// simulating decisions cost more (short steps: spmv's are ~6 ms; the median share of the last
// kSpeedWindow simulating decisions, so one preempted decision does not count), the next steps
// keep the technique without simulating, as many as bring the share down to this, at most
// kMaxUnsimulatedSteps (issue 22's target is 2%; half of it leaves room for the noise).
inline constexpr double kDecisionShare = 0.01;
inline constexpr int kMaxUnsimulatedSteps = 4;
// simulate, a measurement beats a prediction: a technique that ran in this run is ranked by its
// measured steps (the median of its last kSpeedWindow, per unit of the step's total predicted
// cost) against the last step's technique's, at the level of that one's calibrated prediction
// from the last step (the present machine), one not run yet by its calibrated prediction. The
// calibration multiplies single-step ratios along a chain of techniques, so two noisy steps can
// move a prediction by 30% or more (mandelbrot slowed under MPI: awf-b kept at 57 ms a step,
// predicted best, while ss had measured 42 ms). Measurements are forgotten when a worker's
// smoothed speed moves by more than kRetrialChange (a perturbation began or ended).
// simulate, settled: a simulating decision that keeps the technique of the last step, with no
// near-tie left to try, after that step came within kSwitchGain of its prediction, had nothing
// new to decide. After the first such decision 1 step keeps the technique without simulating,
// after the next 2, then 4 (at most kMaxUnsimulatedSteps): SimAS simulates again when the
// system changes, and a kept step whose Tp moves more than kRetrialChange from what the last
// simulation predicted (scaled by the step's total predicted cost, so --drift is no change)
// ends the kept steps at once: its trace is read, and the next step is simulated.
// simulate, predictions reused: a simulating decision whose loop is, up to a step's noise, the
// loop of the last full simulation takes the predictions of the techniques it simulates from
// that simulation, scaled by the loop's total time, instead of simulating them again (SimAS
// simulates again when the system changes). The loop held when: the same tasks; the total time
// within kRetrialChange of the total then (a prediction's dispatches do not scale with it: they
// are off by at most that share of themselves); every worker's smoothed speed within
// kReuseChange of its speed then; h within kReuseChange of the mean task of its value then; the
// share of the total time in each of kProfileBins contiguous bins of
// tasks within kReuseProfile (summed over the bins, L1) of its share then; and fewer than
// kReuseDecisions decisions since. A step's noise: measured on the lab's loops at P = 2, that L1
// distance between two steps of one technique was 0.02-0.15 on spmv and mandelbrot, 0.04-0.18
// on triad (a memory-bound task's time depends on what the other thread runs beside it), and
// 0.18-0.95 on mandelbrot with --drift. Simulating the portfolio on spmv's 2048 tasks took
// ~80 us of the ~22 ms step; the technique of the last step is simulated too, and reused alike.
inline constexpr double kReuseChange = 0.05;
inline constexpr std::size_t kProfileBins = 16;
inline constexpr double kReuseProfile = 0.20;
inline constexpr int kReuseDecisions = 4;
// expert: a task this long or longer makes a chunk's dispatch negligible when h is unknown.
inline constexpr double kCheapDispatchTaskSeconds = 50e-6;

// What one step measured, as the auto row hands it to observe().
struct StepMeasure {
  std::vector<double> seconds;  // each task's measured seconds (index = task); < 0: not run
  std::vector<int> worker;      // the worker that ran each task
  std::vector<double> costs;    // each task's predicted cost (Task::size), any unit
  int workers = 1;              // P
  double tp = 0;                // the step's parallel time, seconds
  // h: seconds per dispatched chunk, as the step measured it (the median gap on one worker
  // between the end of a chunk's last task and the start of its next chunk, dispatch_gap());
  // NaN unknown (a plan's step: observe() ignores it, a plan claims nothing).
  double dispatch_seconds = std::numeric_limits<double>::quiet_NaN();
  // The seconds of the decision that chose the step's technique (the auto row's timed part:
  // observe, choose, reading the trace); NaN unknown. simulate's budget (kDecisionShare).
  double decision_seconds = std::numeric_limits<double>::quiet_NaN();
};

// Each worker's relative speed from a step: rate_w = sum of its tasks' predicted costs / sum
// of their measured seconds; speed_w = rate_w / the fastest rate (1 for a worker that ran
// nothing). A documented estimate: it assumes the predicted costs are proportional to the
// work, so a worker three times slower reads 1/3.
std::vector<double> worker_speeds(const StepMeasure& measure);

// Each worker's speed over the last kSpeedWindow steps: per worker the median of its speeds
// (worker_speeds()) in those steps. With an even count the larger of the two middle values,
// so that two steps, one of them an outlier, do not yet say a worker slowed. A different
// worker count (a new run) starts the history afresh.
class SpeedHistory {
 public:
  void add(std::vector<double> speeds);
  std::vector<double> speeds() const;  // empty before any step
  std::size_t steps() const { return steps_.size(); }
  void clear() { steps_.clear(); }

 private:
  std::deque<std::vector<double>> steps_;  // the newest last, at most kSpeedWindow
};

// h from a step's trace: the median, over every worker's consecutive chunks, of the gap between
// a chunk's last task's end and the next chunk's first task's start (the claim, and under MPI
// the request's round trip). `start`/`end`/`chunk`/`worker` per task, in task order, as a
// dispatched technique hands out contiguous chunks in order; tasks not run have worker < 0.
// NaN when no worker ran two chunks. O(N) (a median by nth_element).
double dispatch_gap(const std::vector<double>& start, const std::vector<double>& end,
                    const std::vector<int>& chunk, const std::vector<int>& worker, int workers);

// Load balance of a step (mean busy / max busy) and the coefficient of variation of a list.
double measured_load_balance(const StepMeasure& measure);
double coefficient_of_variation(const std::vector<double>& values);

// The choice for one step: the technique and the StepDecision's fields.
struct Choice {
  TechniqueSpec technique;
  std::size_t index = 0;  // in the portfolio
  std::string reason;
  std::vector<std::pair<std::string, double>> predicted;  // simulate: top three, fastest first
  double predicted_seconds = std::numeric_limits<double>::quiet_NaN();
};

// What a method reads of a step: its trace (each task's time and worker: expert, simulate),
// its time alone (exhaustive: a trial is its Tp), or nothing (random; simulate while it keeps
// its technique without simulating, kDecisionShare). Reading a step's trace of N tasks costs
// O(N), 35 us at N = 2048 here: a decision's cost, so a method is handed only what it reads.
enum class MeasureNeed { kNothing, kTime, kTrace };

// One per auto row and per repeat: reset() at step 0. Not for two threads at once.
class Selector {
 public:
  Selector(SelectMethod method, int workers, std::uint64_t seed);
  Selector(SelectMethod method, int workers, std::uint64_t seed, std::vector<TechniqueSpec> pool);

  // Forget everything (step 0 of a repeat): the same seed gives the same random choices.
  void reset();
  // The technique for `step`. `predicted_costs` (Task::size of the step's tasks) rank the
  // techniques before anything is measured (expert, simulate at step 0).
  Choice choose(int step, const std::vector<double>& predicted_costs);
  // What the step run with the last choice measured (kept, not copied: pass it by move).
  void observe(StepMeasure measure);
  // What the next choose() reads of the step now being chosen for (ask it after choose()):
  // the auto row reads no more of the step than this, and its reading counts in the decision.
  MeasureNeed measure_need() const;
  // Told the Tp of the step just run, before its measure is read: what the next choose()
  // reads of it. measure_need(), except that simulate ends its kept steps when the step moved
  // more than kRetrialChange from the prediction (settled: the system changed) and reads it.
  MeasureNeed after_step(double step_seconds);

  SelectMethod method() const { return method_; }
  const std::vector<TechniqueSpec>& pool() const { return pool_; }

 private:
  Choice choose_exhaustive();
  Choice choose_expert(const std::vector<double>& predicted_costs) const;
  Choice choose_simulate(const std::vector<double>& predicted_costs);
  Choice simulated_choice(const std::vector<double>& predicted_costs, bool after_trial);
  void plan_unsimulated_steps(const StepMeasure& measure);
  // One portfolio technique's prediction: Tp (calibrated once a step is measured), the
  // simulator's own Tp, its index, and how many chunks it dispatched.
  struct Ranked {
    double tp;
    double simulated;
    std::size_t index;
    std::size_t chunks;
  };
  SimLoop next_loop(const std::vector<double>& predicted_costs, SimOptions& options) const;
  struct Prediction;  // select_rules.cpp: the option sets one decision simulates with
  std::vector<Ranked> rank_simulated(const SimLoop& loop, const Prediction& prediction);
  void simulate_pick(const SimLoop& loop, const Prediction& prediction, Ranked& pick);
  // Technique `index`'s prediction on `loop`, simulated or reused (kReuseChange's note).
  SimResult predict(const SimLoop& loop, const Prediction& prediction, std::size_t index);
  // Whether `loop` held since the reused simulation (kReuseChange's note); starts a new one if not.
  void check_reuse(const SimLoop& loop, const SimOptions& options, bool uneven);
  // simulate's calibration by measurement (docs/techniques.md, "Choosing automatically").
  void learn_calibration(const StepMeasure& measure);
  void calibrate(std::vector<Ranked>& ranked) const;
  double calibration(std::size_t index) const;  // the factor on index's simulated Tp
  std::string calibration_text(std::size_t index) const;
  std::optional<double> known_factor(std::size_t index) const;
  double factor(std::size_t index) const;
  double simulator_error() const;
  std::optional<std::size_t> near_tie_trial(const std::vector<Ranked>& ranked, bool uneven) const;
  // A measurement beats a prediction (measured_per_cost_): the measured techniques' Tp replaced
  // by their measured steps, at the level of the last step's technique's prediction (the
  // caller sorts); how many were.
  std::size_t rank_measured(std::vector<Ranked>& ranked, const SimLoop& loop,
                            const Prediction& prediction);
  void forget_measured_on_new_speeds();
  std::string measured_basis(std::size_t index, std::size_t measured) const;
  std::string reuse_text() const;
  Choice choose_random();
  Choice named(std::size_t index, std::string reason) const;
  std::size_t index_of(std::string_view name) const;

  SelectMethod method_;
  int workers_;
  std::uint64_t seed_;
  std::vector<TechniqueSpec> pool_;
  std::mt19937_64 random_;
  std::optional<std::size_t> last_;         // the technique of the last step
  std::optional<StepMeasure> measured_;     // the last step observed
  SpeedHistory speed_history_;              // the last kSpeedWindow measured steps' speeds
  std::vector<double> speeds_;              // speed_history_'s medians
  std::vector<double> full_speed_seconds_;  // measured_ at full speed
  double dispatch_seconds_ = std::numeric_limits<double>::quiet_NaN();  // the last h measured
  // simulate: whether the last choice ran the simulator, and how many steps from now keep the
  // technique without simulating (the decision budget, kDecisionShare), with why.
  bool simulated_ = false;
  std::deque<double> decision_shares_;  // the last kSpeedWindow simulating decisions' shares
  int unsimulated_left_ = 0;
  int unsimulated_total_ = 0;
  std::string unsimulated_why_;
  // simulate, settled (kMaxUnsimulatedSteps' note): how many simulating decisions in a row
  // settled; whether the last simulating choice could settle (it kept the last step's
  // technique, and no near-tie was left to try); its calibrated prediction, and that per unit
  // of the step's total predicted cost (what a kept step is expected to take).
  // simulate, a measurement beats a prediction: each technique's last kSpeedWindow step times
  // over the step's total predicted cost (after_step()), the total of the step being chosen
  // for, and the speeds those measurements were taken at.
  std::vector<std::deque<double>> measured_per_cost_;
  double step_total_cost_ = 0;
  std::vector<double> measured_speeds_;
  int settled_streak_ = 0;
  bool choice_settles_ = false;
  double step_predicted_ = std::numeric_limits<double>::quiet_NaN();
  double predicted_per_cost_ = std::numeric_limits<double>::quiet_NaN();
  double kept_expected_ = std::numeric_limits<double>::quiet_NaN();
  // simulate's calibration: the step now running (its technique's simulated Tp, NaN when
  // none; the technique whose measured step fed the prediction; whether it is a trial), the
  // simulator's own error (measured / predicted Tp of the last kSpeedWindow steps whose
  // technique also ran the step before), each technique's factor (its last kSpeedWindow
  // measured / predicted Tp over the error, times the factor of the technique whose times
  // fed the prediction: its cost against the step-0 technique's, `anchor_`, factor 1), which
  // techniques ran in this run, and how many near-tie trials were taken (kNearTieTrials).
  double step_simulated_ = std::numeric_limits<double>::quiet_NaN();
  std::optional<std::size_t> step_fed_by_;
  bool step_trial_ = false;
  std::deque<double> errors_;
  std::vector<std::deque<double>> factors_;
  std::optional<std::size_t> anchor_;
  std::vector<bool> ran_;
  int near_tie_trials_ = 0;
  // simulate, predictions reused (kReuseChange's note): the loop of the last full simulation
  // (tasks, speeds, h, profile, whether workers were uneven), how many decisions reused it, each
  // technique's simulated Tp per second of that loop's total and chunks (NaN: not simulated on
  // it yet); how many predictions this decision reused.
  struct Reuse {
    std::size_t tasks = 0;
    double total = 0;
    std::vector<double> speeds;
    double dispatch = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> profile;
    bool uneven = false;
    int decisions = 0;
    std::vector<double> per_second;
    std::vector<std::size_t> chunks;
  };
  Reuse reuse_;
  std::size_t reused_ = 0;
  // exhaustive: trial k of the current round, each trial's step time, the chosen one.
  std::size_t trial_ = 0;
  std::vector<double> trial_seconds_;
  std::optional<std::size_t> chosen_;
  double chosen_seconds_ = 0;
  std::string note_;  // why a new round began, said with the next choice
};

}  // namespace schedlab::techniques
