// Loading and validating result files. Every problem becomes one UsageError line that
// names the file, the line (or JSON field) and what is wrong, so a truncated file from a
// killed job or a record from a newer schedlab is caught before any table is printed.
#include "schedlab/report/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>

#include "schedlab/errors.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output.hpp"
#include "schedlab/parse.hpp"

namespace schedlab::report {

namespace {

// Records are untrusted input: a device, a folder or a file past kMaxInputFileBytes is
// refused before it is read (a pipe is read up to the same bound).
std::string read_whole_file(const std::string& path) {
  check_input_file(path, path, kMaxInputFileBytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("{}: cannot open for reading", path));
  return read_bounded(in, path, kMaxInputFileBytes);
}

// The reader's messages quote what the file holds: at most 40 characters, escaped, so that
// a binary or hostile value cannot spread the message over lines.
std::string shown(const std::string& text) {
  return printable(text.size() > 40 ? text.substr(0, 40) + "..." : text);
}

std::vector<std::string> split_header(const std::string& header) {
  std::vector<std::string> names;
  std::stringstream in(header);
  for (std::string name; std::getline(in, name, ',');) names.push_back(name);
  return names;
}

// One CSV record: fields split at commas outside quotes ("" is a quote inside quotes).
struct CsvLine {
  int number = 0;
  std::vector<std::string> fields;
};

// Splits the text into records. A record whose quote never closes, or a last line without
// its newline, is what a writer killed mid-row leaves behind.
// Each record goes to on_line as soon as it ends, so that only one is held at a time (a file of
// short lines would otherwise hold ~32 bytes per field for every comma).
void split_csv(const std::string& path, const std::string& text,
               const std::function<void(const CsvLine&)>& on_line) {
  CsvLine current{1, {std::string()}};
  int line_number = 1;
  bool quoted = false;
  std::size_t record_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i - record_start > kMaxInputLineBytes) {
      throw UsageError(fmt::format("{}:{}: a line longer than the limit of {} bytes", path,
                                   current.number, describe_limit(kMaxInputLineBytes)));
    }
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        current.fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line_number;
        current.fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      current.fields.emplace_back();
    } else if (c == '\n') {
      if (!current.fields.back().empty() && current.fields.back().back() == '\r') {
        current.fields.back().pop_back();
      }
      on_line(current);
      ++line_number;
      record_start = i + 1;
      current = CsvLine{line_number, {std::string()}};
    } else {
      current.fields.back() += c;
    }
  }
  if (quoted) {
    throw UsageError(fmt::format("{}:{}: a quoted field never ends: the file is truncated", path,
                                 current.number));
  }
  if (current.fields.size() > 1 || !current.fields.front().empty()) {
    throw UsageError(
        fmt::format("{}:{}: the last line has no newline: the file is truncated "
                    "(a writer stopped mid-row)",
                    path, current.number));
  }
}

// Column access by name, so columns added by a later writer of the same schema are skipped.
class CsvColumns {
 public:
  CsvColumns(std::string path, const std::vector<std::string>& header) : path_(std::move(path)) {
    for (std::size_t i = 0; i < header.size(); ++i) index_[header[i]] = i;
    count_ = header.size();
  }

  std::size_t count() const { return count_; }
  bool has(const std::string& name) const { return index_.count(name) > 0; }

  // A column the header lacks is one line naming it (the callers check has() for optional
  // columns; this is the guard behind them, never "terminate called").
  const std::string& text(const CsvLine& line, const std::string& name) const {
    const auto it = index_.find(name);
    if (it == index_.end() || it->second >= line.fields.size()) {
      throw UsageError(
          fmt::format("{}:{}: no column {} in this file's header", path_, line.number, name));
    }
    return line.fields[it->second];
  }

  double number(const CsvLine& line, const std::string& name) const {
    const std::string& t = text(line, name);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc{} || ptr != t.data() + t.size() || !std::isfinite(value)) {
      throw UsageError(fmt::format("{}:{}: column {} is '{}': expected a number", path_,
                                   line.number, name, shown(t)));
    }
    return value;
  }

  // Times, ratios, counts of load: a finite number >= 0.
  double nonnegative(const CsvLine& line, const std::string& name) const {
    const double value = number(line, name);
    if (value < 0) {
      throw UsageError(fmt::format("{}:{}: column {} is {}: expected a number >= 0", path_,
                                   line.number, name, value));
    }
    return value;
  }

  std::uint64_t whole(const CsvLine& line, const std::string& name) const {
    const std::string& t = text(line, name);
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc{} || ptr != t.data() + t.size()) {
      throw UsageError(fmt::format("{}:{}: column {} is '{}': expected a whole number", path_,
                                   line.number, name, shown(t)));
    }
    return value;
  }

  int count_of(const CsvLine& line, const std::string& name, std::uint64_t most = 1'000'000) const {
    const std::uint64_t value = whole(line, name);
    if (value < 1 || value > most) {
      throw UsageError(fmt::format("{}:{}: column {} is {}: expected 1 to {}", path_, line.number,
                                   name, value, most));
    }
    return static_cast<int>(value);
  }

 private:
  std::string path_;
  std::map<std::string, std::size_t> index_;
  std::size_t count_ = 0;
};

// An auto row's columns (issue 22), in a file that has them: the choices (';'-joined, at most
// one per step), the decisions' seconds and the runner's selection summary.
void read_selection_columns(const CsvColumns& columns, const CsvLine& line,
                            const std::string& where, ResultRow& r) {
  // All nine columns or none (a file from before them): a file with some is refused by name.
  static const std::array<std::string, 9> kColumns{"choices",      "decision_s",     "fixed_rows",
                                                   "regret_pct",   "best_fixed",     "best_fixed_s",
                                                   "median_fixed", "median_fixed_s", "oracle_s"};
  const auto present = std::count_if(kColumns.begin(), kColumns.end(),
                                     [&](const std::string& c) { return columns.has(c); });
  if (present == 0) return;
  for (const std::string& c : kColumns) {
    if (!columns.has(c)) {
      throw UsageError(
          fmt::format("{}: the header has auto-row columns but not {}: expected all "
                      "of choices … oracle_s or none",
                      where, c));
    }
  }
  const std::string& choices = columns.text(line, "choices");
  for (std::size_t begin = 0; !choices.empty() && begin <= choices.size();) {
    const std::size_t end = std::min(choices.find(';', begin), choices.size());
    r.choices.push_back(choices.substr(begin, end - begin));
    begin = end + 1;
  }
  const std::size_t steps =
      columns.has("steps") ? static_cast<std::size_t>(columns.count_of(line, "steps")) : 1;
  if (r.choices.size() > steps) {
    throw UsageError(fmt::format("{}: column choices has {} entries for {} steps", where,
                                 r.choices.size(), steps));
  }
  if (!columns.text(line, "decision_s").empty())
    r.decision_seconds = columns.nonnegative(line, "decision_s");
  if (columns.text(line, "regret_pct").empty()) return;
  SelectionSummary s;
  s.row = r.strategy;
  s.seconds = r.time_min;
  s.fixed_rows = static_cast<std::size_t>(columns.count_of(line, "fixed_rows"));
  s.regret_pct = columns.number(line, "regret_pct");  // negative where auto beat the best
  s.best_fixed = columns.text(line, "best_fixed");
  s.best_fixed_seconds = columns.nonnegative(line, "best_fixed_s");
  s.median_fixed = columns.text(line, "median_fixed");
  s.median_fixed_seconds = columns.nonnegative(line, "median_fixed_s");
  if (!columns.text(line, "oracle_s").empty()) {
    s.oracle_seconds = columns.nonnegative(line, "oracle_s");
    if (s.oracle_seconds > 0)
      s.oracle_gap_pct = 100.0 * (s.seconds - s.oracle_seconds) / s.oracle_seconds;
  }
  r.selection = s;
}

void check_schema(const std::string& where, std::uint64_t schema) {
  if (schema > static_cast<std::uint64_t>(kSchemaVersion)) {
    throw UsageError(
        fmt::format("{}: schema {} is newer than this schedlab-report reads (up to "
                    "{}): use the schedlab-report of the schedlab that wrote it",
                    where, schema, kSchemaVersion));
  }
  if (schema < 1)
    throw UsageError(fmt::format("{}: schema {} is not a schedlab schema", where, schema));
}

}  // namespace

std::vector<std::string> split_csv_line(const std::string& line) {
  std::string text = line;
  if (text.empty() || text.back() != '\n') text += '\n';
  std::vector<std::string> fields;
  split_csv("a line", text, [&](const CsvLine& record) {
    if (fields.empty()) fields = record.fields;
  });
  return fields;
}

bool is_json_path(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

std::vector<ResultRow> read_csv(const std::string& path) {
  return parse_csv_text(read_whole_file(path), path);
}

namespace {

// The header line: it must be a schedlab --csv header. The first schema-1 header ended at
// omp_places and every file has those columns; the ones appended since (chunks, hosts,
// load_average, ...) are missing from older files, which must keep reading.
CsvColumns csv_header_columns(const std::string& path, const CsvLine& line) {
  const std::string& first = line.fields.front();
  if (first != "schema") {
    throw UsageError(
        fmt::format("{}:1: the first column is '{}': not a schedlab --csv header (expected "
                    "one starting with 'schema')",
                    path, shown(first)));
  }
  CsvColumns columns(path, line.fields);
  for (const auto& name : split_header(csv_header())) {
    if (!columns.has(name)) {
      throw UsageError(fmt::format(
          "{}:1: the header has no '{}' column (expected a schedlab --csv file)", path, name));
    }
    if (name == "omp_places") break;
  }
  return columns;
}

// What ran: the runner, the strategy, the task list and the workers.
void read_run_columns(const CsvColumns& columns, const CsvLine& line, const std::string& where,
                      ResultRow& r) {
  r.schema = static_cast<int>(columns.whole(line, "schema"));
  r.timestamp = columns.text(line, "timestamp");
  r.host = columns.text(line, "host");
  r.runner = columns.text(line, "runner");
  r.strategy = columns.text(line, "strategy");
  r.workload = columns.text(line, "workload");
  r.tasks = static_cast<std::size_t>(columns.whole(line, "tasks"));
  r.total_units = columns.whole(line, "total_units");
  r.scale = columns.number(line, "scale");
  if (!(r.scale > 0)) {
    throw UsageError(fmt::format("{}: column scale is {}: expected a number > 0", where, r.scale));
  }
  r.seed = columns.whole(line, "seed");
  r.ranks = columns.count_of(line, "ranks");
  r.threads = columns.count_of(line, "threads");
  r.workers = columns.count_of(line, "workers");
  r.repeat = columns.count_of(line, "repeat");
  if (static_cast<std::uint64_t>(r.ranks) * static_cast<std::uint64_t>(r.threads) >
      kMaxRecordWorkers) {
    throw UsageError(fmt::format("{}: ranks x threads is {} x {}: more than the limit of {}", where,
                                 r.ranks, r.threads, describe_limit(kMaxRecordWorkers)));
  }
}

// The times, the trace level and the measures that need per-task times.
void read_time_columns(const CsvColumns& columns, const CsvLine& line, const std::string& where,
                       ResultRow& r) {
  r.time_min = columns.nonnegative(line, "time_min_s");
  r.time_median = columns.nonnegative(line, "time_median_s");
  r.t1 = columns.nonnegative(line, "t1_s");
  r.efficiency = columns.nonnegative(line, "efficiency");
  if (columns.has("trace")) {
    const std::string level_text = columns.text(line, "trace");
    const std::optional<TraceLevel> level = parse_trace_level(level_text);
    if (!level) {
      throw UsageError(
          fmt::format("{}: column trace is '{}': expected tasks or off", where, shown(level_text)));
    }
    r.trace = *level;
  }
  // Measured only with per-task times: empty (NaN) in a --trace off row.
  const auto number_or_unknown = [&](const char* name) {
    return r.trace == TraceLevel::kOff && columns.text(line, name).empty()
               ? std::numeric_limits<double>::quiet_NaN()
               : columns.nonnegative(line, name);
  };
  r.load_balance = number_or_unknown("load_balance");
  r.lower_bound = number_or_unknown("lower_bound_s");
  if (columns.has("time_mean_s")) r.time_mean = columns.nonnegative(line, "time_mean_s");
  if (columns.has("t1_mean_s")) r.t1_mean = columns.nonnegative(line, "t1_mean_s");
}

// Columns a later runner appended (docs/results-schema.md): absent or empty in a file from
// before them, and the report does without what they would have said.
void read_later_columns(const CsvColumns& columns, const CsvLine& line, const std::string& where,
                        ResultRow& r) {
  if (columns.has("chunks") && !columns.text(line, "chunks").empty())
    r.chunks = columns.count_of(line, "chunks", kMaxRecordChunks);
  if (columns.has("load_average") && !columns.text(line, "load_average").empty())
    r.load_average = columns.nonnegative(line, "load_average");
  if (columns.has("other_load") && !columns.text(line, "other_load").empty())
    r.other_load = columns.nonnegative(line, "other_load");
  if (columns.has("cpus") && !columns.text(line, "cpus").empty())
    r.cpus = columns.count_of(line, "cpus");
  if (columns.has("noisy")) {
    const std::string& noisy = columns.text(line, "noisy");
    if (noisy != "0" && noisy != "1") {
      throw UsageError(
          fmt::format("{}: column noisy is '{}': expected 0 or 1", where, shown(noisy)));
    }
    r.noise_recorded = true;
    r.noise = columns.has("noise") ? columns.text(line, "noise") : std::string();
    // A row flagged without a reason still counts as noisy.
    if (noisy == "1" && r.noise.empty()) r.noise = "noisy";
  }
  read_selection_columns(columns, line, where, r);
}

// One data line of a --csv file, every field checked; throws UsageError naming FILE:LINE.
ResultRow csv_row(const CsvColumns& columns, const CsvLine& line, const std::string& path) {
  const std::string where = fmt::format("{}:{}", path, line.number);
  if (line.fields.size() != columns.count()) {
    throw UsageError(fmt::format("{}: {} fields, expected {} (truncated or not a schedlab row)",
                                 where, line.fields.size(), columns.count()));
  }
  check_schema(where, columns.whole(line, "schema"));
  ResultRow r;
  r.file = path;
  r.line = line.number;
  read_run_columns(columns, line, where, r);
  read_time_columns(columns, line, where, r);
  r.checksum = columns.text(line, "checksum");
  const std::string verification = columns.text(line, "verification");
  r.verified = verification == "PASSED";
  r.completed = static_cast<std::size_t>(columns.whole(line, "completed"));
  r.status = columns.text(line, "status");
  r.omp_proc_bind = columns.text(line, "omp_proc_bind");
  r.omp_places = columns.text(line, "omp_places");
  read_later_columns(columns, line, where, r);
  if (r.runner.empty() || r.strategy.empty()) {
    throw UsageError(fmt::format("{}: runner and strategy must not be empty", where));
  }
  if (!r.verified && verification != "FAILED") {
    throw UsageError(fmt::format("{}: verification is '{}': expected PASSED or FAILED", where,
                                 shown(verification)));
  }
  return r;
}

}  // namespace

std::vector<ResultRow> parse_csv_text(const std::string& text, const std::string& path) {
  if (text.empty())
    throw UsageError(fmt::format("{}:1: the file is empty: expected a CSV header", path));
  std::vector<std::string> header;
  std::optional<CsvColumns> columns;
  std::vector<ResultRow> rows;
  split_csv(path, text, [&](const CsvLine& line) {
    if (!columns) {
      columns.emplace(csv_header_columns(path, line));
      header = line.fields;
      return;
    }
    if (line.fields == header) return;  // files joined with cat repeat the header
    if (line.fields.size() == 1 && line.fields.front().empty()) return;  // blank line
    rows.push_back(csv_row(*columns, line, path));
  });
  if (!columns)
    throw UsageError(fmt::format("{}:1: the file is empty: expected a CSV header", path));
  return rows;
}

namespace {

using nlohmann::json;

// A JSON value with the path that reached it, so a missing or mistyped field is named.
class Field {
 public:
  Field(const json& value, std::string file, std::string path)
      : value_(value), file_(std::move(file)), path_(std::move(path)) {}

  Field operator[](const std::string& key) const {
    const std::string path = path_.empty() ? key : path_ + "." + key;
    if (!value_.is_object() || !value_.contains(key)) fail(path, "is missing");
    return Field(value_.at(key), file_, path);
  }
  Field operator[](std::size_t i) const {
    return Field(value_.at(i), file_, fmt::format("{}[{}]", path_, i));
  }
  bool has(const std::string& key) const { return value_.is_object() && value_.contains(key); }

  std::size_t size() const {
    if (!value_.is_array()) fail(path_, "is not an array");
    return value_.size();
  }
  double number() const {
    if (!value_.is_number()) fail(path_, "is not a number");
    const double value = value_.get<double>();
    if (!std::isfinite(value)) fail(path_, "is not a finite number");
    return value;
  }
  // Times, ratios, loads: a finite number >= 0.
  double nonnegative() const {
    const double value = number();
    if (value < 0) fail(path_, fmt::format("is {}: expected a number >= 0", value));
    return value;
  }
  // A whole number from 0 to max.
  std::uint64_t whole_at_most(std::uint64_t max) const {
    const std::uint64_t v = whole();
    if (v > max)
      fail(path_, fmt::format("is {}: larger than the limit of {}", v, describe_limit(max)));
    return v;
  }
  std::uint64_t whole() const {
    if (!value_.is_number_unsigned() &&
        !(value_.is_number_integer() && value_.get<std::int64_t>() >= 0)) {
      fail(path_, "is not a whole number");
    }
    return value_.get<std::uint64_t>();
  }
  int count() const {
    const std::uint64_t v = whole();
    if (v > 1'000'000) fail(path_, "is larger than 1000000");
    return static_cast<int>(v);
  }
  std::string text() const {
    if (!value_.is_string()) fail(path_, "is not a string");
    return value_.get<std::string>();
  }
  const json& raw() const { return value_; }

  // "FILE: field 'strategies[1].times' is empty".
  [[noreturn]] void fail(const std::string& what) const { fail(path_, what); }
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw UsageError(fmt::format("{}: field '{}' {}", file_, path, what));
  }

 private:
  const json& value_;
  std::string file_;
  std::string path_;
};

int line_of_byte(const std::string& text, std::size_t byte) {
  const std::size_t end = std::min(byte, text.size());
  return 1 + static_cast<int>(
                 std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

// ranks x threads within kMaxRecordWorkers (and so within an int).
void check_workers(const Field& where, int ranks, int threads) {
  if (static_cast<std::uint64_t>(ranks) * static_cast<std::uint64_t>(threads) > kMaxRecordWorkers) {
    where.fail(fmt::format("has {} ranks x {} threads: more than the limit of {} workers", ranks,
                           threads, describe_limit(kMaxRecordWorkers)));
  }
}

// "trace": one entry per task that ran, each worker below the strategy's `run.workers`.
void read_trace(const Field& trace, RunResult& run) {
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const Field t = trace[i];
    TaskRecord rec;
    rec.task = static_cast<std::size_t>(t["task"].whole());
    rec.worker = t["worker"].count();
    const double cpu = t["cpu"].number();
    if (cpu != std::floor(cpu) || cpu < -1 || cpu > static_cast<double>(kMaxRecordWorkers)) {
      t["cpu"].fail(fmt::format("is {}: expected a CPU number from -1 (unknown) to {}", cpu,
                                describe_limit(kMaxRecordWorkers)));
    }
    rec.cpu = static_cast<int>(cpu);
    rec.start = t["start"].nonnegative();
    rec.end = t["end"].nonnegative();
    if (rec.worker >= run.workers) {
      t["worker"].fail(
          fmt::format("is {}, but the strategy has {} workers", rec.worker, run.workers));
    }
    run.trace.push_back(rec);
  }
}

double number_or_nan(const Field& f) {
  return f.raw().is_null() ? std::numeric_limits<double>::quiet_NaN() : f.nonnegative();
}
std::string text_or_empty(const Field& f) { return f.raw().is_null() ? std::string() : f.text(); }

// "steps": each step's tp, at most the record's --steps entries; kept as step_seconds for a run
// of more than one step (as join_steps() leaves it). Returns the entries read.
std::size_t read_step_seconds(const Field& s, int steps, RunResult& run) {
  if (!s.has("steps")) return 0;
  const Field list = s["steps"];
  if (list.size() > static_cast<std::size_t>(steps))
    list.fail(fmt::format("has {} entries, but the record has {} steps", list.size(), steps));
  std::vector<double> tp;
  for (std::size_t i = 0; i < list.size(); ++i) tp.push_back(list[i]["tp"].nonnegative());
  if (tp.size() > 1) run.step_seconds = std::move(tp);
  return list.size();
}

// An auto row's "decisions": one per step at most (`steps`: the row's step entries, or the
// record's --steps), each with its technique, reason and at most kMaxPredictedTimes predictions.
void read_decisions(const Field& s, std::size_t steps, RunResult& run) {
  if (!s.has("decisions")) return;
  const Field list = s["decisions"];
  if (list.size() > steps)
    list.fail(fmt::format("has {} entries for {} steps: one decision per step at most", list.size(),
                          steps));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Field d = list[i];
    StepDecision decision;
    decision.technique = d["technique"].text();
    decision.reason = d["reason"].text();
    const Field predicted = d["predicted"];
    if (predicted.size() > kMaxPredictedTimes)
      predicted.fail(fmt::format("has {} entries: more than the limit of {}", predicted.size(),
                                 kMaxPredictedTimes));
    for (std::size_t k = 0; k < predicted.size(); ++k)
      decision.predicted.push_back(
          {predicted[k]["technique"].text(), number_or_nan(predicted[k]["seconds"])});
    decision.predicted_seconds = number_or_nan(d["predicted_seconds"]);
    decision.decision_seconds = d["decision_seconds"].nonnegative();
    if (d.has("measured_seconds")) number_or_nan(d["measured_seconds"]);  // checked, recomputed
    run.decisions.push_back(std::move(decision));
  }
}

// An auto row's "selection" as its runner wrote it (null figures: not computed).
SelectionSummary read_selection(const Field& f, const std::string& row) {
  SelectionSummary s;
  s.row = row;
  if (!f["verified"].raw().is_boolean()) f["verified"].fail("is not true or false");
  s.verified = f["verified"].raw().get<bool>();
  s.seconds = number_or_nan(f["seconds"]);
  s.fixed_rows = static_cast<std::size_t>(f["fixed_rows"].count());
  s.best_fixed = text_or_empty(f["best_fixed"]);
  s.best_fixed_seconds = number_or_nan(f["best_fixed_seconds"]);
  // Regret and the oracle's gap are negative where auto beat them.
  const auto signed_or_nan = [](const Field& v) {
    return v.raw().is_null() ? std::numeric_limits<double>::quiet_NaN() : v.number();
  };
  s.regret_pct = signed_or_nan(f["regret_pct"]);
  s.median_fixed = text_or_empty(f["median_fixed"]);
  s.median_fixed_seconds = number_or_nan(f["median_fixed_seconds"]);
  s.oracle_seconds = number_or_nan(f["oracle_seconds"]);
  s.oracle_gap_pct = signed_or_nan(f["oracle_gap_pct"]);
  return s;
}

// workers_left: what is left of kMaxRecordWorkers for the record's strategies together; every
// per-worker list below is sized by a claimed count, so the claims are bounded in sum.
StrategyRecord read_strategy(const Field& s, int workers_hint, std::uint64_t& workers_left,
                             int steps) {
  StrategyRecord st;
  st.strategy = s["strategy"].text();
  st.ranks = s["ranks"].count();
  st.threads = s["threads"].count();
  check_workers(s, st.ranks, st.threads);
  const Field times = s["times"];
  for (std::size_t i = 0; i < times.size(); ++i) st.times.push_back(times[i].nonnegative());
  if (st.times.empty()) times.fail("is empty");
  st.checksum = s["checksum"].text();
  const Field verification = s["verification"];
  st.verified = verification.text() == "PASSED";
  if (!st.verified && verification.text() != "FAILED") verification.fail("is not PASSED or FAILED");
  st.status = s["status"].text();
  // null: not measured (--trace off).
  const auto number_or_unknown = [](const Field& f) {
    return f.raw().is_null() ? std::numeric_limits<double>::quiet_NaN() : f.nonnegative();
  };
  st.load_balance = number_or_unknown(s["metrics"]["load_balance"]);
  st.lower_bound = number_or_unknown(s["metrics"]["lower_bound"]);
  if (s.has("noisy")) {
    if (!s["noisy"].raw().is_boolean()) s["noisy"].fail("is not true or false");
    st.noise_recorded = true;
    if (s.has("noise")) {
      const Field reasons = s["noise"];
      for (std::size_t i = 0; i < reasons.size(); ++i)
        st.noise += (st.noise.empty() ? "" : "; ") + reasons[i].text();
    }
    if (s["noisy"].raw().get<bool>() && st.noise.empty()) st.noise = "noisy";
  }
  RunResult& run = st.run;
  run.workers = s.has("workers") ? s["workers"].count() : workers_hint;
  if (run.workers < 1) run.workers = 1;
  if (static_cast<std::uint64_t>(run.workers) > workers_left) {
    s["workers"].fail(
        fmt::format("is {}: the record's strategies claim more than the limit of {} "
                    "workers together",
                    run.workers, describe_limit(kMaxRecordWorkers)));
  }
  workers_left -= static_cast<std::uint64_t>(run.workers);
  run.wall_seconds = s["time_min"].nonnegative();
  read_trace(s["trace"], run);
  const std::size_t step_entries = read_step_seconds(s, steps, run);
  read_decisions(s, step_entries > 0 ? step_entries : static_cast<std::size_t>(steps), run);
  if (s.has("selection")) st.selection = read_selection(s["selection"], st.strategy);
  const Field order = s["completion_order"];
  for (std::size_t i = 0; i < order.size(); ++i) {
    run.completion_order.push_back(static_cast<std::size_t>(order[i].whole()));
  }
  // Per-worker hosts (records before hosts were recorded have none: "" each).
  st.worker_hosts.assign(static_cast<std::size_t>(run.workers), std::string());
  if (s.has("worker_hosts") && s["worker_hosts"].size() == st.worker_hosts.size()) {
    const Field hosts = s["worker_hosts"];
    for (std::size_t w = 0; w < hosts.size(); ++w) st.worker_hosts[w] = hosts[w].text();
  }
  // Per-worker CPUs: the record's own list where the writer has it, else from the trace.
  st.worker_cpus.assign(static_cast<std::size_t>(run.workers), {});
  if (s.has("worker_cpus") && s["worker_cpus"].size() == st.worker_cpus.size()) {
    const Field lists = s["worker_cpus"];
    for (std::size_t w = 0; w < lists.size(); ++w) {
      for (std::size_t i = 0; i < lists[w].size(); ++i)
        st.worker_cpus[w].push_back(static_cast<int>(lists[w][i].whole_at_most(kMaxRecordWorkers)));
    }
    return st;
  }
  for (const auto& rec : run.trace) {
    auto& cpus = st.worker_cpus[static_cast<std::size_t>(rec.worker)];
    if (rec.cpu >= 0 && std::find(cpus.begin(), cpus.end(), rec.cpu) == cpus.end())
      cpus.push_back(rec.cpu);
  }
  for (auto& cpus : st.worker_cpus) std::sort(cpus.begin(), cpus.end());
  return st;
}

// Nesting deeper than kMaxJsonDepth is refused before parsing: a deep value would be taken
// apart and printed (the binding's dump()) by recursion, and overflow the stack.
void check_json_depth(const std::string& path, const std::string& text) {
  int depth = 0;
  int line = 1;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') {
        ++i;  // an escaped character (an escaped newline is two characters, not a line)
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        throw UsageError(fmt::format("{}:{}: values nested deeper than the limit of {}", path, line,
                                     kMaxJsonDepth));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

// "perturb": the canonical texts joined by ";" (docs/results-schema.md), each parsed back with
// the runners' parser and checked against the record's P and T: an edited record must not
// make the simulator slow a worker that does not exist.
std::vector<Perturbation> read_perturbations(const Field& field, const RunRecord& r) {
  const std::string text = field.text();
  std::vector<Perturbation> list;
  std::size_t begin = 0;
  while (!text.empty() && begin <= text.size()) {
    const std::size_t end = std::min(text.find(';', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    try {
      list.push_back(parse_perturbation(item));
    } catch (const UsageError& e) {
      field.fail(fmt::format("'{}': {}", item, e.what()));
    }
    begin = end + 1;
  }
  try {
    check_perturbations(list, r.ranks * r.threads, r.steps, parse_runner(r.runner) == Runner::kMpi);
  } catch (const UsageError& e) {
    field.fail(fmt::format("'{}': {}", text, e.what()));
  }
  return list;
}

RunRecord parse_record(const std::string& text, const std::string& path) {
  check_json_depth(path, text);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    const bool at_end =
        e.byte >= text.size() || text.find_first_not_of(" \t\r\n", e.byte) == std::string::npos;
    throw UsageError(fmt::format(
        "{}:{}: {}", path, line_of_byte(text, e.byte == 0 ? 0 : e.byte - 1),
        at_end ? "the JSON ends early: the record is truncated" : "not valid JSON here"));
  }
  const Field root(doc, path, "");
  RunRecord r;
  r.file = path;
  if (!doc.is_object()) root.fail("(top level)", "is not an object: not a schedlab record");
  check_schema(path, root["schema"].whole());
  r.schema = static_cast<int>(root["schema"].whole());
  r.runner = root["runner"].text();
  r.host = root.has("host") ? root["host"].text() : std::string();
  r.timestamp = root.has("timestamp") ? root["timestamp"].text() : std::string();
  r.command = root.has("command") ? root["command"].text() : std::string();
  r.ranks = root["ranks"].count();
  r.threads = root["threads"].count();
  check_workers(root, r.ranks, r.threads);
  r.repeat = root.has("repeat") ? root["repeat"].count() : 1;
  if (root.has("binding") && doc["binding"].is_object()) {
    for (const auto& [key, value] : doc["binding"].items()) {
      r.binding[key] = value.is_string() ? value.get<std::string>() : value.dump();
    }
  }
  if (root.has("load_average") && !doc["load_average"].is_null())
    r.load_average = root["load_average"].nonnegative();
  if (root.has("noise_measure") && doc["noise_measure"].is_object() &&
      root["noise_measure"].has("other_load") && !doc["noise_measure"]["other_load"].is_null())
    r.other_load = root["noise_measure"]["other_load"].nonnegative();
  if (root.has("cpus")) r.cpus = root["cpus"].count();
  if (root.has("steps")) r.steps = root["steps"].count();
  if (root.has("perturb")) r.perturbations = read_perturbations(root["perturb"], r);
  const Field w = root["workload"];
  const std::string kind = w["kind"].text();
  r.workload = parse_workload_kind(kind) == WorkloadKind::kFile ? "file:" + w["path"].text() : kind;
  r.total_units = w["total_units"].whole();
  r.scale = w["scale"].number();
  if (!(r.scale > 0)) w["scale"].fail(fmt::format("is {}: expected a number > 0", r.scale));
  r.seed = w["seed"].whole();
  const Field sizes = w["sizes"];
  for (std::size_t i = 0; i < sizes.size(); ++i) r.sizes.push_back(sizes[i].whole());
  if (w["tasks"].whole() != r.sizes.size())
    w["tasks"].fail("differs from the length of workload.sizes");
  if (root.has("trace_level")) {
    const std::optional<TraceLevel> level = parse_trace_level(root["trace_level"].text());
    if (!level) root["trace_level"].fail("is not tasks or off");
    r.trace = *level;
  }
  const Field serial = root["serial_task_seconds"];
  for (std::size_t i = 0; i < serial.size(); ++i)
    r.serial_task_seconds.push_back(serial[i].nonnegative());
  if (r.trace == TraceLevel::kTasks && r.serial_task_seconds.size() != r.sizes.size()) {
    serial.fail(
        fmt::format("has {} entries for {} tasks", r.serial_task_seconds.size(), r.sizes.size()));
  }
  const Field strategies = root["strategies"];
  if (strategies.size() == 0) strategies.fail("is empty");
  std::uint64_t workers_left = kMaxRecordWorkers;
  for (std::size_t i = 0; i < strategies.size(); ++i) {
    StrategyRecord st = read_strategy(strategies[i], r.ranks * r.threads, workers_left, r.steps);
    for (const auto& rec : st.run.trace) {
      if (rec.task >= r.sizes.size()) {
        strategies[i]["trace"].fail(
            fmt::format("names task {} of a {}-task list", rec.task, r.sizes.size()));
      }
    }
    r.strategies.push_back(std::move(st));
  }
  return r;
}

}  // namespace

RunRecord read_json(const std::string& path) {
  const std::string text = read_whole_file(path);
  // The parsed tree and the record take about 6 bytes per byte of a runner's record (39 MB of
  // schedlab-serial --json: 234 MB resident): refused up front where that cannot fit.
  check_memory(path, kJsonBytesPerByte * text.size());
  return parse_json_text(text, path);
}

RunRecord parse_json_text(const std::string& text, const std::string& path) {
  try {
    return parse_record(text, path);
  } catch (const json::exception& e) {
    // A number past a double ("1e400"), or a value of an unexpected kind: nlohmann names it,
    // without a position.
    const std::string what = e.what();
    throw UsageError(fmt::format("{}: {}", path, shown(what.substr(what.find(']') + 2))));
  }
}

namespace {
// The mean of a strategy's repeats (never empty: read_strategy() refuses that).
double mean_of(const std::vector<double>& times) {
  return std::accumulate(times.begin(), times.end(), 0.0) / static_cast<double>(times.size());
}
}  // namespace

std::vector<ResultRow> rows_of(const RunRecord& record) {
  std::vector<ResultRow> rows;
  const double t1 = record.strategies.front().run.wall_seconds;
  for (const auto& s : record.strategies) {
    ResultRow r;
    r.file = record.file;
    r.schema = record.schema;
    r.timestamp = record.timestamp;
    r.host = record.host;
    r.runner = record.runner;
    r.strategy = s.strategy;
    r.workload = record.workload;
    r.tasks = record.sizes.size();
    r.total_units = record.total_units;
    r.scale = record.scale;
    r.seed = record.seed;
    r.ranks = s.ranks;
    r.threads = s.threads;
    r.workers = s.ranks * s.threads;
    r.repeat = static_cast<int>(s.times.size());
    r.time_min = *std::min_element(s.times.begin(), s.times.end());
    r.time_median = median(s.times);
    r.t1 = t1;
    r.load_balance = s.load_balance;
    r.lower_bound = s.lower_bound;
    r.checksum = s.checksum;
    r.verified = s.verified;
    r.completed = s.run.completion_order.size();
    r.status = s.status;
    const auto bind = record.binding.find("OMP_PROC_BIND");
    r.omp_proc_bind = bind == record.binding.end() ? "unset" : bind->second;
    const auto places = record.binding.find("OMP_PLACES");
    r.omp_places = places == record.binding.end() ? "unset" : places->second;
    r.chunks = static_cast<int>(
        chunk_count(s.run));  // from the trace's chunk indices; -1 where none recorded
    r.load_average = record.load_average;
    r.other_load = record.other_load;
    r.cpus = record.cpus;
    r.noise_recorded = s.noise_recorded;
    r.noise = s.noise;
    r.trace = record.trace;
    r.time_mean = mean_of(s.times);
    r.t1_mean = mean_of(record.strategies.front().times);
    if (!s.run.decisions.empty()) {
      double decision = 0;
      for (const StepDecision& d : s.run.decisions) {
        r.choices.push_back(d.technique);
        decision += d.decision_seconds;
      }
      r.decision_seconds = decision;
    }
    if (s.selection && s.selection->compared()) r.selection = s.selection;
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<SelectionSummary> selection_of(const RunRecord& record) {
  std::vector<SelectionRow> rows;
  for (const StrategyRecord& s : record.strategies)
    rows.push_back({s.strategy, s.times, s.run.step_seconds, s.verified});
  return summarize_selection(record.runner, std::move(rows));
}

std::vector<ResultRow> read_results(const std::vector<std::string>& paths) {
  std::vector<ResultRow> rows;
  for (const auto& path : paths) {
    std::vector<ResultRow> more = is_json_path(path) ? rows_of(read_json(path)) : read_csv(path);
    rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  }
  return rows;
}

}  // namespace schedlab::report
