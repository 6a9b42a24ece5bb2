// What both MPI dispatch benchmarks (schedlab-bench-mpi, schedlab-bench-mpi-claims) share:
// their common options (--tasks, --units, --repeat, --chunks), the uniform task list, and the
// serial loop they time their strategies against.
#pragma once

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schedlab/mpi/mpi_env.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/serial/serial_loop.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {

// The options as typed (every rank parses; only rank 0 reports a bad value).
struct MpiBenchOptions {
  std::string tasks = "16384";
  std::string units = "16";
  std::string repeat = "5";
  std::string chunks;  // the benchmark's own default list
};

// The options, checked.
struct MpiBenchSettings {
  std::size_t tasks = 0;
  std::uint64_t units = 0;
  int repeat = 0;
  std::vector<std::size_t> chunks;
};

// --version and the common options; `chunks`: this benchmark's default list of C.
inline void add_mpi_bench_options(CLI::App& app, MpiBenchOptions& options,
                                  const std::string& chunks, const std::string& chunks_help) {
  app.set_version_flag("--version", kVersion);
  options.chunks = chunks;
  app.add_option("--tasks", options.tasks, "Tasks in the list")->capture_default_str();
  app.add_option("--units", options.units, "Kernel units per task")->capture_default_str();
  app.add_option("--repeat", options.repeat, "Runs per configuration; the best is kept")
      ->capture_default_str();
  app.add_option("--chunks", options.chunks, chunks_help)->capture_default_str();
}

// A comma-separated list of counts 1..2^20 ("1,4,16"); throws UsageError naming `what`.
inline std::vector<std::size_t> parse_count_list(const std::string& what, const std::string& text) {
  std::vector<std::size_t> values;
  for (std::size_t from = 0; from <= text.size();) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    values.push_back(static_cast<std::size_t>(
        parse_uint(what, std::string_view(text).substr(from, comma - from), 1, 1 << 20)));
    from = comma + 1;
  }
  return values;
}

// Throws UsageError naming the option and what is allowed.
inline MpiBenchSettings parse_mpi_bench_options(const MpiBenchOptions& options) {
  MpiBenchSettings s;
  s.tasks = static_cast<std::size_t>(parse_uint("--tasks", options.tasks, 1, kMaxTasks));
  s.units = parse_uint("--units", options.units, 1, std::uint64_t{1} << 32);
  s.repeat = static_cast<int>(parse_uint("--repeat", options.repeat, 1, 1000));
  s.chunks = parse_count_list("--chunks", options.chunks);
  return s;
}

// N tasks of `units` each: tiny uniform tasks, so that what is measured is the dispatch.
inline std::vector<Task> uniform_tasks(std::size_t tasks, std::uint64_t units) {
  WorkloadSpec spec;
  spec.kind = WorkloadKind::kUniform;
  spec.tasks = tasks;
  spec.size = units;
  return make_workload(spec);
}

// T1 at rank 0 (1e300 elsewhere), best of `repeat`, while the other ranks wait asleep (a
// spinning wait would take a core from it when ranks outnumber cores); `reference` gets the
// serial results to verify against.
inline double serial_seconds(const std::vector<Task>& tasks, const MpiSession& mpi, int repeat,
                             std::vector<std::uint64_t>& reference) {
  double best = 1e300;
  if (mpi.rank() == 0) {
    for (int r = 0; r < repeat; ++r) {
      Progress quiet(tasks.size(), 0, nullptr, false);
      RunResult run = run_serial(tasks, std::nullopt, quiet);
      best = std::min(best, run.wall_seconds);
      reference = std::move(run.results);
    }
  }
  barrier_without_spinning(mpi.comm());
  return best;
}

}  // namespace schedlab
