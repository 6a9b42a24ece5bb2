// Text from a record (a strategy, a host, a file name) as a gnuplot string that gnuplot can
// only ever read as data. Here, not in common/: only the tools write gnuplot scripts, and
// schedlab_metg already links schedlab::report (docs/design.md, "Layers").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace schedlab::report {

// Labels longer than this many characters are cut: a figure is no place for a 10 KB name.
inline constexpr std::size_t kMaxGnuplotLabelChars = 200;

// The one way text enters a gnuplot script. Result files are untrusted: gnuplot runs a line
// that starts with `!` as a shell command, calls system() in any expression, expands `cmd`
// inside double quotes and @name macros outside strings. So the text becomes single-quoted
// strings (gnuplot expands nothing inside one), in which
//   - every control character (newline, CR, NUL, tab, DEL, C1) becomes '?': a newline would
//     end the string and start a new command line;
//   - a byte that is not valid UTF-8 becomes '?' (the SVG must stay well-formed);
//   - more than `max_chars` characters are cut to max_chars - 3 and "..." (0: no limit;
//     file names pass 0, since a cut name would be another file);
//   - each quote is joined in as "'" (gnuplot 5.4 misreads some doubled quotes):
//     it's -> 'it'."'".'s'.
// The result starts and ends with ' and is one string expression on one line.
std::string gnuplot_string(std::string_view text, std::size_t max_chars = kMaxGnuplotLabelChars);

// The same text unquoted: what gnuplot will show, or the file name it will write (so a
// caller can name the file it then looks for exactly as gnuplot names it).
std::string gnuplot_printable(std::string_view text, std::size_t max_chars = kMaxGnuplotLabelChars);

// How a strategy is drawn in every figure (scaling, predict): one colour and one marker per
// strategy, so "static" is the same blue disc wherever it appears. `name` is a strategy as
// records spell it ("dynamic,1"); a leading "measured " or runner ("omp ", "mpi ") is
// ignored, and the simulator's technique names take their schedule's style (ss as
// dynamic,1, gss as guided: the same rule). Names outside the table get a style from a
// hash of the name: stable across figures and runs.
struct SeriesStyle {
  std::string colour;  // "#1f77b4"
  int point_type = 7;  // gnuplot pt: 7 disc, 5 square, 9 triangle, 13 diamond, ...
};
SeriesStyle strategy_style(std::string_view name);

}  // namespace schedlab::report
