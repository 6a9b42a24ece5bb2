// schedlab-bench-mpi: what master-worker (mpi/) costs per chunk handed out, with and without
// prefetch, at chunk 1..64, and per registry technique (ss, gss, fac2, awf-b...) with the
// master's own service time per chunk. Google Benchmark cannot run under MPI, so this is
// its own harness: every rank runs the same calls, rank 0 times them and reports.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "mpi_bench_harness.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/mpi/mpi_env.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/progress.hpp"
#include "schedlab/serial/serial_loop.hpp"
#include "schedlab/workload.hpp"

namespace {

using namespace schedlab;

// The common options (--tasks, --units, --repeat, --chunks) and this benchmark's own.
struct DispatchSettings : MpiBenchSettings {
  std::vector<std::size_t> prefetches{1, 2, 4};  // 1: no prefetch (hold only the current chunk)
  std::vector<std::string> techniques{"ss", "gss", "fac2", "awf-b"};
};

// One technique, measured: its dispatch cost per chunk must not grow with the technique
// (the master asks it once per chunk), and the master's busy time per reply is what
// schedlab-report --predict --master-service takes.
struct TechniqueRow {
  std::string name;
  double tp = 0;
  std::size_t chunks = 0;  // per run
  double service = 0;      // master's seconds per reply served, best run
  double sizing = 0;       // seconds inside the technique per chunk, best run
  double per_task = 0;     // master's seconds per reply / tasks per reply, best run
  bool verified = true;
};

// One configuration, measured.
struct DispatchRow {
  MasterWorkerConfig config;
  int computing_ranks = 1;
  double tp = 0;  // best wall seconds of the repeats
  bool verified = false;
};

DispatchRow measure(const std::vector<Task>& tasks, const RankContext& ctx,
                    const MasterWorkerConfig& config, int repeat,
                    const std::vector<std::uint64_t>& reference) {
  DispatchRow row{config, ctx.ranks - (config.master_computes ? 0 : 1), 1e300, true};
  for (int r = 0; r < repeat; ++r) {
    Progress quiet(tasks.size(), 0, nullptr, false);
    const RunResult run = run_master_worker(tasks, ctx, config, quiet);
    row.tp = std::min(row.tp, run.wall_seconds);
    if (ctx.rank == 0) row.verified = row.verified && run.complete() && run.results == reference;
  }
  return row;
}

TechniqueRow measure_technique(const std::vector<Task>& tasks, const RankContext& ctx,
                               const techniques::TechniqueSpec& spec, int repeat,
                               const std::vector<std::uint64_t>& reference) {
  TechniqueRow row{spec.text(), 1e300, 0, 1e300, 1e300, 1e300, true};
  for (int r = 0; r < repeat; ++r) {
    MasterWorkerStats stats;
    Progress quiet(tasks.size(), 0, nullptr, false);
    const RunResult run = run_master_worker(
        tasks, ctx, {1, kDefaultPrefetch, true, spec, ctx.rank == 0 ? &stats : nullptr}, quiet);
    if (ctx.rank != 0) continue;
    row.tp = std::min(row.tp, run.wall_seconds);
    row.chunks = stats.chunks;
    row.service = std::min(row.service, stats.service_per_chunk());
    if (stats.chunks > 0) {
      const auto chunks = static_cast<double>(stats.chunks);
      row.sizing = std::min(row.sizing, stats.technique_seconds / chunks);
      row.per_task = std::min(
          row.per_task, stats.service_per_chunk() * chunks / static_cast<double>(tasks.size()));
    }
    row.verified = row.verified && run.complete() && run.results == reference;
  }
  return row;
}

std::string technique_table(const std::vector<TechniqueRow>& rows, std::size_t tasks, int ranks,
                            double t1) {
  std::string text = fmt::format(
      "\nper technique (computing master, prefetch {}, {} ranks): cost per chunk = (Tp - T1/P) "
      "x P / chunks;\nservice = rank 0's busy time per reply (receive, record its tasks, size the "
      "next chunk, send);\nsizing = time inside the technique per chunk (next_chunk + "
      "chunk_finished): what must not grow\n{:<9} {:>7} {:>9} {:>15} {:>12} {:>16} {:>11}  {}\n",
      kDefaultPrefetch, ranks, "technique", "chunks", "Tp (ms)", "cost/chunk (us)", "service (us)",
      "service/task (us)", "sizing (us)", "verification");
  for (const TechniqueRow& r : rows) {
    const double p = ranks;
    const double lost = (r.tp - t1 / p) * p;
    text += fmt::format(
        "{:<9} {:>7} {:>9.3f} {:>15.3f} {:>12.3f} {:>16.3f} {:>11.3f}  {}\n", r.name, r.chunks,
        r.tp * 1e3, r.chunks > 0 ? lost / static_cast<double>(r.chunks) * 1e6 : 0.0,
        r.service * 1e6, r.per_task * 1e6, r.sizing * 1e6, r.verified ? "PASSED" : "FAILED");
  }
  (void)tasks;
  return text;
}

std::string header(const DispatchSettings& s, int ranks, double t1) {
  return fmt::format(
      "MPI master-worker dispatch cost: {} ranks, {} tasks of {} units, best of {}; "
      "T1 = {:.3f} ms (serial loop, rank 0)\n"
      "cost per chunk = (Tp - T1/Pc) x Pc / chunks, Pc = computing ranks; prefetch 1 = none\n"
      "{:<9} {:>5} {:>8} {:>3} {:>10} {:>10} {:>15} {:>14} {:>10}  {}\n",
      ranks, s.tasks, s.units, s.repeat, t1 * 1e3, "master", "chunk", "prefetch", "Pc", "Tp (ms)",
      "T1/Pc (ms)", "cost/chunk (us)", "cost/task (us)", "tasks/s", "verification");
}

std::string format_row(const DispatchRow& r, std::size_t tasks, double t1) {
  const double pc = r.computing_ranks;
  const double lost = (r.tp - t1 / pc) * pc;  // worker-seconds beyond the ideal
  const auto n = static_cast<double>(tasks);
  const std::size_t whole_chunks = (tasks + r.config.chunk - 1) / r.config.chunk;
  const auto chunks = static_cast<double>(whole_chunks);
  return fmt::format(
      "{:<9} {:>5} {:>8} {:>3} {:>10.3f} {:>10.3f} {:>15.3f} {:>14.3f} {:>10.3g}  {}\n",
      r.config.master_computes ? "computes" : "dedicated", r.config.chunk, r.config.prefetch,
      r.computing_ranks, r.tp * 1e3, t1 / pc * 1e3, lost / chunks * 1e6, lost / n * 1e6, n / r.tp,
      r.verified ? "PASSED" : "FAILED");
}

// --technique NAME: a technique that hands chunks out (a plan hands nothing out); throws
// UsageError naming it.
void check_dispatched(const std::string& name) {
  try {
    const auto spec = techniques::parse_technique(name);
    if (spec.info->dispatch == techniques::Dispatch::kPlan) {
      throw UsageError(fmt::format(
          "--technique '{}': a plan hands nothing out; expected a dispatched technique", name));
    }
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--technique '{}': {}", name, e.what()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace schedlab;
  MpiSession mpi(argc, argv);
  const bool root = mpi.rank() == 0;

  // Inputs (every rank parses; only rank 0 reports a bad value).
  CLI::App app{
      "Measures master-worker's cost per chunk handed out, with and without prefetch, "
      "on tiny tasks. Run under mpirun; rank 0 reports.",
      "schedlab-bench-mpi"};
  MpiBenchOptions options;
  std::string prefetch_text = "1,2,4";
  bool quick = false;
  std::vector<std::string> technique_names;
  add_mpi_bench_options(app, options, "1,4,16,64", "Chunk sizes to measure, comma-separated");
  app.add_option("--prefetch", prefetch_text, "Prefetch depths to measure (1: none)")
      ->capture_default_str();
  app.add_option("--technique", technique_names,
                 "Techniques to measure per chunk (repeatable; default ss, gss, fac2, awf-b)");
  app.add_flag("--quick", quick, "2048 tasks, best of 2, chunk 1 and 16 only: a smoke run");
  if (const auto code = parse_command_line(app, argc, argv, root)) return *code;
  DispatchSettings s;
  try {
    static_cast<MpiBenchSettings&>(s) = parse_mpi_bench_options(options);
    s.prefetches = parse_count_list("--prefetch", prefetch_text);
    if (!technique_names.empty()) s.techniques = technique_names;
    for (const std::string& name : s.techniques) check_dispatched(name);
  } catch (const UsageError& e) {
    return root ? report_usage_error(app.get_name(), e.what()) : kExitUsage;
  }
  if (quick) {
    s.tasks = 2048;
    s.repeat = 2;
    s.chunks = {1, 16};
  }

  // Compute: every rank takes part in every run; rank 0 keeps the times.
  const std::vector<Task> tasks = uniform_tasks(s.tasks, s.units);
  const RankContext ctx{mpi.comm(), mpi.rank(), mpi.size(), 1, std::nullopt};
  std::vector<std::uint64_t> reference;
  const double t1 = serial_seconds(tasks, mpi, s.repeat, reference);
  std::vector<DispatchRow> rows;
  for (const bool computes : {true, false}) {
    if (!computes && mpi.size() < 2) continue;  // a dedicated master needs a worker
    for (const std::size_t chunk : s.chunks) {
      for (const std::size_t prefetch : s.prefetches) {
        rows.push_back(measure(tasks, ctx, {chunk, prefetch, computes, std::nullopt, nullptr},
                               s.repeat, reference));
      }
    }
  }

  std::vector<TechniqueRow> by_technique;
  for (const std::string& name : s.techniques) {
    by_technique.push_back(
        measure_technique(tasks, ctx, techniques::parse_technique(name), s.repeat, reference));
  }

  // Report (rank 0), and fail if any run's results differ from the serial loop's.
  if (!root) return kExitOk;
  std::string text = header(s, mpi.size(), t1);
  bool all_verified = true;
  for (const DispatchRow& row : rows) {
    text += format_row(row, s.tasks, t1);
    all_verified = all_verified && row.verified;
  }
  text += technique_table(by_technique, s.tasks, mpi.size(), t1);
  for (const TechniqueRow& row : by_technique) all_verified = all_verified && row.verified;
  text += fmt::format("verification: {}\n", all_verified ? "PASSED" : "FAILED");
  std::fputs(text.c_str(), stdout);
  return all_verified ? kExitOk : kExitFailed;
}
