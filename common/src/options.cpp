// Shared options: declaration (CLI11), validation, and the one-line usage-error rule.
#include "schedlab/options.hpp"

#include <fmt/format.h>
#include <sched.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "schedlab/application.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/steps.hpp"

namespace schedlab {

void add_common_options(CLI::App& app, CommonOptions& o) {
  app.set_version_flag("--version", kVersion);
  app.add_option("--workload", o.workload,
                 "Task list: uniform | nonuniform | increasing | skewed | file:PATH, or an "
                 "application: mandelbrot (task = one row of a tasks x tasks image) | spmv "
                 "(task = one row of a sparse matrix-vector product) | triad (task = one "
                 "block of a[i] = b[i] + 3 c[i])")
      ->capture_default_str();
  app.add_option("--tasks", o.tasks,
                 "Number of tasks (default: one per CPU of the job: the CPUs this process "
                 "may run on (affinity), at most SLURM_CPUS_PER_TASK and OMP_NUM_THREADS, "
                 "x MPI ranks)");
  app.add_option("--size", o.size,
                 "Base task size in kernel units (default 12000000 uniform, 8000000 nonuniform); "
                 "mandelbrot: iteration cap (1000), spmv: mean nonzeros a row (4000), triad: "
                 "doubles a block (65536)");
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
  app.add_option("--image", o.image,
                 "mandelbrot: write the picture the workers computed to FILE.png and the cost "
                 "map (each row's serial time) to FILE-cost.png");
  app.add_option("--progress", o.progress,
                 "Print 'k/N finished...' every K completions (0: off; a bar on a terminal)")
      ->capture_default_str();
  app.add_option("--fail-task", o.fail_task, "Make task K throw (failure injection)");
  app.add_option("--trace", o.trace,
                 "What each task records: tasks (its CPU, start and end: the timeline, LB and "
                 "Tp/L; ~60-70 ns a task) | off (only who ran it: a few ns a task, for "
                 "granularity sweeps; LB, Tp/L and the timeline are not measured)")
      ->capture_default_str();
  app.add_option("--steps", o.steps,
                 "Run the loop T times per run, a barrier between steps, as an application's "
                 "time loop (1 to 10000); adaptive techniques carry what they learned to the "
                 "next step. Several rows (--schedule all, all-fixed, ...) run step by step "
                 "interleaved: step 0 of every row, then step 1 of every row, ..., so that "
                 "every row meets the machine's same moments")
      ->capture_default_str();
  app.add_flag("--drift", o.drift, "The load moves between steps (needs --steps 2 or more)");
  app.add_option("--perturb", o.perturb,
                 "Inject a perturbation (repeat for several): comma-separated key=value: "
                 "worker=W (global id rank*threads+thread; default every worker) and one of "
                 "slow=F (each task takes F times as long), pause=S,every=E (stop S s every E s), "
                 "latency=S (S s added to each MPI dispatch; schedlab-mpi only); optional from=S "
                 "(seconds into the row's own run) and from_step=K. E.g. worker=1,slow=3")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("--timeline", o.timeline,
               "Print a text timeline: which worker ran which task, when");
  app.add_flag("--show-order", o.show_order, "Print the order in which tasks completed");
  app.add_flag("--print-tasks", o.print_tasks, "Print the task sizes, one per line, and exit");
  app.add_flag(
      "--print-chunks", o.print_chunks,
      "Print the chunk sizes of the chosen technique or pragma, in dispatch order, on one line, "
      "for --tasks and the workers (threads, or ranks), and exit without running; "
      "adaptive techniques cannot (exit 2)");
}

bool names_option(const std::vector<std::string>& args, std::string_view option) {
  return std::any_of(args.begin(), args.end(), [&](const std::string& a) {
    return a == option || (a.size() > option.size() && a.compare(0, option.size(), option) == 0 &&
                           a[option.size()] == '=');
  });
}

namespace {

// Levenshtein distance: the number of single-letter edits from a to b.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "--thread: no such option; did you mean --threads?" for the first unknown option in args
// that is close to a real one, else "".
std::string advice_for_unknown_option(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  for (const std::string& arg : args) {
    if (arg.rfind("--", 0) != 0 || arg.size() < 3) continue;
    const std::string name = arg.substr(0, arg.find('='));
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    if (const std::string match = closest_match(name, names); !match.empty()) {
      return fmt::format("{}: no such option, did you mean {}? (see --help)", name, match);
    }
  }
  return {};
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Two edits for words of 6 letters or more, one below: "tsk" is not a typo of "tasks".
  const std::size_t allowed = word.size() >= 6 ? 2 : 1;
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d > 0 && d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string idle_workers_warning(int ranks, int threads, std::size_t tasks) {
  const auto workers = static_cast<std::size_t>(ranks) * static_cast<std::size_t>(threads);
  if (tasks >= workers) return {};
  const std::string who =
      ranks == 1     ? fmt::format("{} threads", threads)
      : threads == 1 ? fmt::format("{} ranks", ranks)
                     : fmt::format("{} workers ({} ranks x {} threads)", workers, ranks, threads);
  return fmt::format(
      "{} for {} tasks: {} of them will have nothing to do and the speedup cannot pass {}; "
      "give --tasks {} or more, or start fewer",
      who, tasks, workers - tasks, tasks, workers);
}

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, bool report,
                                      const Advisor& advise) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    if (report) std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    if (report) std::puts(kVersion);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // CLI11 says what it could not read; advice says what to write instead.
    const std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
    std::string advice = advise ? advise(args) : std::string();
    if (advice.empty()) advice = advice_for_unknown_option(app, args);
    if (report) {
      report_usage_error(app.get_name(),
                         advice.empty() ? fmt::format("{} (see --help)", e.what()) : advice);
    }
    return kExitUsage;
  }
  // An empty value (an unset shell variable in a job script: --tasks "$N") is a mistake,
  // never a request for the default.
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_type_size_max() == 0) continue;  // a flag takes no value
    for (const std::string& value : option->results()) {
      if (!value.empty()) continue;
      if (report) {
        report_usage_error(app.get_name(),
                           fmt::format("{} '': expected a value (an empty argument; is a shell "
                                       "variable unset?)",
                                       option->get_name()));
      }
      return kExitUsage;
    }
  }
  return std::nullopt;
}

std::size_t logical_cpus() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

namespace {

// A positive count from the environment (OMP_NUM_THREADS "4,2": the first level), or 0
// when the variable is unset or not a positive number.
std::size_t positive_env(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr) return 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || value == 0 || (*end != '\0' && *end != ',')) return 0;
  return static_cast<std::size_t>(value);
}

}  // namespace

std::size_t job_cpus_per_process(std::size_t affinity_cpus) {
  std::size_t cpus = std::max<std::size_t>(affinity_cpus, 1);
  // Where SLURM does not bind (TaskPlugin=task/none), the mask is the whole node: the
  // job's share per task is SLURM_CPUS_PER_TASK. The threads a process will start are
  // OMP_NUM_THREADS. Each can only lower the count.
  for (const char* name : {"SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"}) {
    const std::size_t limit = positive_env(name);
    if (limit > 0) cpus = std::min(cpus, limit);
  }
  return cpus;
}

std::size_t cpus_of_this_process() {
  // The mask is what mpirun --bind-to, srun --cpu-bind, taskset or a cgroup left us; the
  // machine's CPU count would count other jobs' cores too.
  cpu_set_t set;
  CPU_ZERO(&set);
  const bool known = sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0;
  return job_cpus_per_process(known ? static_cast<std::size_t>(CPU_COUNT(&set)) : logical_cpus());
}

std::size_t default_task_count(std::size_t cpus_per_process, int processes) {
  const std::size_t count = cpus_per_process * static_cast<std::size_t>(std::max(processes, 1));
  return std::min(count, kMaxTasks);
}

// An output file's folder must exist before any work starts: a run of an hour must not end
// in "cannot write". (The file itself is created or appended to at the end.)
void check_output_path(std::string_view option, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return;
  const fs::path file(path);
  const fs::path folder = file.has_parent_path() ? file.parent_path() : ".";
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw UsageError(
        fmt::format("{} '{}': the folder '{}' does not exist (expected a file in an "
                    "existing folder; create it first: mkdir -p {})",
                    option, path, folder.string(), folder.string()));
  }
  // status() follows symlinks: a link to a regular file is fine (it is written through).
  const fs::file_status status = fs::status(file, ec);
  if (fs::is_directory(status)) {
    throw UsageError(fmt::format("{} '{}': is a folder (expected a file name)", option, path));
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    const char* what = fs::is_fifo(status)             ? "a FIFO"
                       : fs::is_socket(status)         ? "a socket"
                       : fs::is_character_file(status) ? "a device"
                       : fs::is_block_file(status)     ? "a device"
                                                       : "not a regular file";
    throw UsageError(fmt::format("{} '{}': is {} (expected a regular file, which the run writes)",
                                 option, path, what));
  }
}

namespace {

// A "Name:   1234 kB" line of /proc/meminfo or /proc/self/status, in bytes; nullopt if absent.
std::optional<std::uint64_t> proc_kilobytes(const char* file, std::string_view name) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':') {
      const std::uint64_t kb = std::strtoull(line.c_str() + name.size() + 1, nullptr, 10);
      return kb * 1024;
    }
  }
  return std::nullopt;
}

std::string gigabytes(std::uint64_t bytes) {
  return fmt::format("{:.2f} GB", static_cast<double>(bytes) / 1e9);
}

}  // namespace

MemoryRoom available_memory() {
  MemoryRoom room{std::numeric_limits<std::uint64_t>::max(), "unknown"};
  if (const auto available = proc_kilobytes("/proc/meminfo", "MemAvailable")) {
    room = {*available, "MemAvailable in /proc/meminfo"};
  }
  // Under ulimit -v (RLIMIT_AS) or ulimit -d (RLIMIT_DATA) what is left of the limit may be less.
  const std::pair<int, const char*> limits[] = {{RLIMIT_AS, "VmSize"}, {RLIMIT_DATA, "VmData"}};
  for (const auto& [resource, used_name] : limits) {
    rlimit limit{};
    if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) continue;
    const std::uint64_t used = proc_kilobytes("/proc/self/status", used_name).value_or(0);
    const std::uint64_t cap = static_cast<std::uint64_t>(limit.rlim_cur);
    const std::uint64_t left = cap > used ? cap - used : 0;
    if (left < room.bytes) {
      room = {left, fmt::format("left under the {} limit of {} (ulimit -{})",
                                resource == RLIMIT_AS ? "RLIMIT_AS" : "RLIMIT_DATA", gigabytes(cap),
                                resource == RLIMIT_AS ? 'v' : 'd')};
    }
  }
  return room;
}

void check_memory(std::string_view what, std::uint64_t need) {
  const MemoryRoom room = available_memory();
  if (need <= room.bytes) return;
  throw UsageError(fmt::format("{}: needs about {} of memory, more than the {} available ({})",
                               what, gigabytes(need), gigabytes(room.bytes), room.source));
}

std::uint64_t run_memory_estimate(std::size_t tasks, bool with_json, std::size_t strategies) {
  const std::uint64_t more = strategies > 1 ? strategies - 1 : 0;
  const std::uint64_t per_task =
      with_json ? kRunBytesPerTaskWithJson + more * kMoreBytesPerTaskPerStrategyWithJson
                : kRunBytesPerTask + more * kMoreBytesPerTaskPerStrategy;
  return static_cast<std::uint64_t>(tasks) * per_task;
}

std::string steps_factor(int steps) {
  return steps > 1 ? fmt::format(" x --steps {}", steps) : std::string();
}

namespace {
// --image: mandelbrot only, a .png name, and both files creatable.
void check_image_option(const std::string& image, WorkloadKind kind) {
  if (kind != WorkloadKind::kMandelbrot) {
    throw UsageError(fmt::format(
        "--image '{}': only with --workload mandelbrot (the one workload that draws a picture), "
        "not {}",
        image, to_string(kind)));
  }
  if (cost_map_path(image).empty()) {
    throw UsageError(fmt::format("--image '{}': expected a file name ending in .png", image));
  }
  check_output_path("--image", image);
}

// --workload and the options that shape its task list (--tasks, --size, --spread, --seed,
// --scale), into s.workload.
void validate_workload(const CommonOptions& o, RunSettings& s) {
  WorkloadSpec& w = s.workload;
  constexpr std::string_view kFile = "file:";
  if (o.workload.rfind(kFile, 0) == 0) {
    w.kind = WorkloadKind::kFile;
    w.path = o.workload.substr(kFile.size());
    if (w.path.empty()) throw UsageError("--workload 'file:': expected file:PATH with a path");
  } else if (const auto kind = parse_workload_kind(o.workload);
             kind && *kind != WorkloadKind::kFile) {
    w.kind = *kind;
  } else {
    const std::string match = closest_match(o.workload, {"uniform", "nonuniform", "increasing",
                                                         "skewed", "mandelbrot", "spmv", "triad"});
    throw UsageError(fmt::format("--workload '{}': {}expected one of {}", o.workload,
                                 match.empty() ? "" : fmt::format("did you mean {}? ", match),
                                 kWorkloadKinds));
  }
  if (w.kind == WorkloadKind::kFile) {
    if (!o.tasks.empty()) {
      throw UsageError(
          fmt::format("--tasks {}: not allowed with --workload file:PATH (the file "
                      "gives the tasks)",
                      o.tasks));
    }
  } else {
    s.tasks_from_allocation = o.tasks.empty();
    w.tasks = o.tasks.empty()
                  ? default_task_count(cpus_of_this_process(), 1)
                  : static_cast<std::size_t>(parse_uint("--tasks", o.tasks, 1, kMaxTasks));
  }
  const std::uint64_t default_size = default_task_size(w.kind);
  w.size = o.size.empty() ? default_size : parse_uint("--size", o.size, 1, kMaxTaskSize);
  w.spread =
      o.spread.empty() ? kNonuniformSpread : parse_uint("--spread", o.spread, 0, kMaxTaskSize);
  w.seed = parse_uint("--seed", o.seed, 0, UINT64_MAX);
  w.scale = parse_positive_double("--scale", o.scale, 1e6);
}
}  // namespace

RunSettings validate(const CommonOptions& o) {
  RunSettings s;
  validate_workload(o, s);
  const WorkloadSpec& w = s.workload;
  s.repeat = static_cast<int>(parse_uint("--repeat", o.repeat, 1, 1000));
  s.progress = static_cast<std::size_t>(parse_uint("--progress", o.progress, 0, kMaxTasks));
  if (!o.fail_task.empty()) {
    s.fail_task =
        static_cast<std::size_t>(parse_uint("--fail-task", o.fail_task, 0, kMaxTasks - 1));
  }
  s.csv = o.csv;
  s.json = o.json;
  check_output_path("--csv", s.csv);
  check_output_path("--json", s.json);
  if (!s.csv.empty() && s.csv == s.json) {
    throw UsageError(fmt::format("--csv and --json '{}': expected two different files", s.csv));
  }
  s.image = o.image;
  if (!s.image.empty()) check_image_option(s.image, w.kind);
  if (const auto level = parse_trace_level(o.trace)) {
    s.trace = *level;
  } else {
    throw UsageError(
        fmt::format("--trace '{}': expected tasks (per-task times) or off (none)", o.trace));
  }
  s.timeline = o.timeline;
  s.show_order = o.show_order;
  if (s.trace == TraceLevel::kOff && (s.timeline || s.show_order)) {
    throw UsageError(
        fmt::format("{} needs per-task times: use --trace tasks (the default), not "
                    "--trace off",
                    s.timeline ? "--timeline" : "--show-order"));
  }
  if (!s.image.empty() && s.trace == TraceLevel::kOff) {
    throw UsageError(
        fmt::format("--image '{}' draws each row's time beside the picture: use --trace tasks "
                    "(the default), not --trace off",
                    s.image));
  }
  s.steps = static_cast<int>(parse_uint("--steps", o.steps, 1, kMaxSteps));
  s.drift = o.drift;
  if (s.drift && s.steps < 2) {
    throw UsageError(fmt::format(
        "--drift moves the load between steps: it needs --steps 2 or more (--steps is {})",
        s.steps));
  }
  for (const std::string& spec : o.perturb) s.perturbations.push_back(parse_perturbation(spec));
  s.print_tasks = o.print_tasks;
  s.print_chunks = o.print_chunks;
  // The task list, the serial baseline's and one strategy's results and traces (and the JSON
  // record built from them) must fit: refused before anything is allocated, not by a
  // std::bad_alloc an hour later. (A file workload is checked once it is read: make_workload.)
  if (w.kind != WorkloadKind::kFile && !s.print_tasks && !s.print_chunks) {
    // Each step keeps its results and trace: a run holds --tasks x --steps of them.
    const std::uint64_t run =
        run_memory_estimate(w.tasks * static_cast<std::size_t>(s.steps), !s.json.empty());
    const std::uint64_t data = application_bytes(w);  // the matrix, the arrays, the image
    check_memory(fmt::format("--tasks {}{}", w.tasks, steps_factor(s.steps)),
                 data > UINT64_MAX - run ? UINT64_MAX : run + data);
  }
  return s;
}

void check_fail_task(const RunSettings& s, std::size_t task_count) {
  if (s.fail_task && *s.fail_task >= task_count) {
    throw UsageError(
        fmt::format("--fail-task {}: expected a task id from 0 to {} (the list has {} "
                    "tasks)",
                    *s.fail_task, task_count - 1, task_count));
  }
}

int report_usage_error(const std::string& program, const std::string& message) {
  // A value holding a newline (or any control character) is shown escaped: one line.
  std::fprintf(stderr, "%s: error: %s\n", program.c_str(), printable(message).c_str());
  return kExitUsage;
}

}  // namespace schedlab
