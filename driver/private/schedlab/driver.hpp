// The one driver of every runner: validate -> workload -> --fail-task check -> --print-tasks
// or --print-chunks
// -> serial baseline -> each strategy -> output. A program (serial, OpenMP, MPI) says only
// what is particular to its model by overriding the hooks of Program.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/comparison.hpp"
#include "schedlab/options.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"
#include "schedlab/techniques/registry.hpp"
#include "schedlab/workload.hpp"

namespace CLI {
class App;
}

namespace schedlab {

// One row of the comparison to come: its name, its P, and how to run the loop once over a
// task list. The driver calls `run` once per step (--steps) of each repeat, never per task,
// with that step's tasks (--drift moves the load between steps): a strategy owns no task list.
struct Strategy {
  std::string name;
  int ranks = 1;
  int threads = 1;
  std::function<RunResult(const std::vector<Task>& tasks, Progress&)> run;
};

// What --print-chunks prints the chunks of: a technique of the registry and the loop it
// would be set up for (N, the workers, known costs, weights).
struct ChunkQuestion {
  techniques::TechniqueSpec technique;
  techniques::LoopSetup loop;
  // Chunks already known without a technique (a literal OpenMP pragma's): printed as given.
  std::vector<std::size_t> sizes = {};
};

// The --print-chunks line: the chunk sizes in dispatch order, separated by spaces. Throws
// UsageError for an adaptive technique (its sizes depend on measured times).
std::string chunk_sizes_line(const ChunkQuestion& question);

// What the serial baseline is for this program.
enum class BaselineRole {
  kReference,  // a quiet, never-failing reference the strategies are checked against
  kTheRun,     // the program's own measured run (schedlab-serial): progress, --fail-task
};

// What a runner tells the driver. Defaults fit a single-process program.
class Program {
 public:
  virtual ~Program() = default;

  virtual std::string name() const = 0;         // "schedlab-omp"
  virtual std::string description() const = 0;  // --help's first paragraph
  virtual BaselineRole baseline_role() const { return BaselineRole::kReference; }

  // Model options besides the common ones.
  virtual void add_options(CLI::App& /*app*/) {}
  // Every process parsed its own command line into `code` (std::nullopt: go on; 0: --help
  // or --version; 2: a parse error, already reported where this process prints). Returns
  // the outcome all processes act on (MPI: one command line that parses on one rank and
  // not on another stops every rank with exit 2).
  virtual std::optional<int> agree_on_parse(std::optional<int> code) { return code; }
  // After parsing: a usage error when the processes were given different options ("" when
  // they agree; MPI: each rank's fingerprint against rank 0's), naming the first option
  // that differs and where. The driver hands it to agree_on_usage_error().
  virtual std::string check_options_agree(const CLI::App& /*app*/) { return {}; }
  // A command line the parser rejected (args: argv without the program name): the one line
  // that says what to write instead when the mistake is a known one (another runner's
  // option, "dynamic 4" for "dynamic,4"), else "".
  virtual std::string advise(const std::vector<std::string>& /*args*/) const { return {}; }
  // Validates the model options into `info` (threads, ranks); throws UsageError.
  virtual void validate(RunInfo& /*info*/) {}
  // How many strategies strategies() will return (after validate): the memory a run needs
  // grows with it (run_memory_estimate), and it is checked before any work.
  virtual std::size_t strategy_count() const { return 1; }
  // Every process reached the same verdict (`message` empty: no error). Prints the one
  // line where it should be printed and returns whether to stop with exit 2.
  virtual bool agree_on_usage_error(const std::string& message);
  // Whether this process builds the task list (MPI: rank 0 only, which reads the file and
  // draws the sizes); the others receive it in share_task_list().
  virtual bool builds_task_list() const { return true; }
  // After every process agreed there was no usage error: the task list (and the settings
  // that depend on it) from the process that built it to every other (MPI: MPI_Bcast).
  virtual void share_task_list(RunInfo& /*info*/, std::vector<Task>& /*tasks*/) {}
  // Whether this process prints (MPI: rank 0 only).
  virtual bool prints() const { return true; }
  // Whether progress may be drawn as a live bar on a terminal.
  virtual bool bar_allowed() const { return true; }
  // Whether the strategy name heads its progress lines even when it is the only one.
  virtual bool names_a_lone_strategy() const { return false; }

  // --print-chunks: the technique and loop of this command line. Throws UsageError when
  // there is none (the default: a program without techniques, or a literal pragma).
  virtual ChunkQuestion chunks_to_print(const RunInfo& info, const std::vector<Task>& tasks);

  // After --print-tasks, before any output: the binding in effect, warm-ups.
  virtual void prepare(RunInfo& /*info*/) {}
  // Lines after the workload line, before anything runs (a killed job's log still has them).
  virtual void print_setup(std::FILE* /*out*/, const RunInfo& /*info*/) {}
  // After the baseline, before the first strategy (MPI: the other ranks wait for rank 0).
  virtual void after_baseline(const Comparison* /*comparison*/) {}
  // Between two executions of the loop (two steps, two rows: run_rows()), on every process
  // (MPI: MPI_Barrier, as an application's time loop waits for every rank before the next
  // step).
  virtual void between_steps() {}
  // Whether the strategies send dispatch messages (MPI): --perturb latency=S needs them.
  virtual bool sends_dispatch_messages() const { return false; }
  // The strategies to run on `tasks`, in order.
  virtual std::vector<Strategy> strategies(const RunInfo& /*info*/,
                                           const std::vector<Task>& /*tasks*/) {
    return {};
  }
  // After the last strategy, on every process: what the workers computed, brought to the
  // printing process (MPI: the mandelbrot rows each rank computed, reduced onto rank 0).
  virtual void gather_outputs() {}
  // Checked before each step of each strategy: a signal stops the rest (MPI: seen by any
  // rank).
  virtual bool stop_before_next_strategy();
  // After the last strategy, on every process: `own_s`, this process's CPU seconds over the
  // run; returns, at the printing process, the CPU seconds of the job's other processes on
  // its node (MPI: a reduction over the ranks sharing rank 0's node), which the noise
  // measure must not count as other load. A single process has none.
  virtual double siblings_cpu_seconds(double /*own_s*/) { return 0; }
  // The exit code every process leaves with, from the printing process's `code`.
  virtual int agree_on_exit_code(int code) { return code; }
};

// One execution of the loop in a run of rows: row `row` (0-based, in strategies() order)
// runs its time step `step`.
struct RowStep {
  std::size_t row = 0;
  int step = 0;
  bool operator==(const RowStep&) const = default;
};

// The order a repeat's executions run in. Several rows and --steps T > 1: step by step
// interleaved (step 0 of every row, then step 1 of every row, ...), so that every row meets
// the machine's same moments (a slow-down late in the run hits every row, not only the rows
// that run last). Else row after row (one row, or one step each: the same order).
std::vector<RowStep> step_order(std::size_t rows, int steps);

// What run_rows() asks of its caller.
struct RowHooks {
  // Runs one execution over its step's tasks.
  std::function<RunResult(RowStep, const std::vector<Task>&)> run_step;
  // Between two executions, on every process (MPI: the barrier); may be empty.
  std::function<void()> between;
  // Before each execution: true stops the whole run (a signal; MPI: seen by any rank); may
  // be empty.
  std::function<bool()> stop;
};

// Runs `rows` rows, each --repeat times a --steps run of `s.steps` steps, in step_order():
// returns each row's runs (one RunResult per repeat, its steps joined by join_steps()).
// Per row, whatever the order: before each of its steps set_step() and its step's tasks
// (tasks_of_step(), made once per step when rows share it), the application's outputs zeroed,
// the row named for what adaptive techniques learn (techniques::set_learning_row), its own
// perturbation clock (restarted at step 0, resumed where its last step left it). A step
// that does not complete stops its row (its later steps and repeats), not the others; a stop
// marks every row's unfinished run interrupted and ends the run.
std::vector<std::vector<RunResult>> run_rows(const RunSettings& s, const std::vector<Task>& base,
                                             std::size_t rows, const RowHooks& hooks);

// Every file a run writes, checked before any work: --csv and --json are writable regular
// files (or new names) in existing, writable folders, apart from each other and from
// --workload file:PATH. Throws UsageError naming the path(s).
void check_run_outputs(const RunSettings& settings);

// Runs `program` on argv: the whole validate -> compute -> report sequence. Returns the
// exit code (0 verified, 1 failure or mismatch, 2 usage, 128+signal interrupted).
int run_program(Program& program, int argc, char** argv);

}  // namespace schedlab
