// The text Gantt chart and the completion-order line.
#include "schedlab/output/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <vector>

namespace schedlab {

bool spans_hosts(const std::vector<std::string>& hosts) {
  std::set<std::string> names(hosts.begin(), hosts.end());
  names.erase(std::string());
  return names.size() > 1;
}

std::string render_timeline(const RunResult& run, const std::string& title, int width,
                            double axis_seconds, const std::vector<std::string>& hosts) {
  constexpr std::string_view kLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const int workers = std::max(run.workers, 1);
  double span = run.wall_seconds;
  for (const auto& rec : run.trace) span = std::max(span, rec.end);
  const double axis = std::max(span, axis_seconds);
  // "w0 cpu3", "w1 cpu0,2", "w2 cpu1,4+" (more CPUs than fit: the thread migrated); on
  // several hosts "w4 nodeB/cpu0", since cpu0 of two nodes are two cores.
  const bool with_hosts = spans_hosts(hosts);
  const std::vector<std::vector<int>> cpus = cpus_per_worker(run);
  std::vector<std::string> labels;
  int label_width = 12;  // "w12 cpu3  |"
  for (int w = 0; w < workers; ++w) {
    const auto& seen = cpus[static_cast<std::size_t>(w)];
    std::string cpu_text = seen.empty() ? "-" : std::to_string(seen[0]);
    if (seen.size() > 1) cpu_text += "," + std::to_string(seen[1]);
    if (seen.size() > 2) cpu_text += "+";
    const auto h = static_cast<std::size_t>(w);
    const std::string host = with_hosts && h < hosts.size() ? hosts[h] + "/" : std::string();
    labels.push_back(fmt::format("w{} {}cpu{}", w, host, cpu_text));
    label_width = std::max(label_width, static_cast<int>(labels.back().size()) + 2);
  }
  const int columns = std::max(10, width - label_width - 1);
  // Idle '.' up to the run's end; blank beyond it when the axis is shared with a longer run.
  const int run_columns =
      axis > 0 ? std::min(columns, static_cast<int>(std::ceil(span / axis * columns))) : columns;
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
  // --steps: a '|' down every worker's line where a step began (the barrier between steps).
  double step_start = 0;
  for (std::size_t s = 0; s + 1 < run.step_seconds.size() && axis > 0; ++s) {
    step_start += run.step_seconds[s];
    const int c = std::min(columns - 1, static_cast<int>(step_start / axis * columns));
    for (auto& line : lines) line[static_cast<std::size_t>(c)] = '|';
  }
  std::string header = fmt::format("timeline {} ({:.3f} s; letters = task id, '.' = idle{})", title,
                                   span, run.step_seconds.size() > 1 ? ", '|' = a new step" : "");
  if (header.size() > static_cast<std::size_t>(width))
    header.resize(static_cast<std::size_t>(std::max(width, 0)));
  std::string text = header + "\n";
  for (int w = 0; w < workers; ++w) {
    const std::string& label = labels[static_cast<std::size_t>(w)];
    std::string row = fmt::format("{:<{}.{}}|{}", label, label_width - 1, label_width - 1,
                                  lines[static_cast<std::size_t>(w)]);
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

}  // namespace schedlab
