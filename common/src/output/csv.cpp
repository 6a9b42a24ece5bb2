// CSV rows, appended under an exclusive flock() so that concurrent jobs never interleave.
#include "schedlab/output/csv.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <stdexcept>
#include <system_error>

#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output/record.hpp"

namespace schedlab {

std::string csv_header() {
  return "schema,timestamp,host,runner,strategy,workload,tasks,total_units,scale,seed,"
         "ranks,threads,workers,repeat,time_min_s,time_median_s,t1_s,speedup,efficiency,"
         "load_balance,lower_bound_s,tp_over_lower_bound,karp_flatt,checksum,verification,"
         "completed,status,omp_proc_bind,omp_places,chunks,hosts,load_average,cpus,noisy,noise,"
         "trace,time_mean_s,t1_mean_s";
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

std::string errno_text() { return std::generic_category().message(errno); }

// Closes the descriptor on every path out (the lock goes with it).
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

void append_csv_rows(const std::string& path, const std::vector<std::string>& rows) {
  // O_APPEND follows a symlink: the rows go to the file it points to.
  const FileDescriptor file{::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)};
  if (file.fd < 0) {
    throw std::runtime_error(
        fmt::format("--csv {}: cannot open for appending: {}", path, errno_text()));
  }
  // One lock around header check and rows: concurrent SLURM jobs append whole blocks. A
  // file system without locks (some NFS mounts) is an error, not a silent risk of mixed rows.
  int locked = -1;
  do {
    locked = ::flock(file.fd, LOCK_EX);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    throw std::runtime_error(
        fmt::format("--csv {}: cannot lock the file (flock: {}); write to a local file instead",
                    path, errno_text()));
  }
  std::string text;
  if (::lseek(file.fd, 0, SEEK_END) == 0) text = csv_header() + "\n";
  for (const auto& row : rows) text += row + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(file.fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::runtime_error(fmt::format("--csv {}: write failed: {}", path,
                                           n < 0 ? errno_text() : std::string("no progress")));
    }
    written += static_cast<std::size_t>(n);
  }
}

void write_csv(const Comparison& comparison, const std::string& path) {
  const RunInfo& info = comparison.info();
  const std::vector<Task>& tasks = comparison.tasks();
  const std::string stamp = utc_timestamp();
  const std::string host = hostname();
  const WorkloadSpec& w = info.settings.workload;
  const std::string workload = workload_name(w);
  // Empty when /proc/loadavg could not be read: unknown, never a made-up 0.
  const std::string load = info.load_average ? fmt::format("{:.2f}", *info.load_average) : "";
  std::vector<std::string> lines;
  for (const auto& r : comparison.rows()) {
    const Metrics& m = r.metrics;
    const std::vector<std::string> noise = noise_reasons(r, comparison.baseline());
    lines.push_back(fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.9f},{:.9f},{:.9f},{:.6f},{:.6f},{},"
        "{},{},{},{:016x},{},{},{},{},{},{},{},{},{},{},{},{},{:.9f},{:.9f}",
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
        r.time_mean(), comparison.baseline().time_mean()));
  }
  append_csv_rows(path, lines);
}

}  // namespace schedlab
