// gnuplot scripts for the timeline, scaling and prediction figures, and running gnuplot.
// Data travels inside the script as datablocks ($name << EOD), so one .gp file redraws it.
// The blocks hold numbers only; every label and file name is a gnuplot_string() literal,
// since records are untrusted (a strategy name could otherwise hold a shell command).
#include "schedlab/report/plots.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <sstream>
#include <system_error>

#include "schedlab/output.hpp"
#include "schedlab/report/gnuplot.hpp"

extern char** environ;

namespace schedlab::report {

std::string PlotTarget::path(const std::string& extension) const {
  // The stem comes from an input's file name: named as gnuplot will write it ('?' for a
  // control character), so draw() looks for the file gnuplot wrote.
  return (std::filesystem::path(dir) / (gnuplot_printable(stem, 0) + "." + extension)).string();
}

std::string to_string(PlotFormat format) {
  switch (format) {
    case PlotFormat::kPng:
      return "png";
    case PlotFormat::kSvg:
      return "svg";
  }
  return "?";
}

std::optional<PlotFormat> parse_plot_format(const std::string& text) {
  for (const PlotFormat format : {PlotFormat::kPng, PlotFormat::kSvg})
    if (text == to_string(format)) return format;
  return std::nullopt;
}

std::vector<std::string> worker_labels(const StrategyRecord& strategy) {
  const bool with_hosts = spans_hosts(strategy.worker_hosts);
  std::vector<std::string> labels;
  for (std::size_t w = 0; w < strategy.worker_cpus.size(); ++w) {
    std::string cpus;
    for (const int c : strategy.worker_cpus[w])
      cpus += fmt::format("{}{}", cpus.empty() ? "" : ",", c);
    const std::string host = with_hosts && w < strategy.worker_hosts.size()
                                 ? strategy.worker_hosts[w] + "/"
                                 : std::string();
    labels.push_back(cpus.empty() ? fmt::format("w{}{}", w, host.empty() ? "" : " " + host)
                                  : fmt::format("w{} {}cpu {}", w, host, cpus));
  }
  return labels;
}

namespace {

// A label in the script: record text is untrusted, so it is never spliced in raw.
std::string quoted(const std::string& text) { return gnuplot_string(text); }

// A file name: quoted the same way, never cut (a cut name would be another file).
std::string quoted_path(const std::string& path) { return gnuplot_string(path, 0); }

// The terminal lines for one output file. pngcairo draws antialiased text; the plain png
// terminal is the fallback where gnuplot was built without cairo.
std::string terminal(PlotFormat format, const std::string& file, int width, int height) {
  if (format == PlotFormat::kSvg) {
    return fmt::format(
        "set terminal svg noenhanced size {},{} font 'Sans,11' background rgb 'white'\n"
        "set output {}\n",
        width, height, quoted_path(file));
  }
  return fmt::format(
      "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {{\n"
      "  set terminal pngcairo noenhanced size {0},{1} font 'Sans,10' background rgb 'white'\n"
      "}} else {{\n"
      "  set terminal png noenhanced size {0},{1} background rgb 'white'\n"
      "}}\n"
      "set output {2}\n",
      width, height, quoted_path(file));
}

// The same drawing commands once per requested format.
std::string for_each_format(const PlotTarget& target, int width, int height,
                            const std::string& data, const std::string& body) {
  std::string script = fmt::format("# Drawn by schedlab-report; re-run with: gnuplot {}\n",
                                   std::filesystem::path(target.path("gp")).filename().string());
  script += data;
  for (const auto& format : target.formats) {
    script += "\nreset\n" + terminal(format, target.path(format), width, height) + body +
              "unset output\n";
  }
  return script;
}

// A float literal: gnuplot divides integers as integers (9/2 is 4). Not finite: gnuplot's
// own NaN, so the script still parses.
std::string number(double v) {
  if (!std::isfinite(v)) return "NaN";
  std::string text = fmt::format("{:.9g}", v);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

// A dashed vertical line at P = cores with its label: past it, workers share cores.
std::string cores_marker(int cores) {
  return fmt::format(
      "set arrow 1 from {0}, graph 0 to {0}, graph 1 nohead dt 4 lw 1.5 lc rgb '#555555' front\n"
      "set label 1 {1} at {0}, graph 0.04 left offset 0.6,0 font ',9' textcolor rgb '#555555' "
      "front\n",
      cores, quoted(fmt::format("P = {} cores", cores)));
}

}  // namespace

std::string timeline_script(const std::vector<TimelinePanel>& panels, const PlotTarget& target) {
  // One time axis for every panel: static and dynamic side by side compare by length.
  double span = 0;
  double colour_min = std::numeric_limits<double>::infinity();
  double colour_max = -std::numeric_limits<double>::infinity();
  bool by_size = !panels.empty();
  for (const auto& p : panels) {
    span = std::max(span, p.run.wall_seconds);
    if (p.sizes.empty()) by_size = false;
    for (const auto& rec : p.run.trace) span = std::max(span, rec.end);
  }
  std::string data;
  int total_rows = 0;
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const auto& p = panels[i];
    total_rows += std::max(p.run.workers, 1);
    data += fmt::format("$tasks{} << EOD\n# worker start[s] end[s] colour\n", i);
    for (const auto& rec : p.run.trace) {
      if (!rec.ran()) continue;
      const double colour =
          by_size ? static_cast<double>(p.sizes.at(rec.task)) : rec.end - rec.start;
      colour_min = std::min(colour_min, colour);
      colour_max = std::max(colour_max, colour);
      data += fmt::format("{} {} {} {}\n", rec.worker, number(rec.start), number(rec.end),
                          number(colour));
    }
    data += fmt::format("EOD\n$workers{} << EOD\n", i);
    for (int w = 0; w < std::max(p.run.workers, 1); ++w) data += fmt::format("{}\n", w);
    data += "EOD\n";
  }
  if (!(colour_min < colour_max)) {  // equal tasks (or none): any range shows one colour
    colour_min = std::isfinite(colour_min) ? colour_min - 1 : 0;
    colour_max = colour_min + 2;
  }
  if (span <= 0) span = 1;
  const int height =
      std::clamp(120 + 90 * static_cast<int>(panels.size()) + 22 * total_rows, 300, 4000);
  std::string body = fmt::format(
      "set multiplot layout {},1 title {}\n"
      "set xrange [0:{}]\nunset xlabel\n"
      "set palette defined (0 '#2c7bb6', 1 '#abd9e9', 2 '#fdae61', 3 '#d7191c')\n"
      "set cbrange [{}:{}]\nset cblabel {}\n"
      "set style fill solid 1.0 border rgb 'black'\nunset key\nset grid xtics\n"
      // The colour bar's title sits right of its tick labels ("12.0M"): the offset keeps the
      // two apart, the right margin leaves room for both.
      "set lmargin at screen 0.12\nset rmargin at screen 0.80\nset format cb '%.1s%c'\n"
      "set cblabel offset 1.5,0\n",
      panels.size(), quoted("which worker ran which task, when (grey = idle)"), number(span * 1.01),
      number(colour_min), number(colour_max),
      quoted(by_size ? "task size [units]" : "task duration [s]"));
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const auto& p = panels[i];
    const int workers = std::max(p.run.workers, 1);
    const int step = std::max(1, workers / 32);  // at most ~32 labels per panel
    std::string tics;
    for (int w = 0; w < workers; w += step) {
      const std::string label = static_cast<std::size_t>(w) < p.worker_labels.size()
                                    ? p.worker_labels[static_cast<std::size_t>(w)]
                                    : fmt::format("w{}", w);
      tics += fmt::format("{}{} {}", tics.empty() ? "" : ", ", quoted(label), w);
    }
    // One colour bar and one axis label for the whole figure: on the first and last panel.
    if (i == 1) body += "unset colorbox\n";
    if (i + 1 == panels.size()) body += "set xlabel 'time since the start barrier [s]'\n";
    body += fmt::format(
        "set title {}\nset yrange [{}:-0.6]\nset ytics ({})\n"
        // The grey band is the run's whole span: what the bars leave uncovered is idle time.
        "plot $workers{} using ({}/2):1:({}/2):(0.42) with boxxyerror fc rgb '#e6e6e6' fs solid "
        "1.0 noborder, \\\n"
        "     $tasks{} using (($2+$3)/2):1:(($3-$2)/2):(0.38):4 with boxxyerror fc palette\n",
        quoted(p.title), number(workers - 0.4), tics, i, number(p.run.wall_seconds),
        number(p.run.wall_seconds), i);
  }
  body += "unset multiplot\n";
  return for_each_format(target, 1000, height, data, body);
}

std::string scaling_script(const std::vector<ScalingSeries>& series, int cores,
                           const PlotTarget& target) {
  int max_workers = std::max(2, cores);
  std::string data;
  bool any_oversubscribed = false;
  for (std::size_t i = 0; i < series.size(); ++i) {
    // Column 4 is 1 for an oversubscribed point; "<column> ? NaN : value" drops it from a
    // plot, so the filled and the open circles come from the same block.
    data += fmt::format("$series{} << EOD\n# workers speedup efficiency oversubscribed\n", i);
    for (const auto& p : series[i].points) {
      max_workers = std::max(max_workers, p.workers);
      any_oversubscribed = any_oversubscribed || p.oversubscribed;
      data += fmt::format("{} {} {} {}\n", p.workers, number(p.speedup), number(p.efficiency),
                          p.oversubscribed ? 1 : 0);
    }
    data += "EOD\n";
  }
  const bool log_axis = max_workers >= 8;
  std::string setup =
      fmt::format("set xrange [1:{}]\nset xlabel 'workers P'\nset grid\nset samples 200\n{}",
                  max_workers, log_axis ? "set logscale x 2\n" : "set xtics 1\n");
  setup += cores_marker(cores);
  std::string speedup_plot = "plot x with lines dt 2 lc rgb 'black' notitle";
  std::string efficiency_plot = "plot 1 with lines dt 2 lc rgb 'black' title 'ideal'";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    const SeriesStyle style = strategy_style(s.label);
    const std::string model =
        s.weak ? fmt::format("(x - {0}*(x-1))", number(s.serial_fraction))
               : fmt::format("(1.0/({0} + (1.0-{0})/x))", number(s.serial_fraction));
    // One legend entry per series (its fit is the dotted line of its colour; the values are
    // in the text above the figure), short (the table names the workload in full).
    const std::string title = fmt::format("{}{} {}", s.label, s.weak ? " weak" : "",
                                          s.workload.substr(0, s.workload.find(',')));
    for (auto* plot : {&speedup_plot, &efficiency_plot}) {
      const int column = plot == &speedup_plot ? 2 : 3;
      *plot += fmt::format(
          ", \\\n  $series{0} using 1:{1} with lines lw 2 lc rgb '{2}' notitle"
          ", \\\n  $series{0} using 1:($4 > 0 ? NaN : ${1}) with points pt {3} ps 1.3 lc rgb "
          "'{2}' {4}",
          i, column, style.colour, style.point_type,
          plot == &efficiency_plot ? "title " + quoted(title) : std::string("notitle"));
      if (any_oversubscribed)
        *plot += fmt::format(
            ", \\\n  $series{0} using 1:($4 > 0 ? ${1} : NaN) with points pt 6 ps 1.6 lw 2 lc "
            "rgb '{2}' {3}",
            i, column, style.colour,
            i == 0 && plot == &efficiency_plot ? "title 'oversubscribed (not fitted)'" : "notitle");
    }
    if (s.fitted) {
      speedup_plot +=
          fmt::format(", \\\n  {} with lines dt 3 lc rgb '{}' notitle", model, style.colour);
      efficiency_plot +=
          fmt::format(", \\\n  {}/x with lines dt 3 lc rgb '{}' notitle", model, style.colour);
    }
  }
  // The legend once, right of the efficiency panel, one entry per line (maxrows: never a
  // second column): entries never share a line, so long labels cannot overlap
  // (tests/lab/legend_overlap.sh checks the rendered page). The figure grows with them.
  const int entries = static_cast<int>(series.size()) + 1 + (any_oversubscribed ? 1 : 0);
  const std::string body =
      "set multiplot layout 1,2 title 'speedup and efficiency against workers (dotted: the "
      "fit)'\n" +
      setup + "unset key\nset title 'speedup T1/Tp'\nset ylabel 'speedup'\nset yrange [0:*]\n" +
      speedup_plot +
      fmt::format(
          "\nset key outside right top vertical Left reverse font ',9' samplen 2 "
          "maxrows {}\n",
          entries) +
      "set title 'efficiency speedup/P'\nset ylabel 'efficiency'\nset yrange [0:1.2]\n" +
      efficiency_plot + "\nunset multiplot\n";
  return for_each_format(target, 1200, std::max(560, 140 + 20 * entries), data, body);
}

std::string predict_script(const std::string& title, const std::vector<SpeedupCurve>& curves,
                           int cores, const PlotTarget& target) {
  int max_workers = 1;
  std::string data;
  for (std::size_t i = 0; i < curves.size(); ++i) {
    data += fmt::format("$curve{} << EOD\n# workers speedup\n", i);
    for (const auto& [p, s] : curves[i].points) {
      max_workers = std::max(max_workers, p);
      data += fmt::format("{} {}\n", p, number(s));
    }
    data += "EOD\n";
  }
  std::string plot = "plot x with lines dt 2 lc rgb 'black' title 'ideal'";
  // Lines first; then each measured point as a large dark-ringed disc, drawn last so it
  // lies on top of every line (gnuplot draws in plot order).
  // Every curve in its strategy's style (strategy_style): a model line and the measured
  // disc of the same strategy share a colour, and no two of the lab's schedules do.
  for (std::size_t i = 0; i < curves.size(); ++i) {
    if (curves[i].measured) continue;
    const SeriesStyle style = strategy_style(curves[i].title);
    plot += fmt::format(
        ", \\\n  $curve{} using 1:2 with linespoints lw 2 pt {} ps 0.6 lc rgb '{}' title {}", i,
        style.point_type, style.colour, quoted(curves[i].title));
  }
  for (std::size_t i = 0; i < curves.size(); ++i) {
    if (!curves[i].measured) continue;
    const SeriesStyle style = strategy_style(curves[i].title);
    plot += fmt::format(
        ", \\\n  $curve{0} using 1:2 with points pt {1} ps 2.4 lc rgb 'black' notitle"
        ", \\\n  $curve{0} using 1:2 with points pt {1} ps 1.7 lc rgb '{2}' title {3}",
        i, style.point_type, style.colour, quoted(curves[i].title));
  }
  const std::string body = fmt::format(
      "set title {}\nset xlabel 'workers P'\nset ylabel 'predicted speedup (sum of task times / "
      "Tp)'\n"
      "set logscale xy 2\nset xrange [1:{}]\nset grid\nset key top left box opaque\n{}{}\n",
      quoted(title), std::max({max_workers, 2, cores}), cores_marker(cores), plot);
  return for_each_format(target, 1000, 640, data, body);
}

std::optional<std::string> find_on_path(const std::string& program) {
  // Single-threaded here: getenv's thread-safety caveat does not apply.
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe)
  if (path == nullptr) return std::nullopt;
  std::stringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) dir = ".";
    const std::string candidate = (std::filesystem::path(dir) / program).string();
    if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate))
      return candidate;
  }
  return std::nullopt;
}

PlotOutcome draw(const std::string& script, const PlotTarget& target, std::FILE* log) {
  std::filesystem::create_directories(target.dir);
  const std::string script_path = target.path("gp");
  write_file_atomically(script_path, script);
  const auto gnuplot = find_on_path("gnuplot");
  if (!gnuplot) {
    fmt::print(log,
               "plots skipped: gnuplot is not on PATH (jobs/setup.sh installs gnuplot-nox); "
               "the script is {}\n",
               script_path);
    return PlotOutcome::kSkipped;
  }
  std::vector<std::string> args = {*gnuplot, script_path};
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (const int err = ::posix_spawn(&pid, gnuplot->c_str(), nullptr, nullptr, argv.data(), environ);
      err != 0) {
    fmt::print(log, "plots failed: cannot start {}: {}\n", *gnuplot,
               std::generic_category().message(err));
    return PlotOutcome::kFailed;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fmt::print(log, "plots failed: gnuplot {} exited with status {}\n", script_path,
               WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return PlotOutcome::kFailed;
  }
  std::string written;
  for (const auto& format : target.formats) {
    const std::string file = target.path(format);
    std::error_code ec;
    if (std::filesystem::file_size(file, ec) == 0 || ec) {
      fmt::print(log, "plots failed: gnuplot wrote no {}\n", file);
      return PlotOutcome::kFailed;
    }
    written += (written.empty() ? "" : ", ") + file;
  }
  fmt::print(log, "plots: {} (script {})\n", written, script_path);
  return PlotOutcome::kWritten;
}

}  // namespace schedlab::report
