// Text from a record (a strategy, a host, a file name) as a gnuplot string literal that
// gnuplot can only ever read as data. Here, not in common/: only the tools write gnuplot
// scripts, and schedlab_metg already links schedlab::report (docs/design.md, "Layers").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace schedlab::report {

// Labels longer than this many characters are cut: a figure is no place for a 10 KB name.
inline constexpr std::size_t kMaxGnuplotLabelChars = 200;

// The one way text enters a gnuplot script. Result files are untrusted, and gnuplot runs a
// line that starts with `!` as a shell command, expands `cmd` and system() inside double
// quotes and @name macros outside strings. So the text becomes a single-quoted literal
// (gnuplot expands nothing inside one; a quote is written twice), in which
//   - every control character (newline, CR, NUL, tab, DEL, C1) becomes '?': a newline would
//     end the literal and start a new command line;
//   - a byte that is not valid UTF-8 becomes '?' (the SVG must stay well-formed);
//   - more than `max_chars` characters are cut to max_chars - 3 and "..." (0: no limit;
//     file names pass 0, since a cut name would be another file).
// The result starts and ends with ' and holds no other lone quote.
std::string gnuplot_string(std::string_view text, std::size_t max_chars = kMaxGnuplotLabelChars);

// The same text unquoted: what gnuplot will show, or the file name it will write (so a
// caller can name the file it then looks for exactly as gnuplot names it).
std::string gnuplot_printable(std::string_view text, std::size_t max_chars = kMaxGnuplotLabelChars);

}  // namespace schedlab::report
