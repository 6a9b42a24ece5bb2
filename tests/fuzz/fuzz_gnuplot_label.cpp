// libFuzzer target: any bytes (a label from an untrusted record) must come out of
// gnuplot_string() as one gnuplot string expression: single-quoted strings with no quote,
// line break or NUL inside, joined only by ."'". (how a quote travels), its length bounded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "schedlab/report/gnuplot.hpp"

namespace {

constexpr std::string_view kQuoteJoint = R"('."'".')";  // ' then "'" then '

void check(const std::string& literal, std::size_t max_chars) {
  if (literal.size() < 2 || literal.front() != '\'' || literal.back() != '\'') __builtin_trap();
  const std::string_view inside(literal.data() + 1, literal.size() - 2);
  for (std::size_t i = 0; i < inside.size(); ++i) {
    const char c = inside[i];
    if (c == '\n' || c == '\r' || c == '\0') __builtin_trap();
    if (c == '\'') {  // a quote ends the string: only as the start of a joint
      if (inside.substr(i, kQuoteJoint.size()) != kQuoteJoint) __builtin_trap();
      i += kQuoteJoint.size() - 1;
    }
  }
  // At most max_chars characters, each at most 4 UTF-8 bytes or one 7-byte joint.
  if (max_chars > 0 && literal.size() > 2 + 7 * max_chars) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(schedlab::report::gnuplot_string(text), schedlab::report::kMaxGnuplotLabelChars);
  check(schedlab::report::gnuplot_string(text, 5), 5);  // the cut, often
  // A file name (0: no bound) is never cut: the same as a bound above its length.
  const std::string path = schedlab::report::gnuplot_string(text, 0);
  check(path, 0);
  if (path != schedlab::report::gnuplot_string(text, size + 4)) __builtin_trap();
  return 0;
}
