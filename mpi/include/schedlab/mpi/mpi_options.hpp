// The options only schedlab-mpi has (--strategy, --chunk, --master, --prefetch, --threads),
// validated into MpiSettings the same way on every rank.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/mpi/strategies.hpp"

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
};

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
};

inline constexpr const char* kMpiStrategies =
    "static, cyclic, cyclic,C, master-worker, rma[,TECHNIQUE], hierarchical[,TECHNIQUE], "
    "all, or a technique of the registry";
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

// The row name in the table: "static", "cyclic,2", "master-worker,1",
// "master-worker-dedicated,1", or a technique's canonical text ("gss", "fac2", "awf-b").
std::string strategy_name(MpiStrategy strategy, const MpiSettings& settings);

}  // namespace schedlab
