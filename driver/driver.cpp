// The one driver: validate -> compute -> report, the same for every programming model.
#include "schedlab/driver.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <new>
#include <optional>
#include <system_error>

#include "schedlab/application.hpp"
#include "schedlab/drift.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/noise.hpp"
#include "schedlab/output/files.hpp"
#include "schedlab/output/finish.hpp"
#include "schedlab/output/record.hpp"
#include "schedlab/output/table.hpp"
#include "schedlab/perturb.hpp"
#include "schedlab/serial/serial_loop.hpp"
#include "schedlab/steps.hpp"
#include "schedlab/techniques/learning_row.hpp"

namespace schedlab {

bool Program::agree_on_usage_error(const std::string& message) {
  if (message.empty()) return false;
  report_usage_error(name(), message);
  return true;
}

bool Program::stop_before_next_strategy() { return interrupt_requested(); }

ChunkQuestion Program::chunks_to_print(const RunInfo& /*info*/,
                                       const std::vector<Task>& /*tasks*/) {
  throw UsageError(fmt::format(
      "--print-chunks: {} runs no technique; allowed with schedlab-omp --schedule TECHNIQUE "
      "or schedlab-mpi's master-worker technique (techniques: {})",
      name(), techniques::technique_names()));
}

std::string chunk_sizes_line(const ChunkQuestion& question) {
  std::vector<std::size_t> sizes = question.sizes;
  if (!sizes.empty()) return fmt::format("{}", fmt::join(sizes, " "));
  try {
    sizes = techniques::chunk_sizes(question.technique, question.loop);
  } catch (const std::exception& e) {  // adaptive, or a technique answering wrongly
    throw UsageError(fmt::format("--print-chunks: {}", e.what()));
  }
  return fmt::format("{}", fmt::join(sizes, " "));
}

void check_run_outputs(const RunSettings& settings) {
  std::vector<NamedPath> inputs;
  if (settings.workload.kind == WorkloadKind::kFile)
    inputs.push_back({"--workload file:", settings.workload.path});
  std::vector<NamedPath> outputs{{"--csv", settings.csv}, {"--json", settings.json}};
  if (!settings.image.empty()) {
    outputs.push_back({"--image", settings.image});
    outputs.push_back({"--image (cost map)", cost_map_path(settings.image)});
  }
  check_outputs(inputs, outputs);
  if (!settings.csv.empty()) (void)lock_timeout_seconds();  // a bad value: exit 2 now
}

namespace {

// --image: the picture the last run's workers wrote (under MPI gathered on rank 0 by
// gather_outputs()) and beside it the cost map of the serial baseline's per-task times.
// Returns an exit code: 0 written (or nothing to write), 1 a failure, 128+signal.
int write_image(const Comparison& comparison) {
  const RunSettings& s = comparison.info().settings;
  const std::string& program = comparison.info().runner;
  const std::vector<std::uint32_t>* image = mandelbrot_image();
  if (s.image.empty() || image == nullptr) return kExitOk;
  const auto missing = static_cast<std::size_t>(std::count(image->begin(), image->end(), 0U));
  if (missing > 0) {  // a failed or interrupted run: no picture rather than a wrong one
    fmt::print(stderr, "{}: error: --image '{}' not written: {} pixels were not computed\n",
               program, s.image, missing);
    return kExitFailed;
  }
  const StopCheck stop;
  try {
    write_file_atomically(s.image, mandelbrot_png(*image, s.workload.tasks, s.workload.size), stop);
    write_file_atomically(cost_map_path(s.image), cost_map_png(comparison.serial_task_seconds()),
                          stop);
  } catch (const Interrupted& e) {
    fmt::print(stderr, "{}: {}\n", program, e.what());
    return 128 + e.signal();
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: error: --image: {}\n", program, e.what());
    return kExitFailed;
  }
  return kExitOk;
}

// One row while its repeats run: the steps of the repeat running now, the repeats it
// finished, its perturbation clock, whether a step of it did not complete.
struct RowState {
  std::vector<RunResult> steps;
  std::vector<RunResult> runs;
  double clock = 0;  // what its perturbation clock read when its last step ended
  bool stopped = false;
};

// One repeat: every row's steps in step_order(). Returns false when `hooks.stop` ended the
// run. `first` is true until the run's first execution (no `between` before it).
bool run_repeat(const RunSettings& s, const std::vector<Task>& base, std::vector<RowState>& rows,
                const RowHooks& hooks, bool& first) {
  std::vector<Task> step_tasks;  // the list of step `listed`; made once, shared by the rows
  int listed = -1;
  for (const RowStep at : step_order(rows.size(), s.steps)) {
    RowState& row = rows[at.row];
    if (row.stopped) continue;  // a step of it did not complete: the others go on
    if (hooks.stop && hooks.stop()) return false;
    if (!first && hooks.between) hooks.between();
    first = false;
    set_step(at.step, s.steps, s.drift);
    if (s.steps > 1 && listed != at.step) {
      step_tasks = tasks_of_step(s.workload, base);
      listed = at.step;
    }
    // What the application's outputs hold afterwards is this step's own work.
    if (Application* computation = application()) computation->clear_outputs();
    techniques::set_learning_row(static_cast<int>(at.row));
    // `from=S` counts from the row's own start: its clock runs only while it runs.
    if (at.step == 0) {
      restart_perturbation_clock();
    } else {
      resume_perturbation_clock(row.clock);
    }
    row.steps.push_back(hooks.run_step(at, s.steps > 1 ? step_tasks : base));
    row.clock = perturbation_clock_seconds();
    if (!row.steps.back().complete()) row.stopped = true;
  }
  return true;
}

}  // namespace

std::vector<RowStep> step_order(std::size_t rows, int steps) {
  std::vector<RowStep> order;
  order.reserve(rows * static_cast<std::size_t>(std::max(steps, 0)));
  if (rows > 1 && steps > 1) {
    for (int step = 0; step < steps; ++step) {
      for (std::size_t row = 0; row < rows; ++row) order.push_back({row, step});
    }
  } else {
    for (std::size_t row = 0; row < rows; ++row) {
      for (int step = 0; step < steps; ++step) order.push_back({row, step});
    }
  }
  return order;
}

std::vector<std::vector<RunResult>> run_rows(const RunSettings& s, const std::vector<Task>& base,
                                             std::size_t rows, const RowHooks& hooks) {
  std::vector<RowState> state(rows);
  bool first = true;
  // A repeat is every row's whole --steps run again.
  for (int repeat = 0; repeat < s.repeat; ++repeat) {
    const bool went_on = run_repeat(s, base, state, hooks, first);
    for (RowState& row : state) {
      if (row.steps.empty()) continue;  // stopped before it ran, or in an earlier repeat
      const bool cut_short = row.steps.size() < static_cast<std::size_t>(s.steps);
      RunResult run =
          s.steps == 1 ? std::move(row.steps.front()) : join_steps(std::move(row.steps));
      row.steps.clear();
      if (!went_on && cut_short) run.interrupted = true;  // the stop ended it, not a failure
      row.runs.push_back(std::move(run));
    }
    if (!went_on) break;
  }
  std::vector<std::vector<RunResult>> runs;
  runs.reserve(rows);
  for (RowState& row : state) runs.push_back(std::move(row.runs));
  return runs;
}

namespace {

// The serial baseline, at the printing process: the same steps (T1 and each step's reference
// results), a row of its own.
std::vector<RunResult> run_baseline(const Program& program, const RunSettings& s,
                                    const std::vector<Task>& tasks) {
  const bool the_run = program.baseline_role() == BaselineRole::kTheRun;
  const bool bar_possible = program.bar_allowed() && stdout_is_terminal();
  RowHooks baseline;
  baseline.run_step = [&](RowStep /*at*/, const std::vector<Task>& step_tasks) {
    const std::size_t every = the_run ? s.progress : 0;
    Progress progress(step_tasks.size(), every, stdout, every > 0 && bar_possible);
    return run_serial(step_tasks, the_run ? s.fail_task : std::nullopt, progress);
  };
  return std::move(run_rows(s, tasks, 1, baseline).front());
}

// Every strategy's runs (one per repeat), their steps interleaved (step_order()). Progress
// lines are headed "NAME:" before a row's steps, "NAME step S:" before each of them when
// the rows interleave.
std::vector<std::vector<RunResult>> run_strategies(Program& program, const RunSettings& s,
                                                   const std::vector<Task>& tasks,
                                                   const std::vector<Strategy>& strategies) {
  const bool bar_possible = program.bar_allowed() && stdout_is_terminal();
  const std::size_t every = program.prints() ? s.progress : 0;
  const bool name_each = strategies.size() > 1 || program.names_a_lone_strategy();
  const bool interleaved = strategies.size() > 1 && s.steps > 1;
  RowHooks hooks;
  hooks.run_step = [&](RowStep at, const std::vector<Task>& step_tasks) {
    const Strategy& strategy = strategies[at.row];
    if (every > 0 && name_each && interleaved) fmt::print("{} step {}:\n", strategy.name, at.step);
    if (every > 0 && name_each && !interleaved && at.step == 0) fmt::print("{}:\n", strategy.name);
    Progress progress(step_tasks.size(), every, stdout, every > 0 && bar_possible);
    return strategy.run(step_tasks, progress);
  };
  hooks.between = [&program] { program.between_steps(); };
  hooks.stop = [&program] { return program.stop_before_next_strategy(); };
  return run_rows(s, tasks, strategies.size(), hooks);
}

}  // namespace

int run_program(Program& program, int argc, char** argv) try {
  const bool prints = program.prints();
  // A reader that goes away (| head -1) makes a write fail with EPIPE, reported as exit 1
  // after the files are written, instead of killing the run silently with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);

  // Inputs: the common options, the model's own, all validated before any work starts.
  CLI::App app{program.description(), program.name()};
  CommonOptions options;
  add_common_options(app, options);
  program.add_options(app);
  const Advisor advise = [&program](const std::vector<std::string>& args) {
    return program.advise(args);
  };
  if (const auto code = program.agree_on_parse(parse_command_line(app, argc, argv, prints, advise)))
    return *code;

  RunInfo info{program.name(), join_command_line(argc, argv), {}, 1, 1, {}, {}, {}, {}};
  // The machine as the run met it, before this run adds its own load.
  info.load_average = read_load_average();
  std::vector<Task> tasks;
  // Processes given different options would compute different things (or wait for each
  // other forever): that is checked first, and is a usage error like any other.
  std::string usage_error = program.check_options_agree(app);
  std::string chunk_line;
  if (usage_error.empty()) {
    try {
      info.settings = validate(options);
      program.validate(info);
      check_perturbations(info.settings.perturbations, info.ranks * info.threads,
                          info.settings.steps, program.sends_dispatch_messages());
      // Only the printing process writes files (MPI: rank 0); its verdict is everyone's.
      if (prints) check_run_outputs(info.settings);
      if (program.builds_task_list()) {
        tasks = make_workload(info.settings.workload);
        check_fail_task(info.settings, tasks.size());
        // validate() and make_workload() checked the memory of one strategy; every further
        // one keeps its results and traces (and JSON) to the end.
        const RunSettings& s = info.settings;
        if (const std::size_t count = program.strategy_count();
            prints && count > 1 && !s.print_tasks && !s.print_chunks) {
          check_memory(fmt::format("--tasks {}{} with {} strategies", tasks.size(),
                                   steps_factor(s.steps), count),
                       run_memory_estimate(tasks.size() * static_cast<std::size_t>(s.steps),
                                           !s.json.empty(), count));
        }
        // Computed here, so that a technique that cannot answer is a usage error every MPI
        // rank agrees on.
        if (info.settings.print_chunks)
          chunk_line = chunk_sizes_line(program.chunks_to_print(info, tasks));
      }
    } catch (const UsageError& e) {
      usage_error = e.what();
    }
  }
  if (program.agree_on_usage_error(usage_error)) return kExitUsage;
  program.share_task_list(info, tasks);
  const RunSettings& s = info.settings;
  // Every executor's RunControl reads it: set before the first run, on every rank.
  set_trace_level(s.trace);
  set_perturbations(s.perturbations);
  if (s.print_tasks) {
    if (prints) print_tasks(stdout, tasks);
    return kExitOk;
  }
  if (s.print_chunks) {
    if (prints) fmt::print("{}\n", chunk_line);
    return kExitOk;
  }
  // A mistake that still runs: say so on stderr, before the work (the run itself is valid).
  if (const std::string idle = idle_workers_warning(info.ranks, info.threads, tasks.size());
      prints && !idle.empty()) {
    fmt::print(stderr, "{}: warning: {}\n", program.name(), idle);
  }
  // Every process builds the same application data from the agreed spec, before any clock.
  set_application(s.workload);
  program.prepare(info);
  if (info.hosts.empty()) info.hosts = {hostname()};  // one process: this host

  // What is about to run, before it runs (a SLURM log shows it even if the job is killed).
  install_interrupt_handlers();
  if (prints) {
    fmt::print("{}\n", workload_line(info, tasks));
    program.print_setup(stdout, info);
    if (const std::string line = steps_line(s); !line.empty()) fmt::print("{}\n", line);
    std::fflush(stdout);
  }

  // Compute: the serial baseline (at the printing process), then each strategy on the same
  // tasks. A reference baseline is quiet and never fails: it is what the others must match.
  std::optional<Comparison> comparison;
  // Noise over the run itself (schedlab/noise.hpp): every process samples its CPU time, so
  // that the job's own processes (MPI ranks on the printing rank's node) are not "other".
  const NoiseProbe probe(prints);
  if (prints) {
    comparison.emplace(info, tasks);
    comparison->set_baseline(run_baseline(program, s, tasks));
  }
  program.after_baseline(comparison ? &*comparison : nullptr);

  const std::vector<Strategy> strategies = program.strategies(info, tasks);
  std::vector<std::vector<RunResult>> runs = run_strategies(program, s, tasks, strategies);
  for (std::size_t row = 0; row < strategies.size(); ++row) {
    const Strategy& strategy = strategies[row];
    if (comparison && !runs[row].empty())  // empty: a signal stopped the run before it ran
      comparison->add(strategy.name, strategy.ranks, strategy.threads, std::move(runs[row]));
  }

  const double siblings = program.siblings_cpu_seconds(probe.own_cpu_seconds());  // collective
  if (comparison) comparison->set_noise(probe.finish(siblings));
  // Verify and report: timelines, table, failure lines, verification line, files.
  program.gather_outputs();
  int code = kExitOk;
  if (comparison) {
    const int image_code = write_image(*comparison);  // files before standard output
    code = finish_run(*comparison, stdout);
    if (image_code > 128 || (image_code != kExitOk && code == kExitOk)) code = image_code;
  }
  return program.agree_on_exit_code(code);
} catch (const std::bad_alloc&) {
  // The last resort (a list too large is refused by validate() first): one line, exit 1,
  // never "terminate called" and 134.
  fmt::print(stderr, "{}: error: out of memory (std::bad_alloc)\n", program.name());
  return kExitFailed;
}

}  // namespace schedlab
