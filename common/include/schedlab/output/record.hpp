// What every record (CSV row, JSON file) carries about where and how it was made: schema
// version, UTC timestamp, host, command line, environment.
#pragma once

#include <string>

namespace schedlab {

inline constexpr int kSchemaVersion = 1;

// "2026-11-30T01:02:03Z"
std::string utc_timestamp();
// Environment value or "unset".
std::string env_or_unset(const char* name);
std::string hostname();
// argv joined by spaces, argv[0] by its file name only (never the path it was run from).
std::string join_command_line(int argc, char** argv);

}  // namespace schedlab
