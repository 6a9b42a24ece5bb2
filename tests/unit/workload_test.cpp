// Workload generators: the notebook's lists, each family's shape, files, and bad input.
#include "schedlab/workload.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "schedlab/errors.hpp"
#include "unit_test_helpers.hpp"

using namespace schedlab;
using schedlab_test::sizes_of;

namespace {
WorkloadSpec spec(std::string kind, std::size_t tasks, std::uint64_t size) {
  WorkloadSpec s;
  s.kind = parse_workload_kind(kind).value();
  s.tasks = tasks;
  s.size = size;
  s.spread = kNonuniformSpread;
  return s;
}
}  // namespace

TEST(Workload, UniformIsTheNotebooksList) {
  const auto tasks = make_workload(spec("uniform", 12, kUniformSize));
  ASSERT_EQ(tasks.size(), 12u);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_EQ(tasks[i].id, i);
    EXPECT_EQ(tasks[i].size, 12'000'000u);
  }
}

TEST(Workload, NonuniformSeed0IsTheNotebooksList) {
  const auto tasks = make_workload(spec("nonuniform", 12, kNonuniformSize));
  const std::vector<std::uint64_t> expected = {15083523, 11231671, 14358182, 15467907,
                                               11528010, 8339607,  10171951, 12288883,
                                               12076256, 11396833, 15702707, 14574979};
  EXPECT_EQ(sizes_of(tasks), expected);
}

TEST(Workload, NonuniformDependsOnSeed) {
  auto a = spec("nonuniform", 8, kNonuniformSize);
  auto b = a;
  b.seed = 1;
  EXPECT_NE(sizes_of(make_workload(a)), sizes_of(make_workload(b)));
  EXPECT_EQ(sizes_of(make_workload(a)), sizes_of(make_workload(a)));
}

TEST(Workload, IncreasingIsARampWithTheUniformMean) {
  const auto tasks = make_workload(spec("increasing", 9, 1000));
  for (std::size_t i = 1; i < tasks.size(); ++i) EXPECT_GT(tasks[i].size, tasks[i - 1].size);
  // size * 2(i+1)/(N+1) = 200, 400, ..., 1800: mean 1000.
  EXPECT_EQ(tasks.front().size, 200u);
  EXPECT_EQ(tasks.back().size, 1800u);
  EXPECT_EQ(total_units(tasks), 9000u);
}

TEST(Workload, SkewedHasHeavyTasksAtTheFront) {
  const auto tasks = make_workload(spec("skewed", 16, 1000));
  EXPECT_EQ(tasks[0].size, 4000u);
  EXPECT_EQ(tasks[1].size, 4000u);
  for (std::size_t i = 2; i < tasks.size(); ++i) EXPECT_EQ(tasks[i].size, 250u);
}

TEST(Workload, ScaleMultipliesAndRoundsToAtLeastOne) {
  auto s = spec("uniform", 3, 1000);
  s.scale = 0.25;
  EXPECT_EQ(make_workload(s)[0].size, 250u);
  s.scale = 1e-9;
  EXPECT_EQ(make_workload(s)[0].size, 1u);
}

TEST(Workload, FileWithCommentsAndBlankLines) {
  auto s = spec("file", 0, 0);
  s.path = std::string(SCHEDLAB_TEST_DATA) + "/three.txt";
  EXPECT_EQ(sizes_of(make_workload(s)), (std::vector<std::uint64_t>{100, 200, 300}));
}

TEST(Workload, BadFilesAreUsageErrors) {
  auto s = spec("file", 0, 0);
  for (const char* name : {"bad-line.txt", "empty.txt", "does-not-exist.txt"}) {
    s.path = std::string(SCHEDLAB_TEST_DATA) + "/" + name;
    EXPECT_THROW(make_workload(s), UsageError) << name;
  }
  s.path = std::string(SCHEDLAB_TEST_DATA) + "/bad-line.txt";
  try {
    make_workload(s);
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2: '12x'"), std::string::npos) << e.what();
  }
}

TEST(Workload, TotalsThatOverflow64BitsAreRejected) {
  auto s = spec("uniform", 8, kMaxTaskSize);  // 8 x 2^62 = 2^65
  EXPECT_THROW(make_workload(s), UsageError);
  s.tasks = 3;  // 3 x 2^62 < 2^64: fine
  EXPECT_NO_THROW(make_workload(s));
}

// A kind is an enum: an unknown name stops at parsing (options turn it into a usage error).
TEST(Workload, UnknownKindDoesNotParse) {
  EXPECT_FALSE(parse_workload_kind("nope").has_value());
  EXPECT_FALSE(parse_workload_kind("").has_value());
  for (const WorkloadKind kind :
       {WorkloadKind::kUniform, WorkloadKind::kNonuniform, WorkloadKind::kIncreasing,
        WorkloadKind::kSkewed, WorkloadKind::kFile}) {
    EXPECT_EQ(parse_workload_kind(to_string(kind)), kind);
  }
}

TEST(Workload, DescribeNamesKindCountAndRange) {
  const auto s = spec("nonuniform", 12, kNonuniformSize);
  const std::string line = describe_workload(s, make_workload(s));
  EXPECT_EQ(line, "nonuniform, 12 tasks, 8339607..15702707 units (mean 12685042), seed 0");
}

TEST(Workload, ApplicationKindsParseAndHaveTheirOwnDefaultSize) {
  for (const char* name : {"mandelbrot", "spmv", "triad"}) {
    const auto kind = parse_workload_kind(name);
    ASSERT_TRUE(kind.has_value()) << name;
    EXPECT_EQ(to_string(*kind), name);
  }
  EXPECT_EQ(default_task_size(WorkloadKind::kMandelbrot), 1000U);
  EXPECT_EQ(default_task_size(WorkloadKind::kUniform), kUniformSize);
  EXPECT_EQ(default_task_size(WorkloadKind::kNonuniform), kNonuniformSize);
  EXPECT_NE(std::string(kWorkloadKinds).find("mandelbrot, spmv, triad"), std::string::npos);
}
