// The registry (one row per technique) and the parser of technique names.
#include "schedlab/techniques/registry.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "portfolio.hpp"

namespace schedlab::techniques {

namespace detail {
// One `TechniqueInfo <name>_info();` a line for each entry of the technique list in
// techniques/CMakeLists.txt, generated from it. Only this file includes it: adding a row
// recompiles this file and the new technique's, not every technique (and ccache serves the rest).
#include "technique_declarations.inc"
}  // namespace detail

std::string_view to_string(Dispatch dispatch) {
  switch (dispatch) {
    case Dispatch::kTable:
      return "table";
    case Dispatch::kAsk:
      return "ask";
    case Dispatch::kPlan:
      return "plan";
  }
  return "?";
}

const std::vector<TechniqueInfo>& registry() {
  // One row per technique: a TechniqueInfo (name, parameters, dispatch, factory) that its file
  // returns from detail::<name>_info(). technique_rows.inc holds those calls, one a line, in
  // the order of the technique list in techniques/CMakeLists.txt, which writes it:
  //   detail::static_info(),
  //   detail::ss_info(),
  //   ...
  //   detail::awf_info(),
  // so a new technique is one entry in that list, never an edit here.
  static const std::vector<TechniqueInfo> rows = {
#include "technique_rows.inc"
      detail::student_info(),  // the student's own technique, always the last row
  };
  return rows;
}

const TechniqueInfo* find_technique(std::string_view name) {
  for (const TechniqueInfo& row : registry()) {
    if (row.name == name) return &row;
    for (const std::string& alias : row.aliases) {
      if (alias == name) return &row;
    }
  }
  return nullptr;
}

std::string technique_names() {
  std::string names;
  for (const TechniqueInfo& row : registry()) {
    if (!names.empty()) names += ", ";
    names += row.name;
  }
  return names;
}

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string param_list(const TechniqueInfo& info) {
  if (info.params.empty()) return info.name + " takes no parameters";
  std::string list = info.name + " takes";
  for (std::size_t i = 0; i < info.params.size(); ++i) {
    list += (i == 0 ? " " : ", ") + info.params[i].name;
  }
  return list + " (in this order, or as name=value)";
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

TechniqueSpec parse_technique(std::string_view text) {
  const std::vector<std::string_view> parts = split(text, ',');
  const TechniqueInfo* info = find_technique(parts[0]);
  if (info == nullptr) {
    throw std::invalid_argument("technique '" + std::string(parts[0]) +
                                "' is unknown; allowed: " + technique_names());
  }
  TechniqueSpec spec;
  spec.info = info;
  for (const ParamInfo& param : info->params) spec.params.values.push_back(param.default_value);
  spec.params.given.assign(info->params.size(), false);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    std::size_t index = i - 1;  // positional
    if (const std::size_t eq = part.find('='); eq != std::string_view::npos) {
      const std::string_view key = part.substr(0, eq);
      index = info->params.size();
      for (std::size_t j = 0; j < info->params.size(); ++j) {
        if (info->params[j].name == key) index = j;
      }
      if (index == info->params.size()) {
        throw std::invalid_argument("technique '" + std::string(text) + "': no parameter '" +
                                    std::string(key) + "'; " + param_list(*info));
      }
      part = part.substr(eq + 1);
    } else if (index >= info->params.size()) {
      throw std::invalid_argument("technique '" + std::string(text) + "': too many parameters; " +
                                  param_list(*info));
    }
    double value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc{} || end != part.data() + part.size() ||
        !std::isfinite(value) || value < 0) {
      throw std::invalid_argument("technique '" + std::string(text) + "': parameter " +
                                  info->params[index].name + " = '" + std::string(part) +
                                  "' is not a number >= 0; " + param_list(*info));
    }
    // Past kMaxParameter no count (a chunk, a number of chunks) changes the rule (a loop has
    // at most 10^7 tasks), and a larger one would not convert to an integer: 1e300 is refused,
    // never read as some other chunk.
    if (value > kMaxParameter) {
      throw std::invalid_argument("technique '" + std::string(text) + "': parameter " +
                                  info->params[index].name + " = '" + std::string(part) +
                                  "' is larger than the limit of 2147483647; " + param_list(*info));
    }
    spec.params.values[index] = value;
    spec.params.given[index] = true;
  }
  return spec;
}

TechniqueSpec fixed_chunk_technique(std::size_t chunk) {
  const std::string c = std::to_string(chunk);
  return parse_technique("tss," + c + "," + c);
}

std::string TechniqueSpec::text() const {
  if (info == nullptr) return "";
  // Positional when the given parameters are the first ones ("gss,4"), else by name.
  std::size_t given = 0;
  while (given < params.given.size() && params.given[given]) ++given;
  bool positional = true;
  for (std::size_t i = given; i < params.given.size(); ++i)
    positional = positional && !params.given[i];
  std::string out = info->name;
  for (std::size_t i = 0; i < params.values.size(); ++i) {
    if (!params.given[i]) continue;
    out += "," + (positional ? "" : info->params[i].name + "=") + format_number(params.values[i]);
  }
  return out;
}

std::unique_ptr<Technique> make_technique(const TechniqueSpec& spec, const LoopSetup& loop) {
  if (spec.info == nullptr) throw std::invalid_argument("make_technique: no technique given");
  if (loop.workers < 1) {
    throw std::invalid_argument("workers: " + std::to_string(loop.workers) +
                                " is not allowed; at least 1");
  }
  if (!spec.info->make) {
    throw std::invalid_argument("technique '" + spec.info->name +
                                "' is an offline plan; use make_plan");
  }
  return spec.info->make(loop, spec.params);
}

}  // namespace schedlab::techniques
