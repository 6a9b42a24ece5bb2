// schedlab-omp: the shared task list under each OpenMP schedule, timed and verified against
// the serial loop in the same process (the notebook's map() and as_completed() cells).
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "omp_environment.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/options.hpp"
#include "schedlab/report.hpp"
#include "schedules.hpp"
#include "serial_loop.hpp"

int main(int argc, char** argv) {
  using namespace schedlab;
  // Inputs.
  CLI::App app{
      "Runs the shared task list with OpenMP under one schedule or all of them, each "
      "verified and timed against the serial loop. static stands in for "
      "ProcessPoolExecutor.map(); dynamic and tasks for submit() + as_completed().",
      "schedlab-omp"};
  CommonOptions options;
  add_common_options(app, options);
  std::string schedule_text = "all";
  std::string threads_text;
  app.add_option("--schedule", schedule_text,
                 fmt::format("One of {}. C: chunk size (dynamic and guided: default 1); G: "
                             "taskloop grainsize. all: every schedule on the same list "
                             "(static,C and taskloop,G with 1). runtime follows OMP_SCHEDULE. "
                             "--fail-task applies to the schedules; the serial reference runs "
                             "clean",
                             kScheduleSyntax))
      ->capture_default_str();
  app.add_option("--threads", threads_text,
                 fmt::format("Team size (default: OMP_NUM_THREADS, else all logical CPUs; at "
                             "most {})",
                             max_threads_allowed()));
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  RunInfo info{"schedlab-omp", join_command_line(argc, argv), {}, 1, 1, {}};
  std::vector<Task> tasks;
  std::vector<ScheduleSpec> schedules;
  try {
    info.settings = validate(options);
    schedules = parse_schedule(schedule_text);
    info.threads = resolve_threads(threads_text);
    if (uses_runtime_schedule(schedules)) check_omp_schedule_env();
    tasks = make_workload(info.settings.workload);
    check_fail_task(info.settings, tasks.size());
  } catch (const UsageError& e) {
    return report_usage_error(app.get_name(), e.what());
  }
  const RunSettings& s = info.settings;
  if (s.print_tasks) {
    print_tasks(stdout, tasks);
    return kExitOk;
  }
  info.binding = binding_in_effect();

  // What is about to run, before it runs (a SLURM log shows it even if the job is killed).
  install_interrupt_handlers();
  fmt::print("{}\n", workload_line(info, tasks));
  fmt::print(
      "openmp: {} threads | OMP_PROC_BIND {} (omp_get_proc_bind: {}) | OMP_PLACES {} "
      "({} places) | schedule {}\n",
      info.threads, info.binding["OMP_PROC_BIND"], info.binding["omp_get_proc_bind"],
      info.binding["OMP_PLACES"], info.binding["omp_get_num_places"], schedule_text);
  if (uses_runtime_schedule(schedules)) {
    fmt::print("runtime: OMP_SCHEDULE {} -> schedule(runtime) resolved to {}\n",
               describe_omp_schedule_env(), describe_runtime_schedule());
  }
  std::fflush(stdout);

  // Compute: the serial reference (quiet, never failing: it is what the others must match),
  // then each schedule on the same tasks.
  Comparison comparison(info, tasks);
  comparison.set_baseline(repeat_runs(s.repeat, [&] {
    Progress quiet(tasks.size(), 0, stdout, false);
    return run_serial(tasks, std::nullopt, quiet);
  }));
  const bool bar = s.progress > 0 && stdout_is_terminal();
  for (const ScheduleSpec& spec : schedules) {
    if (interrupt_requested()) break;
    if (s.progress > 0 && schedules.size() > 1) fmt::print("{}:\n", spec.label());
    std::vector<RunResult> runs = repeat_runs(s.repeat, [&] {
      Progress progress(tasks.size(), s.progress, stdout, bar);
      return spec.run(tasks, progress, info.threads, s.fail_task);
    });
    comparison.add(spec.label(), 1, info.threads, std::move(runs));
  }

  // Verify and report: table, "task K failed: ..." per failed schedule, verification line.
  return finish_run(comparison, stdout);
}
