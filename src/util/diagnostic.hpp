// A problem found while loading the knowledge base, located as file:line:column.
#pragma once

#include <string>
#include <vector>

namespace knots {

struct Diagnostic {
  std::string file;
  int line = 0;    ///< 1-based; 0 when the problem is about the whole file
  int column = 0;  ///< 1-based byte column; 0 when unknown
  std::string message;
  bool io = false;  ///< a file or folder could not be read (exit 1), rather than bad content (exit 4)

  /// "file:line:col: message", or "file: message" without a position.
  [[nodiscard]] std::string to_string() const;
};

/// Sorted by file, line, column, so that reports are stable.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace knots
