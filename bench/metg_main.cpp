// schedlab-metg: METG(50%) per strategy from the runners' --csv rows of a granularity sweep
// (jobs/metg.sh makes them), as a table in microseconds, plus the points and a gnuplot script.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "schedlab/bench/metg.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output.hpp"
#include "schedlab/parse.hpp"

namespace {

using namespace schedlab;

std::string sweep_name(const Sweep& s) {
  const std::string model = s.runner == "schedlab-omp"   ? "OpenMP"
                            : s.runner == "schedlab-mpi" ? "MPI"
                                                         : s.runner;
  return fmt::format("{} {}", model, s.strategy);
}

std::string metg_table(const std::vector<Sweep>& sweeps, double threshold) {
  const int percent = static_cast<int>(std::lround(threshold * 100));
  std::string text = fmt::format(
      "METG({}%): the smallest mean task granularity g = Tp*P/N at which efficiency reaches "
      "{}% (Task Bench, SC'20)\n",
      percent, percent);
  text += fmt::format("{:<28} {:>3} {:>6} {:>22} {:>7} {:>16}\n", "strategy", "P", "points",
                      "g measured (us)", "best E", fmt::format("METG({}%) (us)", percent));
  for (const Sweep& s : sweeps) {
    double g_min = s.points.front().granularity_seconds, g_max = g_min, best = 0;
    for (const auto& p : s.points) {
      g_min = std::min(g_min, p.granularity_seconds);
      g_max = std::max(g_max, p.granularity_seconds);
      best = std::max(best, p.efficiency);
    }
    text += fmt::format("{:<28} {:>3} {:>6} {:>22} {:>7.3f} {:>16}\n", sweep_name(s), s.workers,
                        s.points.size(), fmt::format("{:.4g} .. {:.4g}", g_min * 1e6, g_max * 1e6),
                        best, describe_metg_us(minimum_effective_granularity(s.points, threshold)));
  }
  return text;
}

// Sorted by size, largest first: one block per strategy, blank-line separated (gnuplot index).
std::vector<GranularityPoint> by_size(std::vector<GranularityPoint> points) {
  std::sort(points.begin(), points.end(),
            [](const auto& a, const auto& b) { return a.task_units > b.task_units; });
  return points;
}

std::string points_table(const std::vector<Sweep>& sweeps) {
  std::string text = "# strategy\tworkers\ttask_units\tgranularity_us\tefficiency\n";
  for (const Sweep& s : sweeps) {
    for (const auto& p : by_size(s.points)) {
      text += fmt::format("{}\t{}\t{}\t{:.6f}\t{:.6f}\n", sweep_name(s), s.workers, p.task_units,
                          p.granularity_seconds * 1e6, p.efficiency);
    }
  }
  return text;
}

// A self-contained script (data inline) so the plot can be redrawn from the one file.
std::string gnuplot_script(const std::vector<Sweep>& sweeps, double threshold,
                           const std::string& png) {
  std::string text = fmt::format(
      "# Efficiency vs mean task granularity per strategy (schedlab-metg).\n"
      "set terminal pngcairo size 960,600 noenhanced\n"
      "set output '{}'\n"
      "set title 'Efficiency vs task granularity g = Tp*P/N (METG at E = {})'\n"
      "set xlabel 'mean task granularity g (us, log scale)'\n"
      "set ylabel 'efficiency T1/(Tp*P)'\n"
      "set logscale x\nset yrange [0:1.2]\nset grid\nset key bottom right\n",
      png, threshold);
  for (std::size_t i = 0; i < sweeps.size(); ++i) {
    text += fmt::format("$s{} << EOD\n", i);
    for (const auto& p : by_size(sweeps[i].points)) {
      text += fmt::format("{:.6f} {:.6f}\n", p.granularity_seconds * 1e6, p.efficiency);
    }
    text += "EOD\n";
  }
  text += fmt::format("plot {} title 'E = {}' dashtype 2 lc 'black'", threshold, threshold);
  for (std::size_t i = 0; i < sweeps.size(); ++i) {
    text += fmt::format(", \\\n  $s{} with linespoints title '{} (P={})'", i, sweep_name(sweeps[i]),
                        sweeps[i].workers);
  }
  return text + "\n";
}

}  // namespace

int main(int argc, char** argv) {
  // Inputs.
  CLI::App app{
      "Computes METG (Task Bench's minimum effective task granularity) per strategy "
      "from the --csv rows of a sweep of uniform task lists (see jobs/metg.sh).",
      "schedlab-metg"};
  app.set_version_flag("--version", kVersion);
  std::vector<std::string> csv_paths;
  std::string threshold_text = "0.5", data_path, gnuplot_path, png_path;
  app.add_option("csv", csv_paths, "CSV files written by schedlab-omp / schedlab-mpi --csv")
      ->required();
  app.add_option("--threshold", threshold_text, "Efficiency that defines METG, in (0, 1]")
      ->capture_default_str();
  app.add_option("--data", data_path, "Write every point (strategy, size, g, E) to this file");
  app.add_option("--gnuplot", gnuplot_path, "Write a gnuplot script of E vs g to this file");
  app.add_option("--png", png_path, "Image the gnuplot script draws (default: script's .png)");
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  double threshold = 0;
  std::vector<Sweep> sweeps;
  try {
    threshold = parse_positive_double("--threshold", threshold_text, 1.0);
    if (!png_path.empty() && gnuplot_path.empty()) {
      throw UsageError(fmt::format("--png {}: needs --gnuplot SCRIPT", png_path));
    }
    sweeps = read_sweeps(csv_paths);
    if (sweeps.empty()) {
      throw UsageError(fmt::format("{}: no verified uniform-workload strategy rows",
                                   fmt::join(csv_paths, ", ")));
    }
  } catch (const UsageError& e) {
    return report_usage_error(app.get_name(), e.what());
  }
  if (png_path.empty() && !gnuplot_path.empty()) {
    const auto dot = gnuplot_path.rfind('.');
    png_path = (dot == std::string::npos ? gnuplot_path : gnuplot_path.substr(0, dot)) + ".png";
  }

  // Report.
  std::fputs(metg_table(sweeps, threshold).c_str(), stdout);
  if (!data_path.empty()) write_file_atomically(data_path, points_table(sweeps));
  if (!gnuplot_path.empty()) {
    write_file_atomically(gnuplot_path, gnuplot_script(sweeps, threshold, png_path));
  }
  return kExitOk;
}
