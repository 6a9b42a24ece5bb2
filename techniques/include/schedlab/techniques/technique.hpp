// A loop-scheduling technique: set up once for a loop (N tasks, P workers, its parameters),
// then asked "how many tasks next, for worker w, with R left". Pure C++: no OpenMP, no MPI.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace schedlab::techniques {

// What a technique knows about the loop before it starts.
struct LoopSetup {
  std::size_t tasks = 0;  // N
  int workers = 1;        // P
  // Optional: each task's known or estimated cost (seconds or any unit). binlpt and lpt plan
  // with it; fsc, tap and af take their mu and sigma from it when it is given.
  std::vector<double> task_costs;
  // Optional: relative worker speeds for wf2 (any positive scale; normalised to sum P).
  std::vector<double> weights;
  // Optional: the measured dispatch overhead h per chunk, seconds; fsc uses it when its h
  // parameter is not given. Negative: unknown.
  double dispatch_overhead = -1;
  // The step of a time-stepping run (--steps) this loop execution is: 0 starts afresh;
  // s > 0 lets an adaptive technique (awf-b..e, af, maf) start from what it learned in
  // step s-1 of the same run, kept per process (awf keeps its own history across runs).
  int time_step = 0;
};

// The loop of a task list as the executors and --print-chunks set it up: N = tasks.size(),
// P = workers, each task's size (kernel units) as its known cost, and the time step. One
// function for every runner; a template over the list because this layer does not link
// common/, where Task lives (anything with a `size` member will do).
template <typename TaskList>
LoopSetup loop_of_tasks(const TaskList& tasks, int workers, int time_step = 0) {
  LoopSetup loop;
  loop.tasks = tasks.size();
  loop.workers = workers;
  loop.time_step = time_step;
  loop.task_costs.reserve(tasks.size());
  for (const auto& task : tasks) loop.task_costs.push_back(static_cast<double>(task.size));
  return loop;
}

// What an executor reports after a chunk finished (adaptive techniques learn from it).
struct ChunkTiming {
  int worker = 0;
  std::size_t size = 0;        // tasks in the chunk
  double work_seconds = 0;     // time spent running the chunk's tasks
  double elapsed_seconds = 0;  // from asking for the chunk to finishing it (awf-d, awf-e)
  // Sum of the squares of the chunk's per-task times when the executor timed each task (af
  // estimates sigma from it); negative when unknown.
  double sum_squares = -1;
};

// A technique's answer was wrong (0, more than left) or it threw; the message names the
// technique, N, P, the worker and R.
class TechniqueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Technique {
 public:
  virtual ~Technique() = default;
  // Tasks in the next chunk for `worker` (0..P-1) when `remaining` >= 1 tasks are not yet
  // handed out. Must return 1..remaining. Not thread-safe: one caller at a time.
  virtual std::size_t next_chunk(std::size_t remaining, int worker) = 0;
  // Told after each finished chunk; only adaptive techniques use it.
  virtual void chunk_finished(const ChunkTiming& timing) { (void)timing; }
};

// Calls technique.next_chunk and checks its answer: returns 1..remaining, or throws
// TechniqueError naming `name`, N, P, the worker and R (also when the technique throws).
std::size_t checked_next_chunk(Technique& technique, const std::string& name, const LoopSetup& loop,
                               std::size_t remaining, int worker);

// Mean and (population) standard deviation of a list; {0, 0} when it is empty.
struct MeanSigma {
  double mean = 0;
  double sigma = 0;
};
MeanSigma mean_sigma(const std::vector<double>& values);

// ceil(a / b) for b > 0.
constexpr std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

}  // namespace schedlab::techniques
