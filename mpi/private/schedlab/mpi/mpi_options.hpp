// The options only schedlab-mpi has (--strategy, --chunk, --master, --prefetch, --threads),
// validated into MpiSettings the same way on every rank, and the table of MPI strategies
// (mpi_strategies()) that the options, the program and the simulator's model read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schedlab/mpi/rank_context.hpp"
#include "schedlab/mpi/strategies.hpp"
#include "schedlab/row_name.hpp"

// CLI11 is included only where options are declared (mpi_options.cpp, main.cpp): one
// CLI11 include costs ~8 CPU s a file.
namespace CLI {
class App;
}

namespace schedlab {

// kTechnique: any registry technique (techniques/): kTable and kAsk ones run master-worker
// with the technique sizing each chunk, kPlan ones (binlpt, lpt) run their plan per rank.
enum class MpiStrategy {
  kStaticBlock,
  kStaticCyclic,
  kMasterWorker,
  kMasterWorkerDedicated,
  kTechnique,
  kRma,           // rma[,TECHNIQUE]: no master, one-sided atomics (mpi/rma.cpp)
  kHierarchical,  // hierarchical[,TECHNIQUE]: a master per node (mpi/hierarchical.cpp)
  kAuto,          // auto:METHOD: the selector chooses a technique each step (mpi/auto_row.cpp)
};

// --master: whether rank 0 runs tasks besides handing them out.
enum class MasterRole { kComputes, kDedicated };
std::string_view to_string(MasterRole role);                         // "computes", "dedicated"
std::optional<MasterRole> parse_master_role(std::string_view text);  // nullopt: neither

// --strategy values that name a set of rows instead of one: `all` (static, cyclic and the
// master-worker rows) and `all-fixed` (every portfolio technique and the auto rows).
enum class StrategySet { kAll, kAllFixed };
std::string_view to_string(StrategySet set);                           // "all", "all-fixed"
std::optional<StrategySet> parse_strategy_set(std::string_view text);  // nullopt: one row

struct MpiOptions {
  std::string strategy = "all";
  std::string chunk;   // empty: --threads (one task per thread of the rank)
  std::string master;  // empty: computes (and, under `all` with 2+ ranks, dedicated as well)
  std::string prefetch = std::to_string(kDefaultPrefetch);
  std::string threads = "1";
};

struct MpiSettings {
  std::vector<MpiStrategy> strategies;  // in the order they run
  std::size_t cyclic_chunk = 1;         // C of cyclic,C (default: chunk)
  std::size_t chunk = 1;                // master-worker --chunk
  std::size_t prefetch = kDefaultPrefetch;
  int threads = 1;
  std::optional<techniques::TechniqueSpec> technique;  // kTechnique: the parsed name
  // rma and hierarchical: the kTable technique after the comma (default ss).
  techniques::TechniqueSpec table_technique;
  // kAuto: the selector's method, --seed (auto:random), and the row's state across steps
  // (shared by copies of these settings; one row, one state).
  std::optional<techniques::SelectMethod> select;
  std::uint64_t seed = 0;
  std::shared_ptr<MpiAutoState> auto_state = std::make_shared<MpiAutoState>();
  // --strategy all-fixed: every portfolio technique and the four auto:METHOD rows, their steps
  // interleaved (strategies is empty; the program expands them: fixed_and_auto_rows()).
  bool all_fixed = false;
};

// One row per MPI strategy: adding a strategy is one function in mpi/*.cpp, one row here
// (mpi/strategy_table.cpp) and, for a new spelling, one row of the row-name grammar.
struct MpiStrategyRow {
  MpiStrategy strategy;
  // Its name, argument grammar and simulator model: grammar_of(form) (schedlab/row_name.hpp).
  RowForm form;
  bool selectable;        // --strategy names it (the dedicated master is --master dedicated)
  std::string_view help;  // one line for --help
  // Runs the whole task list once; every rank calls it.
  RunResult (*run)(const std::vector<Task>& tasks, const RankContext& ctx,
                   const MpiSettings& settings, Progress& progress);
  // --print-chunks: the registry technique whose chunks it hands out; nullopt: none (cyclic
  // deals, the dedicated master's chunks are not one technique over every rank).
  std::optional<techniques::TechniqueSpec> (*chunks)(const MpiSettings& settings);
  bool claims_per_thread;  // its chunks are sized for ranks x threads workers (rma, hierarchical)
  std::size_t MpiSettings::*count;  // the C its name carries (cyclic,C); nullptr: none

  const RowGrammar& grammar() const { return grammar_of(form); }
  std::string_view name() const { return grammar().name; }
  SimModel model() const { return grammar().model; }
};

// Every MPI strategy, in MpiStrategy order.
std::span<const MpiStrategyRow> mpi_strategies();
const MpiStrategyRow& mpi_strategy_row(MpiStrategy strategy);

// "static, cyclic[,C], master-worker[,C], rma[,TECHNIQUE], hierarchical[,TECHNIQUE], all, or a
// technique of the registry": what --strategy accepts, from the table.
std::string mpi_strategy_syntax();
// rma and hierarchical without a technique: self-scheduling, one chunk per thread per claim.
inline constexpr const char* kDefaultTableTechnique = "ss";

void add_mpi_options(CLI::App& app, MpiOptions& options);

// Throws UsageError naming the first bad value. `ranks` is MPI_Comm_size: a dedicated
// master needs at least one worker.
MpiSettings validate_mpi_options(const MpiOptions& options, int ranks);

// The line that says what to write instead, for mistakes the parser rejected (args: argv
// without the program name): --schedule (schedlab-omp's), "cyclic 4" for "cyclic,4",
// mpirun's -np given to schedlab-mpi. "" when none applies.
std::string advise_mpi_command_line(const std::vector<std::string>& args);

// A note when this process was started without mpirun or srun (an MPI singleton: one rank),
// else "". `ranks` is MPI_Comm_size.
std::string singleton_note(int ranks);

// all-fixed's rows: the settings of each portfolio technique (kTechnique) and of each
// auto:METHOD (kAuto, a fresh state each), in the order they run.
std::vector<std::pair<MpiStrategy, MpiSettings>> fixed_and_auto_rows(const MpiSettings& settings);

// The row name in the table: "static", "cyclic,2", "master-worker,1",
// "master-worker-dedicated,1", "rma,ss", or a technique's canonical text ("gss", "fac2"),
// spelled by the row-name grammar (RowName::text()).
std::string strategy_name(MpiStrategy strategy, const MpiSettings& settings);

}  // namespace schedlab
