// A problem found while loading the knowledge base, located as file:line:column.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace knots {

struct Diagnostic {
  std::string file;
  int line = 0;    ///< 1-based; 0 when the problem is about the whole file
  int column = 0;  ///< 1-based byte column; 0 when unknown
  std::string message;
  bool io = false;  ///< a file or folder could not be read (exit 1), rather than bad content (exit 4)

  /// Bad content at a place in a file (exit 4); line and column 0 when about the whole file.
  static Diagnostic invalid(std::string file, int line, int column, std::string message) {
    return {std::move(file), line, column, std::move(message), false};
  }
  static Diagnostic invalid(std::string file, std::string message) {
    return invalid(std::move(file), 0, 0, std::move(message));
  }
  /// A file or folder that could not be read (exit 1).
  static Diagnostic unreadable(std::string file, std::string message) {
    return {std::move(file), 0, 0, std::move(message), true};
  }

  /// "file:line:col: message", or "file: message" without a position.
  [[nodiscard]] std::string to_string() const;
};

/// Sorted by file, line, column, so that reports are stable.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace knots
