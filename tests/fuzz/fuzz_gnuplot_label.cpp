// libFuzzer target: any bytes (a label from an untrusted record) must come out of
// gnuplot_string() as one single-quoted gnuplot literal: no line break, no NUL, every quote
// inside doubled, the length bounded — whatever gnuplot would otherwise run.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "schedlab/report/gnuplot.hpp"

namespace {

void check(const std::string& literal, std::size_t max_chars) {
  if (literal.size() < 2 || literal.front() != '\'' || literal.back() != '\'') __builtin_trap();
  const std::string_view inside(literal.data() + 1, literal.size() - 2);
  for (std::size_t i = 0; i < inside.size(); ++i) {
    const char c = inside[i];
    if (c == '\n' || c == '\r' || c == '\0') __builtin_trap();
    if (c == '\'') {  // a lone quote would end the literal: each must be one of a pair
      if (i + 1 >= inside.size() || inside[i + 1] != '\'') __builtin_trap();
      ++i;
    }
  }
  // At most max_chars characters, each at most 4 UTF-8 bytes (a quote: 2 bytes, doubled).
  if (max_chars > 0 && literal.size() > 2 + 4 * max_chars) __builtin_trap();
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
