// Figures drawn by gnuplot: this file writes a gnuplot script (data inline, so a student can
// edit and re-run it) and runs `gnuplot` from PATH. Without gnuplot the figures are
// skipped with one line; the tables never depend on them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "schedlab/report/reader.hpp"
#include "schedlab/report/scaling.hpp"
#include "schedlab/run.hpp"

namespace schedlab::report {

// The figure formats gnuplot writes (--format); the spelling is also the file's extension.
enum class PlotFormat { kPng, kSvg };
std::string to_string(PlotFormat format);  // "png", "svg"
// "png" or "svg"; std::nullopt for any other text.
std::optional<PlotFormat> parse_plot_format(const std::string& text);

// Where figures go: DIR/STEM.gp and DIR/STEM.<format> for each format (png, svg).
struct PlotTarget {
  std::string dir;
  std::string stem;
  std::vector<PlotFormat> formats;
  std::string path(const std::string& extension) const;
  std::string path(PlotFormat format) const { return path(to_string(format)); }
};

// One Gantt panel: a run (measured or simulated), its task sizes (colour) and row labels.
struct TimelinePanel {
  std::string title;
  RunResult run;
  std::vector<std::uint64_t> sizes;        // by task id; empty: colour by duration
  std::vector<std::string> worker_labels;  // "w0 cpu 2"; empty: "w0", "w1", ...
};

// A predicted speedup curve (or measured points) for the --predict figure.
struct SpeedupCurve {
  std::string title;
  std::vector<std::pair<int, double>> points;  // (P, speedup)
  bool measured = false;                       // points only, no line
};

// A timeline panel's row labels for one strategy of a record: "w0 cpu 2", the host too when
// the row spans 2+ hosts ("w4 nodeB/cpu 0"), "w3" for a worker whose CPUs were not seen.
std::vector<std::string> worker_labels(const StrategyRecord& strategy);

std::string timeline_script(const std::vector<TimelinePanel>& panels, const PlotTarget& target);
// `cores`: a dashed vertical marker at P = cores; to its right the runs are oversubscribed
// (scaling: those points are drawn as open circles, and the fit ignores them).
std::string scaling_script(const std::vector<ScalingSeries>& series, int cores,
                           const PlotTarget& target);
// Model lines first, measured points last and larger, so no line hides a measurement.
std::string predict_script(const std::string& title, const std::vector<SpeedupCurve>& curves,
                           int cores, const PlotTarget& target);

// The full path of `program` if it is an executable file in a PATH directory.
std::optional<std::string> find_on_path(const std::string& program);

enum class PlotOutcome { kWritten, kSkipped, kFailed };

// Writes the script and runs gnuplot on it; says on `log` which files it wrote, or in one
// line why there are none (gnuplot missing: kSkipped; gnuplot failed: kFailed).
PlotOutcome draw(const std::string& script, const PlotTarget& target, std::FILE* log);

}  // namespace schedlab::report
