// Reading result files: good fixtures load, damaged or newer ones are refused by name.
#include "schedlab/report/reader.hpp"

#include <gtest/gtest.h>

#include "schedlab/errors.hpp"

using namespace schedlab;
using namespace schedlab::report;

namespace {
std::string data(const std::string& name) { return std::string(SCHEDLAB_REPORT_DATA) + "/" + name; }

// The UsageError message of reading `name`, or "" when it loads.
std::string error_of(const std::string& name) {
  try {
    read_results({data(name)});
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ReadCsv, LoadsEveryRowWithQuotedStrategies) {
  const auto rows = read_csv(data("results.csv"));
  ASSERT_EQ(rows.size(), 8u);
  EXPECT_EQ(rows[2].strategy, "dynamic,1");
  EXPECT_EQ(rows[2].workers, 2);
  EXPECT_DOUBLE_EQ(rows[2].time_min, 8.0);
  EXPECT_DOUBLE_EQ(rows[2].t1, 11.0);
  EXPECT_DOUBLE_EQ(rows[2].lower_bound, 8.0);
  EXPECT_EQ(rows[5].runner, "schedlab-mpi");
  EXPECT_EQ(rows[5].ranks, 2);
  EXPECT_EQ(rows[2].line, 4);
}

TEST(ReadCsv, RefusesATruncatedFileNamingTheLine) {
  const std::string message = error_of("truncated.csv");
  EXPECT_NE(message.find("truncated.csv:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST(ReadCsv, RefusesANewerSchema) {
  const std::string message = error_of("newer-schema.csv");
  EXPECT_NE(message.find("newer-schema.csv:3: schema 2 is newer"), std::string::npos) << message;
}

TEST(ReadJson, LoadsTraceBindingAndSerialTimes) {
  const RunRecord r = read_json(data("omp-8111.json"));
  EXPECT_EQ(r.runner, "schedlab-omp");
  EXPECT_EQ(r.binding.at("OMP_PROC_BIND"), "close");
  EXPECT_EQ(r.serial_task_seconds, (std::vector<double>{8, 1, 1, 1}));
  ASSERT_EQ(r.strategies.size(), 3u);
  const StrategyRecord& dyn = r.strategies[2];
  EXPECT_EQ(dyn.strategy, "dynamic,1");
  EXPECT_EQ(dyn.run.workers, 2);
  EXPECT_DOUBLE_EQ(dyn.run.wall_seconds, 8.0);
  EXPECT_EQ(dyn.run.trace.size(), 4u);
  EXPECT_EQ(dyn.worker_cpus[1], (std::vector<int>{1, 3}));  // worker 1 migrated
  const auto rows = rows_of(r);
  EXPECT_DOUBLE_EQ(rows[1].time_median, 9.5);
  EXPECT_DOUBLE_EQ(rows[1].t1, 11.0);
}

TEST(ReadJson, OlderRecordsWithoutHostsStillLoad) {
  // omp-8111.json predates hosts: no "hosts", no "worker_hosts", no trace "host".
  const RunRecord r = read_json(data("omp-8111.json"));
  EXPECT_EQ(r.strategies[2].worker_hosts, (std::vector<std::string>{"", ""}));
}

TEST(ReadJson, RefusesATruncatedRecordNamingTheLine) {
  const std::string message = error_of("truncated.json");
  EXPECT_NE(message.find("truncated.json:"), std::string::npos) << message;
  EXPECT_NE(message.find("ends early"), std::string::npos) << message;
}

TEST(ReadJson, RefusesANewerSchema) {
  EXPECT_NE(error_of("newer-schema.json").find("schema 2 is newer"), std::string::npos);
}

TEST(ReadResults, MissingFileIsNamed) {
  EXPECT_NE(error_of("no-such-file.csv").find("no-such-file.csv: cannot open"), std::string::npos);
}
