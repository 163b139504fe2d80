// The shipped knowledge base, compiled into the binary (see cmake/embed_kb.cmake).
#pragma once

#include <span>
#include <string_view>

namespace knots::load {

struct EmbeddedFile {
  std::string_view path;  ///< relative to kb/, e.g. "modalities/swedish.yaml"
  std::string_view bytes;
};

std::span<const EmbeddedFile> embedded_files();

/// A digest of every embedded path and byte, computed at build time (for the model cache's key).
std::string_view embedded_digest();

}  // namespace knots::load
