// The JSON record (schema: docs/results-schema.md), written atomically through symlinks.
#include "schedlab/output/json.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "schedlab/noise.hpp"
#include "schedlab/options.hpp"
#include "schedlab/output/record.hpp"

namespace schedlab {

void write_json(const Comparison& comparison, const std::string& path) {
  using nlohmann::json;
  const RunInfo& info = comparison.info();
  const std::vector<Task>& tasks = comparison.tasks();
  const std::vector<StrategyRow>& rows = comparison.rows();
  const WorkloadSpec& w = info.settings.workload;
  const bool traced = info.settings.trace == TraceLevel::kTasks;
  json sizes = json::array();
  for (const auto& t : tasks) sizes.push_back(t.size);
  json record = {
      {"schema", kSchemaVersion},
      {"runner", info.runner},
      {"version", kVersion},
      {"timestamp", utc_timestamp()},
      {"host", hostname()},
      {"hosts", info.hosts},  // by rank (rank 0's first): gathered once per run
      {"command", info.command_line},
      {"ranks", info.ranks},
      {"threads", info.threads},
      {"binding", info.binding},
      // null: /proc/loadavg could not be read (unknown, never a made-up 0)
      {"load_average", info.load_average ? json(*info.load_average) : json(nullptr)},
      {"cpus", logical_cpus()},
      {"repeat", info.settings.repeat},
      {"workload",
       {{"kind", to_string(w.kind)},
        {"path", w.path},
        {"tasks", tasks.size()},
        {"size", w.size},
        {"spread", w.spread},
        {"seed", w.seed},
        {"scale", w.scale},
        {"total_units", total_units(tasks)},
        {"sizes", sizes}}},
      // --trace off: no per-task times at all (empty lists below), so nothing can be drawn
      // or simulated from this record; the readers say so.
      {"trace_level", to_string(info.settings.trace)},
      {"serial_task_seconds", traced ? json(comparison.serial_task_seconds()) : json::array()},
      {"verification", comparison.all_verified() ? "PASSED" : "FAILED"},
      {"complete",
       std::all_of(rows.begin(), rows.end(),
                   [](const StrategyRow& r) { return r.status != RowStatus::kInterrupted; })},
  };
  json strategies = json::array();
  for (const auto& r : rows) {
    const Metrics& m = r.metrics;
    // And the host each worker ran on (its rank's), so w0 cpu0 and w4 cpu0 on two nodes differ.
    const std::vector<std::string> hosts = worker_hosts(info, r.ranks, r.threads);
    json trace = json::array();
    for (const auto& rec : r.best.trace) {
      if (!rec.ran() || !traced) continue;
      const auto worker = static_cast<std::size_t>(rec.worker);
      trace.push_back({{"task", rec.task},
                       {"worker", rec.worker},
                       {"host", worker < hosts.size() ? hosts[worker] : std::string()},
                       {"cpu", rec.cpu},
                       {"start", rec.start},
                       {"end", rec.end},
                       {"chunk", rec.chunk}});
    }
    // Affinity: the CPUs each worker was seen on (sched_getcpu at each task's start).
    const std::vector<std::vector<int>> worker_cpus =
        traced ? cpus_per_worker(r.best) : std::vector<std::vector<int>>{};
    json error = nullptr;
    if (r.best.error) {
      error = {{"task", r.best.error->task},
               {"rank", r.best.error->rank},
               {"message", r.best.error->message}};
    }
    const std::vector<std::string> noise = noise_reasons(r, comparison.baseline());
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
         {{"t1", m.t1},
          {"tp", m.tp},
          {"speedup", m.speedup},
          {"efficiency", m.efficiency},
          {"load_balance", finite_or_null(m.load_balance)},
          {"lower_bound", finite_or_null(m.lower_bound)},
          {"tp_over_lower_bound", finite_or_null(m.tp_over_lower_bound)},
          {"karp_flatt", finite_or_null(m.karp_flatt)}}},
        {"checksum", fmt::format("{:016x}", r.checksum)},
        {"verification", r.verified ? "PASSED" : "FAILED"},
        {"status", to_string(r.status)},
        {"completed", r.best.completed()},
        {"chunks", chunk_count(r.best) < 0 ? json(nullptr) : json(chunk_count(r.best))},
        {"completion_order", r.best.completion_order},
        {"busy", traced ? json(busy_per_worker(r.best)) : json::array()},
        {"worker_cpus", worker_cpus},
        {"worker_hosts", hosts},
        {"trace", trace},
        {"error", error},
        {"noisy", !noise.empty()},
        {"noise", noise},
    });
  }
  record["strategies"] = strategies;
  write_file_atomically(path, record.dump(1) + "\n");
}

namespace {

// The file a path names once its symlinks are followed (a dangling link: the file it would
// create). Renaming over a link would replace the link itself.
std::filesystem::path follow_symlinks(std::filesystem::path path) {
  namespace fs = std::filesystem;
  for (int hops = 0; hops < 40; ++hops) {  // 40: Linux's own limit (ELOOP)
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
    fs::path target = fs::read_symlink(path, ec);
    if (ec) return path;
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  throw std::runtime_error(fmt::format("{}: too many levels of symbolic links", path.string()));
}

std::string errno_text() { return std::generic_category().message(errno); }

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target = follow_symlinks(path);
  // Only a regular file may be replaced: renaming over a device, FIFO or socket would
  // destroy it (options validation refuses them before the run; this is the last guard).
  std::error_code ec;
  const fs::file_status status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw std::runtime_error(
        fmt::format("{}: exists and is not a regular file; not replaced", path));
  }
  const std::string tmp = fmt::format("{}.tmp.{}", target.string(), ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp, errno_text()));
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw std::runtime_error(fmt::format("cannot write {}", tmp));
    }
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string reason = errno_text();
    std::remove(tmp.c_str());
    throw std::runtime_error(
        fmt::format("cannot rename {} to {}: {}", tmp, target.string(), reason));
  }
}

}  // namespace schedlab
