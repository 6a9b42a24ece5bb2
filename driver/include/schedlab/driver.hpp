// The one driver of every runner: validate -> workload -> --fail-task check -> --print-tasks
// -> serial baseline -> each strategy -> output. A program (serial, OpenMP, MPI) says only
// what is particular to its model by overriding the hooks of Program.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "schedlab/comparison.hpp"
#include "schedlab/options.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace CLI {
class App;
}

namespace schedlab {

// One row of the comparison to come: its name, its P, and how to run it once.
struct Strategy {
  std::string name;
  int ranks = 1;
  int threads = 1;
  std::function<RunResult(Progress&)> run;  // called once per repeat, never per task
};

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
  // A command line the parser rejected (args: argv without the program name): the one line
  // that says what to write instead when the mistake is a known one (another runner's
  // option, "dynamic 4" for "dynamic,4"), else "".
  virtual std::string advise(const std::vector<std::string>& /*args*/) const { return {}; }
  // Validates the model options into `info` (threads, ranks); throws UsageError.
  virtual void validate(RunInfo& /*info*/) {}
  // Every process reached the same verdict (`message` empty: no error). Prints the one
  // line where it should be printed and returns whether to stop with exit 2.
  virtual bool agree_on_usage_error(const std::string& message);
  // Whether this process prints (MPI: rank 0 only).
  virtual bool prints() const { return true; }
  // Whether progress may be drawn as a live bar on a terminal.
  virtual bool bar_allowed() const { return true; }
  // Whether the strategy name heads its progress lines even when it is the only one.
  virtual bool names_a_lone_strategy() const { return false; }

  // After --print-tasks, before any output: the binding in effect, warm-ups.
  virtual void prepare(RunInfo& /*info*/) {}
  // Lines after the workload line, before anything runs (a killed job's log still has them).
  virtual void print_setup(std::FILE* /*out*/, const RunInfo& /*info*/) {}
  // After the baseline, before the first strategy (MPI: the other ranks wait for rank 0).
  virtual void after_baseline(const Comparison* /*comparison*/) {}
  // The strategies to run on `tasks`, in order.
  virtual std::vector<Strategy> strategies(const RunInfo& /*info*/,
                                           const std::vector<Task>& /*tasks*/) {
    return {};
  }
  // Checked before each strategy: a signal stops the rest (MPI: seen by any rank).
  virtual bool stop_before_next_strategy();
  // The exit code every process leaves with, from the printing process's `code`.
  virtual int agree_on_exit_code(int code) { return code; }
};

// Runs `program` on argv: the whole validate -> compute -> report sequence. Returns the
// exit code (0 verified, 1 failure or mismatch, 2 usage, 128+signal interrupted).
int run_program(Program& program, int argc, char** argv);

}  // namespace schedlab
