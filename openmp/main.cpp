// schedlab-omp: the shared task list under each OpenMP schedule, timed and verified against
// the serial loop in the same process (the notebook's map() and as_completed() cells).
// The driver (schedlab/driver.hpp) does validate -> compute -> report; this file says what
// OpenMP adds: --schedule (literal pragmas and the techniques of the registry), --threads,
// --weights, the binding, the runtime schedule.
#include <fmt/format.h>
#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <vector>

#include "schedlab/driver.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/openmp/omp_environment.hpp"
#include "schedlab/openmp/schedules.hpp"
#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/parse.hpp"

namespace {
using namespace schedlab;

// The CPUs the team may use, for the default --tasks. Under OMP_PROC_BIND the runtime has
// already pinned this (the initial) thread to one place, so its mask says 1: count the
// CPUs of all places instead, which the runtime built from the mask the process started with.
std::size_t cpus_of_the_team() {
  std::vector<int> cpus;
  for (int place = 0; place < omp_get_num_places(); ++place) {
    std::vector<int> ids(static_cast<std::size_t>(omp_get_place_num_procs(place)));
    omp_get_place_proc_ids(place, ids.data());
    cpus.insert(cpus.end(), ids.begin(), ids.end());
  }
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus.empty() ? cpus_of_this_process() : job_cpus_per_process(cpus.size());
}

class OmpProgram final : public Program {
 public:
  std::string name() const override { return "schedlab-omp"; }
  std::string description() const override {
    return "Runs the shared task list with OpenMP under one schedule or all of them, each "
           "verified and timed against the serial loop. static stands in for "
           "ProcessPoolExecutor.map(); dynamic and tasks for submit() + as_completed().";
  }

  void add_options(CLI::App& app) override {
    app.add_option("--schedule", schedule_text_,
                   fmt::format("A literal pragma: {} (C: chunk size, dynamic and guided default "
                               "1; G: taskloop grainsize; all: every pragma on the same list, "
                               "static,C and taskloop,G with 1; runtime follows OMP_SCHEDULE). "
                               "Or a technique run by the self-scheduling executor, with its "
                               "parameters (gss,4  fsc,h=2e-6  fac2): {}; techniques: every "
                               "technique with its defaults. auto is OpenMP's own schedule(auto) "
                               "(the runtime chooses; libgomp runs static); auto:METHOD is "
                               "schedlab's selector, choosing a technique before each --steps "
                               "step: METHOD {} (docs/techniques.md, \"Choosing "
                               "automatically\"). all-fixed: every portfolio technique, then the "
                               "four auto:METHOD rows, on the same loop. --fail-task applies to "
                               "the schedules; the serial reference runs clean",
                               kScheduleSyntax, techniques::technique_names(),
                               techniques::select_method_names()))
        ->capture_default_str();
    app.add_option("--weights", weights_text_,
                   "wf2: relative thread speeds, one per thread, comma-separated (e.g. "
                   "2,1,1,1); default all equal");
    app.add_option("--threads", threads_text_,
                   fmt::format("Team size (default: OMP_NUM_THREADS, else all logical CPUs; at "
                               "most {})",
                               max_threads_allowed()));
  }

  // Known mistakes get the line that says what to write instead.
  std::string advise(const std::vector<std::string>& args) const override {
    if (names_option(args, "--strategy")) {
      return fmt::format("schedlab-omp takes --schedule ({}); --strategy is schedlab-mpi's",
                         kScheduleSyntax);
    }
    for (const char* mpi_only : {"--chunk", "--master", "--prefetch"}) {
      if (names_option(args, mpi_only)) {
        return fmt::format(
            "{} is schedlab-mpi's; schedlab-omp takes the chunk inside --schedule, e.g. "
            "--schedule dynamic,4",
            mpi_only);
      }
    }
    // "--schedule dynamic 4": the chunk went into a separate argument.
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      std::string schedule;
      std::size_t next = i + 1;
      if (args[i] == "--schedule" && i + 2 < args.size()) {
        schedule = args[i + 1];
        next = i + 2;
      } else if (args[i].rfind("--schedule=", 0) == 0) {
        schedule = args[i].substr(11);
      }
      const std::string& chunk = args[next];
      if (schedule.empty() || schedule.find(',') != std::string::npos || chunk.empty() ||
          chunk.find_first_not_of("0123456789") != std::string::npos)
        continue;
      return fmt::format(
          "--schedule {} {}: the chunk goes after a comma, in the same argument: --schedule {},{}",
          schedule, chunk, schedule, chunk);
    }
    return {};
  }

  void validate(RunInfo& info) override {
    schedules_ = parse_schedule(schedule_text_);
    info.threads = resolve_threads(threads_text_);
    if (info.settings.tasks_from_allocation)
      info.settings.workload.tasks = default_task_count(cpus_of_the_team(), 1);
    if (uses_runtime_schedule(schedules_)) check_omp_schedule_env();
    inputs_.weights = parse_weights(weights_text_, info.threads);
    inputs_.seed = info.settings.workload.seed;
    check_auto_has_trace(info.settings.trace);
  }

  std::size_t strategy_count() const override { return schedules_.size(); }

  ChunkQuestion chunks_to_print(const RunInfo& info, const std::vector<Task>& tasks) override {
    if (schedules_.size() != 1) {
      throw UsageError(fmt::format(
          "--print-chunks: --schedule '{}' names {} schedules; give one pragma or technique "
          "(e.g. --schedule dynamic,4 or --schedule fac2)",
          schedule_text_, schedules_.size()));
    }
    if (schedules_.front().select) {
      throw UsageError(fmt::format(
          "--print-chunks: --schedule '{}' chooses its technique step by step while it runs; "
          "give the technique itself (e.g. --schedule fac2)",
          schedule_text_));
    }
    // A literal pragma: the chunks its clause hands out in this runtime, as a run does.
    if (schedules_.front().strategy != nullptr)
      return {.technique = {},
              .loop = {},
              .sizes = pragma_chunk_sizes(schedules_.front(), tasks.size(), info.threads)};
    // No run, nothing measured: plans use the task sizes as costs; fsc and tap their
    // default h, sigma, mu (a run measures them: give them as parameters to match).
    return {.technique = *schedules_.front().technique,
            .loop = technique_loop(tasks, info.threads, {}, inputs_.weights),
            .sizes = {}};
  }

  // The techniques that use task costs get the serial baseline's measured seconds.
  void after_baseline(const Comparison* comparison) override {
    if (comparison != nullptr) inputs_.costs = comparison->serial_task_seconds();
  }

  void prepare(RunInfo& info) override {
    info.binding = binding_in_effect();
    // The team is created now, outside every clock: the first strategy timed pays no more
    // than a later one.
    wake_team(info.threads);
  }

  void print_setup(std::FILE* out, const RunInfo& info) override {
    fmt::print(out,
               "openmp: {} threads | OMP_PROC_BIND {} (omp_get_proc_bind: {}) | OMP_PLACES {} "
               "({} places) | schedule {}\n",
               info.threads, info.binding.at("OMP_PROC_BIND"), info.binding.at("omp_get_proc_bind"),
               info.binding.at("OMP_PLACES"), info.binding.at("omp_get_num_places"),
               schedule_text_);
    if (uses_runtime_schedule(schedules_)) {
      fmt::print(out, "runtime: OMP_SCHEDULE {} -> schedule(runtime) resolved to {}\n",
                 describe_omp_schedule_env(), describe_runtime_schedule());
    }
  }

  std::vector<Strategy> strategies(const RunInfo& info,
                                   const std::vector<Task>& /*tasks*/) override {
    std::vector<Strategy> list;
    for (const ScheduleSpec& spec : schedules_) {
      list.push_back({spec.label(), 1, info.threads,
                      [this, spec, &info](const std::vector<Task>& tasks, Progress& progress) {
                        return spec.run(tasks, progress, info.threads, info.settings.fail_task,
                                        inputs_);
                      }});
    }
    return list;
  }

 private:
  std::string schedule_text_ = "all";
  std::string threads_text_;
  std::string weights_text_;
  std::vector<ScheduleSpec> schedules_;
  TechniqueInputs inputs_;

  // auto:exhaustive, expert and simulate learn from each task's measured time; random does not.
  void check_auto_has_trace(TraceLevel trace) const {
    if (trace != TraceLevel::kOff) return;
    for (const ScheduleSpec& spec : schedules_) {
      if (!spec.select || *spec.select == techniques::SelectMethod::kRandom) continue;
      throw UsageError(fmt::format(
          "--trace off: --schedule {} needs each task's measured time; drop --trace off, or "
          "use auto:random",
          spec.label()));
    }
  }

  // --weights: one positive number per thread; empty when not given.
  static std::vector<double> parse_weights(const std::string& text, int threads) {
    std::vector<double> weights;
    if (text.empty()) return weights;
    std::size_t from = 0;
    for (;;) {
      const std::size_t comma = text.find(',', from);
      const std::string part = text.substr(from, comma == std::string::npos ? comma : comma - from);
      std::size_t used = 0;
      double w = 0;
      try {
        w = std::stod(part, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != part.size() || !(w > 0) || w > 1e9) {
        throw UsageError(
            fmt::format("--weights '{}': '{}' is not allowed; expected positive "
                        "numbers separated by commas, one per thread",
                        text, part));
      }
      weights.push_back(w);
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    if (weights.size() != static_cast<std::size_t>(threads)) {
      throw UsageError(
          fmt::format("--weights '{}': {} weights for {} threads; expected one per "
                      "thread",
                      text, weights.size(), threads));
    }
    return weights;
  }
};

}  // namespace

int main(int argc, char** argv) {
  OmpProgram program;
  return schedlab::run_program(program, argc, argv);
}
