// Writing to stdout, straight or through a pager (see pager.hpp).
#include "cli/pager.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>

namespace knots::cli {
namespace {

/// The terminal columns one line takes: colour escapes (ESC [ … final byte) take none, and a UTF-8
/// character takes one, as render::display_width counts it.
std::size_t visible_width(std::string_view line) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if (byte == 0x1b && i + 1 < line.size() && line[i + 1] == '[') {
      for (i += 2; i < line.size() && !(line[i] >= 0x40 && line[i] <= 0x7e); ++i) {
      }
      continue;
    }
    if ((byte & 0xc0) != 0x80) ++width;  // not a continuation byte
  }
  return width;
}

/// Writes every byte to `fd`, retrying when a signal interrupts; 0 or the errno that stopped it.
int write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

/// While the pager runs, knots ignores what is meant for it: a closed pipe when it quits early
/// (SIGPIPE), and Ctrl-C or Ctrl-\ pressed in it (SIGINT, SIGQUIT), which would otherwise end
/// knots and leave the pager alone on the terminal. Restored when it goes out of scope.
class IgnoreWhilePaging {
 public:
  IgnoreWhilePaging() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &ignore, &saved_[i]);
  }
  ~IgnoreWhilePaging() {
    for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &saved_[i], nullptr);
  }
  IgnoreWhilePaging(const IgnoreWhilePaging&) = delete;
  IgnoreWhilePaging& operator=(const IgnoreWhilePaging&) = delete;

 private:
  static constexpr std::array<int, 3> kSignals = {SIGPIPE, SIGINT, SIGQUIT};
  std::array<struct sigaction, 3> saved_{};
};

/// In the child: the pager reads the pipe and runs. Never returns.
[[noreturn]] void exec_pager(int read_end, const PagerCommand& pager) {
  ::dup2(read_end, STDIN_FILENO);
  ::close(read_end);
  // As git does: less keeps colour (-R), quits when the text fits (-F) and leaves it on the screen
  // (-X), also when PAGER is "less" with no options of its own.
  ::setenv("LESS", "FRX", 0);
  if (pager.shell.empty()) {
    ::execlp("less", "less", "-FRX", static_cast<char*>(nullptr));
  } else {
    ::execl("/bin/sh", "sh", "-c", pager.shell.c_str(), static_cast<char*>(nullptr));
  }
  ::_exit(127);
}

}  // namespace

void write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    if (errno == EPIPE) throw BrokenPipe();
    throw std::runtime_error(fmt::format("cannot write the output: {}", std::strerror(errno)));
  }
}

bool longer_than_screen(std::string_view text) {
  winsize ws{};
  if (::isatty(STDOUT_FILENO) != 1 || ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0) {
    return false;
  }
  const std::size_t columns = ws.ws_col > 0 ? ws.ws_col : 80;
  std::size_t rows = 0;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::size_t width = visible_width(text.substr(0, end));
    rows += width == 0 ? 1 : (width + columns - 1) / columns;
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return rows >= ws.ws_row;
}

std::optional<PagerCommand> pager_command() {
  const char* pager = std::getenv("PAGER");
  if (pager == nullptr) return PagerCommand{};
  const std::string_view command = pager;
  if (command.find_first_not_of(" \t") == std::string_view::npos || command == "cat") return std::nullopt;
  return PagerCommand{std::string(command)};
}

bool page(std::string_view text, const PagerCommand& pager) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) exec_pager(fds[0], pager);
  ::close(fds[0]);
  const IgnoreWhilePaging ignore;
  write_all(fds[1], text);  // EPIPE: the pager was quit before the end, which is fine
  ::close(fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // 127 and 126 are the shell's "not found" and "cannot run": nothing was shown.
  return !(WIFEXITED(status) && (WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126));
}

}  // namespace knots::cli
