// The registry: one row per technique (canonical name, aliases, parameters with defaults,
// when it wins, reference, factory) and the parser for names like "gss,4" or "fsc,h=2e-6".
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/technique.hpp"

namespace schedlab::techniques {

// How an executor hands the technique's chunks out.
enum class Dispatch {
  // The chunk sequence depends only on N, P and the parameters: precompute it
  // (chunk_table) and claim chunk k with one atomic fetch_add on k.
  kTable,
  // The size depends on who asks (wf2, student) or on measured times (awf-*, af, bold...): call
  // next_chunk under one lock (OpenMP) or at the master (MPI), one call per chunk.
  kAsk,
  // Offline: a per-worker plan fixed before the loop starts (static, binlpt, lpt).
  kPlan,
};
std::string_view to_string(Dispatch dispatch);

struct ParamInfo {
  std::string name;
  double default_value = 0;
  std::string meaning;  // one line, with its unit and what the default means
};

// Parameter values in the order of the technique's ParamInfo list; `given` says which
// ones the user wrote (fsc/tap/af fall back on measured task costs for the others).
struct Params {
  std::vector<double> values;
  std::vector<bool> given;
  double operator[](std::size_t i) const { return values.at(i); }
};

struct TechniqueInfo {
  std::string name;
  std::vector<std::string> aliases;
  std::vector<ParamInfo> params;
  std::string when_it_wins;
  std::string reference;
  // What an executor must give it besides N and P; executors ask these flags, never a name.
  bool adaptive = false;  // needs timings: learns from chunk_finished (measured chunk times)
  bool monotone = false;  // promises non-increasing chunk sizes (for every N, P)
  // Needs one weight per worker (LoopSetup::weights): when none is given, the executor
  // measures each worker's speed before the clock starts (wf2).
  bool needs_weights = false;
  // In the portfolio `auto:METHOD` chooses from (the selector, docs/techniques.md, "Choosing
  // automatically"): deterministic, needs nothing the user must give (no weights, no student
  // code), and distinct enough from the others to be worth a trial step.
  bool portfolio = false;
  Dispatch dispatch = Dispatch::kTable;
  // kTable and kAsk: builds the technique for one loop.
  std::function<std::unique_ptr<Technique>(const LoopSetup&, const Params&)> make;
  // kPlan: builds the plan for one loop.
  std::function<Plan(const LoopSetup&, const Params&)> make_plan;
};

// Every technique: the course's order (static ... lpt), LB4OMP's later ones (fac ... awf),
// then student.
const std::vector<TechniqueInfo>& registry();
// By canonical name or alias; nullptr when unknown.
const TechniqueInfo* find_technique(std::string_view name);
// "static, ss, fsc, ..." for error messages and --help.
std::string technique_names();

// A parsed technique name with its parameters.
struct TechniqueSpec {
  const TechniqueInfo* info = nullptr;
  Params params;
  // Canonical text: the name, then the given parameters: "gss,4", "fsc,h=2e-06", "fac2".
  std::string text() const;
};

// The largest parameter value parse_technique accepts (2^31-1): every count converts exactly.
inline constexpr double kMaxParameter = 2147483647.0;

// "gss", "gss,4" (positional, in ParamInfo order), "fsc,h=2e-6,sigma=1e-4" (by name).
// Throws std::invalid_argument with one line naming the bad part and what is allowed.
TechniqueSpec parse_technique(std::string_view text);

// Fixed chunks of `chunk` tasks from a shared queue: the registry's tss,C,C (first chunk =
// last chunk = C, so it decreases by 0). What master-worker --chunk C and the simulator's
// dynamic,C and taskloop,G run.
TechniqueSpec fixed_chunk_technique(std::size_t chunk);

// The technique for one loop (kTable, kAsk). Throws std::invalid_argument for a kPlan one
// or a bad loop (P < 1, weights of the wrong length).
std::unique_ptr<Technique> make_technique(const TechniqueSpec& spec, const LoopSetup& loop);

}  // namespace schedlab::techniques
