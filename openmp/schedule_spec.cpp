// `--schedule` specs: "dynamic,4" -> the dynamic row of the strategy table with chunk 4.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/openmp/schedules.hpp"

namespace schedlab {
namespace {

UsageError unknown_schedule(std::string_view text, std::string_view name) {
  // A typo of a schedule's name ("dynamc,4") gets the spelling it was probably meant as.
  std::vector<std::string> names{"all"};
  for (const OmpStrategy& s : omp_strategies()) names.emplace_back(s.name);
  const std::string match = closest_match(name, names);
  const std::string hint =
      match.empty() ? std::string()
                    : fmt::format("did you mean {}{}? ", match, text.substr(name.size()));
  return UsageError(
      fmt::format("--schedule '{}': {}expected one of {}", text, hint, kScheduleSyntax));
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
  if (strategy == nullptr) return "?";
  if (strategy->chunk_rule == ChunkRule::kNone) return std::string(strategy->name);
  return fmt::format("{},{}", strategy->name, chunk);
}

RunResult ScheduleSpec::run(const std::vector<Task>& tasks, Progress& progress, int threads,
                            std::optional<std::size_t> fail_task) const {
  return strategy->run(tasks, OmpConfig{progress, threads, chunk, fail_task, 0});
}

std::vector<ScheduleSpec> parse_schedule(std::string_view text) {
  if (text == "all") {
    std::vector<ScheduleSpec> every;
    for (const OmpStrategy& s : omp_strategies()) every.push_back(ScheduleSpec{&s, 1});
    return every;
  }
  const std::size_t comma = text.find(',');
  const std::string_view name = text.substr(0, comma);
  const bool has_chunk = comma != std::string_view::npos;
  const bool known = std::any_of(omp_strategies().begin(), omp_strategies().end(),
                                 [&](const OmpStrategy& s) { return s.name == name; });
  if (!known) throw unknown_schedule(text, name);
  const OmpStrategy* strategy = find_strategy(name, has_chunk);
  if (strategy == nullptr) {
    throw UsageError(fmt::format("--schedule '{}': {} takes no chunk (expected one of {})", text,
                                 name, kScheduleSyntax));
  }
  ScheduleSpec spec{strategy, 1};
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
  return std::any_of(schedules.begin(), schedules.end(),
                     [](const ScheduleSpec& s) { return s.strategy->run == run_runtime; });
}

}  // namespace schedlab
