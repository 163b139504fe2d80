// libFuzzer target: one untrusted file through load::load_layers, the entry point the CLI uses, and
// the report that `knots validate` prints of it (text and JSON); the same bytes as a cache payload. Built by
// -DKNOTS_FUZZ=ON; run by tests/fuzz/run.sh.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "load/cache.hpp"
#include "load/loader.hpp"
#include "render/json.hpp"
#include "render/term.hpp"

namespace {

/// The first input byte picks the file's name, and with it how the file is read: as a modality
/// or as one of the vocabularies. tests/fuzz/run.sh gives each seed the byte of its own name.
constexpr const char* kNames[] = {
    "kb/modalities/fuzz.yaml", "kb/techniques.yaml", "kb/conditions.yaml", "kb/goals.yaml",
    "kb/self-care.yaml",       "kb/red-flags.yaml",  "kb/sources.yaml",    "kb/fuzz.yml",
};
constexpr std::size_t kNameCount = sizeof kNames / sizeof kNames[0];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string name = kNames[data[0] % kNameCount];
  knots::load::Layer layer{"fuzz", {}};
  layer.files.push_back({name, std::string(reinterpret_cast<const char*>(data + 1), size - 1)});
  const knots::load::LoadResult result = knots::load::load_layers({layer});

  // Every problem is about the one file, at a line that exists (the parser may point just past
  // the end), or about the whole file.
  std::size_t lines = 1;
  for (std::size_t i = 1; i < size; ++i) lines += data[i] == '\n' ? 1 : 0;
  std::string text;
  for (const auto& d : result.diagnostics) {
    if (d.file != name || d.line < 0 || d.column < 0 || (d.line == 0 && d.column != 0) ||
        static_cast<std::size_t>(d.line) > lines + 1) {
      __builtin_trap();
    }
    text += knots::render::sanitize(d.to_string()) + "\n";
  }
  const std::string json =
      knots::render::validation_json(result.diagnostics, result.files, result.kb.modalities.size(), {}, {});
  if (json.empty() || text.size() > (std::size_t{1} << 30)) __builtin_trap();

  // The model cache is read from disk too: the same bytes, decoded as a cache payload, must be
  // refused, or decode to a model whose encoding decodes and encodes to itself.
  if (auto cached = knots::load::deserialize(std::string_view(reinterpret_cast<const char*>(data), size))) {
    const std::string once = knots::load::serialize(*cached);
    const auto again = knots::load::deserialize(once);
    if (!again || knots::load::serialize(*again) != once) __builtin_trap();
  }
  // A command decodes a few entries of it: the first and last of each kind decode, or are refused,
  // and when the whole decodes they are the whole's entries at those places.
  if (auto cached = knots::load::CachedModel::parse(std::string(reinterpret_cast<const char*>(data), size))) {
    knots::Selection sel;
    for (std::size_t k = 0; k < knots::kKindCount; ++k) {
      const std::size_t n = cached->counts()[k];
      if (n > 0) sel.places[k].push_back(0);
      if (n > 1) sel.places[k].push_back(static_cast<std::uint32_t>(n - 1));
    }
    const auto part = cached->decode(sel);
    if (const auto whole = cached->decode_all()) {
      if (!part || part->modalities.size() != std::min<std::size_t>(whole->kb.modalities.size(), 2) ||
          (!part->modalities.all().empty() && !(part->modalities.all()[0] == whole->kb.modalities.all()[0])))
        __builtin_trap();
    }
  }
  return 0;
}
