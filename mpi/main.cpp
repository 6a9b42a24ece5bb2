// schedlab-mpi: the shared task list across MPI ranks (static block, cyclic,
// master-worker; hybrid with --threads), verified against the serial loop run on rank 0.
// Every rank runs this main; only rank 0 prints.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <mpi.h>
#include <sched.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <optional>
#include <utility>

#include "mpi_env.hpp"
#include "mpi_options.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/options.hpp"
#include "schedlab/report.hpp"
#include "serial_loop.hpp"
#include "strategies.hpp"

namespace {
using namespace schedlab;

// Every rank validated the same input; if any found a problem, the lowest such rank prints
// its one line and every rank returns true (and exits 2) - no MPI_Abort, no hang.
bool agree_on_usage_error(const std::string& message, const MpiSession& mpi,
                          const std::string& program) {
  int reporter = message.empty() ? mpi.size() : mpi.rank();
  MPI_Allreduce(MPI_IN_PLACE, &reporter, 1, MPI_INT, MPI_MIN, mpi.comm());
  if (reporter == mpi.size()) return false;
  if (reporter == mpi.rank()) report_usage_error(program, message);
  return true;
}

// A signal seen by any rank stops every rank before the next strategy.
bool agree_on_interrupt(MPI_Comm comm) {
  int signal = interrupt_signal();
  MPI_Allreduce(MPI_IN_PLACE, &signal, 1, MPI_INT, MPI_MAX, comm);
  if (signal != 0 && !interrupt_requested()) request_interrupt(signal);
  return signal != 0;
}

// The CPUs this rank may run on. mpirun binds each rank to one core by default when
// np <= 2, and then all threads of a hybrid rank share that core.
std::vector<int> cpus_of_this_rank() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

int run(MpiSession& mpi, int argc, char** argv) {
  const bool root = mpi.rank() == 0;
  // Inputs: every rank parses and validates the same command line, so all reach the same
  // verdict; only rank 0 would print it.
  CLI::App app{
      "Runs the shared task list across MPI ranks: static block, cyclic and "
      "master-worker, each verified against the serial loop (run on rank 0).",
      "schedlab-mpi"};
  CommonOptions options;
  MpiOptions mpi_options;
  add_common_options(app, options);
  add_mpi_options(app, mpi_options);
  if (const auto code = parse_command_line(app, argc, argv, root)) return *code;

  RunInfo info{"schedlab-mpi", join_command_line(argc, argv), {}, mpi.size(), 1, {}};
  MpiSettings m;
  std::vector<Task> tasks;
  std::string usage_error;
  try {
    info.settings = validate(options);
    m = validate_mpi_options(mpi_options, mpi.size());
    tasks = make_workload(info.settings.workload);
    check_fail_task(info.settings, tasks.size());
  } catch (const UsageError& e) {
    usage_error = e.what();
  }
  if (agree_on_usage_error(usage_error, mpi, app.get_name())) return kExitUsage;
  if (m.threads > 1 && mpi.provided() < MPI_THREAD_FUNNELED) {
    if (root) report_usage_error(app.get_name(), "--threads: this MPI offers no thread support");
    return kExitUsage;
  }
  const RunSettings& s = info.settings;
  if (s.print_tasks) {
    if (root) print_tasks(stdout, tasks);
    return kExitOk;
  }
  info.threads = m.threads;
  const std::vector<int> cpus = cpus_of_this_rank();
  info.binding = {{"OMP_PROC_BIND", env_or_unset("OMP_PROC_BIND")},
                  {"OMP_PLACES", env_or_unset("OMP_PLACES")},
                  {"rank0_cpus", fmt::format("{}", fmt::join(cpus, ","))}};
  const RankContext ctx{mpi.comm(), mpi.rank(), mpi.size(), m.threads, s.fail_task};

  // Compute. The serial baseline runs on rank 0 alone; the other ranks wait at a barrier
  // that sleeps instead of spinning, so T1 is not slowed when ranks outnumber cores.
  install_interrupt_handlers();
  std::optional<Comparison> comparison;
  if (root) {
    fmt::print("{}\n", workload_line(info, tasks));
    if (!cpus.empty() && static_cast<std::size_t>(m.threads) > cpus.size()) {
      fmt::print(
          "note: rank 0 may use {} CPU(s) for {} threads; start with mpirun --bind-to "
          "none or --map-by slot:PE={} (srun: --cpus-per-task={})\n",
          cpus.size(), m.threads, m.threads, m.threads);
    }
    std::fflush(stdout);
    comparison.emplace(info, tasks);
    comparison->set_baseline(repeat_runs(s.repeat, [&] {
      Progress off(tasks.size(), 0, stdout, false);
      // Without --fail-task: the reference stays the truth the strategies are checked against.
      return run_serial(tasks, std::nullopt, off);
    }));
  }
  barrier_without_spinning(mpi.comm());

  // The strategies, one function each, over the same tasks.
  const MasterWorkerConfig computing{m.chunk, m.prefetch, true};
  const MasterWorkerConfig dedicated{m.chunk, m.prefetch, false};
  const std::vector<std::pair<MpiStrategy, std::function<RunResult(Progress&)>>> table{
      {MpiStrategy::kStaticBlock, [&](Progress& p) { return run_static_block(tasks, ctx, p); }},
      {MpiStrategy::kStaticCyclic,
       [&](Progress& p) { return run_static_cyclic(tasks, ctx, m.cyclic_chunk, p); }},
      {MpiStrategy::kMasterWorker,
       [&](Progress& p) { return run_master_worker(tasks, ctx, computing, p); }},
      {MpiStrategy::kMasterWorkerDedicated,
       [&](Progress& p) { return run_master_worker(tasks, ctx, dedicated, p); }},
  };
  for (const MpiStrategy strategy : m.strategies) {
    if (agree_on_interrupt(mpi.comm())) break;
    const std::string name = strategy_name(strategy, m);
    const auto& run_strategy = std::find_if(table.begin(), table.end(), [&](const auto& e) {
                                 return e.first == strategy;
                               })->second;
    if (root && s.progress > 0) fmt::print("{}:\n", name);
    std::vector<RunResult> runs = repeat_runs(s.repeat, [&] {
      // Lines, never a bar: mpirun hands rank 0 a pseudo-terminal even when its own output
      // goes to a file, so isatty() cannot tell.
      Progress progress(tasks.size(), root ? s.progress : 0, stdout, false);
      return run_strategy(progress);
    });
    if (root) comparison->add(name, mpi.size(), m.threads, std::move(runs));
  }

  // Verify and report at rank 0; every rank leaves with rank 0's exit code.
  int code = kExitOk;
  if (root) {
    code = finish_run(*comparison, stdout);
    if (interrupt_signal() != 0) code = 128 + interrupt_signal();
  }
  MPI_Bcast(&code, 1, MPI_INT, 0, mpi.comm());
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  schedlab::MpiSession mpi(argc, argv);
  try {
    return run(mpi, argc, argv);
  } catch (const std::exception& e) {
    // Not a normal failure path (those end through run()): something broke inside a rank
    // and the others may be waiting for it, so only MPI_Abort can end the job.
    std::fprintf(stderr, "schedlab-mpi: rank %d: internal error: %s\n", mpi.rank(), e.what());
    MPI_Abort(MPI_COMM_WORLD, schedlab::kExitFailed);
  }
  return schedlab::kExitFailed;
}
