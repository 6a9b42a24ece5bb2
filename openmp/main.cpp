// schedlab-omp: the shared task list under each OpenMP schedule, timed and verified against
// the serial loop in the same process (the notebook's map() and as_completed() cells).
// The driver (schedlab/driver.hpp) does validate -> compute -> report; this file says what
// OpenMP adds: --schedule, --threads, the binding, the runtime schedule.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "schedlab/driver.hpp"
#include "schedlab/openmp/omp_environment.hpp"
#include "schedlab/openmp/schedules.hpp"

namespace {
using namespace schedlab;

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
                   fmt::format("One of {}. C: chunk size (dynamic and guided: default 1); G: "
                               "taskloop grainsize. all: every schedule on the same list "
                               "(static,C and taskloop,G with 1). runtime follows OMP_SCHEDULE. "
                               "--fail-task applies to the schedules; the serial reference runs "
                               "clean",
                               kScheduleSyntax))
        ->capture_default_str();
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
    if (uses_runtime_schedule(schedules_)) check_omp_schedule_env();
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

  std::vector<Strategy> strategies(const RunInfo& info, const std::vector<Task>& tasks) override {
    std::vector<Strategy> list;
    for (const ScheduleSpec& spec : schedules_) {
      list.push_back({spec.label(), 1, info.threads, [&tasks, spec, &info](Progress& progress) {
                        return spec.run(tasks, progress, info.threads, info.settings.fail_task);
                      }});
    }
    return list;
  }

 private:
  std::string schedule_text_ = "all";
  std::string threads_text_;
  std::vector<ScheduleSpec> schedules_;
};

}  // namespace

int main(int argc, char** argv) {
  OmpProgram program;
  return schedlab::run_program(program, argc, argv);
}
