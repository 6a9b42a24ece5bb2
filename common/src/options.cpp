// Shared options: declaration (CLI11), validation, and the one-line usage-error rule.
#include "schedlab/options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "schedlab/errors.hpp"
#include "schedlab/parse.hpp"

namespace schedlab {

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.set_version_flag("--version", kVersion);
  app.add_option("--workload", o.workload,
                 "Task list: uniform | nonuniform | increasing | skewed | file:PATH")
      ->capture_default_str();
  app.add_option("--tasks", o.tasks,
                 "Number of tasks (default: logical CPUs, like os.cpu_count())");
  app.add_option("--size", o.size,
                 "Base task size in kernel units (default 12000000 uniform, 8000000 nonuniform)");
  app.add_option("--spread", o.spread,
                 "nonuniform: each task is size + randint(0, spread) (default 8000000)");
  app.add_option("--seed", o.seed, "nonuniform: seed of Python's random.Random(seed)")
      ->capture_default_str();
  app.add_option("--scale", o.scale, "Multiply every task size by this factor")
      ->capture_default_str();
  app.add_option("--repeat", o.repeat, "Run each strategy R times; report min and median")
      ->capture_default_str();
  app.add_option("--csv", o.csv, "Append one row per strategy to this CSV file");
  app.add_option("--json", o.json, "Write the full record (with per-task trace) to this file");
  app.add_option("--progress", o.progress,
                 "Print 'k/N finished...' every K completions (0: off; a bar on a terminal)")
      ->capture_default_str();
  app.add_option("--fail-task", o.fail_task, "Make task K throw (failure injection)");
  app.add_flag("--timeline", o.timeline, "Print a text timeline: which worker ran which task, when");
  app.add_flag("--show-order", o.show_order, "Print the order in which tasks completed");
  app.add_flag("--print-tasks", o.print_tasks, "Print the task sizes, one per line, and exit");
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, bool report) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    if (report) std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    if (report) std::puts(kVersion);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    if (report) report_usage_error(app.get_name(), fmt::format("{} (see --help)", e.what()));
    return kExitUsage;
  }
  return std::nullopt;
}

std::size_t logical_cpus() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

namespace {
// An output file's folder must exist before any work starts: a run of an hour must not end
// in "cannot write". (The file itself is created or appended to at the end.)
void check_output_path(std::string_view option, const std::string& path) {
  if (path.empty()) return;
  const std::filesystem::path file(path);
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    throw UsageError(fmt::format("{} '{}': the folder '{}' does not exist (expected a file in an "
                                 "existing folder)", option, path, folder.string()));
  }
  if (std::filesystem::is_directory(file, ec)) {
    throw UsageError(fmt::format("{} '{}': is a folder (expected a file name)", option, path));
  }
}
}  // namespace

RunSettings validate(const CommonOptions& o) {
  RunSettings s;
  WorkloadSpec& w = s.workload;
  constexpr std::string_view kFile = "file:";
  if (o.workload.rfind(kFile, 0) == 0) {
    w.kind = "file";
    w.path = o.workload.substr(kFile.size());
    if (w.path.empty()) throw UsageError("--workload 'file:': expected file:PATH with a path");
  } else if (o.workload == "uniform" || o.workload == "nonuniform" ||
             o.workload == "increasing" || o.workload == "skewed") {
    w.kind = o.workload;
  } else {
    throw UsageError(fmt::format("--workload '{}': expected one of {}", o.workload, kWorkloadKinds));
  }
  if (w.kind == "file") {
    if (!o.tasks.empty()) {
      throw UsageError(fmt::format("--tasks {}: not allowed with --workload file:PATH (the file "
                                   "gives the tasks)", o.tasks));
    }
  } else {
    w.tasks = o.tasks.empty() ? logical_cpus()
                              : static_cast<std::size_t>(parse_uint("--tasks", o.tasks, 1, kMaxTasks));
  }
  const std::uint64_t default_size = w.kind == "nonuniform" ? kNonuniformSize : kUniformSize;
  w.size = o.size.empty() ? default_size : parse_uint("--size", o.size, 1, kMaxTaskSize);
  w.spread = o.spread.empty() ? kNonuniformSpread
                              : parse_uint("--spread", o.spread, 0, kMaxTaskSize);
  w.seed = parse_uint("--seed", o.seed, 0, UINT64_MAX);
  w.scale = parse_positive_double("--scale", o.scale, 1e6);
  s.repeat = static_cast<int>(parse_uint("--repeat", o.repeat, 1, 1000));
  s.progress = static_cast<std::size_t>(parse_uint("--progress", o.progress, 0, kMaxTasks));
  if (!o.fail_task.empty()) {
    s.fail_task = static_cast<std::size_t>(parse_uint("--fail-task", o.fail_task, 0, kMaxTasks - 1));
  }
  s.csv = o.csv;
  s.json = o.json;
  check_output_path("--csv", s.csv);
  check_output_path("--json", s.json);
  if (!s.csv.empty() && s.csv == s.json) {
    throw UsageError(fmt::format("--csv and --json '{}': expected two different files", s.csv));
  }
  s.timeline = o.timeline;
  s.show_order = o.show_order;
  s.print_tasks = o.print_tasks;
  return s;
}

void check_fail_task(const RunSettings& s, std::size_t task_count) {
  if (s.fail_task && *s.fail_task >= task_count) {
    throw UsageError(fmt::format("--fail-task {}: expected a task id from 0 to {} (the list has {} "
                                 "tasks)",
                                 *s.fail_task, task_count - 1, task_count));
  }
}

int report_usage_error(const std::string& program, const std::string& message) {
  std::fprintf(stderr, "%s: error: %s\n", program.c_str(), message.c_str());
  return kExitUsage;
}

}  // namespace schedlab
