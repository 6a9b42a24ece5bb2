// schedlab-technique-check: checks one technique (default: the student's) the way
// jobs/check-technique.sh promises: every task exactly once for many N and P, no chunk
// below 1 or above what is left, then its simulated Tp/L and chunk count beside gss, fac2, ss.
// Exit 0 ok, 1 the technique failed a check, 2 bad usage.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

#include "schedlab/techniques/plan.hpp"
#include "schedlab/techniques/registry.hpp"
#include "schedlab/techniques/simulate.hpp"

namespace tq = schedlab::techniques;

namespace {

// Two workloads that tell techniques apart: cost growing along the list (static loses), and
// random costs (fixed chunks lose on the tail).
std::vector<double> workload(const std::string& name, std::size_t n) {
  std::vector<double> seconds(n);
  if (name == "increasing") {
    for (std::size_t i = 0; i < n; ++i)
      seconds[i] = 2e-3 * static_cast<double>(i + 1) / static_cast<double>(n);
  } else {
    std::mt19937_64 generator(12345);
    std::uniform_real_distribution<double> cost(0.1e-3, 1.9e-3);
    for (double& s : seconds) s = cost(generator);
  }
  return seconds;
}

double lower_bound(const std::vector<double>& seconds, int workers) {
  const double sum = std::accumulate(seconds.begin(), seconds.end(), 0.0);
  return std::max(sum / workers, *std::max_element(seconds.begin(), seconds.end()));
}

// Every N with a spread of P, then every P with a spread of N: each task handed out once.
bool check_coverage_of(const tq::TechniqueSpec& spec, std::size_t max_tasks, int max_workers) {
  std::vector<std::size_t> all_n(max_tasks);
  std::iota(all_n.begin(), all_n.end(), std::size_t{1});
  std::vector<int> some_p;
  for (int p : {1, 2, 3, 4, 5, 7, 8, 16, 33, 64}) {
    if (p <= max_workers) some_p.push_back(p);
  }
  std::vector<int> all_p(static_cast<std::size_t>(max_workers));
  std::iota(all_p.begin(), all_p.end(), 1);
  std::vector<std::size_t> some_n;
  for (std::size_t n :
       {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{63}, std::size_t{64},
        std::size_t{65}, std::size_t{100}, std::size_t{997}, max_tasks}) {
    if (n <= max_tasks) some_n.push_back(n);
  }
  std::string problem = tq::check_coverage(spec, all_n, some_p);
  if (problem.empty()) problem = tq::check_coverage(spec, some_n, all_p);
  if (!problem.empty()) {
    fmt::print("coverage: FAILED: {}\n", problem);
    return false;
  }
  fmt::print(
      "coverage: OK: '{}' hands out every task exactly once, chunks 1..R, for N = 1..{} "
      "with P in {{{}}}, and P = 1..{} with N in {{{}}}\n",
      spec.text(), max_tasks, fmt::join(some_p, ","), max_workers, fmt::join(some_n, ","));

  return true;
}

// Simulated comparison (the measured one needs the runners: see docs/techniques.md).
bool print_simulated_comparison(const tq::TechniqueSpec& spec, double overhead) {
  const int workers = 4;
  const std::size_t tasks = 16 * static_cast<std::size_t>(workers);
  fmt::print("simulated, P = {}, N = {}, h = {:g} s (prediction, not a measurement):\n", workers,
             tasks, overhead);
  fmt::print("{:<12} {:<12} {:>7} {:>10} {:>7}\n", "workload", "technique", "chunks", "Tp (ms)",
             "Tp/L");
  tq::SimOptions options;
  options.dispatch_overhead = overhead;
  for (const std::string wl : {"increasing", "random"}) {
    const std::vector<double> seconds = workload(wl, tasks);
    const double bound = lower_bound(seconds, workers);
    for (const std::string& other :
         {spec.text(), std::string("gss"), std::string("fac2"), std::string("ss")}) {
      try {
        const tq::SimResult sim =
            tq::simulate(seconds, workers, tq::parse_technique(other), options);
        fmt::print("{:<12} {:<12} {:>7} {:>10.3f} {:>7.3f}\n", wl, other, sim.chunks, sim.tp * 1e3,
                   sim.tp / bound);
      } catch (const std::exception& error) {
        fmt::print("simulation: FAILED: {}\n", error.what());
        return false;
      }
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Checks a scheduling technique: coverage for many N and P, then a simulated "
      "comparison with gss, fac2 and ss."};
  std::string name = "student";
  std::size_t max_tasks = 2000;
  int max_workers = 64;
  double overhead = 1e-6;
  app.add_option("--technique", name, "technique to check, e.g. student, tss, gss,4")
      ->capture_default_str();
  app.add_option("--max-tasks", max_tasks, "check every N from 1 to this")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--max-workers", max_workers, "check every P from 1 to this")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  bool list = false;
  app.add_flag("--list", list,
               "print every registered technique as `name dispatch` (table, ask or plan), one "
               "a line, and exit (the MPI tests are generated from it)");
  app.add_option("--overhead", overhead, "simulated dispatch overhead h per chunk, seconds")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "%s\n", error.what());  // one line, naming the option
    return 2;
  }
  if (list) {
    for (const tq::TechniqueInfo& row : tq::registry()) {
      std::printf("%s %s\n", row.name.c_str(), std::string(tq::to_string(row.dispatch)).c_str());
    }
    return 0;
  }
  tq::TechniqueSpec spec;
  try {
    spec = tq::parse_technique(name);
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "--technique: %s\n", error.what());
    return 2;
  }

  if (!check_coverage_of(spec, max_tasks, max_workers)) return 1;
  return print_simulated_comparison(spec, overhead) ? 0 : 1;
}
