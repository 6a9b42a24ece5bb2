// Option validation: every bad value becomes a UsageError naming it and what is allowed.
#include "schedlab/options.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include "schedlab/errors.hpp"
#include "schedlab/parse.hpp"

using namespace schedlab;

namespace {
// Runs validate() on options built by `edit` and returns the error message ("" if none).
template <class Edit>
std::string error_for(Edit edit) {
  CommonOptions o;
  edit(o);
  try {
    validate(o);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ParseUint, AcceptsWholeNumbersInRange) {
  EXPECT_EQ(parse_uint("--tasks", "12", 1, 100), 12u);
  EXPECT_EQ(parse_uint("--seed", "18446744073709551615", 0, UINT64_MAX), UINT64_MAX);
}

TEST(ParseUint, RejectsEverythingElse) {
  for (const char* bad : {"", "abc", "-3", "+3", "2.5", " 4", "4 ", "0x10", "1e3",
                          "99999999999999999999", "0", "101"}) {
    EXPECT_THROW(parse_uint("--tasks", bad, 1, 100), UsageError) << "'" << bad << "'";
  }
}

TEST(ParseUint, MessageNamesValueAndRange) {
  try {
    parse_uint("--tasks", "abc", 1, 10'000'000);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--tasks 'abc': expected a whole number from 1 to 10000000");
  }
}

TEST(Validate, DefaultsFollowTheNotebook) {
  const RunSettings s = validate(CommonOptions{});
  EXPECT_EQ(s.workload.kind, WorkloadKind::kUniform);
  EXPECT_EQ(s.workload.tasks, logical_cpus());
  EXPECT_EQ(s.workload.size, 12'000'000u);
  CommonOptions o;
  o.workload = "nonuniform";
  const RunSettings n = validate(o);
  EXPECT_EQ(n.workload.size, 8'000'000u);
  EXPECT_EQ(n.workload.spread, 8'000'000u);
  EXPECT_EQ(n.workload.seed, 0u);
}

TEST(Validate, BadValuesNameTheValue) {
  EXPECT_NE(error_for([](auto& o) { o.tasks = "0"; }).find("--tasks '0'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.tasks = "-3"; }).find("--tasks '-3'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.tasks = "2.5"; }).find("--tasks '2.5'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.size = "99999999999999999999"; }).find("--size"),
            std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.scale = "0"; }).find("--scale '0'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.scale = "-1"; }).find("--scale '-1'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.scale = "nan"; }).find("--scale 'nan'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.seed = "-1"; }).find("--seed '-1'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.workload = "nope"; }).find("--workload 'nope'"),
            std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.repeat = "0"; }).find("--repeat '0'"), std::string::npos);
  EXPECT_NE(error_for([](auto& o) { o.workload = "file:"; }).find("file:"), std::string::npos);
}

TEST(Validate, FailTaskMustNameATask) {
  CommonOptions o;
  o.fail_task = "4";
  const RunSettings s = validate(o);
  EXPECT_THROW(check_fail_task(s, 4), UsageError);
  EXPECT_NO_THROW(check_fail_task(s, 5));
}

TEST(CommandLine, UnknownOptionIsExit2AndHelpIsExit0) {
  {
    CLI::App app{"t", "t"};
    CommonOptions o;
    add_common_options(app, o);
    const char* argv[] = {"t", "--bogus"};
    EXPECT_EQ(parse_command_line(app, 2, const_cast<char**>(argv), false), kExitUsage);
  }
  {
    CLI::App app{"t", "t"};
    CommonOptions o;
    add_common_options(app, o);
    const char* argv[] = {"t", "--help"};
    EXPECT_EQ(parse_command_line(app, 2, const_cast<char**>(argv), false), kExitOk);
  }
  {
    CLI::App app{"t", "t"};
    CommonOptions o;
    add_common_options(app, o);
    const char* argv[] = {"t", "--tasks", "7"};
    EXPECT_EQ(parse_command_line(app, 3, const_cast<char**>(argv), false), std::nullopt);
    EXPECT_EQ(o.tasks, "7");
  }
}

TEST(Advice, ClosestMatchIsAPlausibleTypoOnly) {
  const std::vector<std::string> kinds{"uniform", "nonuniform", "increasing", "skewed"};
  EXPECT_EQ(closest_match("nonuniforn", kinds), "nonuniform");
  EXPECT_EQ(closest_match("skewd", kinds), "skewed");
  EXPECT_EQ(closest_match("random", kinds), "");   // not a typo of any of them
  EXPECT_EQ(closest_match("uniform", kinds), "");  // already right: nothing to suggest
  EXPECT_EQ(closest_match("--thread", {"--threads", "--tasks"}), "--threads");
}

TEST(Advice, NamesOptionSeesBothSpellings) {
  EXPECT_TRUE(names_option({"--tasks", "4", "--strategy", "all"}, "--strategy"));
  EXPECT_TRUE(names_option({"--strategy=all"}, "--strategy"));
  EXPECT_FALSE(names_option({"--strategyx"}, "--strategy"));
  EXPECT_FALSE(names_option({"--schedule", "--strategy-like"}, "--strategy"));
}

TEST(Advice, ParseHintsAtTheWholeNumberMeant) {
  try {
    parse_uint("--tasks", "1e6", 1, kMaxTasks);
    FAIL() << "1e6 was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("write it out: 1000000"), std::string::npos) << e.what();
  }
  try {
    parse_uint("--tasks", "2.5", 1, kMaxTasks);  // not whole: no hint to write 2.5 out
    FAIL() << "2.5 was accepted";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).find("write it out"), std::string::npos) << e.what();
  }
}

TEST(Advice, IdleWorkersAreCounted) {
  EXPECT_EQ(idle_workers_warning(4, 1, 4), "");
  EXPECT_EQ(idle_workers_warning(6, 1, 4),
            "6 ranks for 4 tasks: 2 of them will have nothing to do and the speedup cannot pass "
            "4; give --tasks 6 or more, or start fewer");
  EXPECT_NE(idle_workers_warning(2, 2, 3).find("4 workers (2 ranks x 2 threads) for 3 tasks: 1"),
            std::string::npos);
  EXPECT_NE(idle_workers_warning(1, 4, 2).find("4 threads for 2 tasks"), std::string::npos);
}
