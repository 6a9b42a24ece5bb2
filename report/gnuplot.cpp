// gnuplot_string(): untrusted text as a gnuplot single-quoted literal (see gnuplot.hpp for
// what gnuplot would otherwise run). Checked by tests/report/gnuplot_string_test.cpp, the
// fuzz target tests/fuzz/fuzz_gnuplot_label.cpp and tests/report/hostile_labels.sh.
#include "schedlab/report/gnuplot.hpp"

#include <cstdint>
#include <iterator>

namespace schedlab::report {

namespace {

// The length of the valid UTF-8 sequence that starts text[i] (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), with its code point; 0 when it is not one.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byte(i);
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong below U+0800
    if (lead == 0xED) high = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // overlong below U+10000
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  auto value = static_cast<char32_t>(lead & (0xFFU >> (length + 1)));
  for (std::size_t k = 1; k < length; ++k) {
    const std::uint8_t next = byte(i + k);
    if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return 0;
    value = (value << 6) | static_cast<char32_t>(next & 0x3F);
  }
  code_point = value;
  return length;
}

// C0, DEL and C1 controls, and the two code points XML forbids: none belongs in a label.
bool is_unprintable(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF;
}

}  // namespace

std::string gnuplot_printable(std::string_view text, std::size_t max_chars) {
  // Each character is one printable UTF-8 sequence or '?'.
  std::string body;
  std::size_t chars = 0;
  // A cut keeps room for the "..." that says so (a bound of 3 or less has none).
  const std::string_view ellipsis = max_chars > 3 ? "..." : "";
  const std::size_t keep = max_chars - ellipsis.size();
  std::size_t cut_at = 0;  // where the first `keep` characters end in `body`
  for (std::size_t i = 0; i < text.size();) {
    if (max_chars > 0 && chars > max_chars) break;  // the rest is cut anyway
    char32_t c = 0;
    const std::size_t length = utf8_sequence(text, i, c);
    if (chars == keep) cut_at = body.size();
    if (length == 0 || is_unprintable(c)) {
      body += '?';
      i += length == 0 ? 1 : length;
    } else {
      body.append(text.substr(i, length));
      i += length;
    }
    ++chars;
  }
  if (max_chars > 0 && chars > max_chars) body = body.substr(0, cut_at).append(ellipsis);
  return body;
}

std::string gnuplot_string(std::string_view text, std::size_t max_chars) {
  // Inside '...' gnuplot expands nothing: no `command`, no escapes, no macros (checked with
  // gnuplot 5.4.4). A quote is the one character it cannot hold: the manual's '' works
  // inside a word, but the 5.4 scanner ends the string at a '' that opens the text or
  // follows another one ('''a' and 'a''''b' do not parse). So each quote is a string of its
  // own, joined by gnuplot's "." operator: it's -> 'it'."'".'s', which every command that
  // takes a string (set output, title, ytics, label) accepts.
  std::string out = "'";
  for (const char c : gnuplot_printable(text, max_chars)) {
    if (c == '\'') {
      out += R"('."'".')";
    } else {
      out += c;
    }
  }
  return out + "'";
}

namespace {

struct NamedStyle {
  std::string_view name;
  std::string_view colour;
  int point_type;
};

// The schedules of the lab, each its own colour (Tableau 10) and marker; a technique shares
// the style of the OpenMP schedule that follows the same rule.
constexpr NamedStyle kStyles[] = {
    {"static", "#1f77b4", 7}, {"dynamic,1", "#ff7f0e", 5}, {"ss", "#ff7f0e", 5},
    {"guided", "#2ca02c", 9}, {"guided,1", "#2ca02c", 9},  {"gss", "#2ca02c", 9},
    {"tasks", "#d62728", 13}, {"taskloop", "#9467bd", 11}, {"static,1", "#7f7f7f", 15},
    {"fac2", "#8c564b", 7},   {"tss", "#e377c2", 5},       {"student", "#17becf", 9},
    {"auto", "#bcbd22", 13},  {"runtime", "#393b79", 11},
};
constexpr std::string_view kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                         "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                         "#bcbd22", "#17becf", "#393b79", "#ad494a"};
constexpr int kPointTypes[] = {7, 5, 9, 13, 11, 15};

}  // namespace

SeriesStyle strategy_style(std::string_view name) {
  for (const std::string_view prefix : {"measured ", "omp ", "mpi ", "serial ", "hybrid "}) {
    if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  }
  for (const auto& s : kStyles) {
    if (s.name == name) return {std::string(s.colour), s.point_type};
  }
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a: the same name, the same style
  for (const char c : name) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return {std::string(kPalette[hash % std::size(kPalette)]),
          kPointTypes[(hash / std::size(kPalette)) % std::size(kPointTypes)]};
}

}  // namespace schedlab::report
