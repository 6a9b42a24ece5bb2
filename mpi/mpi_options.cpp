// schedlab-mpi's own options: declaration and validation (pure, so every rank agrees).
#include "schedlab/mpi/mpi_options.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/row_name.hpp"
#include "schedlab/workload.hpp"

namespace schedlab {
namespace {

// rma and hierarchical claim chunk k of a precomputed table, so they take only techniques
// whose chunks depend on N and P alone (Dispatch::kTable): "ss, fsc, ...", from the registry.
std::string table_technique_names() {
  std::string names;
  for (const techniques::TechniqueInfo& info : techniques::registry()) {
    if (info.dispatch != techniques::Dispatch::kTable) continue;
    names += (names.empty() ? "" : ", ") + info.name;
  }
  return names;
}

// `text` is what follows the comma.
techniques::TechniqueSpec parse_table_technique(std::string_view strategy, std::string_view text) {
  techniques::TechniqueSpec spec;
  try {
    spec = techniques::parse_technique(text);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--strategy {},{}: {}", strategy, text, e.what()));
  }
  if (spec.info->dispatch != techniques::Dispatch::kTable) {
    throw UsageError(
        fmt::format("--strategy {},{}: {} needs chunks fixed by N and P alone; allowed: {}",
                    strategy, text, strategy, table_technique_names()));
  }
  return spec;
}

// One --strategy value, read by the row-name grammar, into its row of mpi_strategies() and
// the settings its argument fills.
MpiStrategy parse_strategy(const std::string& text, bool dedicated, MpiSettings& s) {
  RowName name;
  try {
    name = parse_row_name(Runner::kMpi, text);
  } catch (const RowNameError& e) {
    throw UsageError(fmt::format("--strategy {}; allowed: {}", e.fault(), mpi_strategy_syntax()));
  }
  const MpiStrategyRow* row = nullptr;
  for (const MpiStrategyRow& r : mpi_strategies()) {
    if (r.form == name.form && r.selectable) row = &r;
  }
  if (row == nullptr) {
    throw UsageError(
        fmt::format("--strategy '{}': expected one of {}", text, mpi_strategy_syntax()));
  }
  if (row->count != nullptr && name.count) s.*row->count = *name.count;
  switch (row->grammar().argument) {
    case RowArgument::kOptionalTechnique:
      s.table_technique = parse_table_technique(
          row->name(), name.technique.empty() ? std::string_view(kDefaultTableTechnique)
                                              : std::string_view(name.technique));
      break;
    case RowArgument::kTechnique:
      // Its canonical text names the row, as under OpenMP and in the simulator.
      // parse_technique's message already names the bad part and what is allowed.
      try {
        s.technique = techniques::parse_technique(name.technique);
      } catch (const std::invalid_argument& e) {
        throw UsageError(fmt::format("--strategy '{}': expected one of {}: {}", text,
                                     mpi_strategy_syntax(), e.what()));
      }
      if (dedicated) {
        throw UsageError(fmt::format(
            "--master dedicated: only with --strategy master-worker or all; a technique ('{}') "
            "runs with the computing master",
            text));
      }
      break;
    case RowArgument::kMethod:
      try {
        s.select = techniques::parse_select_method(name.technique);
      } catch (const std::invalid_argument& e) {
        throw UsageError(fmt::format("--strategy '{}': {}", text, e.what()));
      }
      if (dedicated) {
        throw UsageError(fmt::format(
            "--master dedicated: only with --strategy master-worker or all; '{}' runs its "
            "techniques with the computing master",
            text));
      }
      break;
    default:
      break;
  }
  // --master dedicated turns master-worker into its dedicated row.
  if (dedicated && row->strategy == MpiStrategy::kMasterWorker)
    return MpiStrategy::kMasterWorkerDedicated;
  return row->strategy;
}

// --strategy's help: one entry per selectable row of mpi_strategies(), then `all`.
std::string strategy_help() {
  std::string help;
  for (const MpiStrategyRow& row : mpi_strategies()) {
    if (!row.selectable) continue;
    const RowArgument argument = row.grammar().argument;
    const std::string spelling = argument == RowArgument::kTechnique
                                     ? "TECHNIQUE"
                                     : fmt::format("{}{}", row.name(), to_string(argument));
    help += fmt::format("{}: {} | ", spelling, row.help);
  }
  return help +
         "all: the serial baseline plus static, cyclic, master-worker. all-fixed: every "
         "portfolio technique, then auto:exhaustive, auto:expert, auto:simulate, auto:random, "
         "on the same loop (the regret of each auto row against the best fixed one). "
         "TECHNIQUE: " +
         techniques::technique_names() +
         " (docs/techniques.md); after rma or hierarchical: " + table_technique_names() +
         ", default " + kDefaultTableTechnique;
}

// "cyclic" written alone, without its ",C" (the row grammar's kMpiCyclic, no count).
bool is_plain_cyclic(const std::string& text) {
  try {
    const RowName row = parse_row_name(Runner::kMpi, text);
    return row.form == RowForm::kMpiCyclic && !row.count;
  } catch (const RowNameError&) {
    return false;
  }
}

}  // namespace

std::string_view to_string(MasterRole role) {
  return role == MasterRole::kDedicated ? "dedicated" : "computes";
}

std::optional<MasterRole> parse_master_role(std::string_view text) {
  for (const MasterRole role : {MasterRole::kComputes, MasterRole::kDedicated}) {
    if (text == to_string(role)) return role;
  }
  return std::nullopt;
}

std::string_view to_string(StrategySet set) {
  return set == StrategySet::kAllFixed ? "all-fixed" : "all";
}

std::optional<StrategySet> parse_strategy_set(std::string_view text) {
  for (const StrategySet set : {StrategySet::kAll, StrategySet::kAllFixed}) {
    if (text == to_string(set)) return set;
  }
  return std::nullopt;
}

void add_mpi_options(CLI::App& app, MpiOptions& o) {
  app.add_option("--strategy", o.strategy, strategy_help())->capture_default_str();
  app.add_option("--chunk", o.chunk,
                 "master-worker: tasks per request; cyclic: tasks per deal unless cyclic,C "
                 "(default: --threads, one task per thread of a rank)");
  app.add_option("--master", o.master,
                 "master-worker: computes (rank 0 also runs tasks) | dedicated (rank 0 only "
                 "hands out work; needs 2+ ranks). Default computes; `all` shows both");
  app.add_option("--prefetch", o.prefetch,
                 "master-worker: chunks a worker may hold ahead, hiding the round trip")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "OpenMP threads per rank (hybrid): P = ranks x threads")
      ->capture_default_str();
}

MpiSettings validate_mpi_options(const MpiOptions& o, int ranks) {
  MpiSettings s;
  s.threads = static_cast<int>(parse_uint("--threads", o.threads, 1, 1000));
  s.chunk = o.chunk.empty()
                ? static_cast<std::size_t>(s.threads)
                : static_cast<std::size_t>(parse_uint("--chunk", o.chunk, 1, kMaxTasks));
  s.prefetch = static_cast<std::size_t>(parse_uint("--prefetch", o.prefetch, 1, 1000));

  std::optional<MasterRole> role;  // nullopt: not given
  if (!o.master.empty()) {
    role = parse_master_role(o.master);
    if (!role) {
      throw UsageError(fmt::format("--master '{}': expected {} or {}", o.master,
                                   to_string(MasterRole::kComputes),
                                   to_string(MasterRole::kDedicated)));
    }
  }
  const bool dedicated = role == MasterRole::kDedicated;
  const bool computes = !dedicated;

  s.cyclic_chunk = s.chunk;  // cyclic without ",C" deals chunks of --chunk tasks
  const std::optional<StrategySet> set = parse_strategy_set(o.strategy);
  if (set == StrategySet::kAll) {
    using enum MpiStrategy;
    s.strategies = {kStaticBlock, kStaticCyclic};
    if (computes) s.strategies.push_back(kMasterWorker);
    // Without --master, `all` shows the dedicated master beside the computing one when
    // there is a rank to be its worker.
    if (dedicated || (!role && ranks >= 2)) s.strategies.push_back(kMasterWorkerDedicated);
  } else if (set == StrategySet::kAllFixed) {
    if (dedicated) {
      throw UsageError(
          "--master dedicated: only with --strategy master-worker or all; all-fixed runs its "
          "techniques with the computing master");
    }
    s.all_fixed = true;  // the rows: fixed_and_auto_rows()
  } else {
    s.strategies = {parse_strategy(o.strategy, dedicated, s)};
  }
  if (dedicated && ranks < 2) {
    throw UsageError(
        "--master dedicated: needs at least 2 ranks (rank 0 only hands out work); run with "
        "mpirun -np 2 or more, or use --master computes");
  }
  return s;
}

std::string advise_mpi_command_line(const std::vector<std::string>& args) {
  if (names_option(args, "--schedule")) {
    return fmt::format("schedlab-mpi takes --strategy ({}); --schedule is schedlab-omp's",
                       mpi_strategy_syntax());
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    // mpirun's options reach schedlab-mpi when they are written after the program name.
    if (args[i] == "-np" || args[i] == "-n" || args[i] == "--np") {
      const std::string n = i + 1 < args.size() ? args[i + 1] : "N";
      return fmt::format(
          "{} is mpirun's option, not schedlab-mpi's: write it before the program, mpirun -np "
          "{} schedlab-mpi ...",
          args[i], n);
    }
    // "--strategy cyclic 4": the chunk went into a separate argument.
    if (args[i] == "--strategy" && i + 2 < args.size() && is_plain_cyclic(args[i + 1]) &&
        !args[i + 2].empty() && args[i + 2].find_first_not_of("0123456789") == std::string::npos) {
      return fmt::format(
          "--strategy cyclic {}: the chunk goes after a comma, in the same argument: --strategy "
          "cyclic,{}",
          args[i + 2], args[i + 2]);
    }
  }
  return {};
}

std::string singleton_note(int ranks) {
  if (ranks != 1) return {};
  // Read after MPI_Init, before any thread starts. Open MPI's singleton start-up marks itself
  // (and then sets PMIX_RANK too); otherwise mpirun, mpiexec.hydra (MPICH) and srun (PMI-2,
  // PMIx) each export one of the others to every process they start.
  const char* ess = std::getenv("OMPI_MCA_ess");  // NOLINT(concurrency-mt-unsafe)
  const bool open_mpi_singleton = ess != nullptr && std::string_view(ess) == "singleton";
  if (!open_mpi_singleton) {
    for (const char* launcher_variable :
         {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMI_RANK", "PMIX_RANK", "PMI_FD"}) {
      if (std::getenv(launcher_variable) != nullptr) return {};  // NOLINT(concurrency-mt-unsafe)
    }
  }
  return "started without mpirun: running as 1 rank, so every strategy is one worker (P = 1); "
         "start it as mpirun -np N schedlab-mpi ... to compare N ranks";
}

}  // namespace schedlab
