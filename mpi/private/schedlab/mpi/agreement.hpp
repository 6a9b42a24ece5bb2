// What every rank of an MPI run must agree on before any work: one parse outcome, the same
// options as rank 0, rank 0's task list; and the host each rank runs on, gathered once.
// Each function is a collective: every rank of `comm` calls it. (docs/clusters.md)
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/workload.hpp"

namespace CLI {
class App;
}

namespace schedlab {

// How the ranks' command lines parsed: the lowest rank whose line did not parse and the
// lowest that asked for --help/--version (`ranks` when none), and rank 0's own outcome.
struct ParseOutcomes {
  int failed_rank = 0;
  int help_rank = 0;
  std::optional<int> rank0;  // std::nullopt: parsed, go on; else its exit code
};
ParseOutcomes gather_parse_outcomes(std::optional<int> code, MPI_Comm comm);

// One option as this rank parsed it: given or not, and its text (values joined by spaces).
struct OptionValue {
  std::string name;  // "--tasks"
  bool given = false;
  std::string value;
};
// 64-bit FNV-1a over name, given and value: equal options, equal fingerprints.
std::uint64_t fingerprint(const OptionValue& option);

// The first option (in declaration order) on which some rank differs from rank 0, and the
// lowest such rank; what that rank and rank 0 have for it.
struct OptionDifference {
  int rank = 0;
  OptionValue theirs;
  OptionValue rank0s;
};
// Rank 0 broadcasts its fingerprints, each rank compares its own; only fingerprints and,
// on a difference, that one option's text cross the network. Every rank gets the answer.
std::optional<OptionDifference> find_option_difference(const std::vector<OptionValue>& mine,
                                                       MPI_Comm comm);

// The one usage-error line for ranks whose command lines parsed differently (a rank whose
// line does not parse while rank 0's does, or --help/--version on another rank only); ""
// when they agree or rank 0 itself failed (it has printed its own parse error already).
std::string parse_disagreement(const ParseOutcomes& outcomes, int ranks);

// This rank's options as CLI11 parsed them, in declaration order (flags: given or not).
std::vector<OptionValue> option_values(const CLI::App& app);

// The usage-error line for options that differ between ranks ("--tasks: rank 1 has '8', rank
// 0 has nothing (the default) (every rank must be ...)"), "" when every rank agrees.
// Collective: find_option_difference() over option_values(app).
std::string options_disagreement(const CLI::App& app, MPI_Comm comm);

// Every rank leaves with `code` once rank 0 has printed. Launchers end a step when one task
// exits non-zero (SLURM's KillOnBadExit, srun -K): the first rank out would have the others
// killed - rank 0 perhaps before its one line, the rest reported as "Terminated" (143)
// instead of the agreed code. So the ranks wait for each other here (MPI_Barrier), and a
// SIGTERM that arrives while they leave ends the process with the verdict already agreed.
void leave_together(int code, MPI_Comm comm);

// Rank 0's task list to every rank (MPI_Bcast): `tasks` is read on rank 0, replaced on the
// others (ids are positions, as make_workload() makes them).
void broadcast_tasks(std::vector<Task>& tasks, MPI_Comm comm);

// Each rank's host name, gathered once per run on rank 0 (by rank; empty on the others).
std::vector<std::string> gather_host_names(const std::string& mine, MPI_Comm comm);

}  // namespace schedlab
