// Test helpers: small knowledge bases written inline, loaded through the real loader.
#pragma once

#include <string>
#include <vector>

#include "load/loader.hpp"

namespace knots::test {

/// The vocabulary files every inline modality below can refer to.
inline std::vector<load::InputFile> base_vocabulary() {
  return {
      {"kb/sources.yaml", R"(# sources
- id: S1
  tier: A
  title: A review
- id: S2
  tier: C
  title: A practitioner page
)"},
      {"kb/techniques.yaml", R"(# techniques
- id: effleurage
  name: Effleurage
  definition: Long gliding strokes.
  sources: [S1]
- id: petrissage
  name: Petrissage
  aliases: [kneading]
  definition: Kneading.
  sources: [S1]
)"},
      {"kb/conditions.yaml", R"(# conditions
- id: fever
  name: Fever
  description: A raised temperature.
  guidance: Postpone.
  every_modality:
    level: avoid
    note: Postpone any massage.
  sources: [S1]
- id: blood-thinners
  name: Blood thinners
  aliases: [anticoagulants]
  description: Medicine that slows clotting.
  guidance: Gentle only.
  every_modality:
    level: adapt
    max_pressure: light
    note: Gentle only.
  sources: [S1]
- id: oil-allergy
  name: Oil allergy
  description: Allergy to oils.
  guidance: Tell the therapist.
  sources: [S1]
)"},
      {"kb/goals.yaml", R"(# goals
- id: relaxation
  name: Relaxation
  description: Unwind.
- id: pain-relief
  name: Pain relief
  description: Less pain.
)"},
  };
}

/// A valid modality file; `extra` lines are appended at the end.
inline std::string modality_yaml(const std::string& id, const std::string& name,
                                 const std::string& extra = "") {
  return "id: " + id + "\nname: " + name + R"(
summary: A gentle massage.
description: Long strokes on a table.
pressure:
  min: light
  max: medium
techniques: [effleurage, petrissage]
tools: [hands]
setting:
  surface: [table]
  clothing: undressed
  oil: used
  heat: none
targets: [superficial-muscle]
back: direct
helps_knots: It may ease tension.
goals:
  relaxation: strong
origin: Somewhere.
evidence:
  grade: some
  note: Small trials.
  sources: [S1]
sources: [S1]
)" + extra;
}

/// Loads the base vocabulary plus `files` as one layer.
inline load::LoadResult load_with(std::vector<load::InputFile> files) {
  load::Layer layer{"kb", base_vocabulary()};
  for (auto& f : files) layer.files.push_back(std::move(f));
  return load::load_layers({layer});
}

/// Every diagnostic, one per line, for failure messages and substring checks.
inline std::string all_messages(const load::LoadResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += d.to_string() + "\n";
  return out;
}

}  // namespace knots::test
