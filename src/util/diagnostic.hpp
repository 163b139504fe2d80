// A problem found while loading the knowledge base, located as file:line:column.
#pragma once

#include <optional>
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

/// A name that names nothing it should (a modality, a goal, an option), with the nearest names.
struct UnknownName {
  std::string name;
  std::vector<std::string> suggestions;
};

/// Why a run failed, as data: what `knots --json` writes to stderr instead of the text message
/// (render::error_json), and what the text message is made from.
struct Failure {
  /// "usage" (exit 2), "not_found" (exit 3), "invalid_kb" (exit 4) or "io" (exit 1).
  std::string kind;
  std::string message;                   ///< the text message's first line, without "knots: error: "
  std::optional<std::string> name;       ///< the (first) name not found, if any
  std::vector<std::string> suggestions;  ///< the nearest names to `name`
  std::vector<UnknownName> unknown;      ///< every name not found, in the order given
  std::vector<Diagnostic> problems;      ///< the knowledge base's problems, for invalid_kb and io
};

/// Sorted by file, line, column, so that reports are stable.
void sort_diagnostics(std::vector<Diagnostic>& diagnostics);

}  // namespace knots
