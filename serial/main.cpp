// schedlab-serial: the reference loop over the shared task list, timed and verified.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/options.hpp"
#include "schedlab/report.hpp"
#include "serial_loop.hpp"

int main(int argc, char** argv) {
  using namespace schedlab;
  // Inputs.
  CLI::App app{"Runs the shared task list serially: the reference every parallel runner is "
               "verified and timed against (the notebook's first cell).",
               "schedlab-serial"};
  CommonOptions options;
  add_common_options(app, options);
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  RunInfo info{"schedlab-serial", join_command_line(argc, argv), {}, 1, 1, {}};
  std::vector<Task> tasks;
  try {
    info.settings = validate(options);
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

  // Compute: the serial loop, repeated; progress only where asked.
  install_interrupt_handlers();
  fmt::print("{}\n", workload_line(info, tasks));
  std::fflush(stdout);
  Comparison comparison(info, tasks);
  comparison.set_baseline(repeat_runs(s.repeat, [&] {
    Progress progress(tasks.size(), s.progress, stdout, s.progress > 0 && stdout_is_terminal());
    return run_serial(tasks, s.fail_task, progress);
  }));

  // Verify and report: the notebook's line, then the table.
  const StrategyRow& row = comparison.baseline();
  if (row.status == "ok") {
    fmt::print("serial: ran {} tasks in {:.2f} s\n", tasks.size(), row.time_min());
  }
  return finish_run(comparison, stdout);
}
