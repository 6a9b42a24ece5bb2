// schedlab-bench-mpi-claims: what one chunk costs to hand out under master-worker (one master
// answers every rank), rma (MPI_Fetch_and_op on a counter, no master) and hierarchical (a
// master per node fed in batches), on tiny uniform tasks, at fixed chunks of C tasks.
// Its own harness like schedlab-bench-mpi: every rank runs every call, rank 0 reports.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <functional>
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

constexpr const char* kAbout =
    "Measures the cost per chunk handed out by master-worker, rma and hierarchical on tiny "
    "uniform tasks. Run under mpirun; rank 0 reports.";

struct ClaimRow {
  std::string strategy;
  std::size_t chunk = 1;
  double tp = 1e300;  // best wall seconds of the repeats
  bool verified = true;
};

ClaimRow measure(const std::string& strategy, std::size_t chunk, int repeat,
                 const std::vector<std::uint64_t>& reference, const RankContext& ctx,
                 const std::function<RunResult(Progress&)>& run_once, std::size_t tasks) {
  ClaimRow row{strategy, chunk};
  for (int r = 0; r < repeat; ++r) {
    Progress quiet(tasks, 0, nullptr, false);
    const RunResult run = run_once(quiet);
    row.tp = std::min(row.tp, run.wall_seconds);
    if (ctx.rank == 0) row.verified = row.verified && run.complete() && run.results == reference;
  }
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  MpiSession mpi(argc, argv);
  const bool root = mpi.rank() == 0;

  // Inputs: the options every MPI benchmark has (mpi_bench_harness.hpp), no others.
  CLI::App app{kAbout, "schedlab-bench-mpi-claims"};
  MpiBenchOptions options;
  add_mpi_bench_options(app, options, "1,16", "Fixed chunk sizes C, comma-separated");
  if (const auto code = parse_command_line(app, argc, argv, root)) return *code;
  MpiBenchSettings s;
  try {
    s = parse_mpi_bench_options(options);
  } catch (const UsageError& e) {
    return root ? report_usage_error(app.get_name(), e.what()) : kExitUsage;
  }
  const std::size_t n = s.tasks;
  const std::uint64_t units = s.units;
  const int repeat = s.repeat;

  // Compute: every rank computes in all three (the computing master, rank 0 beside its
  // counter, the node masters between their own slices), so P = ranks in each row.
  const std::vector<Task> tasks = uniform_tasks(n, units);
  const RankContext ctx{mpi.comm(), mpi.rank(), mpi.size(), 1, std::nullopt};
  std::vector<std::uint64_t> reference;
  const double t1 = serial_seconds(tasks, mpi, repeat, reference);
  std::vector<ClaimRow> rows;
  for (const std::size_t c : s.chunks) {
    // Fixed chunks of C (tss,C,C), the same chunks master-worker --chunk C sends.
    const techniques::TechniqueSpec fixed = techniques::fixed_chunk_technique(c);
    const MasterWorkerConfig mw{c, kDefaultPrefetch, true, std::nullopt, nullptr};
    rows.push_back(measure(
        "master-worker", c, repeat, reference, ctx,
        [&](Progress& p) { return run_master_worker(tasks, ctx, mw, p); }, n));
    rows.push_back(measure(
        "rma", c, repeat, reference, ctx,
        [&](Progress& p) { return run_rma(tasks, ctx, fixed, p); }, n));
    rows.push_back(measure(
        "hierarchical", c, repeat, reference, ctx,
        [&](Progress& p) { return run_hierarchical(tasks, ctx, fixed, p); }, n));
  }

  // Report: the time lost beyond T1/P, spread over the chunks handed out.
  if (!root) return kExitOk;
  const double p = mpi.size();
  std::string text = fmt::format(
      "MPI dispatch cost per chunk: {} ranks, {} tasks of {} units, best of {}; T1 = {:.3f} ms\n"
      "cost per chunk = (Tp - T1/P) x P / chunks (every rank computes: P = ranks)\n"
      "{:<13} {:>5} {:>10} {:>10} {:>15} {:>14}  {}\n",
      mpi.size(), n, units, repeat, t1 * 1e3, "strategy", "chunk", "Tp (ms)", "T1/P (ms)",
      "cost/chunk (us)", "cost/task (us)", "verification");
  bool all_verified = true;
  for (const ClaimRow& r : rows) {
    const double lost = (r.tp - t1 / p) * p;
    const auto handed = static_cast<double>((n + r.chunk - 1) / r.chunk);
    text += fmt::format("{:<13} {:>5} {:>10.3f} {:>10.3f} {:>15.3f} {:>14.3f}  {}\n", r.strategy,
                        r.chunk, r.tp * 1e3, t1 / p * 1e3, lost / handed * 1e6,
                        lost / static_cast<double>(n) * 1e6, r.verified ? "PASSED" : "FAILED");
    all_verified = all_verified && r.verified;
  }
  text += fmt::format("verification: {}\n", all_verified ? "PASSED" : "FAILED");
  std::fputs(text.c_str(), stdout);
  return all_verified ? kExitOk : kExitFailed;
}
