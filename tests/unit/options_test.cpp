// Option validation: every bad value becomes a UsageError naming it and what is allowed.
#include "schedlab/options.hpp"

#include <CLI/CLI.hpp>

#include <gtest/gtest.h>

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
