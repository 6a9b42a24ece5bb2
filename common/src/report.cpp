// Output: table, verification line, CSV (locked append), JSON (atomic write), timeline.
#include "schedlab/report.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"

namespace schedlab {

double StrategyRow::time_min() const {
  return times.empty() ? 0.0 : *std::min_element(times.begin(), times.end());
}

double StrategyRow::time_median() const {
  if (times.empty()) return 0.0;
  std::vector<double> sorted = times;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
}

namespace {

StrategyRow make_row(const std::string& strategy, int ranks, int threads,
                     std::vector<RunResult> runs) {
  StrategyRow row;
  row.strategy = strategy;
  row.ranks = ranks;
  row.threads = threads;
  if (runs.empty()) throw std::logic_error("a strategy row needs at least one run");
  for (const auto& run : runs) row.times.push_back(run.wall_seconds);
  // A failed or interrupted run is the one to show; otherwise the fastest repeat.
  auto chosen = std::find_if(runs.begin(), runs.end(), [](const RunResult& r) { return !r.complete(); });
  if (chosen == runs.end()) {
    chosen = std::min_element(runs.begin(), runs.end(), [](const RunResult& a, const RunResult& b) {
      return a.wall_seconds < b.wall_seconds;
    });
  }
  row.best = std::move(*chosen);
  row.checksum = checksum(row.best.results);
  if (row.best.error) {
    row.status = "failed";
  } else if (row.best.interrupted || row.best.completed() != row.best.results.size()) {
    row.status = "interrupted";
  } else {
    row.status = "ok";
  }
  return row;
}

std::string format_utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string hex(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::string fixed_or_dash(double v, int digits) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("-");
}

}  // namespace

Comparison::Comparison(RunInfo info, std::vector<Task> tasks)
    : info_(std::move(info)), tasks_(std::move(tasks)) {}

void Comparison::set_baseline(std::vector<RunResult> runs) {
  if (!rows_.empty()) throw std::logic_error("the baseline must be set first, once");
  rows_.push_back(make_row("serial", 1, 1, std::move(runs)));
  StrategyRow& base = rows_.front();
  serial_task_seconds_ = task_seconds(base.best);
  base.verified = base.status == "ok";
  const double t1 = base.time_min();
  base.metrics = compute_metrics(t1, t1, 1, busy_per_worker(base.best), serial_task_seconds_);
}

const StrategyRow& Comparison::add(const std::string& strategy, int ranks, int threads,
                                   std::vector<RunResult> runs) {
  if (rows_.empty()) throw std::logic_error("set_baseline() before add()");
  StrategyRow row = make_row(strategy, ranks, threads, std::move(runs));
  const StrategyRow& base = rows_.front();
  // Verified means: complete, and every result equals the serial one in the same slot.
  row.verified = row.status == "ok" && base.status == "ok" && row.best.results == base.best.results;
  if (row.status == "ok" && !row.verified) row.status = "mismatch";
  row.metrics = compute_metrics(base.time_min(), row.time_min(), row.workers(),
                                busy_per_worker(row.best), serial_task_seconds_);
  rows_.push_back(std::move(row));
  return rows_.back();
}

bool Comparison::all_verified() const {
  return !rows_.empty() &&
         std::all_of(rows_.begin(), rows_.end(), [](const StrategyRow& r) { return r.verified; });
}

int Comparison::exit_code() const {
  for (const auto& row : rows_) {
    if (row.status == "interrupted" && interrupt_signal() != 0) return 128 + interrupt_signal();
  }
  return all_verified() ? kExitOk : kExitFailed;
}

std::string workload_line(const RunInfo& info, const std::vector<Task>& tasks) {
  std::string line = "workload: " + describe_workload(info.settings.workload, tasks);
  line += fmt::format(" | ranks {} x threads {}", info.ranks, info.threads);
  if (info.settings.repeat > 1) line += fmt::format(" | repeat {}", info.settings.repeat);
  return line;
}

void print_table(std::FILE* out, const std::vector<StrategyRow>& rows) {
  std::size_t name_width = 8;
  for (const auto& r : rows) name_width = std::max(name_width, r.strategy.size());
  fmt::print(out, "{:<{}} {:>4} {:>10} {:>10} {:>8} {:>6} {:>5} {:>6} {:>7}  {:<16}  {}\n",
             "strategy", name_width, "P", "time[s]", "median[s]", "speedup", "eff", "LB", "Tp/L",
             "KF", "checksum", "status");
  for (const auto& r : rows) {
    const Metrics& m = r.metrics;
    fmt::print(out, "{:<{}} {:>4} {:>10.4f} {:>10.4f} {:>8.2f} {:>6.2f} {:>5.2f} {:>6.3f} {:>7}  {:<16}  {}\n",
               r.strategy, name_width, r.workers(), r.time_min(), r.time_median(), m.speedup,
               m.efficiency, m.load_balance, m.tp_over_lower_bound, fixed_or_dash(m.karp_flatt, 3),
               hex(r.checksum), r.status);
  }
}

std::string failure_line(const StrategyRow& row, std::size_t task_count) {
  const RunResult& run = row.best;
  if (run.error) {
    if (run.error->rank >= 0) {
      return fmt::format("{}: task {} failed on rank {}: {}", row.strategy, run.error->task,
                         run.error->rank, run.error->message);
    }
    return fmt::format("{}: task {} failed: {}", row.strategy, run.error->task, run.error->message);
  }
  if (row.status == "interrupted") {
    return fmt::format("{}: interrupted after {}/{} tasks", row.strategy, run.completed(), task_count);
  }
  if (row.status == "mismatch") {
    return fmt::format("{}: results differ from the serial reference", row.strategy);
  }
  return {};
}

void Comparison::print(std::FILE* out) const {
  print_table(out, rows_);
  for (const auto& row : rows_) {
    if (const std::string line = failure_line(row, tasks_.size()); !line.empty()) {
      fmt::print(out, "{}\n", line);
    }
  }
  fmt::print(out, "verification: {}\n", all_verified() ? "PASSED" : "FAILED");
  std::fflush(out);
}

std::string csv_header() {
  return "schema,timestamp,host,runner,strategy,workload,tasks,total_units,scale,seed,"
         "ranks,threads,workers,repeat,time_min_s,time_median_s,t1_s,speedup,efficiency,"
         "load_balance,lower_bound_s,tp_over_lower_bound,karp_flatt,checksum,verification,"
         "completed,status,omp_proc_bind,omp_places";
}

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string binding_value(const RunInfo& info, const std::string& key) {
  const auto it = info.binding.find(key);
  return it == info.binding.end() ? std::string("unset") : it->second;
}
}  // namespace

void append_csv_rows(const std::string& path, const std::vector<std::string>& rows) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error(fmt::format("--csv {}: cannot open for appending: {}", path,
                                         std::generic_category().message(errno)));
  }
  // One lock around header check and rows: concurrent SLURM jobs append whole blocks.
  ::flock(fd, LOCK_EX);
  std::string text;
  if (::lseek(fd, 0, SEEK_END) == 0) text = csv_header() + "\n";
  for (const auto& row : rows) text += row + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::flock(fd, LOCK_UN);
  ::close(fd);
  if (written != text.size()) {
    throw std::runtime_error(fmt::format("--csv {}: write failed", path));
  }
}

void Comparison::write_csv(const std::string& path) const {
  const std::string stamp = format_utc_now();
  const std::string host = hostname();
  const WorkloadSpec& w = info_.settings.workload;
  const std::string workload = w.kind == "file" ? "file:" + w.path : w.kind;
  std::vector<std::string> lines;
  for (const auto& r : rows_) {
    const Metrics& m = r.metrics;
    lines.push_back(fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.9f},{:.9f},{:.9f},{:.6f},{:.6f},{:.6f},"
        "{:.9f},{:.6f},{},{},{},{},{},{},{}",
        kSchemaVersion, stamp, csv_field(host), info_.runner, csv_field(r.strategy),
        csv_field(workload), tasks_.size(), total_units(tasks_), w.scale, w.seed, r.ranks,
        r.threads, r.workers(), r.times.size(), r.time_min(), r.time_median(), m.t1, m.speedup,
        m.efficiency, m.load_balance, m.lower_bound, m.tp_over_lower_bound,
        std::isfinite(m.karp_flatt) ? fmt::format("{:.6f}", m.karp_flatt) : std::string(),
        hex(r.checksum), r.verified ? "PASSED" : "FAILED", r.best.completed(), r.status,
        csv_field(binding_value(info_, "OMP_PROC_BIND")),
        csv_field(binding_value(info_, "OMP_PLACES"))));
  }
  append_csv_rows(path, lines);
}

void Comparison::write_json(const std::string& path) const {
  using nlohmann::json;
  const WorkloadSpec& w = info_.settings.workload;
  json sizes = json::array();
  for (const auto& t : tasks_) sizes.push_back(t.size);
  json record = {
      {"schema", kSchemaVersion},
      {"runner", info_.runner},
      {"version", kVersion},
      {"timestamp", format_utc_now()},
      {"host", hostname()},
      {"command", info_.command_line},
      {"ranks", info_.ranks},
      {"threads", info_.threads},
      {"binding", info_.binding},
      {"repeat", info_.settings.repeat},
      {"workload",
       {{"kind", w.kind}, {"path", w.path}, {"tasks", tasks_.size()}, {"size", w.size},
        {"spread", w.spread}, {"seed", w.seed}, {"scale", w.scale},
        {"total_units", total_units(tasks_)}, {"sizes", sizes}}},
      {"serial_task_seconds", serial_task_seconds_},
      {"verification", all_verified() ? "PASSED" : "FAILED"},
      {"complete", std::all_of(rows_.begin(), rows_.end(),
                               [](const StrategyRow& r) { return r.status != "interrupted"; })},
  };
  json strategies = json::array();
  for (const auto& r : rows_) {
    const Metrics& m = r.metrics;
    json trace = json::array();
    for (const auto& rec : r.best.trace) {
      if (!rec.ran()) continue;
      trace.push_back({{"task", rec.task}, {"worker", rec.worker}, {"cpu", rec.cpu},
                       {"start", rec.start}, {"end", rec.end}});
    }
    // Affinity: the CPUs each worker was seen on (sched_getcpu at each task's start).
    const std::vector<std::vector<int>> worker_cpus = cpus_per_worker(r.best);
    json error = nullptr;
    if (r.best.error) {
      error = {{"task", r.best.error->task}, {"rank", r.best.error->rank},
               {"message", r.best.error->message}};
    }
    const auto finite_or_null = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
    strategies.push_back({
        {"strategy", r.strategy},
        {"ranks", r.ranks},
        {"threads", r.threads},
        {"workers", r.workers()},
        {"times", r.times},
        {"time_min", r.time_min()},
        {"time_median", r.time_median()},
        {"metrics",
         {{"t1", m.t1}, {"tp", m.tp}, {"speedup", m.speedup}, {"efficiency", m.efficiency},
          {"load_balance", m.load_balance}, {"lower_bound", m.lower_bound},
          {"tp_over_lower_bound", m.tp_over_lower_bound}, {"karp_flatt", finite_or_null(m.karp_flatt)}}},
        {"checksum", hex(r.checksum)},
        {"verification", r.verified ? "PASSED" : "FAILED"},
        {"status", r.status},
        {"completed", r.best.completed()},
        {"completion_order", r.best.completion_order},
        {"busy", busy_per_worker(r.best)},
        {"worker_cpus", worker_cpus},
        {"trace", trace},
        {"error", error},
    });
  }
  record["strategies"] = strategies;
  write_file_atomically(path, record.dump(1) + "\n");
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp, std::generic_category().message(errno)));
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw std::runtime_error(fmt::format("cannot write {}", tmp));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp, path, std::generic_category().message(errno)));
  }
}

std::string render_timeline(const RunResult& run, const std::string& title, int width,
                            double axis_seconds) {
  constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const int workers = std::max(run.workers, 1);
  double span = run.wall_seconds;
  for (const auto& rec : run.trace) span = std::max(span, rec.end);
  const double axis = std::max(span, axis_seconds);
  const int label_width = 12;  // "w12 cpu3  |"
  const int columns = std::max(10, width - label_width - 1);
  // Idle '.' up to the run's end; blank beyond it when the axis is shared with a longer run.
  const int run_columns = axis > 0 ? std::min(columns, static_cast<int>(std::ceil(span / axis * columns))) : columns;
  std::string blank_row(static_cast<std::size_t>(columns), ' ');
  std::fill_n(blank_row.begin(), run_columns, '.');
  std::vector<std::string> lines(static_cast<std::size_t>(workers), blank_row);
  for (const auto& rec : run.trace) {
    if (!rec.ran() || rec.worker >= workers || axis <= 0) continue;
    auto& line = lines[static_cast<std::size_t>(rec.worker)];
    const auto first = static_cast<int>(rec.start / axis * columns);
    const auto last = std::max(first + 1, static_cast<int>(std::ceil(rec.end / axis * columns)));
    for (int c = std::max(first, 0); c < std::min(last, columns); ++c) {
      line[static_cast<std::size_t>(c)] = kLetters[rec.task % kLetters.size()];
    }
  }
  const std::vector<std::vector<int>> cpus = cpus_per_worker(run);
  std::string header = fmt::format("timeline {} ({:.3f} s; letters = task id, '.' = idle)", title, span);
  if (header.size() > static_cast<std::size_t>(width)) header.resize(static_cast<std::size_t>(std::max(width, 0)));
  std::string text = header + "\n";
  for (int w = 0; w < workers; ++w) {
    // "w0 cpu3", "w1 cpu0,2", "w2 cpu1,4+" (more CPUs than fit: the thread migrated).
    const auto& seen = cpus[static_cast<std::size_t>(w)];
    std::string cpu_text = seen.empty() ? "-" : std::to_string(seen[0]);
    if (seen.size() > 1) cpu_text += "," + std::to_string(seen[1]);
    if (seen.size() > 2) cpu_text += "+";
    const std::string label = fmt::format("w{} cpu{}", w, cpu_text);
    std::string row = fmt::format("{:<{}.{}}|{}", label, label_width - 1, label_width - 1, lines[static_cast<std::size_t>(w)]);
    row.erase(row.find_last_not_of(' ') + 1);
    text += row + "\n";
  }
  return text;
}

std::string completion_order_line(const RunResult& run) {
  std::string line = "completion order:";
  for (const auto id : run.completion_order) line += fmt::format(" {}", id);
  return line;
}

std::string env_or_unset(const char* name) {
  // Read once at start-up, before any parallel region: getenv's thread-safety caveat does not apply.
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe)
  return value == nullptr ? std::string("unset") : std::string(value);
}

std::string hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string join_command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

}  // namespace schedlab

namespace schedlab {

int finish_run(const Comparison& comparison, std::FILE* out) {
  const RunSettings& s = comparison.info().settings;
  for (const auto& row : comparison.rows()) {
    if (s.timeline) {
      fmt::print(out, "{}", render_timeline(row.best, fmt::format("{} (P={})", row.strategy, row.workers())));
    }
    if (s.show_order) fmt::print(out, "{} {}\n", row.strategy, completion_order_line(row.best));
  }
  comparison.print(out);
  int code = comparison.exit_code();
  try {
    if (!s.csv.empty()) comparison.write_csv(s.csv);
    if (!s.json.empty()) comparison.write_json(s.json);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: error: {}\n", comparison.info().runner, e.what());
    if (code == kExitOk) code = kExitFailed;
  }
  return code;
}

void print_tasks(std::FILE* out, const std::vector<Task>& tasks) {
  for (const auto& t : tasks) fmt::print(out, "{}\n", t.size);
}

}  // namespace schedlab
