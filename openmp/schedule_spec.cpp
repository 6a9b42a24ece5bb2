// `--schedule` specs: "dynamic,4" -> the dynamic row of the strategy table with chunk 4.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "schedlab/errors.hpp"
#include "schedlab/openmp/auto_row.hpp"
#include "schedlab/openmp/omp_environment.hpp"
#include "schedlab/openmp/omp_runtime.hpp"
#include "schedlab/openmp/schedules.hpp"
#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"

namespace schedlab {
namespace {

// "guided4" -> "guided,4": a schedule's name with its chunk glued on, the comma forgotten.
std::string with_comma_restored(std::string_view name, const std::vector<std::string>& names) {
  const std::size_t digits = name.find_last_not_of("0123456789") + 1;
  if (digits == 0 || digits == name.size()) return {};
  const std::string_view stem = name.substr(0, digits);
  if (std::find(names.begin(), names.end(), stem) == names.end()) return {};
  return fmt::format("{},{}", stem, name.substr(digits));
}

UsageError unknown_schedule(std::string_view text, std::string_view name) {
  // A typo of a schedule's or a technique's name ("dynamc,4", "gsss") gets the spelling it
  // was probably meant as; aliases count ("trapezoidal" is near tss's alias "trapezoid"),
  // and the suggestion is the spelling that works.
  std::vector<std::string> names{"all", "techniques", "all-fixed"};
  for (const techniques::SelectMethod m : techniques::select_methods())
    names.push_back("auto:" + std::string(techniques::to_string(m)));
  for (const OmpStrategy& s : omp_strategies()) names.emplace_back(s.name);
  for (const techniques::TechniqueInfo& t : techniques::registry()) {
    names.push_back(t.name);
    names.insert(names.end(), t.aliases.begin(), t.aliases.end());
  }
  std::string match = with_comma_restored(name, names);
  if (match.empty()) {
    match = closest_match(name, names);
    if (!match.empty()) match += text.substr(name.size());
  }
  const std::string hint = match.empty() ? std::string() : fmt::format("did you mean {}? ", match);
  return UsageError(
      fmt::format("--schedule '{}': {}expected one of {}, techniques, or a "
                  "technique: {}",
                  text, hint, kScheduleSyntax, techniques::technique_names()));
}

const OmpStrategy* find_strategy(std::string_view name, bool has_chunk) {
  for (const OmpStrategy& s : omp_strategies()) {
    if (s.name != name) continue;
    const bool fits =
        has_chunk ? s.chunk_rule != ChunkRule::kNone : s.chunk_rule != ChunkRule::kRequired;
    if (fits) return &s;
  }
  return nullptr;
}

// auto:METHOD, with a fresh state of its own.
ScheduleSpec auto_schedule(techniques::SelectMethod method) {
  ScheduleSpec spec{nullptr, 1, std::nullopt};
  spec.select = method;
  spec.auto_state = std::make_shared<AutoRowState>();
  return spec;
}

}  // namespace

std::string ScheduleSpec::label() const {
  if (select) return "auto:" + std::string(techniques::to_string(*select));
  if (technique) return technique->text();
  if (strategy == nullptr) return "?";
  if (strategy->chunk_rule == ChunkRule::kNone) return std::string(strategy->name);
  return fmt::format("{},{}", strategy->name, chunk);
}

RunResult ScheduleSpec::run(const std::vector<Task>& tasks, Progress& progress, int threads,
                            std::optional<std::size_t> fail_task,
                            const TechniqueInputs& inputs) const {
  const OmpConfig config{progress, threads, chunk, fail_task, 0};
  if (select) return run_auto_step(tasks, *select, *auto_state, config, inputs);
  if (technique) {
    return run_technique(tasks, *technique,
                         technique_loop(tasks, threads, inputs.costs, inputs.weights), config);
  }
  return strategy->run(tasks, config);
}

std::vector<ScheduleSpec> parse_schedule(std::string_view text) {
  if (text == "all") {
    std::vector<ScheduleSpec> every;
    for (const OmpStrategy& s : omp_strategies())
      every.push_back(ScheduleSpec{&s, 1, std::nullopt});
    return every;
  }
  if (text == "all-fixed") {  // the oracle's rows and the auto rows, measured in one run
    std::vector<ScheduleSpec> every;
    for (const techniques::TechniqueSpec& t : techniques::portfolio())
      every.push_back(ScheduleSpec{nullptr, 1, t});
    for (const techniques::SelectMethod m : techniques::select_methods())
      every.push_back(auto_schedule(m));
    return every;
  }
  if (text.rfind("auto:", 0) == 0) {
    try {
      return {auto_schedule(techniques::parse_select_method(text.substr(5)))};
    } catch (const std::invalid_argument& e) {
      throw UsageError(
          fmt::format("--schedule '{}': {} (auto alone is OpenMP's own "
                      "schedule(auto))",
                      text, e.what()));
    }
  }
  const std::size_t comma = text.find(',');
  const std::string_view name = text.substr(0, comma);
  const bool has_chunk = comma != std::string_view::npos;
  if (text == "techniques") {
    std::vector<ScheduleSpec> every;
    for (const techniques::TechniqueInfo& t : techniques::registry())
      every.push_back(ScheduleSpec{nullptr, 1, techniques::parse_technique(t.name)});
    return every;
  }
  const bool known = std::any_of(omp_strategies().begin(), omp_strategies().end(),
                                 [&](const OmpStrategy& s) { return s.name == name; });
  if (!known) {
    // Not a literal pragma: a technique of the registry, or nothing schedlab knows.
    if (techniques::find_technique(name) == nullptr) throw unknown_schedule(text, name);
    try {
      return {ScheduleSpec{nullptr, 1, techniques::parse_technique(text)}};
    } catch (const std::invalid_argument& e) {  // a bad parameter: the registry names it
      throw UsageError(fmt::format("--schedule '{}': {}", text, e.what()));
    }
  }
  const OmpStrategy* strategy = find_strategy(name, has_chunk);
  if (strategy == nullptr) {
    throw UsageError(fmt::format("--schedule '{}': {} takes no chunk (expected one of {})", text,
                                 name, kScheduleSyntax));
  }
  ScheduleSpec spec{strategy, 1, std::nullopt};
  if (has_chunk) {
    const std::string_view chunk = text.substr(comma + 1);
    try {
      spec.chunk = static_cast<std::size_t>(parse_uint("chunk", chunk, 1, kMaxChunk));
    } catch (const UsageError&) {
      throw UsageError(
          fmt::format("--schedule '{}': the {} '{}' must be a whole number from 1 to {}", text,
                      strategy->form == RowForm::kOmpTaskloopGrainsize ? "grainsize" : "chunk size",
                      chunk, kMaxChunk));
    }
  }
  return {spec};
}

bool uses_runtime_schedule(const std::vector<ScheduleSpec>& schedules) {
  return std::any_of(schedules.begin(), schedules.end(), [](const ScheduleSpec& s) {
    return s.strategy != nullptr && s.strategy->run == run_runtime;
  });
}

namespace {

// n iterations cut into pieces of `chunk`, the last one shorter.
std::vector<std::size_t> fixed_chunks(std::size_t n, std::size_t chunk) {
  std::vector<std::size_t> sizes(n / chunk, chunk);
  if (n % chunk != 0) sizes.push_back(n % chunk);
  return sizes;
}

}  // namespace

std::vector<std::size_t> pragma_chunk_sizes(const ScheduleSpec& spec, std::size_t n, int threads) {
  const auto p = static_cast<std::size_t>(threads);
  // One block of about n/p per thread: schedule(static), and libgomp's schedule(auto).
  const auto blocks = [&] {
    std::vector<std::size_t> sizes;
    for (std::size_t w = 0; w < p && w < n; ++w) sizes.push_back(n / p + (w < n % p ? 1 : 0));
    return sizes;
  };
  switch (spec.strategy->form) {
    case RowForm::kOmpRuntime: {
      // OMP_SCHEDULE as the runtime resolved it ("monotonic:" changes no chunk size).
      std::string resolved = describe_runtime_schedule();
      if (resolved.rfind("monotonic:", 0) == 0) resolved.erase(0, 10);
      return pragma_chunk_sizes(parse_schedule(resolved).front(), n, threads);
    }
    case RowForm::kOmpStatic:
      return blocks();
    case RowForm::kOmpAuto:  // libgomp implements schedule(auto) as schedule(static)
      if (omp_runtime() == OmpRuntime::kLibgomp) return blocks();
      break;                          // libomp picks its own
    case RowForm::kOmpStaticChunked:  // dealt round robin
    case RowForm::kOmpDynamic:
      return fixed_chunks(n, spec.chunk);
    case RowForm::kOmpGuided:
      return guided_chunk_sizes(omp_runtime(), n, threads, spec.chunk);
    case RowForm::kOmpTasks:
      return fixed_chunks(n, 1);  // one omp task per iteration
    case RowForm::kOmpTaskloopGrainsize: {
      // grainsize(G): each task holds G to 2G-1 iterations (OpenMP 5.2, 12.6); libgomp
      // and libomp both make floor(n/G) tasks, the first n mod count one iteration longer.
      const std::size_t count = std::max<std::size_t>(1, n / spec.chunk);
      std::vector<std::size_t> sizes;
      for (std::size_t t = 0; t < count; ++t) sizes.push_back(n / count + (t < n % count ? 1 : 0));
      return sizes;
    }
    default:  // taskloop without a grainsize: the runtime decides
      break;
  }
  throw UsageError(fmt::format(
      "--print-chunks: --schedule '{}': the {} runtime alone decides how {} cuts the loop; "
      "give a grainsize (e.g. --schedule taskloop,4), or a technique of the registry",
      spec.label(), to_string(omp_runtime()), spec.label()));
}

}  // namespace schedlab
