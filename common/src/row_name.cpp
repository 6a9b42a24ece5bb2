// The row-name grammar: one table of every literal row form of every runner, and the one
// parser of row names (schedlab/row_name.hpp).
#include "schedlab/row_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace schedlab {

std::string_view to_string(Runner runner) {
  switch (runner) {
    case Runner::kSerial:
      return "schedlab-serial";
    case Runner::kOmp:
      return "schedlab-omp";
    case Runner::kMpi:
      return "schedlab-mpi";
  }
  return "?";
}

std::string short_runner_name(std::string_view runner) {
  constexpr std::string_view kPrefix = "schedlab-";
  if (runner.substr(0, kPrefix.size()) == kPrefix) runner.remove_prefix(kPrefix.size());
  return std::string(runner);
}

std::optional<Runner> parse_runner(std::string_view text) {
  for (const Runner runner : {Runner::kSerial, Runner::kOmp, Runner::kMpi}) {
    if (text == to_string(runner)) return runner;
  }
  return std::nullopt;
}

std::string_view to_string(RowArgument argument) {
  switch (argument) {
    case RowArgument::kNone:
      return "";
    case RowArgument::kCount:
      return ",C";
    case RowArgument::kOptionalCount:
      return "[,C]";
    case RowArgument::kOptionalTechnique:
      return "[,TECHNIQUE]";
    case RowArgument::kTechnique:
      return "TECHNIQUE";
    case RowArgument::kMethod:
      return ":METHOD";
  }
  return "?";
}

std::string_view to_string(SimModel model) {
  switch (model) {
    case SimModel::kNone:
      return "none";
    case SimModel::kSerial:
      return "serial";
    case SimModel::kStaticSplit:
      return "static-split";
    case SimModel::kCyclicDeal:
      return "cyclic-deal";
    case SimModel::kSharedQueue:
      return "shared-queue";
    case SimModel::kGuided:
      return "guided";
    case SimModel::kMasterWorker:
      return "master-worker";
    case SimModel::kDedicatedMaster:
      return "dedicated-master";
    case SimModel::kSharedCounter:
      return "shared-counter";
    case SimModel::kHierarchical:
      return "hierarchical";
    case SimModel::kTechnique:
      return "technique";
  }
  return "?";
}

namespace {

using enum RowForm;
constexpr std::optional<Runner> kAny = std::nullopt;
constexpr std::optional<Runner> kOmp = Runner::kOmp;
constexpr std::optional<Runner> kMpi = Runner::kMpi;
// A selector's row is "auto:" and its method (RowArgument::kMethod).
constexpr std::string_view kSelectPrefix = "auto:";

// One row per spelling. The OpenMP forms are the rows of omp_strategies() (openmp/), the
// MPI forms the rows of mpi_strategies() (mpi/): each table names its form here.
constexpr std::array<RowGrammar, 19> kGrammar{{
    {kSerial, kAny, "serial", RowArgument::kNone, SimModel::kSerial},
    {kOmpStatic, kOmp, "static", RowArgument::kNone, SimModel::kStaticSplit},
    {kOmpStaticChunked, kOmp, "static", RowArgument::kCount, SimModel::kCyclicDeal},
    {kOmpDynamic, kOmp, "dynamic", RowArgument::kOptionalCount, SimModel::kSharedQueue},
    {kOmpGuided, kOmp, "guided", RowArgument::kOptionalCount, SimModel::kGuided},
    {kOmpAuto, kOmp, "auto", RowArgument::kNone, SimModel::kNone},
    {kOmpRuntime, kOmp, "runtime", RowArgument::kNone, SimModel::kNone},
    {kOmpTasks, kOmp, "tasks", RowArgument::kNone, SimModel::kSharedQueue},
    {kOmpTaskloop, kOmp, "taskloop", RowArgument::kNone, SimModel::kNone},
    {kOmpTaskloopGrainsize, kOmp, "taskloop", RowArgument::kCount, SimModel::kSharedQueue},
    {kMpiStatic, kMpi, "static", RowArgument::kNone, SimModel::kStaticSplit},
    {kMpiCyclic, kMpi, "cyclic", RowArgument::kOptionalCount, SimModel::kCyclicDeal},
    {kMpiMasterWorker, kMpi, "master-worker", RowArgument::kOptionalCount, SimModel::kMasterWorker},
    {kMpiMasterWorkerDedicated, kMpi, "master-worker-dedicated", RowArgument::kOptionalCount,
     SimModel::kDedicatedMaster},
    {kMpiRma, kMpi, "rma", RowArgument::kOptionalTechnique, SimModel::kSharedCounter},
    {kMpiHierarchical, kMpi, "hierarchical", RowArgument::kOptionalTechnique,
     SimModel::kHierarchical},
    // auto:METHOD: the selector's method is checked by the runner (techniques::
    // parse_select_method); the grammar takes a lowercase word.
    {kOmpSelect, kOmp, "auto", RowArgument::kMethod, SimModel::kNone},
    {kMpiSelect, kMpi, "auto", RowArgument::kMethod, SimModel::kNone},
    {kTechnique, kAny, "", RowArgument::kTechnique, SimModel::kTechnique},
}};

bool for_runner(const RowGrammar& g, Runner runner) { return !g.runner || *g.runner == runner; }

bool takes_nothing(RowArgument a) {
  return a == RowArgument::kNone || a == RowArgument::kOptionalCount ||
         a == RowArgument::kOptionalTechnique;
}

std::optional<std::size_t> parse_count(std::string_view digits) {
  std::size_t value = 0;
  const char* end = digits.data() + digits.size();
  const auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (digits.empty() || ec != std::errc{} || ptr != end || value < 1 || value > kMaxRowCount)
    return std::nullopt;
  return value;
}

// Whether `text` can be a technique's text; techniques::parse_technique judges the rest.
bool looks_like_technique(std::string_view text) {
  if (text.empty() || text.front() < 'a' || text.front() > 'z') return false;
  if (text.back() == ',' || text.find(",,") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// The value as it may be quoted in a one-line message: control characters as \xNN.
std::string quoted(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u >= 0x7f) ? fmt::format("\\x{:02x}", u) : std::string(1, c);
  }
  return out;
}

// Every message starts with the part at fault, so that an option can prefix its own name:
// "--strategy " + "cyclic,C '0': expected a count ...".
[[noreturn]] void reject(Runner runner, std::string_view why) {
  throw RowNameError(std::string(why), fmt::format("{}; allowed under {}: {}", why,
                                                   to_string(runner), row_grammar_summary(runner)));
}

}  // namespace

std::string_view to_string(RowForm form) {
  static constexpr std::array<std::string_view, 19> kNames{
      "Serial",           "OmpStatic",
      "OmpStaticChunked", "OmpDynamic",
      "OmpGuided",        "OmpAuto",
      "OmpRuntime",       "OmpTasks",
      "OmpTaskloop",      "OmpTaskloopGrainsize",
      "MpiStatic",        "MpiCyclic",
      "MpiMasterWorker",  "MpiMasterWorkerDedicated",
      "MpiRma",           "MpiHierarchical",
      "OmpSelect",        "MpiSelect",
      "Technique"};
  return kNames.at(static_cast<std::size_t>(form));
}

std::span<const RowGrammar> row_grammar() { return kGrammar; }

const RowGrammar& grammar_of(RowForm form) {
  for (const RowGrammar& g : kGrammar) {
    if (g.form == form) return g;
  }
  throw std::logic_error("row_name: a RowForm without a grammar row");
}

std::string row_grammar_summary(Runner runner) {
  std::string text;
  for (const RowGrammar& g : kGrammar) {
    if (!for_runner(g, runner) || g.form == kTechnique) continue;
    // "static" and "static,C" (or "taskloop" and "taskloop,G") read as one entry each.
    text += fmt::format("{}{}{}", text.empty() ? "" : ", ", g.name, to_string(g.argument));
  }
  return text + ", or a technique of the registry";
}

std::string RowName::text() const {
  if (form == kTechnique) return technique;
  if (grammar().argument == RowArgument::kMethod)
    return fmt::format("{}{}", kSelectPrefix, technique);
  const std::string_view name = grammar().name;
  if (count) return fmt::format("{},{}", name, *count);
  if (!technique.empty()) return fmt::format("{},{}", name, technique);
  return std::string(name);
}

bool is_select_row_name(std::string_view strategy) {
  return strategy.substr(0, kSelectPrefix.size()) == kSelectPrefix;
}

RowName parse_row_name(Runner runner, std::string_view strategy) {
  if (is_select_row_name(strategy)) {  // schedlab's selector: auto:METHOD
    const std::string_view method = strategy.substr(kSelectPrefix.size());
    const bool word = !method.empty() && std::all_of(method.begin(), method.end(),
                                                     [](char c) { return c >= 'a' && c <= 'z'; });
    for (const RowGrammar& g : kGrammar) {
      if (word && g.argument == RowArgument::kMethod && for_runner(g, runner))
        return RowName{g.form, std::nullopt, std::string(method)};
    }
    reject(runner, fmt::format("'{}': auto:METHOD takes a method's name", quoted(strategy)));
  }
  const std::size_t comma = strategy.find(',');
  const std::string_view head = strategy.substr(0, comma);
  const std::string_view rest =
      comma == std::string_view::npos ? std::string_view{} : strategy.substr(comma + 1);
  bool literal = false;
  for (const RowGrammar& g : kGrammar) {
    if (!for_runner(g, runner) || g.form == kTechnique || g.name != head) continue;
    literal = true;
    if (comma == std::string_view::npos) {
      if (takes_nothing(g.argument)) return RowName{g.form, std::nullopt, {}};
      continue;
    }
    if (g.argument == RowArgument::kCount || g.argument == RowArgument::kOptionalCount) {
      const auto count = parse_count(rest);
      if (!count) {
        reject(runner, fmt::format("{},C '{}': expected a count from 1 to {}", head, quoted(rest),
                                   kMaxRowCount));
      }
      return RowName{g.form, count, {}};
    }
    if (g.argument == RowArgument::kOptionalTechnique) {
      if (!looks_like_technique(rest)) {
        reject(runner,
               fmt::format("{}: technique '{}' is unknown", quoted(strategy), quoted(rest)));
      }
      return RowName{g.form, std::nullopt, std::string(rest)};
    }
  }
  if (literal) reject(runner, fmt::format("'{}': {} takes no argument", quoted(strategy), head));
  if (!looks_like_technique(strategy)) {
    reject(runner, fmt::format("'{}': not a row name (an empty part, a blank or a control "
                               "character)",
                               quoted(strategy)));
  }
  return RowName{kTechnique, std::nullopt, std::string(strategy)};
}

}  // namespace schedlab
