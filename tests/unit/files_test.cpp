// Files are never harmed: the output preflight (kind, folder), the aliasing check, the
// atomic writer's planted-link safety and the all-or-nothing CSV append.
#include "schedlab/output/files.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"
#include "schedlab/output/csv.hpp"

using namespace schedlab;
namespace fs = std::filesystem;

namespace {

// A fresh folder per test, removed afterwards; the test runs inside it.
class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("schedlab-files-test-{}-{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    old_ = fs::current_path();
    fs::current_path(dir_);
  }
  void TearDown() override {
    fs::current_path(old_);
    fs::remove_all(dir_);
  }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // The one usage error's message, or "" when none was thrown.
  template <typename F>
  static std::string usage_error(F&& f) {
    try {
      f();
    } catch (const UsageError& e) {
      return e.what();
    }
    return {};
  }
  fs::path dir_, old_;
};

TEST_F(FilesTest, SpellingsOfOneNewFileCollide) {
  fs::create_directory("d");
  const std::string message = usage_error([] {
    check_no_aliases({}, {{"--csv", "x"}, {"--json", "d/../x"}});
  });
  EXPECT_NE(message.find("--csv 'x' and --json 'd/../x'"), std::string::npos) << message;
  EXPECT_NE(usage_error([] { check_no_aliases({}, {{"--csv", "./x"}, {"--json", "x"}}); }), "");
}

TEST_F(FilesTest, OutputOntoAnInputCollidesThroughLinksAndHardLinks) {
  write("in.csv", "a\n");
  fs::create_symlink("in.csv", "link.csv");
  fs::create_hard_link("in.csv", "hard.csv");
  for (const std::string out : {"in.csv", "./in.csv", "link.csv", "hard.csv"}) {
    const std::string message = usage_error([&] {
      check_no_aliases({{"input", "in.csv"}}, {{"--html", out}});
    });
    EXPECT_NE(message.find("every input"), std::string::npos) << out << ": " << message;
  }
}

TEST_F(FilesTest, DanglingLinkCollidesWithItsTarget) {
  fs::create_symlink("target.json", "latest.json");
  EXPECT_NE(usage_error([] {
              check_no_aliases({}, {{"--json", "latest.json"}, {"--csv", "target.json"}});
            }),
            "");
}

TEST_F(FilesTest, ALoopOfLinksIsAUsageErrorNotACrash) {
  fs::create_symlink("b", "a");
  fs::create_symlink("a", "b");
  EXPECT_NE(usage_error([] { check_outputs({{"input", "a"}}, {{"--json", "b"}}); }), "");
  EXPECT_NO_THROW(check_no_aliases({{"input", "a"}}, {{"--json", "c"}}));
}

TEST_F(FilesTest, DistinctFilesPass) {
  write("in.csv", "a\n");
  EXPECT_EQ(usage_error([] {
              check_outputs({{"input", "in.csv"}, {"input", ""}},
                            {{"--csv", "out.csv"}, {"--json", "out.json"}, {"--data", ""}});
            }),
            "");
}

TEST_F(FilesTest, PreflightRefusesFoldersFifosAndMissingFolders) {
  fs::create_directory("results");
  ASSERT_EQ(::mkfifo("pipe", 0600), 0);
  EXPECT_NE(usage_error([] {
              check_output_file({"--json", "results"});
            }).find("a folder"),
            std::string::npos);
  EXPECT_NE(usage_error([] {
              check_output_file({"--json", "pipe"});
            }).find("a FIFO"),
            std::string::npos);
  EXPECT_NE(usage_error([] {
              check_output_file({"--json", "missing/out.json"});
            }).find("does not exist"),
            std::string::npos);
  // A link into a folder that does not exist cannot be written through.
  fs::create_symlink("nowhere/out.json", "dangling.json");
  EXPECT_NE(usage_error([] { check_output_file({"--json", "dangling.json"}); }), "");
  // A link to a file still to be created in an existing folder is fine.
  fs::create_symlink("results/new.json", "fine.json");
  EXPECT_EQ(usage_error([] { check_output_file({"--json", "fine.json"}); }), "");
  // The report creates a missing --plot-dir itself.
  EXPECT_EQ(usage_error([] {
              check_output_file({"--timeline figure", "new/dir/a.png"}, true);
            }),
            "");
}

TEST_F(FilesTest, PreflightRefusesAReadOnlyFolder) {
  fs::create_directory("ro");
  fs::permissions("ro", fs::perms::owner_read | fs::perms::owner_exec);
  if (::access("ro", W_OK) == 0) GTEST_SKIP() << "root writes into a read-only folder";
  EXPECT_NE(usage_error([] {
              check_output_file({"--json", "ro/out.json"});
            }).find("not writable"),
            std::string::npos);
  fs::permissions("ro", fs::perms::owner_all);
}

TEST_F(FilesTest, AtomicWriteNeverFollowsAPlantedLink) {
  write("victim", "precious\n");
  write("out.json", "old\n");
  // Every name the old writer would have used, and some: none may be followed.
  fs::create_symlink("victim", fmt::format("out.json.tmp.{}", ::getpid()));
  write_file_atomically("out.json", "new\n");
  EXPECT_EQ(read("out.json"), "new\n");
  EXPECT_EQ(read("victim"), "precious\n");
  // Nothing left over but the planted link itself.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(".")) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 3);
}

TEST_F(FilesTest, AtomicWriteThroughALinkKeepsTheLinkAndThePermissions) {
  write("target.json", "old\n");
  fs::permissions("target.json", fs::perms::owner_read | fs::perms::owner_write);
  fs::create_symlink("target.json", "latest.json");
  write_file_atomically("latest.json", "new\n");
  EXPECT_TRUE(fs::is_symlink("latest.json"));
  EXPECT_EQ(read("target.json"), "new\n");
  EXPECT_EQ(fs::status("target.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(FilesTest, AtomicWriteStopsOnASignalAndLeavesTheTarget) {
  write("out.json", "old\n");
  const StopCheck stop;
  request_interrupt(15);
  EXPECT_THROW(write_file_atomically("out.json", "new\n", stop), Interrupted);
  request_interrupt(0);  // no signal pending for the tests that follow in this process
  EXPECT_EQ(read("out.json"), "old\n");
  EXPECT_EQ(std::distance(fs::directory_iterator("."), fs::directory_iterator()), 1);
  // A StopCheck made after the signal writes (an interrupted run still writes its records).
  write_file_atomically("out.json", "new\n", StopCheck());
  EXPECT_EQ(read("out.json"), "new\n");
}

TEST_F(FilesTest, BoundedFileNameKeepsShortNamesAndDistinguishesLongOnes) {
  EXPECT_EQ(bounded_file_name("a+b"), "a+b");
  const std::string a(300, 'a'), b = std::string(299, 'a') + "b";
  EXPECT_LE(bounded_file_name(a).size(), 120u);
  EXPECT_NE(bounded_file_name(a), bounded_file_name(b));
  EXPECT_EQ(bounded_file_name(a), bounded_file_name(a));
}

TEST_F(FilesTest, LockTimeoutComesFromTheEnvironment) {
  ::setenv("SCHEDLAB_LOCK_TIMEOUT_S", "2.5", 1);
  EXPECT_DOUBLE_EQ(lock_timeout_seconds(), 2.5);
  ::setenv("SCHEDLAB_LOCK_TIMEOUT_S", "soon", 1);
  EXPECT_THROW(lock_timeout_seconds(), UsageError);
  ::unsetenv("SCHEDLAB_LOCK_TIMEOUT_S");
  EXPECT_DOUBLE_EQ(lock_timeout_seconds(), 60);
}

}  // namespace
