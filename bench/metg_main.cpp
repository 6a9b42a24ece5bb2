// schedlab-metg: METG(50%) per strategy from the runners' --csv rows of a granularity sweep
// (jobs/metg.sh makes them), under schedlab's scoring and Task Bench's, over one or more rounds,
// as a table in microseconds, plus metg.csv, the points and a gnuplot script. With
// --measure-peak: the bare kernel's rate per worker that Task Bench's scoring divides by.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "schedlab/bench/metg.hpp"
#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output.hpp"
#include "schedlab/output/files.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/report/gnuplot.hpp"

namespace {

using namespace schedlab;

// A METG over rounds as a cell: "0.213", "< 0.050" (a bound), "not reached".
std::string describe(const RoundsMetg& m) { return describe_metg_us({m.status, m.median_seconds}); }

std::string spread(const RoundsMetg& m) {
  if (m.status == MetgStatus::kNeverReached) return "-";
  return fmt::format("{:.3f} .. {:.3f}", m.low_seconds * 1e6, m.high_seconds * 1e6);
}

std::string metg_table(const std::vector<StrategyMetg>& strategies,
                       const std::vector<Round>& rounds, double threshold) {
  const int percent = static_cast<int>(std::lround(threshold * 100));
  std::string text = fmt::format(
      "METG({}%): the smallest mean task granularity g = Tp*P/N at which efficiency reaches "
      "{}% (Task Bench, SC'20)\n"
      "  schedlab's scoring: E = T1/(P*Tp), T1 the serial loop of the same list in the same run\n"
      "  Task Bench's scoring: E = units/(P*Tp*peak), peak the bare kernel's rate per worker\n"
      "  each from the mean of the repeats, [from the fastest repeat] beside it; over rounds: "
      "the median, and the spread low .. high; \"< g\" is a bound (E >= {}% down to the smallest "
      "task measured), never a measured METG\n",
      percent, percent, percent);
  text += "  peak (units/s per worker):";
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    text += rounds[r].peak_units_per_second > 0
                ? fmt::format(" round {} {:.4g}", r + 1, rounds[r].peak_units_per_second)
                : fmt::format(" round {} not given", r + 1);
  }
  text += "\n";
  text += fmt::format("{:<30} {:>3} {:<6} {:>6} {:>6} {:>20} {:>24} {:>24} {:<12} {}\n", "strategy",
                      "P", "trace", "rounds", "points", "g measured (us)", "schedlab METG (us)",
                      "Task Bench METG (us)", "status", "spread (us)");
  for (const StrategyMetg& s : strategies) {
    double g_min = 0, g_max = 0;
    std::size_t points = 0;
    for (const Round& round : rounds) {
      for (const Sweep& sweep : round.sweeps) {
        if (sweep.runner != s.first.runner || sweep.strategy != s.first.strategy ||
            sweep.workers != s.first.workers || sweep.trace != s.first.trace)
          continue;
        for (const auto& p : sweep_points(sweep, Scoring::kSchedlab, Repeats::kMean)) {
          g_min = points == 0 ? p.granularity_seconds : std::min(g_min, p.granularity_seconds);
          g_max = std::max(g_max, p.granularity_seconds);
          ++points;
        }
      }
    }
    const RoundsMetg& own = s.at(Scoring::kSchedlab, Repeats::kMean);
    const RoundsMetg& peak = s.at(Scoring::kPeak, Repeats::kMean);
    const std::string own_cell =
        fmt::format("{} [{}]", describe(own), describe(s.at(Scoring::kSchedlab, Repeats::kMin)));
    const std::string peak_cell =
        s.has_peak
            ? fmt::format("{} [{}]", describe(peak), describe(s.at(Scoring::kPeak, Repeats::kMin)))
            : "no peak";
    // The status and spread are Task Bench's (mean) when there is a peak, else schedlab's.
    const RoundsMetg& judged = s.has_peak ? peak : own;
    text += fmt::format("{:<30} {:>3} {:<6} {:>6} {:>6} {:>20} {:>24} {:>24} {:<12} {}\n",
                        sweep_name(s.first), s.first.workers, to_string(s.first.trace),
                        s.round_index.size(), points,
                        fmt::format("{:.4g} .. {:.4g}", g_min * 1e6, g_max * 1e6), own_cell,
                        peak_cell, to_string(judged.status), spread(judged));
  }
  return text;
}

// Sorted by size, largest first.
std::vector<GranularityPoint> by_size(std::vector<GranularityPoint> points) {
  std::stable_sort(points.begin(), points.end(),
                   [](const auto& a, const auto& b) { return a.task_units > b.task_units; });
  return points;
}

// Every point of every round, both scorings ("nan" where there is no peak).
std::string points_table(const std::vector<Round>& rounds) {
  std::string text =
      "# strategy\tworkers\ttask_units\tgranularity_us\tefficiency\tefficiency_peak\tround\t"
      "granularity_min_us\tefficiency_min\tefficiency_peak_min\t(mean of the repeats; _min: "
      "the fastest repeat)\n";
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const double peak = rounds[r].peak_units_per_second;
    for (const Sweep& s : rounds[r].sweeps) {
      const auto own = sweep_points(s, Scoring::kSchedlab, Repeats::kMean);
      const auto tb = sweep_points(s, Scoring::kPeak, Repeats::kMean, peak);
      const auto own_min = sweep_points(s, Scoring::kSchedlab, Repeats::kMin);
      const auto tb_min = sweep_points(s, Scoring::kPeak, Repeats::kMin, peak);
      std::vector<std::size_t> order(own.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return own[a].task_units > own[b].task_units;
      });
      const auto e_peak = [&](const std::vector<GranularityPoint>& v, std::size_t i) {
        return peak > 0 ? fmt::format("{:.6f}", v[i].efficiency) : std::string("nan");
      };
      for (const std::size_t i : order) {
        text += fmt::format(
            "{}\t{}\t{}\t{:.6f}\t{:.6f}\t{}\t{}\t{:.6f}\t{:.6f}\t{}\n", sweep_name(s), s.workers,
            own[i].task_units, own[i].granularity_seconds * 1e6, own[i].efficiency, e_peak(tb, i),
            r + 1, own_min[i].granularity_seconds * 1e6, own_min[i].efficiency, e_peak(tb_min, i));
      }
    }
  }
  return text;
}

// A self-contained script (data inline) so the plot can be redrawn from the one file:
// Task Bench's efficiency where every round has a peak, else schedlab's; one line per
// strategy and round. The data blocks hold numbers only; the strategy names (from the CSV
// files, untrusted) and the image's name enter as gnuplot_string() literals.
std::string gnuplot_script(const std::vector<Round>& rounds, double threshold,
                           const std::string& png) {
  const bool peak = std::all_of(rounds.begin(), rounds.end(),
                                [](const Round& r) { return r.peak_units_per_second > 0; });
  std::string text = fmt::format(
      "# Efficiency vs mean task granularity per strategy (schedlab-metg).\n"
      "set terminal pngcairo size 1200,640 noenhanced\n"
      "set output {}\n"
      "set title 'Efficiency vs task granularity g = Tp*P/N (METG at E = {})'\n"
      "set xlabel 'mean task granularity g (us, log scale; mean of the repeats)'\n"
      "set ylabel '{}'\n"
      "set logscale x\nset yrange [0:1.2]\nset grid\n"
      "set key outside right top title 'strategy (point type: round)'\n",
      report::gnuplot_string(png, 0), threshold,
      peak ? "efficiency units/(P*Tp*peak) (Task Bench)" : "efficiency T1/(Tp*P) (schedlab)");
  // One colour per strategy, one point type per round: a strategy's rounds read together.
  std::vector<std::string> titles, styles;
  std::map<std::string, std::size_t> colour;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    for (const Sweep& s : rounds[r].sweeps) {
      text += fmt::format("$s{} << EOD\n", titles.size());
      const auto points = by_size(sweep_points(s, peak ? Scoring::kPeak : Scoring::kSchedlab,
                                               Repeats::kMean, rounds[r].peak_units_per_second));
      for (const auto& p : points) {
        text += fmt::format("{:.6f} {:.6f}\n", p.granularity_seconds * 1e6, p.efficiency);
      }
      text += "EOD\n";
      const std::string title = fmt::format("{} (P={})", sweep_name(s), s.workers);
      const auto [it, first_round] = colour.emplace(title, colour.size() + 1);
      styles.push_back(fmt::format("linecolor {} pointtype {}", it->second, r + 1));
      // One key entry per strategy (its first round): 7 strategies x 5 rounds would be 35.
      titles.push_back(first_round ? title : std::string());
    }
  }
  text += fmt::format("plot {} title 'E = {}' dashtype 2 lc 'black'", threshold, threshold);
  for (std::size_t i = 0; i < titles.size(); ++i) {
    text +=
        fmt::format(", \\\n  $s{} with linespoints {} {}", i, styles[i],
                    titles[i].empty() ? std::string("notitle")
                                      : fmt::format("title {}", report::gnuplot_string(titles[i])));
  }
  return text + "\n";
}

int measure_peak_mode(const std::string& workers_text, const std::string& units_text,
                      const std::string& repeat_text, const std::string& program) {
  int workers = 0, repeats = 0;
  std::uint64_t units = 0;
  try {
    workers = static_cast<int>(parse_uint("--workers", workers_text, 1, 1024));
    units = parse_uint("--units", units_text, 1, std::uint64_t{1} << 40);
    repeats = static_cast<int>(parse_uint("--repeat", repeat_text, 1, 1000));
  } catch (const UsageError& e) {
    return report_usage_error(program, e.what());
  }
  const PeakMeasurement peak = measure_peak(workers, units, repeats);
  std::fputs(fmt::format("peak: {:.6g} units/s per worker ({} workers busy at once, spin({}), "
                         "best of {} repeats)\n",
                         peak.units_per_second, peak.workers, peak.units, peak.repeats)
                 .c_str(),
             stdout);
  return peak.units_per_second > 0 ? kExitOk : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) try {
  // Inputs.
  CLI::App app{
      "Computes METG (Task Bench's minimum effective task granularity) per strategy from the "
      "--csv rows of a sweep of uniform task lists (see jobs/metg.sh), under schedlab's scoring "
      "(E = T1/(P*Tp)) and, with --peak, Task Bench's (E = units/(P*Tp*peak)). Each CSV file is "
      "one round: with several, each strategy's METG is the median over the rounds, with the "
      "spread, and 'measured' only when that median is a measured round's value wherever the "
      "bound rounds' true values lie (a bound never counts: docs/performance.md).\n"
      "  schedlab-metg round1.csv round2.csv --peak 1.6e8,1.5e8 --metg-csv metg.csv\n"
      "  schedlab-metg --measure-peak --workers 2   prints 'peak: RATE units/s per worker (...)': "
      "spin(--units) on P threads at once, no bookkeeping, the best of --repeat repeats of the "
      "mean per-worker rate\n"
      "Exit codes: 0 ok; 1 an input could not be read or an output could not be written (one "
      "line); 2 a bad option, or an output that is a folder, FIFO or device, in a missing or "
      "read-only folder, or the same file as an input or another output (before any work)",
      "schedlab-metg"};
  app.set_version_flag("--version", kVersion);
  std::vector<std::string> csv_paths, peak_texts;
  std::string threshold_text = "0.5", data_path, gnuplot_path, png_path, metg_csv_path,
              rounds_csv_path, cpu_model;
  bool measure = false;
  std::string workers_text = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  std::string units_text = std::to_string(std::uint64_t{1} << 24), repeat_text = "5";
  app.add_option("csv", csv_paths,
                 "CSV files written by schedlab-omp / schedlab-mpi --csv; each file is one round");
  app.add_option("--peak", peak_texts,
                 "Peak rate of the bare kernel, units/s per worker (schedlab-metg --measure-peak): "
                 "one for every round, or one per CSV file (comma-separated or repeated)")
      ->delimiter(',');
  app.add_option("--threshold", threshold_text, "Efficiency that defines METG, in (0, 1]")
      ->capture_default_str();
  app.add_option("--metg-csv", metg_csv_path,
                 "Write metg.csv: one row per strategy (strategy, metg_us = schedlab's scoring, "
                 "metg_peak_us = Task Bench's, status = Task Bench's: measured|bound|not-reached, "
                 "rounds, cpu_model, then runner, workers, trace, metg_status, the spreads, the "
                 "scorings from the fastest repeat (_minrep), peak_units_per_s); needs --peak");
  app.add_option("--rounds-csv", rounds_csv_path,
                 "Write the per-round METGs (one row per strategy per round); needs --peak");
  app.add_option("--cpu-model", cpu_model,
                 "CPU model for metg.csv (default: /proc/cpuinfo's model name)");
  app.add_option("--data", data_path, "Write every point (strategy, size, g, E) to this file");
  app.add_option("--gnuplot", gnuplot_path, "Write a gnuplot script of E vs g to this file");
  app.add_option("--png", png_path, "Image the gnuplot script draws (default: script's .png)");
  app.add_flag("--measure-peak", measure,
               "Measure the peak rate instead (no CSV): prints one line 'peak: RATE units/s per "
               "worker (...)'");
  app.add_option("--workers", workers_text, "--measure-peak: threads busy at once (P)")
      ->capture_default_str();
  app.add_option("--units", units_text, "--measure-peak: units of spin() per thread per repeat")
      ->capture_default_str();
  app.add_option("--repeat", repeat_text, "--measure-peak: repeats, the best kept")
      ->capture_default_str();
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  if (measure) {
    if (!csv_paths.empty()) {
      return report_usage_error(
          app.get_name(),
          fmt::format("--measure-peak: takes no CSV files (got {})", csv_paths.front()));
    }
    return measure_peak_mode(workers_text, units_text, repeat_text, app.get_name());
  }

  double threshold = 0;
  std::vector<Round> rounds;
  try {
    for (const char* option : {"--workers", "--units", "--repeat"}) {
      if (app.count(option) > 0) {
        throw UsageError(fmt::format("{}: only with --measure-peak", option));
      }
    }
    if (csv_paths.empty()) {
      throw UsageError("csv is required: the runners' CSV files (or --measure-peak)");
    }
    threshold = parse_positive_double("--threshold", threshold_text, 1.0);
    if (!png_path.empty() && gnuplot_path.empty()) {
      throw UsageError(fmt::format("--png {}: needs --gnuplot SCRIPT", png_path));
    }
    std::vector<double> peaks;
    for (const std::string& text : peak_texts) {
      peaks.push_back(parse_positive_double("--peak", text, 1e15));
    }
    if (peaks.size() > 1 && peaks.size() != csv_paths.size()) {
      throw UsageError(fmt::format(
          "--peak: {} values for {} CSV files (rounds); expected one for all or one per file",
          peaks.size(), csv_paths.size()));
    }
    if (peaks.empty() && !metg_csv_path.empty()) {
      throw UsageError(
          fmt::format("--metg-csv {}: needs --peak (Task Bench's scoring)", metg_csv_path));
    }
    if (peaks.empty() && !rounds_csv_path.empty()) {
      throw UsageError(
          fmt::format("--rounds-csv {}: needs --peak (Task Bench's scoring)", rounds_csv_path));
    }
    if (png_path.empty() && !gnuplot_path.empty()) {
      const auto dot = gnuplot_path.rfind('.');
      png_path = (dot == std::string::npos ? gnuplot_path : gnuplot_path.substr(0, dot)) + ".png";
    }
    // Every output, before any input is read: a writable regular file (or a new name) in an
    // existing folder, apart from every input and every other output.
    std::vector<NamedPath> inputs;
    for (const auto& path : csv_paths) inputs.push_back({"csv", path});
    check_outputs(inputs, {{"--metg-csv", metg_csv_path},
                           {"--rounds-csv", rounds_csv_path},
                           {"--data", data_path},
                           {"--gnuplot", gnuplot_path},
                           {"--png", png_path}});
    for (std::size_t i = 0; i < csv_paths.size(); ++i) {
      Round round;
      round.sweeps = read_sweeps({csv_paths[i]});
      if (round.sweeps.empty()) {
        throw UsageError(
            fmt::format("{}: no verified uniform-workload strategy rows", csv_paths[i]));
      }
      round.peak_units_per_second = peaks.empty() ? 0.0 : peaks[peaks.size() == 1 ? 0 : i];
      rounds.push_back(std::move(round));
    }
  } catch (const UsageError& e) {
    return report_usage_error(app.get_name(), e.what());
  } catch (const std::exception& e) {  // an input that cannot be read
    std::fprintf(stderr, "%s: error: %s\n", app.get_name().c_str(), e.what());
    return kExitFailed;
  }
  if (cpu_model.empty()) cpu_model = cpu_model_name();

  // Report: the files first (a closed standard output must not cost them), then the table.
  // A failure while writing is one line and exit 1, never an uncaught exception.
  const std::vector<StrategyMetg> strategies = metg_over_rounds(rounds, threshold);
  try {
    if (!metg_csv_path.empty()) {
      write_file_atomically(metg_csv_path, metg_csv(strategies, cpu_model));
    }
    if (!rounds_csv_path.empty()) {
      write_file_atomically(rounds_csv_path, metg_rounds_csv(strategies, cpu_model));
    }
    if (!data_path.empty()) write_file_atomically(data_path, points_table(rounds));
    if (!gnuplot_path.empty()) {
      write_file_atomically(gnuplot_path, gnuplot_script(rounds, threshold, png_path));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", app.get_name().c_str(), e.what());
    return kExitFailed;
  }
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a failed write below, not a silent death
  if (std::fputs(metg_table(strategies, rounds, threshold).c_str(), stdout) < 0 ||
      std::fflush(stdout) != 0) {
    std::fprintf(stderr, "%s: error: cannot write the table to standard output: %s\n",
                 app.get_name().c_str(), std::strerror(errno));
    return kExitFailed;
  }
  return kExitOk;
} catch (const std::bad_alloc&) {
  // The last resort: one line and exit 1, never "terminate called" and 134.
  std::fputs("schedlab-metg: error: out of memory (std::bad_alloc)\n", stderr);
  return schedlab::kExitFailed;
}
