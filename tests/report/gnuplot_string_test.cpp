// gnuplot_string(): each hostile label a student's result file could hold, and the literal
// gnuplot gets for it. The literal must stay one single-quoted string on one line.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "schedlab/report/gnuplot.hpp"
#include "schedlab/report/plots.hpp"

using schedlab::report::gnuplot_printable;
using schedlab::report::gnuplot_string;
using schedlab::report::kMaxGnuplotLabelChars;

TEST(GnuplotString, PlainTextIsQuotedUnchanged) {
  EXPECT_EQ(gnuplot_string("dynamic,1"), "'dynamic,1'");
  EXPECT_EQ(gnuplot_string(""), "''");
}

TEST(GnuplotString, NewlineCannotStartACommandLine) {
  // The attack: end the label's line, then "!cmd" is a shell command to gnuplot.
  EXPECT_EQ(gnuplot_string("x\n!touch PWNED\n"), "'x?!touch PWNED?'");
  EXPECT_EQ(gnuplot_string("x\r\nsystem 'id'"), R"('x??system '."'".'id'."'".'')");
}

TEST(GnuplotString, SingleQuoteIsJoinedInAsItsOwnString) {
  // Not '': gnuplot 5.4 cannot read '''' or 'a''''b' (a doubled quote first or twice).
  EXPECT_EQ(gnuplot_string("it's"), R"('it'."'".'s')");
  EXPECT_EQ(gnuplot_string("'"), R"(''."'".'')");
  EXPECT_EQ(gnuplot_string("''"), R"(''."'".''."'".'')");
  EXPECT_EQ(gnuplot_string("a'\nplot '/etc/passwd"), R"('a'."'".'?plot '."'".'/etc/passwd')");
}

TEST(GnuplotString, BackquotesAndSystemStayText) {
  // gnuplot expands `cmd` only inside double quotes; a single-quoted literal keeps it.
  EXPECT_EQ(gnuplot_string("`touch PWNED`"), "'`touch PWNED`'");
  EXPECT_EQ(gnuplot_string("\" . system(\"touch PWNED\") . \""),
            "'\" . system(\"touch PWNED\") . \"'");
}

TEST(GnuplotString, BackslashAndMacroStayText) {
  // No escapes inside '...': a trailing backslash is followed by the closing quote, so it
  // never continues the line.
  EXPECT_EQ(gnuplot_string("C:\\dir\\"), "'C:\\dir\\'");
  EXPECT_EQ(gnuplot_string("@macro"), "'@macro'");
}

TEST(GnuplotString, NulAndOtherControlsBecomeQuestionMarks) {
  EXPECT_EQ(gnuplot_string(std::string("a\0b", 3)), "'a?b'");
  EXPECT_EQ(gnuplot_string("\t\x1b[31m\x7f"), "'?\?[31m?'");
  EXPECT_EQ(gnuplot_string("\xc2\x85"), "'?'");  // U+0085, a C1 "next line"
}

TEST(GnuplotString, Utf8IsKeptInvalidBytesAreNot) {
  EXPECT_EQ(gnuplot_string("Lösung µs ✓ 🚀"), "'Lösung µs ✓ 🚀'");
  EXPECT_EQ(gnuplot_string("a\xff"
                           "b"),
            "'a?b'");                                    // never a UTF-8 byte
  EXPECT_EQ(gnuplot_string("\xc3"), "'?'");              // cut short
  EXPECT_EQ(gnuplot_string("\xc0\xaf"), "'?\?'");        // overlong '/'
  EXPECT_EQ(gnuplot_string("\xed\xa0\x80"), "'?\?\?'");  // a UTF-16 surrogate
  EXPECT_EQ(gnuplot_string("\xef\xbf\xbf"), "'?'");      // U+FFFF: not an XML character
}

TEST(GnuplotString, LongLabelIsCutWithAnEllipsis) {
  const std::string label(10 * 1024, 'x');
  const std::string literal = gnuplot_string(label);
  EXPECT_EQ(literal, "'" + std::string(kMaxGnuplotLabelChars - 3, 'x') + "...'");
  // Exactly at the bound: kept whole. Characters, not bytes, are counted.
  EXPECT_EQ(gnuplot_printable(std::string(kMaxGnuplotLabelChars, 'y')),
            std::string(kMaxGnuplotLabelChars, 'y'));
  std::string wide;
  for (std::size_t i = 0; i < kMaxGnuplotLabelChars; ++i) wide += "é";
  EXPECT_EQ(gnuplot_printable(wide), wide);
  EXPECT_EQ(gnuplot_printable(wide + "é"), wide.substr(0, 2 * (kMaxGnuplotLabelChars - 3)) + "...");
  // Quotes are joined in after the cut, so a cut never splits one.
  EXPECT_EQ(gnuplot_string(std::string(300, '\''), 5), R"(''."'".''."'".'...')");
}

TEST(GnuplotString, FileNamesAreNeverCut) {
  const std::string path = "/tmp/" + std::string(500, 'd') + "/plot.svg";
  EXPECT_EQ(gnuplot_string(path, 0), "'" + path + "'");
  EXPECT_EQ(gnuplot_string("/tmp/a\nb.svg", 0), "'/tmp/a?b.svg'");
}

// The real check: gnuplot itself reads each literal back as the printable text, and runs
// nothing. Skipped where gnuplot is not installed.
TEST(GnuplotString, GnuplotReadsEachLiteralBackAsText) {
  const auto gnuplot = schedlab::report::find_on_path("gnuplot");
  if (!gnuplot) GTEST_SKIP() << "gnuplot is not on PATH";
  const std::string dir = testing::TempDir() + std::to_string(::getpid()) + "-";
  const std::string canary = dir + "gnuplot_string_PWNED";
  std::remove(canary.c_str());
  const std::vector<std::string> labels = {
      "plain",
      "it's",
      "'",
      "''''",
      "'a''''b'",
      "x\n!touch " + canary + "\n",
      "`touch " + canary + "`",
      "\" . system(\"touch " + canary + "\") . \"",
      "' . system('touch " + canary + "') . '",
      "back\\slash\\",
      "@ARG0 @x",
      std::string("nul\0\n!touch ", 13) + canary,
      std::string(10 * 1024, 'L') + "\n!touch " + canary,
      "<script>alert(1)</script>",
      "L\xc3\xb6sung \xff",
  };
  const std::string script_path = dir + "gnuplot_string_test.gp";
  std::string script = "set print '-'\n";
  std::string expected;
  for (const auto& label : labels) {
    script += "print " + gnuplot_string(label) + "\n";
    expected += gnuplot_printable(label) + "\n";
  }
  {
    std::ofstream out(script_path, std::ios::binary);
    out << script;
  }
  std::FILE* pipe = ::popen((*gnuplot + " '" + script_path + "' 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string printed;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    printed.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0) << printed;
  EXPECT_EQ(printed, expected);
  EXPECT_FALSE(std::filesystem::exists(canary)) << "a label ran a command";
  std::remove(script_path.c_str());
}

TEST(PlotFormat, EachFormatIsItsFileExtension) {
  using schedlab::report::PlotFormat;
  for (const PlotFormat f : {PlotFormat::kPng, PlotFormat::kSvg})
    EXPECT_EQ(schedlab::report::parse_plot_format(schedlab::report::to_string(f)), f);
  EXPECT_EQ(schedlab::report::parse_plot_format("pdf"), std::nullopt);
  EXPECT_EQ(schedlab::report::parse_plot_format("SVG"), std::nullopt);
  const schedlab::report::PlotTarget target{"d", "run.timeline", {PlotFormat::kSvg}};
  EXPECT_EQ(target.path(PlotFormat::kSvg), "d/run.timeline.svg");
}
