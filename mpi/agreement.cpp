// The agreements of an MPI run: the interrupt (between strategies, and after a static run),
// and before any work the parse outcome, the options, the task list, and the hosts.
#include "schedlab/mpi/agreement.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <climits>
#include <csignal>
#include <cstdio>

#include "schedlab/interrupt.hpp"
#include "schedlab/mpi/rank_context.hpp"

namespace schedlab {

int agree_on_interrupt(int local_signal, MPI_Comm comm) {
  int signal = local_signal;
  MPI_Allreduce(MPI_IN_PLACE, &signal, 1, MPI_INT, MPI_MAX, comm);
  if (signal != 0 && !interrupt_requested()) request_interrupt(signal);
  return signal;
}

ParseOutcomes gather_parse_outcomes(std::optional<int> code, MPI_Comm comm) {
  int rank = 0;
  int ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  // One MIN-reduction finds the lowest failing rank and the lowest --help rank at once.
  std::array<int, 2> lowest = {code && *code != 0 ? rank : ranks,
                               code && *code == 0 ? rank : ranks};
  MPI_Allreduce(MPI_IN_PLACE, lowest.data(), 2, MPI_INT, MPI_MIN, comm);
  int rank0 = code ? *code : -1;
  MPI_Bcast(&rank0, 1, MPI_INT, 0, comm);
  ParseOutcomes outcomes;
  outcomes.failed_rank = lowest[0];
  outcomes.help_rank = lowest[1];
  if (rank0 >= 0) outcomes.rank0 = rank0;
  return outcomes;
}

std::uint64_t fingerprint(const OptionValue& option) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a offset basis
  const auto add = [&hash](const std::string& text) {
    for (const char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;  // FNV prime
    }
    hash ^= 0xffU;  // a separator no option text contains: "ab"+"c" differs from "a"+"bc"
    hash *= 1099511628211ULL;
  };
  add(option.name);
  add(option.given ? "given" : "default");
  add(option.value);
  return hash;
}

namespace {

// `text` from rank `root` to every rank.
void broadcast_text(std::string& text, int root, MPI_Comm comm) {
  unsigned long long length = text.size();
  MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, root, comm);
  text.resize(static_cast<std::size_t>(length));
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, root, comm);
}

}  // namespace

std::optional<OptionDifference> find_option_difference(const std::vector<OptionValue>& mine,
                                                       MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::vector<std::uint64_t> own;
  for (const OptionValue& option : mine) own.push_back(fingerprint(option));
  // Rank 0's fingerprints to every rank ...
  unsigned long long count = own.size();
  MPI_Bcast(&count, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
  std::vector<std::uint64_t> rank0s = own;
  rank0s.resize(static_cast<std::size_t>(count));
  MPI_Bcast(rank0s.data(), static_cast<int>(count), MPI_UINT64_T, 0, comm);
  // ... each rank finds its first difference (a different option count - another build of
  // the program - differs where the shorter list ends) ...
  const std::size_t common = std::min(own.size(), rank0s.size());
  std::size_t first = common;
  for (std::size_t i = 0; i < common; ++i) {
    if (own[i] != rank0s[i]) {
      first = i;
      break;
    }
  }
  const bool differs = first < common || own.size() != rank0s.size();
  // ... and one MINLOC-reduction names the earliest option and, for it, the lowest rank.
  struct {
    int index;
    int rank;
  } local{differs ? static_cast<int>(first) : INT_MAX, rank}, earliest{};
  MPI_Allreduce(&local, &earliest, 1, MPI_2INT, MPI_MINLOC, comm);
  if (earliest.index == INT_MAX) return std::nullopt;

  // The two sides of that option, for the one line rank 0 prints.
  const auto index = static_cast<std::size_t>(earliest.index);
  const auto side = [&](int root) {
    OptionValue option;
    if (rank == root && index < mine.size()) option = mine[index];
    std::string given = option.given ? "1" : "";
    broadcast_text(option.name, root, comm);
    broadcast_text(given, root, comm);
    broadcast_text(option.value, root, comm);
    option.given = !given.empty();
    return option;
  };
  OptionDifference difference;
  difference.rank = earliest.rank;
  difference.theirs = side(earliest.rank);
  difference.rank0s = side(0);
  if (difference.theirs.name.empty()) difference.theirs.name = difference.rank0s.name;
  if (difference.rank0s.name.empty()) difference.rank0s.name = difference.theirs.name;
  return difference;
}

void broadcast_tasks(std::vector<Task>& tasks, MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  unsigned long long count = tasks.size();
  MPI_Bcast(&count, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
  std::vector<std::uint64_t> sizes(static_cast<std::size_t>(count));
  if (rank == 0) {
    for (std::size_t i = 0; i < sizes.size(); ++i) sizes[i] = tasks[i].size;
  }
  // count <= kMaxTasks (10 million) fits an int.
  MPI_Bcast(sizes.data(), static_cast<int>(count), MPI_UINT64_T, 0, comm);
  if (rank == 0) return;
  tasks.assign(sizes.size(), Task{});
  for (std::size_t i = 0; i < sizes.size(); ++i) tasks[i] = Task{i, sizes[i]};
}

std::vector<std::string> gather_host_names(const std::string& mine, MPI_Comm comm) {
  int rank = 0;
  int ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  // Fixed-size slots (HOST_NAME_MAX is 64 on Linux; 256 leaves room for FQDNs).
  constexpr int kSlot = 256;
  std::array<char, kSlot> own{};
  std::copy_n(mine.begin(), std::min(mine.size(), static_cast<std::size_t>(kSlot - 1)),
              own.begin());
  std::vector<char> all(rank == 0 ? static_cast<std::size_t>(ranks) * kSlot : 0);
  MPI_Gather(own.data(), kSlot, MPI_CHAR, all.data(), kSlot, MPI_CHAR, 0, comm);
  std::vector<std::string> hosts;
  for (int r = 0; rank == 0 && r < ranks; ++r)
    hosts.emplace_back(&all[static_cast<std::size_t>(r) * kSlot]);
  return hosts;
}

std::string parse_disagreement(const ParseOutcomes& outcomes, int ranks) {
  const bool rank0_failed = outcomes.rank0 && *outcomes.rank0 != 0;
  if (outcomes.failed_rank < ranks) {
    if (rank0_failed) return {};  // rank 0 printed its own parse error
    return fmt::format(
        "rank {}: its command line does not parse, rank 0's does (every rank must be started "
        "with the same options)",
        outcomes.failed_rank);
  }
  if (outcomes.rank0) return {};  // --help or --version on rank 0: it printed them
  if (outcomes.help_rank < ranks) {
    return fmt::format(
        "rank {}: --help or --version on that rank only (every rank must be started with the "
        "same options)",
        outcomes.help_rank);
  }
  return {};
}

std::vector<OptionValue> option_values(const CLI::App& app) {
  std::vector<OptionValue> values;
  for (const CLI::Option* option : app.get_options()) {
    OptionValue value{option->get_name(), option->count() > 0, {}};
    const bool flag = option->get_expected_max() == 0;  // given or not is all it says
    for (const std::string& part : flag ? std::vector<std::string>{} : option->results()) {
      value.value += value.value.empty() ? part : " " + part;
    }
    values.push_back(std::move(value));
  }
  return values;
}

namespace {
// "'8'" or "nothing (the default)": one side of an option that differs between ranks.
std::string option_text(const OptionValue& option) {
  if (!option.given) return "nothing (the default)";
  return option.value.empty() ? std::string("it (a flag)") : fmt::format("'{}'", option.value);
}
}  // namespace

std::string options_disagreement(const CLI::App& app, MPI_Comm comm) {
  const std::optional<OptionDifference> difference =
      find_option_difference(option_values(app), comm);
  if (!difference) return {};
  return fmt::format(
      "{}: rank {} has {}, rank 0 has {} (every rank must be started with the same options)",
      difference->rank0s.name, difference->rank, option_text(difference->theirs),
      option_text(difference->rank0s));
}

namespace {
// The exit code every rank agreed on, for leave_together()'s SIGTERM handler.
volatile std::sig_atomic_t agreed_exit_code = 0;
extern "C" void exit_with_agreed_code(int /*signal*/) { _exit(agreed_exit_code); }
}  // namespace

void leave_together(int code, MPI_Comm comm) {
  agreed_exit_code = code;
  std::signal(SIGTERM, exit_with_agreed_code);
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Barrier(comm);
}

}  // namespace schedlab
