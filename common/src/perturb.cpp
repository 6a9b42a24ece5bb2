// --perturb: the grammar (schedlab/perturb.hpp), the canonical text, and the busy-waits the
// per-task body and the MPI dispatch apply. Busy-waits, not sleeps: a slowed or paused
// worker keeps its core, as a slower or interfered core would.
#include "schedlab/perturb.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "schedlab/errors.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/steps.hpp"

namespace schedlab {

std::string_view to_string(PerturbKind kind) {
  switch (kind) {
    case PerturbKind::kSlow:
      return "slow";
    case PerturbKind::kPause:
      return "pause";
    case PerturbKind::kLatency:
      return "latency";
  }
  return "unknown";
}

namespace {

constexpr const char* kKeys = "worker, slow, pause, every, latency, from, from_step";
constexpr double kMaxSeconds = 3600;
constexpr double kMaxSlow = 1000;

// key=value pairs in order; a key twice, a pair without '=' or an empty part is refused.
std::map<std::string, std::string> split_pairs(std::string_view text) {
  std::map<std::string, std::string> pairs;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    const std::string_view pair = text.substr(from, comma - from);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size()) {
      throw UsageError(
          fmt::format("--perturb '{}': '{}' is not key=value (keys: {})", text, pair, kKeys));
    }
    const std::string key(pair.substr(0, eq));
    if (!pairs.emplace(key, std::string(pair.substr(eq + 1))).second)
      throw UsageError(fmt::format("--perturb '{}': key {} given twice", text, key));
    from = comma + 1;
  }
  return pairs;
}

double seconds_value(std::string_view spec, const std::string& key, const std::string& value,
                     bool zero_allowed) {
  if (zero_allowed && (value == "0" || value == "0.0")) return 0;
  return parse_positive_double(fmt::format("--perturb '{}': {}", spec, key), value, kMaxSeconds);
}

// The kind from the effect keys: exactly one of slow, pause (with every), latency.
PerturbKind kind_of(std::string_view text, const std::map<std::string, std::string>& pairs) {
  const int effects =
      static_cast<int>(pairs.count("slow") + pairs.count("pause") + pairs.count("latency"));
  if (effects != 1) {
    throw UsageError(fmt::format(
        "--perturb '{}': expected exactly one of slow=F, pause=S,every=E or latency=S", text));
  }
  if (pairs.count("every") != pairs.count("pause"))
    throw UsageError(
        fmt::format("--perturb '{}': every=E goes with pause=S, and only with it", text));
  if (pairs.count("slow") != 0) return PerturbKind::kSlow;
  return pairs.count("pause") != 0 ? PerturbKind::kPause : PerturbKind::kLatency;
}

}  // namespace

Perturbation parse_perturbation(std::string_view text) {
  const std::map<std::string, std::string> pairs = split_pairs(text);
  for (const auto& [key, value] : pairs) {
    if (key != "worker" && key != "slow" && key != "pause" && key != "every" && key != "latency" &&
        key != "from" && key != "from_step") {
      throw UsageError(
          fmt::format("--perturb '{}': unknown key '{}' (keys: {})", text, key, kKeys));
    }
  }
  Perturbation p;
  p.kind = kind_of(text, pairs);
  const auto value = [&](const char* key) { return pairs.at(key); };
  const auto what = [&](const char* key) { return fmt::format("--perturb '{}': {}", text, key); };
  if (pairs.count("worker") != 0)
    p.worker = static_cast<int>(parse_uint(what("worker"), value("worker"), 0, 1 << 20));
  if (p.kind == PerturbKind::kSlow) {
    p.slow = parse_positive_double(what("slow"), value("slow"), kMaxSlow);
    if (p.slow < 1)
      throw UsageError(fmt::format("--perturb '{}': slow {:g}: expected a factor from 1 to {:g}",
                                   text, p.slow, kMaxSlow));
  } else if (p.kind == PerturbKind::kPause) {
    p.pause = seconds_value(text, "pause", value("pause"), false);
    p.every = seconds_value(text, "every", value("every"), false);
    if (p.pause >= p.every)
      throw UsageError(fmt::format(
          "--perturb '{}': pause {:g} s every {:g} s: expected the pause shorter than the period",
          text, p.pause, p.every));
  } else {
    p.latency = parse_positive_double(what("latency"), value("latency"), 10);
  }
  if (pairs.count("from") != 0) p.from = seconds_value(text, "from", value("from"), true);
  if (pairs.count("from_step") != 0)
    p.from_step =
        static_cast<int>(parse_uint(what("from_step"), value("from_step"), 0, kMaxSteps - 1));
  return p;
}

std::string to_string(const Perturbation& p) {
  std::string text = p.worker >= 0 ? fmt::format("worker={},", p.worker) : std::string();
  switch (p.kind) {
    case PerturbKind::kSlow:
      text += fmt::format("slow={:g}", p.slow);
      break;
    case PerturbKind::kPause:
      text += fmt::format("pause={:g},every={:g}", p.pause, p.every);
      break;
    case PerturbKind::kLatency:
      text += fmt::format("latency={:g}", p.latency);
      break;
  }
  if (p.from > 0) text += fmt::format(",from={:g}", p.from);
  if (p.from_step > 0) text += fmt::format(",from_step={}", p.from_step);
  return text;
}

std::string to_string(const std::vector<Perturbation>& list) {
  std::string text;
  for (const Perturbation& p : list) text += (text.empty() ? "" : ";") + to_string(p);
  return text;
}

void check_perturbations(const std::vector<Perturbation>& list, int workers, int steps,
                         bool sends_dispatch_messages) {
  for (const Perturbation& p : list) {
    if (p.worker >= workers) {
      throw UsageError(fmt::format("--perturb '{}': worker {}: expected 0 to {} (P = {} workers)",
                                   to_string(p), p.worker, workers - 1, workers));
    }
    if (p.from_step >= steps) {
      throw UsageError(fmt::format("--perturb '{}': from_step {}: expected 0 to {} (--steps {})",
                                   to_string(p), p.from_step, steps - 1, steps));
    }
    if (p.kind == PerturbKind::kLatency && !sends_dispatch_messages) {
      throw UsageError(fmt::format(
          "--perturb '{}': latency is added to MPI dispatch messages: schedlab-mpi only",
          to_string(p)));
    }
  }
}

namespace {

std::vector<Perturbation> active_list;
Clock::time_point origin = Clock::now();

void busy_wait_until(Clock::time_point deadline) {
  while (Clock::now() < deadline) {
  }
}

// Whether `p` applies now to a worker matched by `targets`.
bool applies(const Perturbation& p, double since_origin) {
  return current_step() >= p.from_step && since_origin >= p.from;
}

}  // namespace

void set_perturbations(std::vector<Perturbation> list) { active_list = std::move(list); }
bool perturbations_set() { return !active_list.empty(); }
void restart_perturbation_clock() { origin = Clock::now(); }
double perturbation_clock_seconds() { return seconds_between(origin, Clock::now()); }
void resume_perturbation_clock(double seconds) {
  origin = Clock::now() -
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

void pause_if_due(int worker) {
  for (const Perturbation& p : active_list) {
    if (p.kind != PerturbKind::kPause || (p.worker >= 0 && p.worker != worker)) continue;
    const auto now = Clock::now();
    const double since = seconds_between(origin, now);
    if (!applies(p, since)) continue;
    const double phase = std::fmod(since - p.from, p.every);
    if (phase < p.pause)
      busy_wait_until(now + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(p.pause - phase)));
  }
}

void slow_down(int worker, Clock::time_point began) {
  const auto now = Clock::now();
  const double since = seconds_between(origin, now);
  double factor = 1;
  for (const Perturbation& p : active_list) {
    if (p.kind == PerturbKind::kSlow && (p.worker < 0 || p.worker == worker) && applies(p, since))
      factor *= p.slow;
  }
  if (factor <= 1) return;
  const auto extra = std::chrono::duration<double>((factor - 1) * seconds_between(began, now));
  busy_wait_until(now + std::chrono::duration_cast<Clock::duration>(extra));
}

void delay_dispatch(int rank, int threads) {
  const double since = seconds_between(origin, Clock::now());
  double delay = 0;
  for (const Perturbation& p : active_list) {
    if (p.kind != PerturbKind::kLatency || !applies(p, since)) continue;
    if (p.worker < 0 || p.worker / std::max(threads, 1) == rank) delay += p.latency;
  }
  if (delay > 0)
    busy_wait_until(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(delay)));
}

}  // namespace schedlab
