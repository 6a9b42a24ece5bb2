// `--schedule` specs: "dynamic,4" -> the dynamic row of the strategy table with chunk 4.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "schedlab/errors.hpp"
#include "schedlab/openmp/schedules.hpp"
#include "schedlab/openmp/techniques_executor.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"

namespace schedlab {
namespace {

UsageError unknown_schedule(std::string_view text, std::string_view name) {
  // A typo of a schedule's or a technique's name ("dynamc,4", "fac") gets the spelling it
  // was probably meant as.
  std::vector<std::string> names{"all", "techniques"};
  for (const OmpStrategy& s : omp_strategies()) names.emplace_back(s.name);
  for (const techniques::TechniqueInfo& t : techniques::registry()) names.push_back(t.name);
  const std::string match = closest_match(name, names);
  const std::string hint =
      match.empty() ? std::string()
                    : fmt::format("did you mean {}{}? ", match, text.substr(name.size()));
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

}  // namespace

std::string ScheduleSpec::label() const {
  if (technique) return technique->text();
  if (strategy == nullptr) return "?";
  if (strategy->chunk_rule == ChunkRule::kNone) return std::string(strategy->name);
  return fmt::format("{},{}", strategy->name, chunk);
}

RunResult ScheduleSpec::run(const std::vector<Task>& tasks, Progress& progress, int threads,
                            std::optional<std::size_t> fail_task,
                            const TechniqueInputs& inputs) const {
  const OmpConfig config{progress, threads, chunk, fail_task, 0};
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
                      name == "taskloop" ? "grainsize" : "chunk size", chunk, kMaxChunk));
    }
  }
  return {spec};
}

bool uses_runtime_schedule(const std::vector<ScheduleSpec>& schedules) {
  return std::any_of(schedules.begin(), schedules.end(), [](const ScheduleSpec& s) {
    return s.strategy != nullptr && s.strategy->run == run_runtime;
  });
}

}  // namespace schedlab
