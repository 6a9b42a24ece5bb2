// The options every runner shares (docs/design.md, "Options"), declared once with CLI11
// and validated into RunSettings. Model-specific options live with each model's program.
// CLI11 itself is included only where options are declared (options.cpp, the programs).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedlab/perturb.hpp"
#include "schedlab/run.hpp"
#include "schedlab/workload.hpp"

namespace CLI {
class App;
}

namespace schedlab {

inline constexpr const char* kVersion = "schedlab 0.1.0";

// Raw option text: numbers are kept as text so that a bad value gets one clear message
// naming it (CLI11's own conversion messages do not say what is allowed).
struct CommonOptions {
  std::string workload = "uniform";
  std::string tasks;   // empty: default_task_count() (the job's CPUs)
  std::string size;    // empty: the workload's default
  std::string spread;  // empty: the workload's default
  std::string seed = "0";
  std::string scale = "1";
  std::string repeat = "1";
  std::string csv;
  std::string json;
  std::string image;  // --image FILE.png (mandelbrot)
  std::string progress = "0";
  std::string fail_task;
  std::string trace = "tasks";
  std::string steps = "1";
  bool drift = false;
  std::vector<std::string> perturb;  // each --perturb SPEC, as given
  bool timeline = false;
  bool show_order = false;
  bool print_tasks = false;
  bool print_chunks = false;
};

// Validated settings.
struct RunSettings {
  WorkloadSpec workload;
  int repeat = 1;
  std::string csv;
  std::string json;
  std::string image;         // mandelbrot's picture; its cost map beside it (cost_map_path)
  std::size_t progress = 0;  // 0: off
  std::optional<std::size_t> fail_task;
  TraceLevel trace = TraceLevel::kTasks;    // --trace: what each task records about itself
  int steps = 1;                            // --steps: executions of the loop per run
  bool drift = false;                       // --drift: the load moves between steps
  std::vector<Perturbation> perturbations;  // --perturb, in the order given
  bool timeline = false;
  bool show_order = false;
  bool print_tasks = false;
  bool print_chunks = false;
  // --tasks was not given: workload.tasks is default_task_count(1); a multi-process runner
  // recomputes it for all its processes (MPI: on rank 0, which builds the task list).
  bool tasks_from_allocation = false;
};

void add_common_options(CLI::App& app, CommonOptions& options);

// Parses argv. Returns std::nullopt to go on, else the exit code: 0 after --help or
// --version, 2 after a usage error (an empty value for any option is one) (one line on stderr when
// `report` is true; under MPI only rank 0 reports).
// A command line CLI11 rejected: `advise(args)` (args: argv without the program name) may
// return the one line that says what to write instead ("--strategy is schedlab-mpi's..."),
// else "". Without advice, an unknown option close to a real one gets "did you mean".
using Advisor = std::function<std::string(const std::vector<std::string>& args)>;
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, bool report = true,
                                      const Advisor& advise = {});

// Whether args hold `option` ("--chunk" matches "--chunk" and "--chunk=4").
bool names_option(const std::vector<std::string>& args, std::string_view option);

// The candidate closest to `word` when it is a plausible typo (at most 2 edits, fewer for
// short words), else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// A warning line when workers outnumber tasks (some would have nothing to do), else "".
std::string idle_workers_warning(int ranks, int threads, std::size_t tasks);

// Throws UsageError naming the first bad value.
RunSettings validate(const CommonOptions& options);

// An output file (--csv, --json) must be creatable: its folder exists, and the path, if it
// exists, is a regular file or a symlink to one (never a device, FIFO, socket or folder,
// which the run would destroy or block on). Throws UsageError naming the path.
void check_output_path(std::string_view option, const std::string& path);

// --fail-task must name a task of the list.
void check_fail_task(const RunSettings& settings, std::size_t task_count);

// Logical CPUs of this machine (the notebook's os.cpu_count()).
std::size_t logical_cpus();

// The CPUs one process of this job may use: `affinity_cpus` (the CPUs its affinity mask
// allows) lowered to SLURM_CPUS_PER_TASK and to OMP_NUM_THREADS (its first value) where
// those are set to a positive number. What SLURM or mpirun gave it, not what the node has.
std::size_t job_cpus_per_process(std::size_t affinity_cpus);

// job_cpus_per_process() of the calling thread's affinity mask (sched_getaffinity; the
// machine's logical CPUs where that fails). Call it before OMP_PROC_BIND pins the thread
// to one place, or measure the team's masks instead (schedlab-mpi does).
std::size_t cpus_of_this_process();

// The default --tasks: one task per CPU of the job, `cpus_per_process` x `processes`
// (MPI: ranks, decided on rank 0; serial and OpenMP: 1 x cpus_of_this_process()).
std::size_t default_task_count(std::size_t cpus_per_process, int processes);

// Prints "<program>: error: <message>" on stderr and returns kExitUsage.
int report_usage_error(const std::string& program, const std::string& message);

// Memory this process may still allocate: /proc/meminfo's MemAvailable, or what is left
// under RLIMIT_AS (ulimit -v) or RLIMIT_DATA (ulimit -d) if less; `source` says which.
struct MemoryRoom {
  std::uint64_t bytes = 0;
  std::string source;
};
MemoryRoom available_memory();

// UsageError "WHAT: needs about 4.40 GB of memory, more than the 3.90 GB available (...)"
// when `need` bytes exceed available_memory().
void check_memory(std::string_view what, std::uint64_t need);

// Bytes a run holds per task at its peak, for one strategy besides the serial baseline
// (measured with schedlab-serial, 10^6 tasks: 106 MB resident, 2.05 GB with --json;
// docs/results-schema.md "Limits"): the task list, the baseline's and the strategy's results,
// traces and completion orders, and with --json the record's JSON tree (about 1 KB a task per
// strategy) and text. Each further strategy adds about 56 bytes a task, 1 KB with --json.
inline constexpr std::uint64_t kRunBytesPerTask = 128;
inline constexpr std::uint64_t kRunBytesPerTaskWithJson = 2048;
inline constexpr std::uint64_t kMoreBytesPerTaskPerStrategy = 56;
inline constexpr std::uint64_t kMoreBytesPerTaskPerStrategyWithJson = 1024;
std::uint64_t run_memory_estimate(std::size_t tasks, bool with_json, std::size_t strategies = 1);
// " x --steps T" for a memory message when T > 1 (each step keeps its results), else "".
std::string steps_factor(int steps);

}  // namespace schedlab
