// Reading and writing whole files safely: the one place that opens, reads and renames.
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>

namespace knots {

/// How a file is read. Every read opens without blocking (a FIFO would hang a plain open) and
/// takes regular files only.
struct ReadOptions {
  std::size_t max_bytes = std::numeric_limits<std::size_t>::max();
  int dir_fd = AT_FDCWD;      ///< the folder a relative path is in
  bool no_follow = false;     ///< refuse a symbolic link
  bool private_only = false;  ///< only a file this user owns and nobody else can write
};

/// A whole file, or why it could not be read.
struct FileRead {
  enum class Status { ok, cannot_open, not_regular, too_large, not_private, cannot_read };
  Status status = Status::ok;
  int error = 0;           ///< errno, for cannot_open and cannot_read
  std::uint64_t size = 0;  ///< the size the file said it had, for too_large (0: grew while read)
  std::string bytes;

  [[nodiscard]] bool ok() const { return status == Status::ok; }
  /// "cannot open: No such file or directory", "file is 2000000 bytes; the limit is …" …
  [[nodiscard]] std::string message(std::size_t max_bytes) const;
};

FileRead read_file(const std::string& path, const ReadOptions& options = {});

/// The file opened for reading after the checks read_file makes (regular, private_only, its size
/// against max_bytes), for a caller that reads parts of it: a descriptor to close, and its size in
/// `result.size`; or -1, with why in `result`.
int open_file(const std::string& path, const ReadOptions& options, FileRead& result);

/// How a file is written: always to a new temporary file in the same folder first, then moved to
/// its name in one step, so that a reader sees the old file or the new one, never half of one.
struct WriteOptions {
  int dir_fd = AT_FDCWD;  ///< the folder a relative path is in
  mode_t mode = 0666;     ///< before the umask
  bool replace = true;    ///< false: never replace an existing file (EEXIST), with link()
  bool sync = false;      ///< flush to disk before the move (a file the user keeps)
};

/// Writes `bytes` to `path`. Returns 0, or the errno of the step that failed (EEXIST when
/// `replace` is off and the name is taken); the temporary file never stays behind.
int write_file_atomic(const std::string& path, std::string_view bytes, const WriteOptions& options = {});
/// The same, for a file made of `pieces` one after the other, which are never joined in memory.
int write_file_atomic(const std::string& path, std::initializer_list<std::string_view> pieces,
                      const WriteOptions& options = {});

/// Temporary files are named "tmp-" and 16 random hex digits, in the folder of the file they become;
/// a run that was killed may leave one, which a clean-up can recognise by this prefix.
inline constexpr std::string_view kTempPrefix = "tmp-";

}  // namespace knots
