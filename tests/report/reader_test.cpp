// Reading result files: good fixtures load, damaged or newer ones are refused by name.
#include "schedlab/report/reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "report_test_helpers.hpp"
#include "schedlab/errors.hpp"

using namespace schedlab;
using namespace schedlab::report;
using schedlab_test::data;
using schedlab_test::json_error;

namespace {

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

// Records are untrusted input (issue 20): every bound is a UsageError naming the file and
// the field or line, never a crash, GBs or a wrong answer.
namespace {
std::string fixture_text(const std::string& name) {
  std::ifstream in(data(name), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string csv_error(const std::string& text) {
  try {
    parse_csv_text(text, "hostile.csv");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

// The fixture record with its first `from` replaced by `to`.
std::string record_with(const std::string& from, const std::string& to) {
  std::string text = fixture_text("omp-8111.json");
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}
}  // namespace

TEST(Bounds, DeepNestingIsRefusedBeforeParsing) {
  const std::string deep =
      "{\"binding\": {\"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}}";
  EXPECT_EQ(json_error(deep), "hostile.json:1: values nested deeper than the limit of 64");
  // Brackets inside strings do not count.
  EXPECT_EQ(json_error(record_with("\"fixture\"", "\"" + std::string(100, '[') + "\"")), "");
}

TEST(Bounds, ClaimedWorkersAreBoundedTogether) {
  std::string text = fixture_text("omp-8111.json");
  for (std::size_t at = 0; (at = text.find("\"workers\": ", at)) != std::string::npos; ++at) {
    const auto end = text.find(',', at);
    text.replace(at, end - at, "\"workers\": 1000000");
  }
  EXPECT_NE(json_error(text).find("field 'strategies[1].workers' is 1000000: the record's "
                                  "strategies claim more than the limit of 2^20 workers"),
            std::string::npos)
      << json_error(text);
}

TEST(Bounds, RanksTimesThreadsStaysWithinAnInt) {
  const std::string both =
      record_with("\"ranks\": 1,\n \"threads\": 2", "\"ranks\": 1000000,\n \"threads\": 1000000");
  EXPECT_NE(json_error(both).find("more than the limit of 2^20 workers"), std::string::npos)
      << json_error(both);
}

TEST(Bounds, NegativeAndInfiniteTimesAreRefused) {
  EXPECT_EQ(json_error(record_with("\"times\": [", "\"times\": [ -5,")),
            "hostile.json: field 'strategies[0].times[0]' is -5: expected a number >= 0");
  EXPECT_NE(json_error(record_with("\"time_min\": 11.0", "\"time_min\": 1e400"))
                .find("hostile.json: number overflow parsing '1e400'"),
            std::string::npos);
  EXPECT_NE(json_error(record_with("8.0,\n  1.0", "-1.0,\n  1.0"))
                .find("field 'serial_task_seconds[0]' is -1: expected a number >= 0"),
            std::string::npos);
}

TEST(Bounds, ACpuPastAnIntIsRefused) {
  const std::string text = fixture_text("omp-8111.json");
  const auto at = text.find("\"cpu\": ");
  ASSERT_NE(at, std::string::npos);
  std::string hostile = text;
  hostile.replace(at, text.find(',', at) - at, "\"cpu\": 1e300");
  EXPECT_NE(json_error(hostile).find("expected a CPU number from -1 (unknown)"), std::string::npos)
      << json_error(hostile);
}

TEST(Bounds, CsvNegativeTimeAndLongLinesAreRefused) {
  std::string text = fixture_text("results.csv");
  const auto row = text.find('\n') + 1;
  // The first row's time_min_s is its 15th field.
  std::size_t at = row;
  for (int comma = 0; comma < 14; ++comma) at = text.find(',', at) + 1;
  text.replace(at, text.find(',', at) - at, "-1");
  EXPECT_EQ(csv_error(text), "hostile.csv:2: column time_min_s is -1: expected a number >= 0");
  EXPECT_EQ(csv_error(std::string(70000, '7')),
            "hostile.csv:1: a line longer than the limit of 2^16 bytes");
}

// A row's chunks over its steps: dynamic,1 at 2^20 tasks has 1,048,576 (the METG sweep's
// largest size), which the bound for counts such as ranks once refused.
TEST(Bounds, CsvChunksReachABillion) {
  const std::string text = fixture_text("auto-select.csv");
  const auto row = text.find('\n') + 1;
  std::size_t at = row;
  for (int comma = 0; comma < 29; ++comma) at = text.find(',', at) + 1;  // chunks: 30th field
  const auto with_chunks = [&](const std::string& chunks) {
    std::string hostile = text;
    hostile.replace(at, hostile.find(',', at) - at, chunks);
    return hostile;
  };
  EXPECT_EQ(parse_csv_text(with_chunks("1048576"), "big.csv").front().chunks, 1048576);
  EXPECT_EQ(csv_error(with_chunks("1000000001")),
            "hostile.csv:2: column chunks is 1000000001: expected 1 to 1000000000");
  EXPECT_EQ(csv_error(with_chunks("0")),
            "hostile.csv:2: column chunks is 0: expected 1 to 1000000000");
}

TEST(Bounds, DevicesAndFoldersAreRefusedBeforeReading) {
  try {
    read_csv("/dev/zero");
    FAIL() << "a device was read";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "/dev/zero: is a device (expected a regular file or a pipe)");
  }
  try {
    read_json(SCHEDLAB_REPORT_DATA);
    FAIL() << "a folder was read";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("is a folder"), std::string::npos) << e.what();
  }
}

// --perturb in a record: the canonical text parsed back, and untrusted like the rest.
TEST(ReadJson, PerturbationsAreParsedBackAndChecked) {
  const auto with = [](const std::string& perturb) {
    return record_with("\"runner\"", "\"perturb\": \"" + perturb + "\", \"runner\"");
  };
  const RunRecord r = parse_json_text(with("worker=1,slow=3;pause=0.1,every=1"), "p.json");
  ASSERT_EQ(r.perturbations.size(), 2u);
  EXPECT_EQ(r.perturbations[0].kind, schedlab::PerturbKind::kSlow);
  EXPECT_EQ(r.perturbations[0].worker, 1);
  EXPECT_DOUBLE_EQ(r.perturbations[0].slow, 3.0);
  EXPECT_EQ(r.perturbations[1].kind, schedlab::PerturbKind::kPause);
  EXPECT_TRUE(parse_json_text(with(""), "p.json").perturbations.empty());
  // A bad value, a worker the 2-thread run did not have, a latency outside MPI: one line
  // naming the field.
  for (const std::string bad : {"worker=1,slow=fast", "worker=7,slow=3", "latency=0.1"}) {
    const std::string message = json_error(with(bad));
    EXPECT_NE(message.find("perturb"), std::string::npos) << bad << ": " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}
