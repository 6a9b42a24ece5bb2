// schedlab-report: reads the CSV/JSON that any runner wrote and prints comparison tables,
// timelines (--timeline), scaling fits (--scaling) or schedule predictions (--predict);
// figures via gnuplot. Inputs -> compute -> report, like every schedlab driver.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <numeric>

#include "schedlab/errors.hpp"
#include "schedlab/kernel.hpp"
#include "schedlab/metrics.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output.hpp"
#include "schedlab/output/files.hpp"
#include "schedlab/parse.hpp"
#include "schedlab/report/html.hpp"
#include "schedlab/report/plots.hpp"
#include "schedlab/report/predict.hpp"
#include "schedlab/report/reader.hpp"
#include "schedlab/report/scaling.hpp"
#include "schedlab/report/selection.hpp"
#include "schedlab/report/tables.hpp"
#include "schedlab/workload.hpp"

namespace {

using namespace schedlab;
using namespace schedlab::report;

struct ReportOptions {
  std::vector<std::string> files;
  std::vector<std::string> timeline;
  bool scaling = false;
  bool predict = false;
  bool no_replay = false;  // --predict: the record's perturbations left out of the prediction
  std::string strategies;  // --strategy filter for the timeline
  std::string overhead = "0";
  std::string master_service = "0";     // --predict: seconds the master spends per chunk
  std::vector<std::string> techniques;  // --predict: the columns (default: compared_schedules)
  std::string workers = "1,2,4,8,16,32,64,128,256,512,1024";
  std::string chunk = "1";
  std::string unit_seconds;
  std::string plot_dir;
  std::string format = "png,svg";
  std::string cores;       // CPUs the runs had; default: this machine's
  std::string html;        // --html FILE
  CommonOptions workload;  // --workload/--tasks/... for --predict without a record
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    items.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

// "static,dynamic,4,guided" -> static, dynamic,4, guided: a number after a comma is the
// chunk of the name before it.
std::vector<std::string> split_strategies(const std::string& text) {
  std::vector<std::string> names;
  for (const auto& item : split_list(text)) {
    const bool chunk = !item.empty() && std::all_of(item.begin(), item.end(),
                                                    [](char c) { return c >= '0' && c <= '9'; });
    if (chunk && !names.empty()) {
      names.back() += "," + item;
    } else {
      names.push_back(item);
    }
  }
  return names;
}

std::vector<PlotFormat> parse_formats(const std::string& text) {
  if (text == "none") return {};
  std::vector<PlotFormat> formats;
  for (const auto& f : split_list(text)) {
    const std::optional<PlotFormat> format = parse_plot_format(f);
    if (!format) {
      throw UsageError(fmt::format("--format '{}': expected png, svg, png,svg or none", text));
    }
    formats.push_back(*format);
  }
  return formats;
}

double parse_seconds(const std::string& what, const std::string& text, bool allow_zero) {
  if (allow_zero && (text == "0" || text == "0.0")) return 0.0;
  return parse_positive_double(what, text, 1e6);
}

// "results/run.json" + "timeline" -> target results/run.timeline.*; "scaling.csv" +
// "scaling" -> scaling.* (the kind is not repeated). Several inputs in one figure: the
// stem names them all ("a+b.timeline"), so a figure is never named after one of them only;
// a stem too long for a file name keeps its start and a hash of the whole.
PlotTarget plot_target(const ReportOptions& o, const std::vector<PlotFormat>& formats,
                       const std::vector<std::string>& inputs, const std::string& kind) {
  const std::string input = inputs.empty() ? std::string() : inputs.front();
  const std::filesystem::path path(input.empty() ? kind : input);
  std::string stem = path.stem().string();
  for (std::size_t i = 1; i < inputs.size(); ++i)
    stem += "+" + std::filesystem::path(inputs[i]).stem().string();
  stem = bounded_file_name(stem);
  std::string dir = o.plot_dir;
  if (dir.empty())
    dir = input.empty() ? "." : (path.has_parent_path() ? path.parent_path().string() : ".");
  return {dir, stem == kind ? stem : stem + "." + kind, formats};
}

// A folder among the inputs stands for every *.csv and *.json under it, at any depth, in
// name order (`--html page.html results/` reads hybrid.csv and scaling/*.csv too, so nothing
// is left out). grade.json is jobs/grade.sh's verdict, not a run record: skipped.
std::vector<std::string> expand_folders(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(input, ec)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = std::filesystem::recursive_directory_iterator(input, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      const std::filesystem::path& path = it->path();
      const std::string ext = path.extension().string();
      if (it->is_regular_file(ec) && (ext == ".csv" || ext == ".json") &&
          path.filename() != "grade.json")
        found.push_back(path.string());
    }
    if (ec) throw UsageError(fmt::format("folder '{}': cannot be read: {}", input, ec.message()));
    if (found.empty())
      throw UsageError(fmt::format("folder '{}': holds no .csv or .json result files", input));
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

// Every file this command line would write, checked before any input is read: the --html
// page or each figure's script and images, apart from every input and from each other.
void check_report_outputs(const ReportOptions& o, const std::vector<PlotFormat>& formats) {
  std::vector<NamedPath> inputs, outputs;
  for (const auto& f : o.files) inputs.push_back({"input", f});
  for (const auto& f : o.timeline) inputs.push_back({"--timeline", f});
  const auto add_figure = [&](const std::vector<std::string>& sources, const std::string& kind) {
    if (formats.empty()) return;
    const PlotTarget target = plot_target(o, formats, sources, kind);
    const std::string what = fmt::format("--{} figure", kind);
    outputs.push_back({what + " script", target.path("gp")});
    for (const auto& format : formats) outputs.push_back({what, target.path(format)});
  };
  if (!o.html.empty()) {
    outputs.push_back({"--html", o.html});
  } else if (!o.timeline.empty()) {
    add_figure(o.timeline, "timeline");
  } else if (o.scaling) {
    if (!o.files.empty()) add_figure(o.files, "scaling");
  } else if (o.predict) {
    if (o.files.empty()) add_figure({}, "predict");
    for (const auto& f : o.files) add_figure({f}, "predict");
  }
  // draw() creates a missing --plot-dir; the page's folder must exist.
  check_outputs(inputs, outputs, /*folders_may_be_created=*/o.html.empty());
}

// "binding: OMP_PLACES=cores, OMP_PROC_BIND=close", wrapped to stay within 80 columns.
std::string binding_lines(const RunRecord& record) {
  if (record.binding.empty()) return "binding: none recorded\n";
  std::string text = "binding:";
  std::size_t line_start = 0;
  for (const auto& [key, value] : record.binding) {
    const std::string item = fmt::format(" {}={}", key, value);
    if (text.size() - line_start + item.size() > 80) {
      text += "\n        ";
      line_start = text.size() - 8;
    }
    text += item;
  }
  return text + "\n";
}

// A path shortened from the left to fit `width` columns ("...results/run.json").
std::string fit_path(const std::string& path, std::size_t width) {
  return path.size() <= width ? path : "..." + path.substr(path.size() - (width - 3));
}

// --timeline's records: JSON files recorded with per-task times.
std::vector<RunRecord> read_timeline_records(const std::vector<std::string>& files) {
  std::vector<RunRecord> records;
  for (const auto& f : files) {
    if (!is_json_path(f))
      throw UsageError(fmt::format("--timeline {}: expected a .json record (CSV has no trace)", f));
    records.push_back(read_json(f));
    if (records.back().trace == TraceLevel::kOff)
      throw UsageError(
          fmt::format("--timeline {}: recorded with --trace off (no per-task times); "
                      "run again with --trace tasks (the default)",
                      f));
  }
  return records;
}

// Each --strategy NAME must be a row of one of the records.
void check_strategies_recorded(const std::vector<std::string>& wanted,
                               const std::vector<RunRecord>& records) {
  for (const auto& name : wanted) {
    const bool found = std::any_of(records.begin(), records.end(), [&](const RunRecord& r) {
      return std::any_of(r.strategies.begin(), r.strategies.end(),
                         [&](const StrategyRecord& s) { return s.strategy == name; });
    });
    if (!found) {
      std::string have;
      for (const auto& s : records.front().strategies)
        have += (have.empty() ? "" : ", ") + s.strategy;
      throw UsageError(fmt::format(
          "--strategy '{}': no such strategy in the records (the first has: {})", name, have));
    }
  }
}

// The text header is "timeline TITLE (0.123 s; letters = task id, '.' = idle)" in 80
// columns: a title longer than that room loses the runner (named on the "==" line above),
// then the middle of the strategy, never its "(P=..)".
std::string timeline_title(const std::string& runner, const std::string& strategy, int workers) {
  constexpr std::size_t kTitleRoom = 80 - 52;
  const std::string p_text = fmt::format(" (P={})", workers);
  std::string name = runner == strategy ? runner : runner + " " + strategy;
  if (name.size() + p_text.size() > kTitleRoom) name = strategy;
  if (name.size() + p_text.size() > kTitleRoom)
    name = name.substr(0, kTitleRoom - p_text.size() - 2) + "..";
  return name + p_text;
}

// The chosen strategies' panels, on one time axis, and what each panel's text needs.
struct TimelineSet {
  std::vector<TimelinePanel> panels;
  std::vector<std::size_t> record_of_panel;
  std::vector<std::vector<std::string>> panel_hosts;  // by panel: each worker's host
  std::vector<double> lower_bounds;
  double axis = 0;
};

TimelineSet timeline_set(const std::vector<RunRecord>& records,
                         const std::vector<std::string>& wanted) {
  TimelineSet set;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RunRecord& record = records[i];
    for (const auto& s : record.strategies) {
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), s.strategy) == wanted.end())
        continue;
      const std::string title =
          timeline_title(short_runner_name(record.runner), s.strategy, std::max(s.run.workers, 1));
      set.panels.push_back({title, s.run, record.sizes, worker_labels(s)});
      set.panel_hosts.push_back(s.worker_hosts);
      set.axis = std::max(set.axis, s.run.wall_seconds);
      for (const auto& rec : s.run.trace) set.axis = std::max(set.axis, rec.end);
      set.record_of_panel.push_back(i);
      set.lower_bounds.push_back(s.lower_bound);
    }
  }
  return set;
}

// One text per record: its "==" line, its binding, then each of its panels' chart and line.
std::vector<std::string> timeline_texts(const std::vector<RunRecord>& records,
                                        const TimelineSet& set) {
  std::vector<std::string> texts;
  for (const auto& record : records) {
    const std::string where = fmt::format(" ({} on {})", short_runner_name(record.runner),
                                          record.host.empty() ? "?" : record.host);
    const std::size_t room = where.size() + 3 < 60 ? 80 - 3 - where.size() : 20;
    texts.push_back(
        fmt::format("== {}{}\n{}", fit_path(record.file, room), where, binding_lines(record)));
  }
  for (std::size_t p = 0; p < set.panels.size(); ++p) {
    const RunResult& run = set.panels[p].run;
    const int workers = std::max(run.workers, 1);
    const std::vector<double> busy = busy_per_worker(run);
    const double busy_total = std::accumulate(busy.begin(), busy.end(), 0.0);
    const double capacity = run.wall_seconds * workers;
    std::string& text = texts[set.record_of_panel[p]];
    text += render_timeline(run, set.panels[p].title, 80, set.axis, set.panel_hosts[p]);
    text += fmt::format(
        "load balance {:.2f}, idle {:.0f}% of {} x {:.4g} s, Tp/L {:.2f}\n", load_balance(busy),
        capacity > 0 ? 100.0 * (1.0 - busy_total / capacity) : 0.0, workers, run.wall_seconds,
        set.lower_bounds[p] > 0 ? run.wall_seconds / set.lower_bounds[p] : 0.0);
  }
  return texts;
}

// --timeline: one text chart per strategy, then one figure with every panel.
int show_timelines(const ReportOptions& o, const std::vector<PlotFormat>& formats) {
  const std::vector<RunRecord> records = read_timeline_records(o.timeline);
  const std::vector<std::string> wanted =
      o.strategies.empty() ? std::vector<std::string>{} : split_strategies(o.strategies);
  check_strategies_recorded(wanted, records);
  // Compute: panels for the chosen strategies, on one time axis.
  const TimelineSet set = timeline_set(records, wanted);
  // Report.
  for (const auto& t : timeline_texts(records, set)) fmt::print("{}\n", t);
  std::fflush(stdout);
  if (formats.empty()) return kExitOk;
  const PlotTarget target = plot_target(o, formats, o.timeline, "timeline");
  return draw(timeline_script(set.panels, target), target, stdout) == PlotOutcome::kFailed
             ? kExitFailed
             : kExitOk;
}

int show_scaling(const ReportOptions& o, const std::vector<PlotFormat>& formats, int cores) {
  const std::vector<ResultRow> rows = read_results(o.files);
  const std::vector<ScalingSeries> series = build_scaling(rows, cores);
  fmt::print("{}", render_scaling(series, cores));
  std::fflush(stdout);
  const bool all_verified =
      std::all_of(rows.begin(), rows.end(), [](const ResultRow& r) { return r.verified; });
  int code = all_verified ? kExitOk : kExitFailed;
  if (!all_verified) fmt::print("verification: FAILED (a run in the sweep did not verify)\n");
  if (formats.empty() || series.empty()) return code;
  const PlotTarget target = plot_target(o, formats, o.files, "scaling");
  if (draw(scaling_script(series, cores, target), target, stdout) == PlotOutcome::kFailed)
    code = kExitFailed;
  return code;
}

// Seconds per kernel unit on this machine: a short timed spin (about 20 ms).
double calibrate_unit_seconds() {
  constexpr std::uint64_t kUnits = 2'000'000;
  double best = 1e9;
  for (int i = 0; i < 3; ++i) {
    const auto start = Clock::now();
    volatile std::uint64_t sink = spin(kUnits);
    (void)sink;
    best = std::min(best, seconds_between(start, Clock::now()));
  }
  return best / static_cast<double>(kUnits);
}

struct PredictionInput {
  std::string source;  // file, or "" for a workload spec
  std::string description;
  std::vector<double> task_seconds;
  std::optional<RunRecord> record;
};

// --predict's progress: after the first second, one stderr line a second (never stdout, never
// a file), and a last line when it ends; a quick prediction says nothing.
PredictProgress progress_lines(std::string what) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  Clock::time_point next_line = start + std::chrono::seconds(1);
  return [what = std::move(what), start, next_line](std::size_t done, std::size_t total) mutable {
    const Clock::time_point now = Clock::now();
    if (now < next_line && done < total) return;
    if (now < start + std::chrono::seconds(1)) return;  // done within a second: no line
    const double elapsed = std::chrono::duration<double>(now - start).count();
    fmt::print(stderr, "schedlab-report: predicting {}: {} of {} simulations, {:.1f} s\n", what,
               done, total, elapsed);
    next_line = now + std::chrono::seconds(1);
  };
}

// --predict's task lists: each record's serial per-task times, or, without records, the
// --workload's sizes at the kernel's seconds per unit (--unit-seconds, or measured here).
std::vector<PredictionInput> prediction_inputs(const ReportOptions& o) {
  std::vector<PredictionInput> inputs;
  for (const auto& f : o.files) {
    if (!is_json_path(f))
      throw UsageError(
          fmt::format("--predict {}: expected a .json record (it holds serial_task_seconds)", f));
    RunRecord record = read_json(f);
    if (record.trace == TraceLevel::kOff)
      throw UsageError(
          fmt::format("--predict {}: recorded with --trace off (no per-task times to "
                      "simulate); run again with --trace tasks (the default)",
                      f));
    const std::string description =
        fmt::format("{}: {}, {} tasks, serial per-task times from {} on {}", f, record.workload,
                    record.sizes.size(), short_runner_name(record.runner),
                    record.host.empty() ? "?" : record.host);
    inputs.push_back({f, description, record.serial_task_seconds, std::move(record)});
  }
  if (inputs.empty()) {
    const RunSettings settings = validate(o.workload);
    const std::vector<Task> tasks = make_workload(settings.workload);
    const bool given = !o.unit_seconds.empty();
    const double unit =
        given ? parse_seconds("--unit-seconds", o.unit_seconds, false) : calibrate_unit_seconds();
    std::vector<double> seconds;
    seconds.reserve(tasks.size());
    for (const auto& t : tasks) seconds.push_back(static_cast<double>(t.size) * unit);
    inputs.push_back(
        {"",
         fmt::format("{} at {:.3g} ns per unit ({})", describe_workload(settings.workload, tasks),
                     unit * 1e9,
                     given ? "--unit-seconds"
                           : "measured on this machine; give --unit-seconds for another"),
         seconds, std::nullopt});
  }
  return inputs;
}

int show_predictions(const ReportOptions& o, const std::vector<PlotFormat>& formats, int cores) {
  // Inputs, all validated before anything is printed.
  const double overhead = parse_seconds("--overhead", o.overhead, true);
  const double master_service = parse_seconds("--master-service", o.master_service, true);
  const std::size_t chunk = static_cast<std::size_t>(parse_uint("--chunk", o.chunk, 1, kMaxTasks));
  std::vector<int> workers = parse_worker_list(o.workers);
  const std::vector<PredictionInput> inputs = prediction_inputs(o);
  // Compute and report.
  const std::vector<Schedule> schedules =
      o.techniques.empty() ? compared_schedules(chunk) : schedules_named(o.techniques);
  int code = kExitOk;
  for (const auto& in : inputs) {
    const double total = std::accumulate(in.task_seconds.begin(), in.task_seconds.end(), 0.0);
    const double longest = in.task_seconds.empty()
                               ? 0.0
                               : *std::max_element(in.task_seconds.begin(), in.task_seconds.end());
    fmt::print(
        "== prediction for {}\n   sum t = {:.4g} s, longest task {:.4g} s, dispatch overhead "
        "{:.3g} s per chunk\n\n",
        in.description, total, longest, overhead);
    const std::string what = in.source.empty() ? std::string("the workload") : in.source;
    const std::vector<PredictionRow> rows =
        predict(in.task_seconds, workers, schedules, overhead, 0, progress_lines(what));
    fmt::print("{}\n", render_predictions(in.task_seconds, schedules, rows));
    if (master_service > 0) {
      const auto through_master =
          predict(in.task_seconds, workers, schedules, overhead, master_service,
                  progress_lines(what + " through one master"));
      fmt::print("{}\n", render_master_predictions(in.task_seconds, schedules, through_master,
                                                   master_service));
    }
    std::vector<SpeedupCurve> curves;
    for (std::size_t s = 0; s < schedules.size(); ++s) {
      SpeedupCurve curve{schedules[s].name(), {}, false};
      for (const auto& r : rows)
        curve.points.emplace_back(r.workers, speedup(total, r.makespans[s]));
      curves.push_back(std::move(curve));
    }
    if (in.record) {
      const auto compared =
          predicted_vs_measured(*in.record, overhead, master_service, !o.no_replay);
      fmt::print("{}{}\n", render_replay(*in.record, !o.no_replay),
                 render_predicted_vs_measured(compared));
      for (const auto& c : compared) {
        curves.push_back({fmt::format("measured {}", c.strategy),
                          {{c.workers, speedup(total, c.measured)}},
                          true});
      }
    }
    std::fflush(stdout);
    if (formats.empty()) continue;
    const PlotTarget target = plot_target(
        o, formats, in.source.empty() ? std::vector<std::string>{} : std::vector{in.source},
        "predict");
    const std::string title =
        in.source.empty() ? "predicted speedup" : fmt::format("predicted speedup: {}", in.source);
    if (draw(predict_script(title, curves, cores, target), target, stdout) == PlotOutcome::kFailed)
      code = kExitFailed;
  }
  return code;
}

// --html FILE: the library builds the page; the program writes it, says where, and fails
// when a row did not verify.
int show_html(const ReportOptions& o, int cores) {
  const HtmlReport report =
      build_html_report(o.files, cores, parse_seconds("--overhead", o.overhead, true));
  write_file_atomically(o.html, report.page);
  fmt::print("html: {} ({} bytes{})\n", o.html, report.page.size(),
             report.figure_note.empty() ? "" : "; " + report.figure_note);
  return report.verified ? kExitOk : kExitFailed;
}

int show_tables(const ReportOptions& o, int cores) {
  // A record is read once: its rows join the tables, its auto rows the selection block.
  std::vector<ResultRow> rows;
  std::string selection;
  for (const auto& f : o.files) {
    if (!is_json_path(f)) {
      std::vector<ResultRow> more = read_csv(f);
      selection += render_recorded_selection(more);
      rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
      continue;
    }
    const RunRecord record = read_json(f);
    std::vector<ResultRow> more = rows_of(record);
    rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
    selection += render_selection(record);
  }
  const Tables tables = build_tables(rows, cores);
  fmt::print("{}", render_tables(tables));
  if (!selection.empty()) fmt::print("\n{}", selection);
  return tables.failed_rows == 0 ? kExitOk : kExitFailed;
}

// The command line: the inputs, the mode (tables, --timeline, --scaling, --predict, --html)
// and each mode's options.
void add_report_options(CLI::App& app, ReportOptions& o) {
  app.add_option("files", o.files,
                 "CSV or JSON result files (written with --csv / --json); a folder: every *.csv "
                 "and *.json under it (e.g. the lab folder for --html). Records with auto:METHOD "
                 "rows also show each step's choice and the regret against the fixed rows");
  app.add_option("--timeline", o.timeline, "Gantt chart of the runs in these JSON records")
      ->expected(1, -1);
  app.add_flag("--scaling", o.scaling,
               "Speedup and efficiency against workers, with an Amdahl fit");
  app.add_flag("--predict", o.predict,
               "Simulate scheduling techniques (static, static,1, ss, gss, tss, fac2, or "
               "--technique ...) from per-task times (JSON records, or --workload ...)");
  app.add_option("--strategy", o.strategies,
                 "--timeline: only these strategies, e.g. static,dynamic,1");
  app.add_flag("--no-replay", o.no_replay,
               "--predict: do not replay the record's --perturb in the predicted-vs-measured "
               "rows (the unperturbed machine's prediction)");
  app.add_option("--overhead", o.overhead, "--predict: seconds per chunk taken from a shared queue")
      ->capture_default_str();
  app.add_option("--master-service", o.master_service,
                 "--predict: seconds one MPI master spends per chunk (schedlab-bench-mpi measures "
                 "it); > 0 adds the master-worker table and where it saturates")
      ->capture_default_str();
  app.add_option("--technique", o.techniques,
                 "--predict: a column to simulate (repeatable): a technique (gss, fac2, awf-b, "
                 "tss,40,5 ...) or static,C / dynamic,C / guided,C");
  app.add_option(
         "--workers", o.workers,
         "--predict: worker counts, e.g. 1,2,4 or 1-64 (at most 1024; default the powers of two)")
      ->capture_default_str();
  app.add_option("--chunk", o.chunk, "--predict: C of the default columns dynamic,C and gss,C")
      ->capture_default_str();
  app.add_option("--unit-seconds", o.unit_seconds,
                 "--predict with --workload: seconds per kernel unit (default: measured here)");
  app.add_option("--plot-dir", o.plot_dir, "Where figures go (default: next to the first input)");
  app.add_option("--format", o.format, "Figure formats: png, svg, png,svg or none")
      ->capture_default_str();
  app.add_option("--cores", o.cores,
                 "CPUs of the machine the runs were made on (default: this machine's); more "
                 "workers than that is oversubscribed: marked, never best, never fitted");
  app.add_option("--html", o.html,
                 "Write one self-contained HTML page for these runs (tables, machine, timelines, "
                 "scaling, predictions) to this file: schedlab-report --html page.html lab/");
  auto* spec =
      app.add_option_group("workload", "--predict without a record: the task list to simulate");
  spec->add_option("--workload", o.workload.workload,
                   "uniform | nonuniform | increasing | skewed | file:PATH");
  spec->add_option("--tasks", o.workload.tasks, "Number of tasks (default: logical CPUs)");
  spec->add_option("--size", o.workload.size, "Base task size in kernel units");
  spec->add_option("--spread", o.workload.spread, "nonuniform: size + randint(0, spread)");
  spec->add_option("--seed", o.workload.seed, "nonuniform: seed of random.Random");
  spec->add_option("--scale", o.workload.scale, "Multiply every task size by this factor");
}

}  // namespace

int main(int argc, char** argv) {
  // A reader that goes away (| head) makes a write fail: one line and exit 1, never a silent
  // death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  // Inputs.
  CLI::App app{
      "Compares schedlab results (CSV/JSON from any runner), draws timelines and scaling "
      "curves with gnuplot, and predicts schedules from per-task times.",
      "schedlab-report"};
  ReportOptions o;
  app.set_version_flag("--version", kVersion);
  add_report_options(app, o);
  if (const auto code = parse_command_line(app, argc, argv)) return *code;

  try {
    const std::vector<PlotFormat> formats = parse_formats(o.format);
    const int modes = (o.timeline.empty() ? 0 : 1) + (o.scaling ? 1 : 0) + (o.predict ? 1 : 0);
    if (modes > 1)
      throw UsageError("--timeline, --scaling and --predict: expected at most one of them");
    const int cores =
        o.cores.empty() ? static_cast<int>(logical_cpus())
                        : static_cast<int>(parse_uint("--cores", o.cores, 1, kMaxPredictedWorkers));
    if (!o.html.empty() && modes > 0)
      throw UsageError(
          "--html: expected result files only (the page holds the timelines, "
          "scaling and predictions itself)");
    o.files = expand_folders(o.files);
    if (o.timeline.empty() && !o.predict && o.files.empty()) {
      throw UsageError(
          o.html.empty()
              ? "no result files: expected CSV or JSON files written by a runner's --csv or --json"
              : "--html: no result files: expected CSV or JSON files written by a runner");
    }
    // The timeline's records are the --timeline files and any others given.
    if (!o.timeline.empty()) {
      o.timeline.insert(o.timeline.end(), o.files.begin(), o.files.end());
      o.files.clear();
    }
    check_report_outputs(o, formats);
    if (!o.html.empty()) return show_html(o, cores);
    // Compute and report, per mode.
    if (!o.timeline.empty()) return show_timelines(o, formats);
    if (o.predict) return show_predictions(o, formats, cores);
    if (o.scaling) return show_scaling(o, formats, cores);
    return show_tables(o, cores);
  } catch (const UsageError& e) {
    return report_usage_error(app.get_name(), e.what());
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "{}: error: out of memory (std::bad_alloc)\n", app.get_name());
    return kExitFailed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: error: {}\n", app.get_name(), printable(e.what()));
    return kExitFailed;
  }
}
