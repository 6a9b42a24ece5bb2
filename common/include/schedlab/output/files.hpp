// Files are never harmed: every output checked before any work (its kind, its folder, no
// output that is also an input or another output), written atomically through an exclusive
// temporary, and a write that a signal stops leaves nothing half-written.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

namespace schedlab {

// What a failed system call's errno says ("No such file or directory"), for error messages.
std::string errno_text(int error = errno);

// A path as the user named it, with the option that named it ("--csv", "input").
struct NamedPath {
  std::string option;
  std::string path;
};

// Usage errors (UsageError, exit 2), before any work:
// - an output that is a folder, FIFO, socket or device (a symlink is followed; a link whose
//   target does not exist is fine when the target's folder exists);
// - an output whose folder is missing or not writable; with `folder_may_be_created` (the
//   report's --plot-dir) a missing folder is fine when its nearest existing ancestor is a
//   writable folder.
void check_output_file(const NamedPath& output, bool folder_may_be_created = false);

// Usage error when two of the paths name one file: every output against every input and
// every other output, by device and inode for files that exist (links followed), else by
// the folder's device and inode and the name it would create ("./x", "x" and "d/../x" are
// one). Empty paths are skipped. The message names both paths.
void check_no_aliases(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

// check_output_file on each output, then check_no_aliases.
void check_outputs(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs,
                   bool folders_may_be_created = false);

// A signal (SIGINT/SIGTERM) arrived while output was being written: the write stopped and
// left nothing half-written. The program exits 128 + signal().
class Interrupted : public std::runtime_error {
 public:
  Interrupted(int signal, const std::string& message)
      : std::runtime_error(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Whether a signal arrived after this object was made (a run stopped by a first signal
// still writes its incomplete records; a signal during the writing stops the writing).
class StopCheck {
 public:
  StopCheck();
  bool requested() const;
  // Throws Interrupted naming `what` when requested().
  void throw_if_requested(const std::string& what) const;

 private:
  int baseline_;
};

// Writes text to path atomically: an exclusive temporary file with a random name (O_EXCL,
// O_NOFOLLOW: a planted link is never followed) in the target's folder, every write, fsync
// and close checked, then rename. A symlink is written through (the file it points to is
// replaced; the link stays a link); the replaced file keeps its permissions. On any error
// the temporary is removed and std::runtime_error names the path; a signal after `stop`
// was made throws Interrupted and leaves the target as it was.
void write_file_atomically(const std::string& path, const std::string& text,
                           const StopCheck& stop = StopCheck());

// Seconds a CSV append waits for another process's lock: SCHEDLAB_LOCK_TIMEOUT_S (a number
// >= 0), else 60. Throws UsageError for a value that is not a number >= 0.
double lock_timeout_seconds();

// A file name made of parts ("a+b+c") bounded to `max_bytes`: when longer, the start is kept
// and a short hash of the whole name is added, so distinct long names stay distinct.
std::string bounded_file_name(const std::string& name, std::size_t max_bytes = 120);

}  // namespace schedlab
