// Whole-file reads and atomic writes; see file.hpp.
#include "util/file.hpp"

#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <utility>

namespace knots {
namespace {

/// Closes `fd` on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  /// Hands the descriptor to the caller, who closes it.
  int release() { return std::exchange(fd_, -1); }
  /// Closes now and says whether the close succeeded (a write error can surface only here).
  bool close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

FileRead::Status check(const struct stat& st, const ReadOptions& options, FileRead& result) {
  using Status = FileRead::Status;
  if (!S_ISREG(st.st_mode)) return Status::not_regular;
  if (options.private_only && (st.st_uid != ::geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0))
    return Status::not_private;
  if (static_cast<std::uint64_t>(st.st_size) > options.max_bytes) {
    result.size = static_cast<std::uint64_t>(st.st_size);
    return Status::too_large;
  }
  return Status::ok;
}

/// Reads to the end, retrying when a signal interrupts; stops past `max_bytes`.
FileRead::Status read_all(int fd, std::size_t max_bytes, FileRead& result) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result.error = errno;
      return FileRead::Status::cannot_read;
    }
    if (n == 0) return FileRead::Status::ok;
    result.bytes.append(buffer, static_cast<std::size_t>(n));
    if (result.bytes.size() > max_bytes) return FileRead::Status::too_large;
  }
}

/// "tmp-" and 16 random hex digits.
std::string temp_name() {
  unsigned char random[8] = {};
  std::size_t got = 0;
  while (got < sizeof random) {
    const ssize_t n = ::getrandom(random + got, sizeof random - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  std::string name(kTempPrefix);
  for (unsigned char b : random) name += fmt::format("{:02x}", b);
  return name;
}

/// Writes every byte, retrying when a signal interrupts; returns 0 or errno.
int write_all(int fd, std::string_view bytes) {
  std::size_t put = 0;
  while (put < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + put, bytes.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    put += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

std::string FileRead::message(std::size_t max_bytes) const {
  switch (status) {
    case Status::ok:
      return {};
    case Status::cannot_open:
      return fmt::format("cannot open: {}", std::strerror(error));
    case Status::not_regular:
      return "not a regular file (a folder, FIFO or device); skipped";
    case Status::too_large:
      return size > 0 ? fmt::format("file is {} bytes; the limit is {} bytes", size, max_bytes)
                      : fmt::format("file is over the limit of {} bytes", max_bytes);
    case Status::not_private:
      return "the file belongs to another user, or others can write to it";
    case Status::cannot_read:
      return fmt::format("cannot read: {}", std::strerror(error));
  }
  return {};
}

int open_file(const std::string& path, const ReadOptions& options, FileRead& result) {
  const int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (options.no_follow ? O_NOFOLLOW : 0);
  Fd fd(::openat(options.dir_fd, path.c_str(), flags));
  if (fd.get() < 0) {
    result.status = FileRead::Status::cannot_open;
    result.error = errno;
    return -1;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    result.status = FileRead::Status::cannot_read;
    result.error = errno;
    return -1;
  }
  result.status = check(st, options, result);
  if (result.status != FileRead::Status::ok) return -1;
  result.size = static_cast<std::uint64_t>(st.st_size);
  return fd.release();
}

FileRead read_file(const std::string& path, const ReadOptions& options) {
  FileRead result;
  Fd fd(open_file(path, options, result));
  if (fd.get() < 0) return result;
  result.bytes.reserve(static_cast<std::size_t>(result.size));
  result.size = 0;
  result.status = read_all(fd.get(), options.max_bytes, result);
  if (!result.ok()) result.bytes.clear();
  return result;
}

int write_file_atomic(const std::string& path, std::string_view bytes, const WriteOptions& options) {
  return write_file_atomic(path, {bytes}, options);
}

int write_file_atomic(const std::string& path, std::initializer_list<std::string_view> pieces,
                      const WriteOptions& options) {
  const auto slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  const std::string temp = folder + temp_name();
  Fd fd(::openat(options.dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 options.mode));
  if (fd.get() < 0) return errno;
  int error = 0;
  for (const std::string_view piece : pieces) {
    if (error == 0) error = write_all(fd.get(), piece);
  }
  if (error == 0 && options.sync && ::fsync(fd.get()) != 0) error = errno;
  if (!fd.close() && error == 0) error = errno;
  if (error == 0) {
    // link() fails when the name exists, so an existing file is never replaced.
    const bool moved = options.replace
                           ? ::renameat(options.dir_fd, temp.c_str(), options.dir_fd, path.c_str()) == 0
                           : ::linkat(options.dir_fd, temp.c_str(), options.dir_fd, path.c_str(), 0) == 0;
    if (!moved) error = errno;
    if (moved && options.replace) return 0;
  }
  ::unlinkat(options.dir_fd, temp.c_str(), 0);
  return error;
}

}  // namespace knots
