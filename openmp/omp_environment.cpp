// Reading and validating the OpenMP environment; nothing here prints.
#include "schedlab/openmp/omp_environment.hpp"

#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstdlib>

#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output.hpp"
#include "schedlab/parse.hpp"

namespace schedlab {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// libgomp compares OMP_SCHEDULE's words case-insensitively; so do we.
bool starts_with_word(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  return std::equal(word.begin(), word.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

std::string threads_limit_text() {
  return fmt::format("{} (64 x the {} logical CPUs)", max_threads_allowed(), logical_cpus());
}

}  // namespace

int max_threads_allowed() {
  return static_cast<int>(std::min<std::size_t>(64 * logical_cpus(), INT_MAX));
}

int resolve_threads(std::string_view text) {
  // An OMP_NUM_THREADS the runtime cannot read is refused even with --threads: libgomp
  // ignores it (one line of its own on stderr) and would take every CPU, and LLVM's libomp
  // aborts at the first num_threads(T) region. Its first entry (before any ',' of a nested
  // list) must be a whole number.
  if (const std::string env = env_or_unset("OMP_NUM_THREADS"); env != "unset") {
    const std::string_view first = trim(std::string_view(env).substr(0, env.find(',')));
    // 0 too: libgomp ignores it as it ignores "two" and takes every CPU.
    if (first.empty() || first.find_first_not_of("0123456789") != std::string_view::npos ||
        first.find_first_not_of('0') == std::string_view::npos) {
      throw UsageError(fmt::format(
          "OMP_NUM_THREADS '{}': expected a whole number of threads from 1 (the OpenMP runtime "
          "reads it even with --threads); set e.g. OMP_NUM_THREADS=2, or unset it",
          env));
    }
  }
  if (text.empty()) {
    const int from_runtime = omp_get_max_threads();
    if (from_runtime < 1 || from_runtime > max_threads_allowed()) {
      throw UsageError(fmt::format("OMP_NUM_THREADS '{}': expected a whole number from 1 to {}",
                                   env_or_unset("OMP_NUM_THREADS"), threads_limit_text()));
    }
    return from_runtime;
  }
  try {
    return static_cast<int>(
        parse_uint("--threads", text, 1, static_cast<std::uint64_t>(max_threads_allowed())));
  } catch (const UsageError&) {
    throw UsageError(fmt::format("--threads '{}': expected a whole number from 1 to {}", text,
                                 threads_limit_text()));
  }
}

void check_omp_schedule(std::string_view value) {
  const auto fail = [&] {
    return UsageError(fmt::format(
        "OMP_SCHEDULE '{}': expected [monotonic:|nonmonotonic:]static|dynamic|guided|auto[,chunk] "
        "with a chunk from 1 to {} (used by --schedule runtime)",
        value, INT_MAX));
  };
  std::string_view rest = trim(value);
  for (std::string_view modifier : {"monotonic", "nonmonotonic"}) {
    if (!starts_with_word(rest, modifier)) continue;
    const std::string_view after = trim(rest.substr(modifier.size()));
    if (!after.empty() && after.front() == ':') {
      rest = trim(after.substr(1));
      break;
    }
  }
  const std::size_t comma = rest.find(',');
  const std::string_view kind = trim(rest.substr(0, comma));
  constexpr std::array<std::string_view, 4> kKinds{"static", "dynamic", "guided", "auto"};
  const bool known = std::any_of(kKinds.begin(), kKinds.end(), [&](std::string_view k) {
    return kind.size() == k.size() && starts_with_word(kind, k);
  });
  if (!known) throw fail();
  if (comma == std::string_view::npos) return;
  try {
    parse_uint("OMP_SCHEDULE", trim(rest.substr(comma + 1)), 1, INT_MAX);
  } catch (const UsageError&) {
    throw fail();
  }
}

namespace {
// getenv is safe here: the environment is read before any thread starts and never written.
const char* omp_schedule_env() {
  return std::getenv("OMP_SCHEDULE");  // NOLINT(concurrency-mt-unsafe)
}
}  // namespace

void check_omp_schedule_env() {
  if (const char* value = omp_schedule_env(); value != nullptr) check_omp_schedule(value);
}

std::string describe_omp_schedule_env() {
  const char* value = omp_schedule_env();
  return value == nullptr ? std::string("unset") : fmt::format("'{}'", value);
}

std::string describe_runtime_schedule() {
  omp_sched_t kind{};
  int chunk = 0;
  omp_get_schedule(&kind, &chunk);
  const auto bits = static_cast<unsigned>(kind);
  const auto monotonic = static_cast<unsigned>(omp_sched_monotonic);
  const auto base = static_cast<omp_sched_t>(bits & ~monotonic);
  // static is monotonic by definition (libgomp sets the flag, other runtimes need not), so
  // the prefix is shown only where it changes something.
  std::string text = (bits & monotonic) != 0 && base != omp_sched_static ? "monotonic:" : "";
  switch (base) {
    case omp_sched_static:
      // Chunk 0 (or below 1) means no chunk: one contiguous block per thread.
      return chunk < 1 ? std::string("static") : fmt::format("static,{}", chunk);
    case omp_sched_dynamic:
      return text + fmt::format("dynamic,{}", chunk);
    case omp_sched_guided:
      return text + fmt::format("guided,{}", chunk);
    case omp_sched_auto:
      return text + "auto";
    default:
      return text + fmt::format("implementation-defined kind {}", bits & ~monotonic);
  }
}

std::map<std::string, std::string> binding_in_effect() {
  const char* bind_names[] = {"false", "true", "primary", "close", "spread"};
  const int bind = static_cast<int>(omp_get_proc_bind());
  return {
      {"OMP_PROC_BIND", env_or_unset("OMP_PROC_BIND")},
      {"OMP_PLACES", env_or_unset("OMP_PLACES")},
      {"omp_get_proc_bind", bind >= 0 && bind < 5 ? bind_names[bind] : std::to_string(bind)},
      {"omp_get_num_places", std::to_string(omp_get_num_places())},
  };
}

}  // namespace schedlab
