// Discrete-event simulation of one loop: workers ask when idle (earliest first, ties to the
// lower id), one master optionally serves requests one at a time, adaptive techniques hear
// each chunk's simulated time when its worker asks again. One event per chunk: a chunk's
// time is a difference of prefix sums (SimLoop), never a walk over its tasks.
#include "schedlab/techniques/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "schedlab/techniques/learning_row.hpp"

namespace schedlab::techniques {

namespace {

void check_times(const std::vector<double>& seconds, const char* what) {
  for (double t : seconds) {
    if (!(t >= 0) || !std::isfinite(t)) {
      throw std::invalid_argument("simulate: " + std::string(what) + " " + std::to_string(t) +
                                  " is not allowed; times must be finite and >= 0");
    }
  }
}

bool nonnegative(double v) { return v >= 0 && std::isfinite(v); }

void check_slowdowns(int workers, const std::vector<Slowdown>& slowdowns) {
  std::vector<bool> seen(static_cast<std::size_t>(workers), false);
  for (const Slowdown& s : slowdowns) {
    if (s.worker < 0 || s.worker >= workers) {
      throw std::invalid_argument("simulate: slowdown of worker " + std::to_string(s.worker) +
                                  " is not allowed; workers are 0.." + std::to_string(workers - 1));
    }
    if (seen[static_cast<std::size_t>(s.worker)]) {
      throw std::invalid_argument("simulate: worker " + std::to_string(s.worker) +
                                  " has two slowdowns; at most one per worker");
    }
    seen[static_cast<std::size_t>(s.worker)] = true;
    if (!nonnegative(s.from_seconds) || !(s.slow > 0) || !std::isfinite(s.slow)) {
      throw std::invalid_argument("simulate: slowdown from " + std::to_string(s.from_seconds) +
                                  " s by " + std::to_string(s.slow) +
                                  " is not allowed; from >= 0 and slow > 0, both finite");
    }
  }
}

void validate(int workers, const SimOptions& options) {
  if (workers < 1) {
    throw std::invalid_argument("simulate: workers " + std::to_string(workers) +
                                " is not allowed; at least 1");
  }
  if (!nonnegative(options.dispatch_overhead) || !nonnegative(options.master_service) ||
      !nonnegative(options.message_latency)) {
    throw std::invalid_argument("simulate: overheads and latency must be finite and >= 0");
  }
  if (!options.speeds.empty() && options.speeds.size() != static_cast<std::size_t>(workers)) {
    throw std::invalid_argument("simulate: " + std::to_string(options.speeds.size()) +
                                " speeds for " + std::to_string(workers) +
                                " workers; give one per worker");
  }
  for (double v : options.speeds) {
    if (!(v > 0) || !std::isfinite(v)) {
      throw std::invalid_argument("simulate: speed " + std::to_string(v) +
                                  " is not allowed; speeds must be > 0");
    }
  }
  check_slowdowns(workers, options.slowdowns);
}

// Each worker's speed and slowdown: when a chunk of `work` seconds (at speed 1) that starts
// at `start` ends.
class Workers {
 public:
  Workers(int workers, const SimOptions& options)
      : speed_(static_cast<std::size_t>(workers), 1.0),
        slow_from_(static_cast<std::size_t>(workers), std::numeric_limits<double>::infinity()),
        slow_(static_cast<std::size_t>(workers), 1.0) {
    if (!options.speeds.empty()) speed_ = options.speeds;
    for (const Slowdown& s : options.slowdowns) {
      slow_from_[static_cast<std::size_t>(s.worker)] = s.from_seconds;
      slow_[static_cast<std::size_t>(s.worker)] = s.slow;
    }
  }
  double speed(std::size_t w) const { return speed_[w]; }
  double end(std::size_t w, double start, double work) const {
    const double run = work / speed_[w];
    const double from = slow_from_[w];
    if (start + run <= from) return start + run;  // before the slowdown (or none)
    if (start >= from) return start + run * slow_[w];
    return from + (run - (from - start)) * slow_[w];  // straddles it
  }

 private:
  std::vector<double> speed_;
  std::vector<double> slow_from_;
  std::vector<double> slow_;
};

// A plan chunk's time at speed 1: contiguous tasks (static, binlpt) by one difference, any
// others (lpt) added up. The plan lists every task, so this pass costs no more than its making.
double plan_chunk_seconds(const SimLoop& loop, const PlanChunk& chunk) {
  const std::vector<std::size_t>& tasks = chunk.tasks;
  const std::size_t first = tasks.front();
  std::size_t i = 0;
  while (i < tasks.size() && tasks[i] == first + i) ++i;
  if (i == tasks.size()) return loop.seconds_of(first, tasks.size());
  double sum = 0;
  for (std::size_t t : tasks) sum += loop.seconds()[t];
  return sum;
}

// Offline plans: each worker runs its chunks back to back; nothing is dispatched.
void run_plan(const Plan& plan, const SimLoop& loop, const Workers& speeds, SimDetail detail,
              SimResult& result) {
  if (detail != SimDetail::kMakespan) result.trace.resize(plan.chunks.size());
  for (std::size_t w = 0; w < plan.by_worker.size(); ++w) {
    double clock = 0;
    for (std::size_t c : plan.by_worker[w]) {
      const PlanChunk& chunk = plan.chunks[c];
      if (chunk.tasks.empty()) continue;
      const double end = speeds.end(w, clock, plan_chunk_seconds(loop, chunk));
      result.busy[w] += end - clock;
      if (detail != SimDetail::kMakespan) {
        result.trace[c] = {c, chunk.worker, chunk.tasks.front(), chunk.tasks.size(), clock, end};
      }
      if (detail == SimDetail::kTasks) {
        for (std::size_t t : chunk.tasks) result.chunk_of_task[t] = c;
      }
      clock = end;
      result.tp = std::max(result.tp, clock);
    }
  }
  result.chunks = plan.chunks.size();
}

// The times the workers ask next, in a tournament tree: leaf w holds worker w's time, each
// inner node the winner (earliest, ties to the lower id: the left subtree's ids are lower) of
// its two children. The next request is the root; giving that worker its next time replays
// one leaf-to-root path, log2 P comparisons and no swaps - about half a binary heap's work
// for the same order.
class RequestTree {
 public:
  explicit RequestTree(int workers) {
    while (leaves_ < static_cast<std::size_t>(workers)) leaves_ *= 2;
    node_.assign(2 * leaves_, {std::numeric_limits<double>::infinity(), 0});  // padding loses
    for (std::size_t w = 0; w < leaves_; ++w) {
      node_[leaves_ + w] = {w < static_cast<std::size_t>(workers) ? 0.0 : node_[0].time, w};
    }
    for (std::size_t node = leaves_ - 1; node >= 1; --node) node_[node] = winner(node);
  }
  std::size_t earliest() const { return node_[1].worker; }
  double time() const { return node_[1].time; }
  void set(std::size_t worker, double time) {
    std::size_t node = leaves_ + worker;
    node_[node].time = time;
    for (node /= 2; node >= 1; node /= 2) node_[node] = winner(node);
  }

 private:
  struct Entry {
    double time;
    std::size_t worker;
  };
  // Each node holds its winner's time with its id: a replay reads the sibling, not a leaf.
  Entry winner(std::size_t node) const {
    const Entry& left = node_[2 * node];
    const Entry& right = node_[2 * node + 1];
    return right.time < left.time ? right : left;
  }
  std::size_t leaves_ = 1;
  std::vector<Entry> node_;
};

// Dispatched techniques (tables and asks): one event per chunk, the earliest request first.
void run_dispatched(const SimLoop& loop, int workers, const TechniqueSpec& spec,
                    const SimOptions& options, const Workers& speeds, SimResult& result) {
  const LoopSetup& setup = loop.setup(workers, options);
  const std::unique_ptr<Technique> technique = make_technique(spec, setup);
  const std::string name = spec.text();
  const std::size_t n = loop.tasks();
  RequestTree requests(workers);
  std::vector<std::optional<ChunkTiming>> unreported(static_cast<std::size_t>(workers));
  const double latency = options.message_latency;
  const bool learns = spec.info != nullptr && spec.info->adaptive;
  double master_free = 0;
  std::size_t next = 0;
  while (next < n) {
    const std::size_t w = requests.earliest();
    const double asked = requests.time();
    const int worker = static_cast<int>(w);
    // Asking again means the previous chunk is done: that is when the technique learns it.
    if (unreported[w]) {
      technique->chunk_finished(*unreported[w]);
      unreported[w].reset();
    }
    double served = asked + latency;   // the request arrives
    if (options.master_service > 0) {  // one master, first come first served
      served = std::max(served, master_free) + options.master_service;
      master_free = served;
    }
    const std::size_t size = checked_next_chunk(*technique, name, setup, n - next, worker);
    const double start = served + latency + options.dispatch_overhead;
    const double work = loop.seconds_of(next, size);
    const double end = speeds.end(w, start, work);
    // Sum of squared task times as run, scaled like the chunk (speed and slowdown); only
    // adaptive techniques read it (af's sigma), the others are told "unknown".
    double squares = -1.0;
    if (learns) {
      const double scale = work > 0 ? (end - start) / work : 1.0 / speeds.speed(w);
      squares = loop.squares_of(next, size) * scale * scale;
    }
    result.busy[w] += end - start;
    unreported[w] = ChunkTiming{worker, size, end - start, end - asked, squares};
    if (options.detail != SimDetail::kMakespan) {
      result.trace.push_back({result.chunks, worker, next, size, start, end});
    }
    if (options.detail == SimDetail::kTasks) {
      std::fill_n(result.chunk_of_task.begin() + static_cast<std::ptrdiff_t>(next), size,
                  result.chunks);
    }
    ++result.chunks;
    result.tp = std::max(result.tp, end);
    next += size;
    requests.set(w, end);
  }
}

}  // namespace

SimLoop::SimLoop(std::vector<double> task_seconds, std::vector<double> task_costs)
    : seconds_(std::move(task_seconds)) {
  check_times(seconds_, "task time");
  if (!task_costs.empty() && task_costs.size() != seconds_.size()) {
    throw std::invalid_argument("simulate: " + std::to_string(task_costs.size()) +
                                " task costs for " + std::to_string(seconds_.size()) +
                                " tasks; give one per task");
  }
  check_times(task_costs, "task cost");
  // Indexed stores, not push_back: a call in the loop would spill the long double sum to
  // memory and back each task (x87 registers do not survive a call).
  prefix_.resize(seconds_.size() + 1);
  long double sum = 0;
  prefix_[0] = sum;
  for (std::size_t i = 0; i < seconds_.size(); ++i) prefix_[i + 1] = sum += seconds_[i];
  setup_.tasks = seconds_.size();
  setup_.task_costs = task_costs.empty() ? seconds_ : std::move(task_costs);
}

double SimLoop::seconds_of(std::size_t first, std::size_t size) const {
  if (size == 1) return seconds_[first];
  return static_cast<double>(prefix_[first + size] - prefix_[first]);
}

double SimLoop::squares_of(std::size_t first, std::size_t size) const {
  if (size == 1) return seconds_[first] * seconds_[first];
  if (prefix_squares_.empty()) {  // first asked for: only adaptive techniques need it
    prefix_squares_.resize(seconds_.size() + 1);
    long double sum = 0;
    prefix_squares_[0] = sum;
    for (std::size_t i = 0; i < seconds_.size(); ++i) {
      const long double t = seconds_[i];
      prefix_squares_[i + 1] = sum += t * t;
    }
  }
  return static_cast<double>(prefix_squares_[first + size] - prefix_squares_[first]);
}

const LoopSetup& SimLoop::setup(int workers, const SimOptions& options) const {
  setup_.workers = workers;
  setup_.weights = options.weights;
  setup_.dispatch_overhead = options.dispatch_overhead;
  return setup_;
}

SimResult simulate(const SimLoop& loop, int workers, const TechniqueSpec& spec,
                   const SimOptions& options) {
  validate(workers, options);
  SimResult result;
  result.busy.assign(static_cast<std::size_t>(workers), 0.0);
  if (options.detail == SimDetail::kTasks) result.chunk_of_task.assign(loop.tasks(), 0);
  if (loop.tasks() == 0) return result;
  const Workers speeds(workers, options);
  // An adaptive technique simulated here keeps what it learns apart from every row's.
  const LearningRowScope simulated(kSimulatedRow);
  if (spec.info != nullptr && spec.info->dispatch == Dispatch::kPlan) {
    run_plan(make_plan(spec, loop.setup(workers, options)), loop, speeds, options.detail, result);
  } else {
    run_dispatched(loop, workers, spec, options, speeds, result);
  }
  return result;
}

SimResult simulate(const std::vector<double>& task_seconds, int workers, const TechniqueSpec& spec,
                   const SimOptions& options) {
  validate(workers, options);  // before the O(N) copy
  return simulate(SimLoop(task_seconds, options.task_costs), workers, spec, options);
}

}  // namespace schedlab::techniques
