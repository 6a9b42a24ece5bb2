// Files are never harmed: the preflight of every output (kind, folder, aliasing) and the
// one atomic writer every program uses (exclusive temporary, checked writes, rename).
#include "schedlab/output/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <system_error>
#include <tuple>

#include "schedlab/errors.hpp"
#include "schedlab/interrupt.hpp"

namespace schedlab {
namespace fs = std::filesystem;

std::string errno_text(int error) { return std::generic_category().message(error); }

namespace {

// The file a path names once its symlinks are followed (a dangling link: the file it would
// create). Renaming over a link would replace the link itself.
fs::path follow_symlinks(fs::path path) {
  for (int hops = 0; hops < 40; ++hops) {  // 40: Linux's own limit (ELOOP)
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
    fs::path target = fs::read_symlink(path, ec);
    if (ec) return path;
    path = target.is_absolute() ? target : path.parent_path() / target;
  }
  throw std::runtime_error(fmt::format("{}: too many levels of symbolic links", path.string()));
}

fs::path folder_of(const fs::path& file) {
  return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

const char* kind_name(const fs::file_status& status) {
  if (fs::is_directory(status)) return "a folder";
  if (fs::is_fifo(status)) return "a FIFO";
  if (fs::is_socket(status)) return "a socket";
  if (fs::is_character_file(status) || fs::is_block_file(status)) return "a device";
  return "not a regular file";
}

// What a path names: an existing file by device and inode (links followed); a file still to
// be created by its folder's device and inode and its name; a file in a folder that does
// not exist by its absolute, normalised spelling.
using FileIdentity = std::tuple<int, std::uint64_t, std::uint64_t, std::string>;

FileIdentity identity_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return {0, st.st_dev, st.st_ino, std::string()};
  fs::path target = path;
  try {
    target = follow_symlinks(path);
  } catch (const std::runtime_error&) {  // a loop of links: no file, named as spelled
  }
  if (::stat(folder_of(target).c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return {1, st.st_dev, st.st_ino, target.filename().string()};
  std::error_code ec;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(target, ec), ec);
  return {2, 0, 0, (ec ? target : absolute).lexically_normal().string()};
}

std::string describe(const NamedPath& p) { return fmt::format("{} '{}'", p.option, p.path); }

}  // namespace

void check_output_file(const NamedPath& output, bool folder_may_be_created) {
  if (output.path.empty()) return;
  const fs::path target = [&] {
    try {
      return follow_symlinks(output.path);
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("{}: {}", describe(output), e.what()));
    }
  }();
  const bool through_link = target != fs::path(output.path);
  const std::string via =
      through_link ? fmt::format(" (the symlink's target '{}')", target.string()) : "";
  std::error_code ec;
  const fs::file_status status = fs::status(target, ec);
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw UsageError(fmt::format("{}{}: is {} (expected a regular file, which is written)",
                                 describe(output), via, kind_name(status)));
  }
  fs::path folder = folder_of(target);
  if (!fs::is_directory(folder, ec)) {
    if (!folder_may_be_created || fs::exists(folder, ec)) {
      throw UsageError(fmt::format(
          "{}{}: the folder '{}' does not exist (expected a file in an existing folder; "
          "create it first: mkdir -p {})",
          describe(output), via, folder.string(), folder.string()));
    }
    // Created when written: the nearest folder that exists must take it.
    fs::path absolute = fs::absolute(folder, ec);
    while (absolute.has_parent_path() && absolute != absolute.parent_path() &&
           !fs::exists(absolute, ec))
      absolute = absolute.parent_path();
    folder = absolute;
    if (!fs::is_directory(folder, ec)) {
      throw UsageError(fmt::format("{}: '{}' is not a folder (the path goes through it)",
                                   describe(output), folder.string()));
    }
  }
  // access() also says EROFS for a read-only file system, even to root.
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(fmt::format("{}{}: the folder '{}' is not writable ({})", describe(output),
                                 via, folder.string(), errno_text()));
  }
}

void check_no_aliases(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
  struct Seen {
    FileIdentity id;
    const NamedPath* path;
    bool input;
  };
  std::vector<Seen> seen;
  for (const NamedPath& in : inputs) {
    if (!in.path.empty()) seen.push_back({identity_of(in.path), &in, true});
  }
  for (const NamedPath& out : outputs) {
    if (out.path.empty()) continue;
    const FileIdentity id = identity_of(out.path);
    for (const Seen& other : seen) {
      if (other.id != id) continue;
      throw UsageError(fmt::format("{} and {}: the same file (expected every output apart from {})",
                                   describe(*other.path), describe(out),
                                   other.input ? "every input" : "every other output"));
    }
    seen.push_back({id, &out, false});
  }
}

void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs,
                   bool folders_may_be_created) {
  for (const NamedPath& out : outputs) check_output_file(out, folders_may_be_created);
  check_no_aliases(inputs, outputs);
}

StopCheck::StopCheck() : baseline_(interrupt_count()) {}

bool StopCheck::requested() const { return interrupt_count() != baseline_; }

void StopCheck::throw_if_requested(const std::string& what) const {
  if (!requested()) return;
  const int signal = interrupt_signal();
  throw Interrupted(
      signal, fmt::format("interrupted by signal {} while writing {}; not written", signal, what));
}

namespace {

// Closes the descriptor on every path out; close() itself is checked by whoever cares.
struct TemporaryFile {
  int fd = -1;
  std::string path;
  ~TemporaryFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty()) ::unlink(path.c_str());
  }
};

std::string random_suffix() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text,
                           const StopCheck& stop) {
  const fs::path target = follow_symlinks(path);
  // Only a regular file may be replaced: renaming over a device, FIFO or socket would
  // destroy it (the preflight refuses them before the run; this is the last guard).
  struct stat old {};
  const bool exists = ::stat(target.c_str(), &old) == 0;
  if (exists && !S_ISREG(old.st_mode)) {
    throw std::runtime_error(
        fmt::format("{}: exists and is not a regular file; not replaced", path));
  }
  // A hidden name in the target's folder (rename stays on one file system), random and
  // created exclusively: a file or link planted at a guessed name is never written.
  const std::string base = target.filename().string().substr(0, 100);
  TemporaryFile tmp;
  for (int attempt = 0; attempt < 100 && tmp.fd < 0; ++attempt) {
    const std::string name =
        (folder_of(target) / fmt::format(".{}.tmp-{}", base, random_suffix())).string();
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) {
      tmp.fd = fd;
      tmp.path = name;
    } else if (errno != EEXIST) {
      throw std::runtime_error(
          fmt::format("cannot write {}: cannot create a temporary file in "
                      "'{}': {}",
                      path, folder_of(target).string(), errno_text()));
    }
  }
  if (tmp.fd < 0)
    throw std::runtime_error(fmt::format("cannot write {}: no free temporary name", path));
  // The replaced file keeps its permissions (a new one gets 0666 less the umask).
  if (exists) (void)::fchmod(tmp.fd, old.st_mode & 07777);
  std::size_t written = 0;
  while (written < text.size()) {
    stop.throw_if_requested(path);
    // At most 1 MiB per call, so that a signal is seen within one chunk of a huge record.
    const std::size_t chunk = std::min<std::size_t>(text.size() - written, std::size_t{1} << 20);
    const ssize_t n = ::write(tmp.fd, text.data() + written, chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw std::runtime_error(fmt::format("cannot write {}: {}", path,
                                           n < 0 ? errno_text() : std::string("no progress")));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(tmp.fd) != 0)
    throw std::runtime_error(fmt::format("cannot write {}: fsync: {}", path, errno_text()));
  const int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0)
    throw std::runtime_error(fmt::format("cannot write {}: close: {}", path, errno_text()));
  stop.throw_if_requested(path);
  if (::rename(tmp.path.c_str(), target.c_str()) != 0) {
    throw std::runtime_error(
        fmt::format("cannot rename {} to {}: {}", tmp.path, target.string(), errno_text()));
  }
  tmp.path.clear();  // renamed: nothing to remove
}

double lock_timeout_seconds() {
  constexpr double kDefault = 60;
  const char* text = std::getenv("SCHEDLAB_LOCK_TIMEOUT_S");  // NOLINT(concurrency-mt-unsafe)
  if (text == nullptr || *text == '\0') return kDefault;
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(text, &end);
  if (errno != 0 || end == text || *end != '\0' || !(seconds >= 0) || seconds > 1e6) {
    throw UsageError(fmt::format(
        "SCHEDLAB_LOCK_TIMEOUT_S '{}': expected seconds to wait for a CSV lock, 0 to 1e6", text));
  }
  return seconds;
}

std::string bounded_file_name(const std::string& name, std::size_t max_bytes) {
  if (name.size() <= max_bytes) return name;
  std::uint32_t hash = 2166136261u;  // FNV-1a: the same name gives the same file everywhere
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  const std::string tail = fmt::format("+{:08x}", hash);
  std::size_t keep = max_bytes > tail.size() ? max_bytes - tail.size() : 0;
  // Never cut a UTF-8 character in two.
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
  return name.substr(0, keep) + tail;
}

}  // namespace schedlab
