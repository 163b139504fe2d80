// Byte-level checks that run before YAML sees a file: encoding, BOM, control characters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.hpp"

namespace knots::load {

/// Checks that `bytes` is UTF-8 text that YAML may read: one leading BOM at most (removed), no NUL,
/// no invalid or overlong sequences, no UTF-16/32, no control characters other than tab, line feed
/// and the CR of a CRLF (CRLF becomes LF). Returns the cleaned text, or nothing after appending
/// a diagnostic.
std::optional<std::string> check_bytes(const std::string& file, std::string_view bytes,
                                       std::vector<Diagnostic>& out);

/// The first control or invisible formatting character in decoded text (C0 other than tab and line
/// feed, DEL, C1, bidi controls), as "U+001B", or "" when there is none.
std::string forbidden_character(std::string_view text);

}  // namespace knots::load
