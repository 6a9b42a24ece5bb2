// The HTML page. Everything the terminal report shows, as HTML tables, with gnuplot's
// SVG figures pasted inline: the page needs no other file, no script and no network.
#include "schedlab/report/html.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "schedlab/output.hpp"
#include "schedlab/report/plots.hpp"
#include "schedlab/report/predict.hpp"
#include "schedlab/report/reader.hpp"
#include "schedlab/report/scaling.hpp"
#include "schedlab/report/selection.hpp"
#include "schedlab/report/tables.hpp"

namespace schedlab::report {

namespace {

// Every string that came from a record (strategy, host, command, file name, ...) passes
// through here before it reaches the page: result files are untrusted, and a strategy
// named "<script>..." must stay text. Quotes too, so the same text is safe in an attribute;
// control characters (a NUL, an escape) have no business in a page and become '?'.
std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
      out += '?';
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// gnuplot draws into a scratch folder; the SVG's own prolog (<?xml?>, DOCTYPE) is dropped
// so the <svg> element sits directly in the HTML. "" (and a note) when there is none.
std::string figure(const std::filesystem::path& scratch, const std::string& stem,
                   const std::string& script, std::string& note) {
  const PlotTarget target{scratch.string(), stem, {PlotFormat::kSvg}};
  std::FILE* log = std::tmpfile();
  const PlotOutcome outcome = draw(script, target, log != nullptr ? log : stderr);
  if (log != nullptr) std::fclose(log);
  if (outcome == PlotOutcome::kSkipped) {
    note = "figures left out: gnuplot is not on PATH (jobs/setup.sh installs gnuplot-nox)";
    return "";
  }
  if (outcome == PlotOutcome::kFailed) {
    note = fmt::format("figure {} left out: gnuplot failed", stem);
    return "";
  }
  std::string svg = read_text(target.path(PlotFormat::kSvg));
  const std::size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  // gnuplot's SVG terminal writes a label's '<' and '&' as entities (checked with 5.4.4),
  // so record text cannot become markup; should a gnuplot ever fail at that, the page
  // still promises no script, and the figure is left out rather than trusted.
  std::string lower = svg.substr(start);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("<script") != std::string::npos ||
      lower.find("<foreignobject") != std::string::npos) {
    note = fmt::format("figure {} left out: its SVG holds markup it should not", stem);
    return "";
  }
  return svg.substr(start);
}

// Steps of one auto row shown on the page: the first and last half of it (the JSON has all).
constexpr std::size_t kHtmlStepRows = 200;

std::string html_seconds(double v) {
  return std::isfinite(v) ? fmt::format("{:.4g}", v) : std::string("-");
}

// One row per step of an auto row: the technique, the selector's reason, its predictions
// (the top three, and the chosen technique's), the measured step and the decision's cost.
std::string decisions_table(const StrategyRecord& s) {
  const std::vector<StepDecision>& d = s.run.decisions;
  std::string page = fmt::format(
      "<h4><code>{}</code></h4>\n<table>\n<tr><th>step</th><th>technique</th><th>reason</th>"
      "<th>predicted [s]</th><th>measured [s]</th><th>decision [ms]</th></tr>\n",
      escaped(s.strategy));
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.size() > kHtmlStepRows && i == kHtmlStepRows / 2) {
      page += fmt::format(
          "<tr><td colspan=\"6\">… {} steps more (the JSON record has them)</td></tr>\n",
          d.size() - kHtmlStepRows);
      i = d.size() - kHtmlStepRows / 2;
    }
    std::string predicted;
    for (const PredictedTime& p : d[i].predicted)
      predicted += fmt::format("{}{} {}", predicted.empty() ? "" : ", ", p.technique,
                               html_seconds(p.seconds));
    if (std::isfinite(d[i].predicted_seconds))
      predicted += fmt::format("{}chosen {}", predicted.empty() ? "" : "; ",
                               html_seconds(d[i].predicted_seconds));
    page += fmt::format(
        "<tr><td>{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td><td "
        "class=\"name\">{}</td>"
        "<td>{}</td><td>{:.3g}</td></tr>\n",
        i, escaped(d[i].technique), escaped(d[i].reason),
        escaped(predicted.empty() ? "-" : predicted),
        html_seconds(measured_step_seconds(s.run.step_seconds, s.run.wall_seconds, i)),
        d[i].decision_seconds * 1e3);
  }
  return page + "</table>\n";
}

// One record's part of "Automatic selection": each auto row's steps, then its regret
// recomputed from the record's rows (and the record's own summary where it differs).
std::string selection_section(const RunRecord& record) {
  if (!has_auto_rows(record)) return {};
  std::string page =
      fmt::format("<h3>{}</h3>\n", escaped(std::filesystem::path(record.file).filename().string()));
  for (const StrategyRecord& s : record.strategies)
    if (!s.run.decisions.empty()) page += decisions_table(s);
  page += "<ul>\n";
  for (const SelectionSummary& computed : selection_of(record)) {
    page += "<li>" + escaped(selection_line(computed));
    for (const StrategyRecord& s : record.strategies) {
      if (s.strategy != computed.row || !s.selection) continue;
      if (const std::string note = selection_disagreement(*s.selection, computed); !note.empty())
        page += "<br><span class=\"flag\">" + escaped(note) + "</span>";
    }
    page += "</li>\n";
  }
  return page + "</ul>\n";
}

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: right; }
th { background: #f0f0f0; } td.name { text-align: left; font-family: monospace; }
tr.over td { background: #fff4e0; } tr.failed td { background: #fde0e0; }
.noisy { color: #b00; font-weight: bold; } .note { color: #555; font-size: .92em; }
.flag { background: #fff4e0; border-left: 4px solid #e69500; padding: .4em .8em; }
.ok { color: #080; font-weight: bold; } .bad { color: #b00; font-weight: bold; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; font-size: .85em; }
)";

// The Scaling section: the text and the figure of the series that have a fit, and ONE note
// naming the ones that cannot (fewer than two points within the cores): forty blocks that
// each say "not fitted" hide the few that scale. Their rows are in the tables above.
std::string scaling_section(const std::vector<ScalingSeries>& series, int cores,
                            const std::filesystem::path& scratch, std::string& note) {
  std::vector<ScalingSeries> fitted;
  std::vector<std::string> unfitted;
  for (const auto& s : series) {
    if (s.fitted)
      fitted.push_back(s);
    else
      unfitted.push_back(s.label + " (" + s.workload + ")");
  }
  std::string page = "<h2>Scaling</h2>\n";
  if (!unfitted.empty()) {
    constexpr std::size_t kNamed = 6;
    std::string names;
    for (std::size_t i = 0; i < std::min(kNamed, unfitted.size()); ++i)
      names += (i == 0 ? "" : "; ") + unfitted[i];
    if (unfitted.size() > kNamed) names += fmt::format("; and {} more", unfitted.size() - kNamed);
    page += fmt::format(
        "<p class=\"note\">{} of {} series have no scaling fit, and are not shown here: a fit "
        "needs at least two runs of the same task list with P &le; {} cores, one with P &gt; 1 "
        "(run it at --threads 1 and {}: exercise 7). Their rows are in the tables above: {}.</p>\n",
        unfitted.size(), series.size(), cores, cores, escaped(names));
  }
  if (fitted.empty()) return page;
  page += "<pre>" + escaped(render_scaling(fitted, cores)) + "</pre>\n";
  const std::string svg = figure(
      scratch, "scaling",
      scaling_script(fitted, cores, {scratch.string(), "scaling", {PlotFormat::kSvg}}), note);
  if (!svg.empty()) page += "<figure>\n" + svg + "</figure>\n";
  return page;
}

}  // namespace

namespace {

// "0.42 on 2 CPUs", "0.30 .. 1.90 over 4 runs on 2 CPUs", marked when above the CPUs;
// "not recorded" for files from before the load_average column.
std::string load_text(std::optional<double> low, std::optional<double> high, std::size_t runs,
                      int cpus) {
  if (!low || !high) return "not recorded";
  std::string text = runs > 1 && *high > *low
                         ? fmt::format("{:.2f} .. {:.2f} over {} runs", *low, *high, runs)
                         : fmt::format("{:.2f}", *high);
  if (cpus > 0) {
    text += fmt::format(" on {} CPUs", cpus);
    if (*high > cpus) text = fmt::format("<span class=\"noisy\">{} (busy)</span>", text);
  }
  return text;
}

// The figures' scratch folder: made by mkdtemp (a new folder, mode 0700, a random name),
// never one that someone planted at a predictable name in the shared temporary folder;
// removed with what gnuplot drew in it when the page is built (or building it failed).
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "schedlab-html-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error(
          fmt::format("cannot create a scratch folder {}: {}", pattern, std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// The page's head, its title (the task list, or how many) and the inputs and verdict line.
std::string page_head(const std::vector<std::string>& files, const Tables& tables) {
  std::set<std::string> workloads;
  for (const auto& s : tables.summaries) workloads.insert(s.key.describe());
  const std::string title = workloads.size() == 1
                                ? "schedlab report: " + *workloads.begin()
                                : fmt::format("schedlab report: {} task lists", workloads.size());
  std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
                      escaped(title), kStyle, escaped(title));
  page += "<p class=\"note\">Inputs: ";
  for (std::size_t i = 0; i < files.size(); ++i)
    page += fmt::format("{}<code>{}</code>", i == 0 ? "" : ", ", escaped(files[i]));
  page += fmt::format(
      ". Verification: <span class=\"{}\">{}</span>.</p>\n", tables.failed_rows == 0 ? "ok" : "bad",
      tables.failed_rows == 0 ? "PASSED" : fmt::format("FAILED ({} rows)", tables.failed_rows));
  return page;
}

// Noise first: a reader should know before the numbers whether to trust them. Then each task
// list with its serial T1.
std::string workload_section(const Tables& tables) {
  std::string page;
  if (tables.noisy_rows > 0) {
    page += fmt::format(
        "<p class=\"flag\"><b>Noise:</b> {} of the parallel rows are marked noisy (efficiency "
        "above 1, Tp/L below 1, or the serial T1 spread over 10%): something else ran on the "
        "machine. Run again on a quiet machine before drawing conclusions from them.</p>\n",
        tables.noisy_rows);
  }
  page += "<h2>Workload</h2>\n<ul>\n";
  for (const auto& s : tables.summaries) {
    page += fmt::format("<li>{}", escaped(s.key.describe()));
    if (s.serial_runs > 0)
      page += fmt::format(
          ": serial T1 {} s{}", seconds(s.t1_min),
          s.serial_runs > 1 ? fmt::format(" .. {} s over {} runs", seconds(s.t1_max), s.serial_runs)
                            : std::string());
    page += "</li>\n";
  }
  return page + "</ul>\n";
}

// The machine table's rows of the JSON records: one per run, with its binding and command.
std::string record_machine_rows(const std::vector<RunRecord>& records) {
  std::string page;
  for (const auto& r : records) {
    std::string binding;
    for (const auto& [key, value] : r.binding)
      binding += fmt::format("{}{}={}", binding.empty() ? "" : ", ", key, value);
    page += fmt::format(
        "<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{} &times; {}</td>"
        "<td>{}</td><td class=\"name\">{}</td><td class=\"name\">{}</td></tr>\n",
        escaped(file_name(r.file)), escaped(r.host), r.ranks, r.threads,
        load_text(r.load_average, r.load_average, 1, r.cpus),
        escaped(binding.empty() ? "none recorded" : binding), escaped(r.command));
  }
  return page;
}

// The machine table's rows of the CSV rows: one line per file, host, runner and binding, with
// the range of the loads of the runs appended to it.
std::string csv_machine_rows(const std::vector<ResultRow>& rows) {
  struct CsvSource {
    const ResultRow* first = nullptr;
    std::optional<double> low, high;
    std::set<std::string> runs;  // timestamps
  };
  std::map<std::string, CsvSource> sources;
  std::vector<std::string> order;
  for (const auto& r : rows) {
    if (r.line == 0) continue;  // JSON rows are listed by record_machine_rows
    const std::string key = r.file + r.host + r.omp_proc_bind + r.omp_places + r.runner;
    auto [it, fresh] = sources.try_emplace(key);
    if (fresh) {
      it->second.first = &r;
      order.push_back(key);
    }
    CsvSource& source = it->second;
    source.runs.insert(r.timestamp);
    if (r.load_average) {
      source.low = source.low ? std::min(*source.low, *r.load_average) : *r.load_average;
      source.high = source.high ? std::max(*source.high, *r.load_average) : *r.load_average;
    }
  }
  std::string page;
  for (const auto& key : order) {
    const CsvSource& source = sources.at(key);
    const ResultRow& r = *source.first;
    page += fmt::format(
        "<tr><td class=\"name\">{}</td><td class=\"name\">{}</td><td>{}</td><td>{}</td>"
        "<td class=\"name\">OMP_PROC_BIND={}, OMP_PLACES={}</td><td class=\"name\">{}</td></tr>\n",
        escaped(file_name(r.file)), escaped(r.host), escaped(short_runner_name(r.runner)),
        load_text(source.low, source.high, source.runs.size(), r.cpus), escaped(r.omp_proc_bind),
        escaped(r.omp_places), "(CSV rows)");
  }
  return page;
}

std::string machine_section(const std::vector<ResultRow>& rows,
                            const std::vector<RunRecord>& records, int cores) {
  const bool any_load = std::any_of(rows.begin(), rows.end(),
                                    [](const ResultRow& r) { return r.load_average.has_value(); });
  std::string page = fmt::format(
      "<h2>Machine</h2>\n<p>Cores the runs had: <b>{}</b> (<code>--cores</code>; rows with more "
      "workers are marked oversubscribed). {}</p>\n",
      cores,
      any_load ? "Load: the 1-minute load average at the start of each run, as the runner "
                 "recorded it; above the CPUs, other work shared them and the timings are suspect."
               : "Load average: not recorded in these files (written by a runner from before "
                 "the <code>load_average</code> column).");
  page +=
      "<table>\n<tr><th>run</th><th>host</th><th>ranks &times; threads</th><th>load</th>"
      "<th>binding</th><th>command</th></tr>\n";
  return page + record_machine_rows(records) + csv_machine_rows(rows) + "</table>\n";
}

// One group's table: the rows of one task list at one P, fastest first.
std::string group_table(const TableGroup& g, int cores) {
  std::string page = fmt::format(
      "<p><b>P = {}</b>{}</p>\n", g.workers,
      g.oversubscribed ? fmt::format(" &mdash; <span class=\"noisy\">oversubscribed</span>: "
                                     "more workers than the {} cores, never best",
                                     cores)
                       : std::string());
  page +=
      "<table>\n<tr><th>strategy</th><th>min [s]</th><th>median [s]</th><th>speedup</th>"
      "<th>eff</th><th>LB</th><th>Tp/L</th><th>KF</th><th>verified</th><th>noise</th></tr>\n";
  for (const auto& r : g.rows) {
    page += fmt::format(
        "<tr class=\"{}\"><td class=\"name\">{}</td><td>{}</td><td>{}</td><td>{:.2f}</td>"
        "<td>{:.2f}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td class=\"noisy\">{}</td></tr>\n",
        !r.verified ? "failed" : (g.oversubscribed ? "over" : ""), escaped(r.label),
        seconds(r.time_min), seconds(r.time_median), r.speedup, r.efficiency,
        fixed_or_dash(r.load_balance, 2), fixed_or_dash(r.tp_over_lower_bound, 2),
        fixed_or_dash(r.karp_flatt, 2), r.verified ? "PASSED" : "FAILED", escaped(r.noise));
  }
  return page + "</table>\n";
}

std::string tables_section(const Tables& tables, int cores) {
  std::string page =
      "<h2>Tables</h2>\n<p class=\"note\">Speedup = T1/Tp with T1 from the same run; eff = "
      "speedup/P; LB = mean/max busy time; Tp/L = time over the lower bound max(&Sigma;t/P, "
      "longest task); KF = Karp&ndash;Flatt serial fraction. Fastest first.</p>\n";
  for (const auto& s : tables.summaries) {
    page += fmt::format("<h3>{}</h3>\n", escaped(s.key.describe()));
    for (const TraceLevel trace : s.traces) {
      page += trace == TraceLevel::kOff
                  ? "<p class=\"note\">Trace: off (no per-task times: LB and Tp/L "
                    "not measured, no timeline).</p>\n"
                  : "<p class=\"note\">Trace: tasks (per-task times).</p>\n";
    }
    for (const auto& g : tables.groups)
      if (g.key == s.key) page += group_table(g, cores);
    if (s.best)
      page += fmt::format(
          "<p>Best (P &le; {} cores): <b>{}</b> on P = {}: {} s, speedup {:.2f}{}.</p>\n", cores,
          escaped(s.best->label), s.best->workers, seconds(s.best->time_min), s.best->speedup,
          std::isfinite(s.best->tp_over_lower_bound)
              ? fmt::format(", {:.2f} &times; the lower bound", s.best->tp_over_lower_bound)
              : std::string());
    if (s.best && s.serial_runs > 1 && s.t1_median > 0)
      page += fmt::format(
          "<p class=\"note\">Rows are ranked by time. Against one common T1 ({} s, the median "
          "of the {} serial runs) the best row's speedup is {:.2f}.</p>\n",
          seconds(s.t1_median), s.serial_runs, s.t1_median / s.best->time_min);
  }
  return page;
}

// One record's timeline panels: each parallel row, its workers labelled with their CPUs.
std::vector<TimelinePanel> timeline_panels(const RunRecord& record) {
  std::vector<TimelinePanel> panels;
  for (const auto& s : record.strategies) {
    if (s.is_serial()) continue;
    TimelinePanel panel{fmt::format("{} {} (P={})", short_runner_name(record.runner), s.strategy,
                                    std::max(s.run.workers, 1)),
                        s.run,
                        record.sizes,
                        {}};
    panel.worker_labels = worker_labels(s);
    panels.push_back(std::move(panel));
  }
  return panels;
}

std::string timelines_section(const std::vector<RunRecord>& records,
                              const std::filesystem::path& scratch, std::string& note) {
  if (records.empty()) return {};
  std::string page =
      "<h2>Timelines</h2>\n<p class=\"note\">Which worker ran which task, when: bars "
      "coloured by task size, grey where a worker was idle.</p>\n";
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::vector<TimelinePanel> panels = timeline_panels(records[i]);
    if (panels.empty()) continue;
    const std::string stem = fmt::format("timeline{}", i);
    const std::string svg = figure(
        scratch, stem, timeline_script(panels, {scratch.string(), stem, {PlotFormat::kSvg}}), note);
    page += fmt::format("<h3>{}</h3>\n", escaped(file_name(records[i].file)));
    if (!svg.empty()) page += "<figure>\n" + svg + "</figure>\n";
  }
  return page;
}

// The predicted speedup curves of one record (P = 1 .. max(2 x cores, its rows' P)) and its
// measured rows as points, for the figure.
std::vector<SpeedupCurve> speedup_curves(const RunRecord& record,
                                         const std::vector<PredictedVsMeasured>& compared,
                                         int cores, double overhead) {
  int max_workers = 2 * cores;
  for (const auto& c : compared) max_workers = std::max(max_workers, c.workers);
  std::vector<int> workers;
  for (int p = 1; p <= std::min(max_workers, kMaxPredictedWorkers); ++p) workers.push_back(p);
  const std::vector<Schedule> schedules = compared_schedules(1);
  const auto predicted = predict(record.serial_task_seconds, workers, schedules, overhead);
  double total = 0;
  for (const double t : record.serial_task_seconds) total += t;
  std::vector<SpeedupCurve> curves;
  for (std::size_t s = 0; s < schedules.size(); ++s) {
    SpeedupCurve curve{schedules[s].name(), {}, false};
    for (const auto& r : predicted) curve.points.emplace_back(r.workers, total / r.makespans[s]);
    curves.push_back(std::move(curve));
  }
  for (const auto& c : compared)
    if (c.measured > 0)
      curves.push_back(
          {fmt::format("measured {}", c.strategy), {{c.workers, total / c.measured}}, true});
  return curves;
}

std::string predictions_section(const std::vector<RunRecord>& records, int cores, double overhead,
                                const std::filesystem::path& scratch, std::string& note) {
  if (records.empty()) return {};
  std::string page = fmt::format(
      "<h2>Predicted against measured</h2>\n<p class=\"note\">The simulator "
      "replays each record's serial per-task times; dispatch overhead {} s per "
      "chunk.</p>\n",
      overhead);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RunRecord& record = records[i];
    const auto compared = predicted_vs_measured(record, overhead);
    page += fmt::format("<h3>{}</h3>\n<pre>{}</pre>\n", escaped(file_name(record.file)),
                        escaped(render_predicted_vs_measured(compared)));
    const std::string stem = fmt::format("predict{}", i);
    const std::string svg =
        figure(scratch, stem,
               predict_script("predicted speedup: " + file_name(record.file),
                              speedup_curves(record, compared, cores, overhead), cores,
                              {scratch.string(), stem, {PlotFormat::kSvg}}),
               note);
    if (!svg.empty()) page += "<figure>\n" + svg + "</figure>\n";
  }
  return page;
}

}  // namespace

HtmlReport build_html_report(const std::vector<std::string>& files, int cores, double overhead) {
  // Inputs: every row, and the JSON records (they hold traces and per-task times).
  const std::vector<ResultRow> rows = read_results(files);
  std::vector<RunRecord> records;
  std::string selection;  // the "Automatic selection" section's records, with or without traces
  for (const auto& f : files) {
    if (!is_json_path(f)) continue;
    RunRecord record = read_json(f);
    selection += selection_section(record);
    // A --trace off record has rows (in the tables) but nothing to draw.
    if (record.trace == TraceLevel::kTasks) records.push_back(std::move(record));
  }
  const ScratchFolder scratch;

  // Compute.
  const Tables tables = build_tables(rows, cores);
  const std::vector<ScalingSeries> series = build_scaling(rows, cores);

  // The page, section by section.
  HtmlReport report;
  report.verified = tables.failed_rows == 0;
  std::string& page = report.page;
  page = page_head(files, tables) + workload_section(tables) +
         machine_section(rows, records, cores) + tables_section(tables, cores);
  if (!selection.empty()) {
    page += "<h2>Automatic selection</h2>\n<p class=\"note\">" + escaped(selection_legend()) +
            ". Each step's technique and reason are the selector's; the regret is recomputed "
            "here from the record's rows.</p>\n" +
            selection;
  }
  page += timelines_section(records, scratch.path(), report.figure_note);
  if (!series.empty()) page += scaling_section(series, cores, scratch.path(), report.figure_note);
  page += predictions_section(records, cores, overhead, scratch.path(), report.figure_note);
  if (!report.figure_note.empty())
    page += "<p class=\"flag\">" + escaped(report.figure_note) + "</p>\n";
  page += "<p class=\"note\">Written by schedlab-report --html.</p>\n</body>\n</html>\n";
  return report;
}

}  // namespace schedlab::report
