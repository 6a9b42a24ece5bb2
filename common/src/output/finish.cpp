// The output step of every runner: --csv and --json first, then what --timeline and
// --show-order ask for, and the table; a failed write is an error (exit 1, one stderr
// line), never silent; a signal while writing is exit 128 + signal.
#include "schedlab/output/finish.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <exception>
#include <system_error>

#include "schedlab/errors.hpp"
#include "schedlab/output/csv.hpp"
#include "schedlab/output/files.hpp"
#include "schedlab/output/json.hpp"
#include "schedlab/output/table.hpp"
#include "schedlab/output/timeline.hpp"

namespace schedlab {

int finish_run(const Comparison& comparison, std::FILE* out) {
  const RunSettings& s = comparison.info().settings;
  const std::string& program = comparison.info().runner;
  int code = comparison.exit_code();
  const auto fail = [&](const std::string& message) {
    fmt::print(stderr, "{}: error: {}\n", program, message);
    if (code == kExitOk) code = kExitFailed;
  };
  // The files first: a reader of standard output that goes away (| head -1) must not cost
  // the records. A signal from here on (a run stopped by a first one still writes its
  // incomplete records) stops the writing: exit 128 + signal, nothing half-written.
  const StopCheck stop;
  // Each file on its own: a CSV whose lock never came still leaves the JSON record.
  for (const auto& [path, write] :
       {std::pair{&s.csv, &write_csv}, std::pair{&s.json, &write_json}}) {
    if (path->empty()) continue;
    try {
      write(comparison, *path, stop);
    } catch (const Interrupted& e) {
      fmt::print(stderr, "{}: {}\n", program, e.what());
      return 128 + e.signal();
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
  errno = 0;  // a failed write or flush below leaves its reason here
  try {
    for (const auto& row : comparison.rows()) {
      if (s.timeline) {
        fmt::print(out, "{}",
                   render_timeline(row.best, fmt::format("{} (P={})", row.strategy, row.workers()),
                                   80, 0, worker_hosts(comparison.info(), row.ranks, row.threads)));
      }
      if (s.show_order) fmt::print(out, "{} {}\n", row.strategy, completion_order_line(row.best));
    }
    print_comparison(out, comparison);
  } catch (const std::system_error& e) {
    // fmt reports a short write by throwing (a closed pipe: EPIPE, SIGPIPE being ignored).
    std::clearerr(out);
    fail(fmt::format("cannot write the results to standard output: {}", e.code().message()));
    return code;
  }
  // A full disk or a closed pipe shows only when the buffer is flushed.
  if (std::fflush(out) != 0 || std::ferror(out) != 0) {
    const int error = errno;  // 0: the write failed before the results (the workload line)
    fail(fmt::format("cannot write the results to standard output: {}",
                     error != 0 ? std::generic_category().message(error) : "a write failed"));
  }
  return code;
}

}  // namespace schedlab
