// Where and how a record was made: timestamp, host, environment, command line.
#include "schedlab/output/record.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

namespace schedlab {

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string env_or_unset(const char* name) {
  // Read once at start-up, before any parallel region: getenv's thread-safety caveat does not
  // apply.
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
    // The program by its name: a build path (/home/alice/schedlab/build/release/bin/...)
    // says where it was built, not what ran, and would travel into every hand-in page.
    std::string_view word = argv[i];
    if (i == 0)
      word = word.substr(word.rfind('/') == std::string_view::npos ? 0 : word.rfind('/') + 1);
    line += word;
  }
  return line;
}

}  // namespace schedlab
