// The row-name grammar: how each runner spells a row of its table (the CSV and JSON
// `strategy`), parsed in this one place for the runners' options, the MPI strategy table and
// the report's reader and simulator (docs/design.md, "Row names").
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace schedlab {

// The program that wrote a record (the `runner` field).
enum class Runner { kSerial, kOmp, kMpi };
std::string_view to_string(Runner runner);  // "schedlab-serial", "schedlab-omp", "schedlab-mpi"
// Any other text: nullopt.
std::optional<Runner> parse_runner(std::string_view text);
// A record's runner without the "schedlab-" prefix ("omp", "mpi"), for narrow columns and
// labels; any other text as it is.
std::string short_runner_name(std::string_view runner);

// Every literal row form, one per spelling; kTechnique is a row named by a technique of the
// registry ("gss,4", "fac2"), whose text only techniques::parse_technique can judge.
enum class RowForm {
  kSerial,                    // "serial": the baseline of every runner
  kOmpStatic,                 // "static": schedule(static)
  kOmpStaticChunked,          // "static,C"
  kOmpDynamic,                // "dynamic,C"
  kOmpGuided,                 // "guided,C"
  kOmpAuto,                   // "auto"
  kOmpRuntime,                // "runtime"
  kOmpTasks,                  // "tasks": one omp task per item
  kOmpTaskloop,               // "taskloop"
  kOmpTaskloopGrainsize,      // "taskloop,G"
  kMpiStatic,                 // "static": one block per rank
  kMpiCyclic,                 // "cyclic,C"
  kMpiMasterWorker,           // "master-worker,C": the master computes too
  kMpiMasterWorkerDedicated,  // "master-worker-dedicated,C"
  kMpiRma,                    // "rma,TECHNIQUE"
  kMpiHierarchical,           // "hierarchical,TECHNIQUE"
  kOmpSelect,                 // "auto:METHOD": schedlab's selector (issue 22)
  kMpiSelect,                 // "auto:METHOD"
  kTechnique,                 // a technique's canonical text
};
std::string_view to_string(RowForm form);  // the enumerator without its k: "MpiCyclic"

// What may follow the name and its comma.
enum class RowArgument {
  kNone,               // nothing: "static"
  kCount,              // a count >= 1, required: "static,4"
  kOptionalCount,      // a count >= 1 or nothing ("dynamic" is "dynamic,1" in a row)
  kOptionalTechnique,  // a technique's text or nothing: "rma", "rma,gss,2"
  kTechnique,          // the whole name is a technique's text: "gss,4"
  kMethod,             // ":METHOD" after the name, a selector's method: "auto:simulate"
};
std::string_view to_string(RowArgument argument);  // "C", "[,C]", "[,TECHNIQUE]", ...

// How the simulator (schedlab-report --predict) models a row: the closed set it switches on.
enum class SimModel {
  kNone,             // the runtime or the selector chooses (auto, runtime, taskloop, auto:M)
  kSerial,           // one worker, in order
  kStaticSplit,      // one contiguous block per worker, no dispatch
  kCyclicDeal,       // chunks of C dealt round robin, no dispatch
  kSharedQueue,      // fixed chunks of C from a shared counter (dynamic, tasks, taskloop,G)
  kGuided,           // gss,C from a shared counter (libgomp's guided)
  kMasterWorker,     // chunks of C from a master that also computes and serves requests
  kDedicatedMaster,  // as kMasterWorker, the master computes nothing
  kSharedCounter,    // the technique's chunk table claimed with one-sided atomics (rma)
  kHierarchical,     // the technique's chunk table through a master per node
  kTechnique,        // the registry technique: master-worker (MPI) or executor, plans per worker
};
std::string_view to_string(SimModel model);  // "shared-counter", ...

// One row form of the grammar.
struct RowGrammar {
  RowForm form;
  std::optional<Runner> runner;  // nullopt: every runner (serial, techniques)
  std::string_view name;         // before the comma ("" for kTechnique)
  RowArgument argument;
  SimModel model;
};

// Every row form, kSerial first and kTechnique last.
std::span<const RowGrammar> row_grammar();
const RowGrammar& grammar_of(RowForm form);

// The largest count a row name may carry (as --tasks: a chunk of every task).
inline constexpr std::size_t kMaxRowCount = 10'000'000;

// A parsed row name.
struct RowName {
  RowForm form = RowForm::kSerial;
  std::optional<std::size_t> count;  // C or G where the form has one and it was written
  std::string technique;             // rma, hierarchical: the text after the comma ("" if none);
                                     // kTechnique: the whole name; auto:: the method
  // The spelling: the name, then ",C" or ",TECHNIQUE" when given; parse_row_name(text())
  // gives this RowName back.
  std::string text() const;
  const RowGrammar& grammar() const { return grammar_of(form); }
};

// A refused row name. what(): the fault, then what the runner's rows allow; fault(): the fault
// alone, for an option that says itself what it allows.
class RowNameError : public std::invalid_argument {
 public:
  RowNameError(const std::string& fault, const std::string& message)
      : std::invalid_argument(message), fault_(fault) {}
  const std::string& fault() const { return fault_; }

 private:
  std::string fault_;
};

// Parses `strategy` as `runner` spells its rows. A literal form of that runner wins over a
// technique ("static" under schedlab-omp is schedule(static)); a name of a literal form with
// a wrong argument ("dynamic,x", "cyclic,0", "static,4" under MPI) is rejected, and so is a
// technique text that cannot be one (empty, blank, a control character, an empty part).
// Throws RowNameError: one line naming the value and what is allowed.
RowName parse_row_name(Runner runner, std::string_view strategy);

// Whether `strategy` is spelled as a selector's row, "auto:" and anything after it, whatever
// the runner (a record's runner may be one the grammar does not know).
bool is_select_row_name(std::string_view strategy);

// "static, cyclic[,C], master-worker[,C], ..." for `runner`'s literal forms, for messages.
std::string row_grammar_summary(Runner runner);

}  // namespace schedlab
