// CSV rows, appended under an exclusive flock() so that concurrent jobs never interleave,
// all or nothing: a failed append leaves the file as it was.
#include "schedlab/output/csv.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <system_error>

#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output/files.hpp"
#include "schedlab/output/record.hpp"
#include "schedlab/selection.hpp"

namespace schedlab {

std::string csv_header() {
  return "schema,timestamp,host,runner,strategy,workload,tasks,total_units,scale,seed,"
         "ranks,threads,workers,repeat,time_min_s,time_median_s,t1_s,speedup,efficiency,"
         "load_balance,lower_bound_s,tp_over_lower_bound,karp_flatt,checksum,verification,"
         "completed,status,omp_proc_bind,omp_places,chunks,hosts,load_average,cpus,noisy,noise,"
         "trace,time_mean_s,t1_mean_s,other_load,noise_tolerance,steps,step_times_s,"
         "step_load_balance,step_chunks,drift,perturb,choices,decision_s,fixed_rows,regret_pct,"
         "best_fixed,best_fixed_s,median_fixed,median_fixed_s,oracle_s";
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

// A figure the run could not measure (NaN: KF at P = 1, LB and L with --trace off) is empty.
std::string fixed_or_empty(double v, int digits) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string();
}

// --steps: one per-step figure per step, joined by ';' (the row's own columns are totals).
template <class Format>
std::string step_column(const StrategyRow& r, Format&& format) {
  std::string text;
  for (const StepSummary& step : r.steps) text += (text.empty() ? "" : ";") + format(step);
  return text;
}
std::string step_seconds(const StepSummary& s) { return fmt::format("{:.9f}", s.seconds); }
std::string step_lb(const StepSummary& s) { return fixed_or_empty(s.load_balance, 6); }
std::string step_chunks(const StepSummary& s) {
  return s.chunks < 0 ? std::string() : std::to_string(s.chunks);
}

// An auto row's columns (choices, decision_s, fixed_rows and its selection summary); empty
// cells for every other row, and for the summary's figures it could not compute.
std::string selection_columns(const StrategyRow& r, const std::vector<SelectionSummary>& all) {
  std::string choices;
  double decision = 0;
  for (const StepDecision& d : r.best.decisions) {
    choices += (choices.empty() ? "" : ";") + d.technique;
    decision += d.decision_seconds;
  }
  const auto it = std::find_if(all.begin(), all.end(),
                               [&](const SelectionSummary& s) { return s.row == r.strategy; });
  const bool automatic = !r.best.decisions.empty() || it != all.end();
  std::string text = fmt::format(",{},{}", csv_field(choices),
                                 automatic ? fmt::format("{:.9f}", decision) : std::string());
  if (it == all.end()) return text + ",,,,,,,";
  text += fmt::format(",{}", it->fixed_rows);
  if (!it->compared()) return text + ",,,,,,";
  return text + fmt::format(",{},{},{},{},{},{}", fixed_or_empty(it->regret_pct, 4),
                            csv_field(it->best_fixed), fixed_or_empty(it->best_fixed_seconds, 9),
                            csv_field(it->median_fixed),
                            fixed_or_empty(it->median_fixed_seconds, 9),
                            fixed_or_empty(it->oracle_seconds, 9));
}

// Closes the descriptor on every path out (the lock goes with it).
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

namespace {

// Takes the exclusive lock without blocking forever: after 1 s it says on stderr what it
// waits for, a signal stops the wait (Interrupted), and after lock_timeout_seconds() it
// gives up. flock() itself would wait silently and ignore SIGTERM (the handler restarts it).
void lock_exclusively(int fd, const std::string& path, const std::string& program,
                      const StopCheck& stop) {
  using Clock = std::chrono::steady_clock;
  const double timeout = lock_timeout_seconds();
  const auto start = Clock::now();
  bool said = false;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return;
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      throw std::runtime_error(
          fmt::format("--csv {}: cannot lock the file (flock: {}); write to a local file instead",
                      path, errno_text()));
    }
    stop.throw_if_requested(fmt::format("--csv {} (waiting for its lock)", path));
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    if (waited >= timeout) {
      throw std::runtime_error(fmt::format(
          "--csv {}: still locked by another process after {:g} s (SCHEDLAB_LOCK_TIMEOUT_S); "
          "rows not written",
          path, timeout));
    }
    if (!said && waited >= 1.0) {
      fmt::print(stderr,
                 "{}: waiting for the lock on --csv {} (another process holds it; giving up "
                 "after {:g} s)\n",
                 program, path, timeout);
      said = true;
    }
    ::usleep(20'000);  // a signal ends the sleep early
  }
}

}  // namespace

void append_csv_rows(const std::string& path, const std::vector<std::string>& rows,
                     const std::string& program, const StopCheck& stop) {
  // O_APPEND follows a symlink: the rows go to the file it points to. O_NONBLOCK: a FIFO
  // put there after the preflight must not hang the open.
  const FileDescriptor file{
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK, 0666)};
  if (file.fd < 0) {
    throw std::runtime_error(
        fmt::format("--csv {}: cannot open for appending: {}", path, errno_text()));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    throw std::runtime_error(fmt::format("--csv {}: not a regular file; not written", path));
  }
  // One lock around header check and rows: concurrent SLURM jobs append whole blocks. A
  // file system without locks (some NFS mounts) is an error, not a silent risk of mixed rows.
  lock_exclusively(file.fd, path, program, stop);
  if (::fstat(file.fd, &st) != 0) {
    throw std::runtime_error(fmt::format("--csv {}: cannot stat: {}", path, errno_text()));
  }
  const off_t before = st.st_size;
  std::string text;
  if (before == 0) text = csv_header() + "\n";
  for (const auto& row : rows) text += row + "\n";
  // All or nothing: a block cut short (a full disk, a quota, a file size limit) is cut back
  // to the size before, so the next job's rows never join a partial line.
  const auto undo = [&](const std::string& what) {
    const int error = errno;
    const bool restored = ::ftruncate(file.fd, before) == 0;
    throw std::runtime_error(fmt::format("--csv {}: {}: {}; {}", path, what, errno_text(error),
                                         restored ? "no row written (the file is as it was)"
                                                  : "and cutting the partial rows back failed"));
  };
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(file.fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) undo("write failed");
    if (n == 0) {
      errno = ENOSPC;
      undo("write made no progress");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(file.fd) != 0 && errno != EINVAL) undo("fsync failed");
}

void write_csv(const Comparison& comparison, const std::string& path, const StopCheck& stop) {
  const RunInfo& info = comparison.info();
  const std::vector<Task>& tasks = comparison.tasks();
  const std::string stamp = utc_timestamp();
  const std::string host = hostname();
  const WorkloadSpec& w = info.settings.workload;
  const std::string workload = workload_name(w);
  // Empty when /proc/loadavg could not be read: unknown, never a made-up 0.
  const std::string load = info.load_average ? fmt::format("{:.2f}", *info.load_average) : "";
  // Empty when not measured (schedlab/noise.hpp): unknown, never a made-up 0.
  const std::string other_load =
      info.noise.other_load ? fmt::format("{:.4f}", *info.noise.other_load) : "";
  const std::vector<SelectionSummary> selection = summarize_selection(comparison);
  std::vector<std::string> lines;
  for (const auto& r : comparison.rows()) {
    const Metrics& m = r.metrics;
    const std::vector<std::string> noise =
        noise_reasons(r, comparison.baseline(), info.noise, logical_cpus());
    lines.push_back(fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.9f},{:.9f},{:.9f},{:.6f},{:.6f},{},"
        "{},{},{},{:016x},{},{},{},{},{},{},{},{},{},{},{},{},{:.9f},{:.9f},{},{:.6f},{},{},{},{},{"
        "},{}",
        kSchemaVersion, stamp, csv_field(host), info.runner, csv_field(r.strategy),
        csv_field(workload), tasks.size(), total_units(tasks), w.scale, w.seed, r.ranks, r.threads,
        r.workers(), r.times.size(), r.time_min(), r.time_median(), m.t1, m.speedup, m.efficiency,
        fixed_or_empty(m.load_balance, 6), fixed_or_empty(m.lower_bound, 9),
        fixed_or_empty(m.tp_over_lower_bound, 6), fixed_or_empty(m.karp_flatt, 6), r.checksum,
        r.verified ? "PASSED" : "FAILED", r.best.completed(), to_string(r.status),
        csv_field(binding_value(info, "OMP_PROC_BIND")),
        csv_field(binding_value(info, "OMP_PLACES")),
        chunk_count(r.best) < 0 ? std::string() : std::to_string(chunk_count(r.best)),
        distinct_hosts(worker_hosts(info, r.ranks, r.threads)), load, logical_cpus(),
        noise.empty() ? 0 : 1, csv_field(join_reasons(noise)), to_string(info.settings.trace),
        r.time_mean(), comparison.baseline().time_mean(), other_load,
        info.noise.tolerance(r.time_min()), info.settings.steps, step_column(r, step_seconds),
        step_column(r, step_lb), step_column(r, step_chunks), info.settings.drift ? 1 : 0,
        csv_field(to_string(info.settings.perturbations))));
    lines.back() += selection_columns(r, selection);
  }
  append_csv_rows(path, lines, info.runner, stop);
}

}  // namespace schedlab
