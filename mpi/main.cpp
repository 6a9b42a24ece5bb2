// schedlab-mpi: the shared task list across MPI ranks (static block, cyclic,
// master-worker; hybrid with --threads), verified against the serial loop run on rank 0.
// Every rank runs the driver (schedlab/driver.hpp); this file says what MPI adds: every
// rank agrees on each verdict, only rank 0 prints, and the strategies are collectives.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <mpi.h>
#include <omp.h>
#include <sched.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <set>

#include "schedlab/application.hpp"
#include "schedlab/driver.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/agreement.hpp"
#include "schedlab/mpi/mpi_env.hpp"
#include "schedlab/mpi/mpi_options.hpp"
#include "schedlab/mpi/rank_context.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/output/record.hpp"
#include "schedlab/techniques/technique.hpp"

namespace {
using namespace schedlab;

// The CPUs the OpenMP threads of this rank may run on: the union of each thread's affinity
// mask, read inside a team of `threads` (0: the default team, OMP_NUM_THREADS). mpirun binds
// each rank to one core by default when np <= 2, and then all threads of a hybrid rank
// share that core. The master's mask alone says too little: with OMP_PROC_BIND set, the
// OpenMP runtime pins the initial thread to one place before main() runs, while the team
// still spreads over every place (OMP_PLACES=cores: one core each).
std::vector<int> cpus_of_this_rank(int threads) {
  std::set<int> cpus;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
  {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
#pragma omp critical(schedlab_rank_cpus)
      for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &set)) cpus.insert(cpu);
      }
    }
  }
  return {cpus.begin(), cpus.end()};
}

class MpiProgram final : public Program {
 public:
  explicit MpiProgram(const MpiSession& mpi) : mpi_(mpi) {}

  std::string name() const override { return "schedlab-mpi"; }
  std::string description() const override {
    return "Runs the shared task list across MPI ranks: static block, cyclic, "
           "master-worker, a technique of the registry, or auto:METHOD (a technique chosen "
           "before each step), each verified against the serial loop (run on rank 0).";
  }
  void add_options(CLI::App& app) override { add_mpi_options(app, options_); }
  std::string advise(const std::vector<std::string>& args) const override {
    return advise_mpi_command_line(args);
  }

  // A command line that parses on one rank and not on another (or asks for --help there
  // only) stops every rank; rank 0 has printed its own parse error already.
  std::optional<int> agree_on_parse(std::optional<int> code) override {
    const ParseOutcomes outcomes = gather_parse_outcomes(code, mpi_.comm());
    const std::string disagreement = parse_disagreement(outcomes, mpi_.size());
    const bool rank0_failed = outcomes.rank0 && *outcomes.rank0 != kExitOk;
    if (!disagreement.empty() || rank0_failed) {
      if (prints() && !disagreement.empty()) report_usage_error(name(), disagreement);
      leave_together(kExitUsage, mpi_.comm());
      return kExitUsage;
    }
    return outcomes.rank0;  // nullopt: go on; else --help or --version, printed by rank 0
  }

  // Ranks started with different options (an MPMD line, a job-script variable that differs
  // between nodes) would wait for each other forever or verify different lists: every rank
  // compares the fingerprint of each option with rank 0's, before anything else.
  std::string check_options_agree(const CLI::App& app) override {
    return options_disagreement(app, mpi_.comm());
  }

  // --print-chunks: the chunk sizes this command line's technique hands out to these ranks
  // (rma and hierarchical claim per thread: ranks x threads workers), without running.
  // Called at rank 0, which holds the task list.
  ChunkQuestion chunks_to_print(const RunInfo& /*info*/, const std::vector<Task>& tasks) override {
    techniques::LoopSetup loop = techniques::loop_of_tasks(tasks, mpi_.size());
    if (settings_.strategies.size() == 1) {
      const MpiStrategyRow& row = mpi_strategy_row(settings_.strategies.front());
      if (const auto technique = row.chunks(settings_)) {
        if (row.claims_per_thread) loop.workers = mpi_.size() * settings_.threads;
        return {*technique, loop};
      }
    }
    throw UsageError(fmt::format(
        "--print-chunks: --strategy '{}' is not one technique; allowed: static, master-worker, "
        "rma[,TECHNIQUE], hierarchical[,TECHNIQUE] or a technique: {}",
        options_.strategy, techniques::technique_names()));
  }

  // Every rank validates the same command line, so all reach the same verdict.
  void validate(RunInfo& info) override {
    settings_ = validate_mpi_options(options_, mpi_.size());
    if (settings_.threads > 1 && mpi_.provided() < MPI_THREAD_FUNNELED) {
      throw UsageError("--threads: this MPI offers no thread support");
    }
    info.ranks = mpi_.size();
    info.threads = settings_.threads;
    settings_.seed = info.settings.workload.seed;
    // auto:exhaustive, expert and simulate learn from each task's measured time.
    const bool learns =
        settings_.all_fixed ||
        (settings_.select && *settings_.select != techniques::SelectMethod::kRandom);
    if (learns && info.settings.trace == TraceLevel::kOff) {
      throw UsageError(fmt::format(
          "--trace off: --strategy {} needs each task's measured time; drop --trace off, or use "
          "auto:random",
          options_.strategy));
    }
    image_requested_ = !info.settings.image.empty();
    // The default --tasks counts the job: the CPUs rank 0's team may use (the default team:
    // OMP_NUM_THREADS, else every CPU of its mask), at most SLURM_CPUS_PER_TASK, x ranks.
    // Only rank 0's count matters: it builds the task list, the others receive it.
    if (prints() && info.settings.tasks_from_allocation) {
      default_cpus_ = job_cpus_per_process(cpus_of_this_rank(0).size());
      info.settings.workload.tasks = default_task_count(default_cpus_, mpi_.size());
    }
  }

  bool builds_task_list() const override { return mpi_.rank() == 0; }
  // Rank 0 read the file and drew the sizes; every rank runs exactly that list, even where
  // the file does not exist (a node-local disk) or the default --tasks would differ.
  void share_task_list(RunInfo& info, std::vector<Task>& tasks) override {
    broadcast_tasks(tasks, mpi_.comm());
    info.settings.workload.tasks = tasks.size();
  }

  // If any rank found a problem, the lowest such rank prints its one line and every rank
  // returns true (and exits 2) - no MPI_Abort, no hang.
  bool agree_on_usage_error(const std::string& message) override {
    int reporter = message.empty() ? mpi_.size() : mpi_.rank();
    MPI_Allreduce(MPI_IN_PLACE, &reporter, 1, MPI_INT, MPI_MIN, mpi_.comm());
    if (reporter == mpi_.size()) return false;
    if (reporter == mpi_.rank()) report_usage_error(name(), message);
    leave_together(kExitUsage, mpi_.comm());
    return true;
  }

  bool prints() const override { return mpi_.rank() == 0; }
  // Lines, never a bar: mpirun hands rank 0 a pseudo-terminal even when its own output goes
  // to a file, so isatty() cannot tell.
  bool bar_allowed() const override { return false; }
  bool names_a_lone_strategy() const override { return true; }

  void prepare(RunInfo& info) override {
    // Not an error (one rank is a valid run), but rarely what was meant: say it once.
    if (const std::string note = singleton_note(mpi_.size()); !note.empty() && prints())
      fmt::print(stderr, "schedlab-mpi: warning: {}\n", note);
    cpus_ = cpus_of_this_rank(settings_.threads);
    info.hosts = gather_host_names(hostname(), mpi_.comm());  // once per run, not per task
    info.binding = {{"OMP_PROC_BIND", env_or_unset("OMP_PROC_BIND")},
                    {"OMP_PLACES", env_or_unset("OMP_PLACES")},
                    {"rank0_cpus", fmt::format("{}", fmt::join(cpus_, ","))}};
    ctx_ = RankContext{mpi_.comm(), mpi_.rank(), mpi_.size(), settings_.threads,
                       info.settings.fail_task};
  }

  void print_setup(std::FILE* out, const RunInfo& info) override {
    if (info.settings.tasks_from_allocation) {
      fmt::print(out,
                 "tasks: {} by default = {} CPU(s) per rank x {} rank(s) (--tasks N to choose)\n",
                 info.settings.workload.tasks, default_cpus_, mpi_.size());
    }
    // Only a real shortage: the threads' own masks together offer fewer CPUs than threads.
    const int threads = settings_.threads;
    if (!cpus_.empty() && static_cast<std::size_t>(threads) > cpus_.size()) {
      fmt::print(out,
                 "note: rank 0 may use {} CPU(s) for {} threads; start with mpirun --bind-to "
                 "none or --map-by slot:PE={} (srun: --cpus-per-task={})\n",
                 cpus_.size(), threads, threads, threads);
    }
  }

  // The serial baseline ran on rank 0 alone; the other ranks waited here, sleeping instead
  // of spinning, so T1 is not slowed when ranks outnumber cores.
  void after_baseline(const Comparison* /*comparison*/) override {
    barrier_without_spinning(mpi_.comm());
  }

  // --steps: every rank waits for the others before the next step, as a time loop does.
  void between_steps() override { MPI_Barrier(mpi_.comm()); }
  bool sends_dispatch_messages() const override { return true; }

  // The ranks on rank 0's node are the run, not other load on it: their CPU seconds are
  // summed on that node (MPI_Comm_split_type SHARED, keyed by rank, so world rank 0 is the
  // node's root); ranks on other nodes reduce to their own roots, unused.
  double siblings_cpu_seconds(double own_s) override {
    MPI_Comm node = MPI_COMM_NULL;
    MPI_Comm_split_type(mpi_.comm(), MPI_COMM_TYPE_SHARED, mpi_.rank(), MPI_INFO_NULL, &node);
    double node_total = 0;
    MPI_Reduce(&own_s, &node_total, 1, MPI_DOUBLE, MPI_SUM, 0, node);
    MPI_Comm_free(&node);
    return mpi_.rank() == 0 ? node_total - own_s : 0.0;
  }

  // The strategies, one function each, over the same tasks; every rank calls each.
  std::size_t strategy_count() const override {
    return settings_.all_fixed ? fixed_and_auto_rows(settings_).size()
                               : settings_.strategies.size();
  }

  std::vector<Strategy> strategies(const RunInfo& /*info*/,
                                   const std::vector<Task>& /*tasks*/) override {
    const int ranks = mpi_.size();
    const int threads = settings_.threads;
    std::vector<Strategy> list;
    for (const MpiStrategy strategy : settings_.strategies) {
      const MpiStrategyRow& row = mpi_strategy_row(strategy);
      list.push_back({strategy_name(strategy, settings_), ranks, threads,
                      [this, &row](const std::vector<Task>& tasks, Progress& p) {
                        return row.run(tasks, ctx_, settings_, p);
                      }});
    }
    // all-fixed: each row with its own settings (its technique, or its auto method and state).
    if (settings_.all_fixed) {
      for (auto& [strategy, row_settings] : fixed_and_auto_rows(settings_)) {
        const MpiStrategyRow& row = mpi_strategy_row(strategy);
        list.push_back(
            {strategy_name(strategy, row_settings), ranks, threads,
             [this, &row, s = row_settings](const std::vector<Task>& tasks, Progress& p) {
               return row.run(tasks, ctx_, s, p);
             }});
      }
    }
    return list;
  }

  // --image: each rank holds the rows it computed in the last run and zeros elsewhere (the
  // driver cleared the image before the strategy), so one maximum over the ranks is the
  // whole picture on rank 0 - after the runs, outside any timed region.
  void gather_outputs() override {
    std::vector<std::uint32_t>* image = mandelbrot_image();
    if (!image_requested_ || image == nullptr || image->empty()) return;
    const int count = static_cast<int>(image->size());  // at most kMaxMandelbrotRows^2 < 2^31
    if (mpi_.rank() == 0) {
      MPI_Reduce(MPI_IN_PLACE, image->data(), count, MPI_UINT32_T, MPI_MAX, 0, mpi_.comm());
    } else {
      MPI_Reduce(image->data(), nullptr, count, MPI_UINT32_T, MPI_MAX, 0, mpi_.comm());
    }
  }

  // A signal seen by any rank stops every rank before the next strategy.
  bool stop_before_next_strategy() override {
    return agree_on_interrupt(interrupt_signal(), mpi_.comm()) != 0;
  }

  // Every rank leaves with rank 0's exit code.
  int agree_on_exit_code(int code) override {
    if (prints() && interrupt_signal() != 0) code = 128 + interrupt_signal();
    MPI_Bcast(&code, 1, MPI_INT, 0, mpi_.comm());
    if (code != kExitOk) leave_together(code, mpi_.comm());
    return code;
  }

 private:
  const MpiSession& mpi_;
  MpiOptions options_;
  MpiSettings settings_;
  RankContext ctx_;
  std::vector<int> cpus_;         // the union of rank 0's threads' masks
  std::size_t default_cpus_ = 0;  // CPUs per rank behind the default --tasks
  bool image_requested_ = false;  // --image: gather the mandelbrot rows on rank 0
};

}  // namespace

int main(int argc, char** argv) {
  schedlab::MpiSession mpi(argc, argv);
  try {
    MpiProgram program(mpi);
    return schedlab::run_program(program, argc, argv);
  } catch (const std::exception& e) {
    // Not a normal failure path (those end through run_program()): something broke inside
    // a rank and the others may be waiting for it, so only MPI_Abort can end the job.
    std::fprintf(stderr, "schedlab-mpi: rank %d: internal error: %s\n", mpi.rank(), e.what());
    MPI_Abort(MPI_COMM_WORLD, schedlab::kExitFailed);
  }
  return schedlab::kExitFailed;
}
