// The OpenMP strategies: one function per schedule, each the same loop body under its own
// literal pragma, the {name, function} table that schedlab-omp and the benchmarks walk, and
// the parser of `--schedule` specs into rows of that table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schedlab/progress.hpp"
#include "schedlab/row_name.hpp"
#include "schedlab/run.hpp"
#include "schedlab/techniques/registry.hpp"
#include "schedlab/techniques/select.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// What every strategy needs besides the task list. Worker ids in the trace are
// worker_offset + omp_get_thread_num(): a hybrid MPI+OpenMP rank passes rank * threads and
// sets RunResult::workers to ranks * threads when it merges the traces.
struct OmpConfig {
  Progress& progress;                    // told of every completion (may be off)
  int threads = 1;                       // team size: num_threads(threads)
  std::size_t chunk = 1;                 // chunk size / grainsize of the chunked strategies
  std::optional<std::size_t> fail_task;  // --fail-task: this task throws
  int worker_offset = 0;                 // global id of thread 0
};

// The first parallel region of a process creates its threads (0.1-1 ms); every later one
// finds them asleep or spinning. Each strategy calls this before its clock starts, and
// schedlab-omp once before the first strategy, so that no strategy pays for the team.
void wake_team(int threads);

// Each function runs every task once and returns results by task index, the trace and the
// completion order. A failing task is caught inside the parallel region: the remaining
// tasks are skipped and the first error comes back in RunResult::error (never terminate).
RunResult run_static(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_static_chunked(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_dynamic(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_guided(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_auto(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_runtime(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_tasks(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_taskloop(const std::vector<Task>& tasks, const OmpConfig& config);
RunResult run_taskloop_grainsize(const std::vector<Task>& tasks, const OmpConfig& config);

using OmpStrategyFunction = RunResult (*)(const std::vector<Task>&, const OmpConfig&);

// Whether a `--schedule NAME,C` spec may, must or must not carry the number C.
enum class ChunkRule { kNone, kOptional, kRequired };

struct OmpStrategy {
  std::string_view name;  // as --schedule spells it, before ",C"
  ChunkRule chunk_rule;
  OmpStrategyFunction run;
  std::string_view clause;  // the pragma's clause, for help and docs
  RowForm form;             // its spelling in the row grammar (schedlab/row_name.hpp)
};

// Every strategy, in the order `--schedule all` runs them.
std::span<const OmpStrategy> omp_strategies();

// What a technique is set up with besides N and P (technique_loop): the tasks' known costs
// (seconds measured by the serial baseline; empty: the task sizes) and --weights (wf2).
struct TechniqueInputs {
  std::vector<double> costs;
  std::vector<double> weights;
  std::uint64_t seed = 0;  // --seed: auto:random's generator
};

struct AutoRowState;  // schedlab/openmp/auto_row.hpp

// What a `--schedule` spec resolves to: a literal pragma with its chunk, or a technique of
// the registry run by the self-scheduling executor (techniques_executor.hpp).
struct ScheduleSpec {
  ScheduleSpec(const OmpStrategy* pragma = nullptr, std::size_t chunk_size = 1,
               std::optional<techniques::TechniqueSpec> technique_spec = std::nullopt)
      : strategy(pragma), chunk(chunk_size), technique(std::move(technique_spec)) {}

  const OmpStrategy* strategy = nullptr;  // the literal pragma; nullptr for a technique
  std::size_t chunk = 1;  // used by strategies that take one (default 1: dynamic, guided)
  std::optional<techniques::TechniqueSpec> technique;
  // auto:METHOD: schedlab's selector chooses a technique before each step (auto_row.hpp);
  // its state lives across the steps of a run, shared by the copies of this spec.
  std::optional<techniques::SelectMethod> select;
  std::shared_ptr<AutoRowState> auto_state;

  // Row name in the table: the spec with its chunk written out, e.g. "dynamic,1", the
  // technique's canonical text, e.g. "gss,4" or "fac2", or "auto:simulate".
  std::string label() const;
  RunResult run(const std::vector<Task>& tasks, Progress& progress, int threads,
                std::optional<std::size_t> fail_task, const TechniqueInputs& inputs = {}) const;
};

// What `--schedule` accepts, for help and error messages.
inline constexpr std::string_view kScheduleSyntax =
    "static, static,C, dynamic[,C], guided[,C], auto, auto:METHOD, runtime, tasks, taskloop[,G], "
    "all, all-fixed";
inline constexpr std::size_t kMaxChunk = kMaxTasks;

// Parses a --schedule value: a literal pragma (kScheduleSyntax), "all" (every literal
// pragma, chunked ones with chunk 1), a technique of the registry with its parameters
// ("gss,4", "fsc,h=2e-6", "fac"), or "techniques" (every technique with its defaults);
// "auto:METHOD" (schedlab's selector, METHOD: exhaustive, expert, simulate, random; not
// "auto", which is OpenMP's own schedule(auto)); "all-fixed" (every portfolio technique,
// and the four auto:METHOD rows, on the same loop in one run, their steps interleaved).
// A literal pragma's name wins over a technique's: "static" is schedule(static) (the
// registry's static is the same block split; "block" runs it through the executor).
// Throws UsageError naming the value and what is allowed.
std::vector<ScheduleSpec> parse_schedule(std::string_view text);

bool uses_runtime_schedule(const std::vector<ScheduleSpec>& schedules);

// --print-chunks of a literal pragma: the chunk sizes its clause hands out over n
// iterations on `threads` threads in this process's runtime, in dispatch order, so that
// "static" means schedule(static) here as in every run (one block per thread, the first
// n mod P one longer: the same split as the registry's static). Throws UsageError where
// the runtime alone decides the cut (taskloop without a grainsize, libomp's auto).
std::vector<std::size_t> pragma_chunk_sizes(const ScheduleSpec& spec, std::size_t n, int threads);

}  // namespace schedlab
