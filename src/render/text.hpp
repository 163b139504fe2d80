// Text output for people: lists, the full page of a modality, the vocabularies.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/compare.hpp"
#include "query/filter.hpp"
#include "query/pages.hpp"
#include "query/paths.hpp"
#include "query/recommend.hpp"
#include "query/search.hpp"
#include "render/term.hpp"
#include "util/diagnostic.hpp"

namespace knots::render {

/// One line per modality: id, name, pressure range, summary.
std::string list_text(const std::vector<const Modality*>& items, const Style& style);

/// One modality, in sections, wrapped to the style's width; `kb` gives the names of what the page
/// refers to by id. In short (at most 48 lines, two screens, when it can): what it is and how it
/// feels, pressure, setting, how it helps knots, the evidence, the cautions that rule it out or
/// limit its pressure with the rest counted, and the ids of its sources, which a page over 48 lines
/// gives up first (then the scale under the pressure bar, then the other names), never its prose
/// or a caution; `full`: everything, every caution and source in full.
std::string modality_text(const ModalityPage& page, const KnowledgeBase& kb, bool full, const Style& style);

/// The pressure range drawn on the light→deep scale, each line indented by `indent`: the bar with the
/// range in words, then (when `scale`) the names of the levels under it.
std::string pressure_bar(const PressureRange& range, std::size_t indent, const Style& style,
                         bool scale = true);

/// One block per technique: id, name, definition.
std::string techniques_text(const KnowledgeBase& kb, const Style& style);
/// One technique: name, aliases, definition, and the modalities that use it.
std::string technique_text(const TechniqueUsers& page, const Style& style);
/// One block per condition: guidance, its rule, its warning signs, what it rules out and adapts.
/// Each goal: its name, what it means, the styles that suit it well or can help, and the tips.
std::string goals_text(const std::vector<GoalPage>& goals, const Style& style);
std::string conditions_text(const std::vector<ConditionSummary>& conditions, const KnowledgeBase& kb,
                            const Style& style);

/// Side by side in a table that fits the width; differing rows first and marked; then what they
/// share (unless `diff_only`) and when to choose which.
std::string compare_text(const CompareResult& result, bool diff_only, const Style& style);

/// What mistyped words were read as ("Read 'sholder' as 'shoulder'."), or "".
std::string search_read_as_text(const SearchResult& result, const Style& style);
/// What the words were read as; then one block per hit: rank, name, kind and id, score; then the
/// field's label and its snippet, matches highlighted when colour is on. The warning signs the
/// query names come first, under their own heading; a last line says how many more there are.
std::string search_text(const SearchResult& result, const Style& style);
/// For stderr: with no match, the closest words, what knots covers and `recommend --ask`; and
/// what knots says about a subject it does not cover. Empty when there is nothing to say.
std::string search_message_text(const SearchResult& result, const SearchQuery& query, const Style& style);

/// The knowledge-base folders in order with the state of each, then which file each modality came
/// from (`kb` null: none could be loaded).
std::string paths_text(const std::vector<FolderStatus>& folders, const Places& places,
                       const KnowledgeBase* kb, const Style& style);

/// The ranked shortlist, what was ruled out and why; with `explain`, each score's parts.
std::string recommend_text(const RecommendResult& result, const RecommendRequest& request,
                           const KnowledgeBase& kb, bool explain, const Style& style);
/// The red flags grouped emergency, urgent, soon, each group with what to do.
std::string red_flags_text(const KnowledgeBase& kb, const Style& style);
/// One line per source: id, tier, publisher and title; then what the tiers mean.
std::string sources_text(const std::vector<const Source*>& sources, const Style& style);
/// One source: tier, publisher, title, address, the copy read, and the entries that cite it.
std::string source_text(const Source& src, const std::vector<Citation>& citations, const Style& style);
/// The safety notice that goes to stderr: not a diagnosis, where the warning signs are, and the
/// self-care that suits, in at most five lines at 80 columns; `full`: every red flag by urgency
/// and each tip's advice.
std::string recommend_notice_text(const RecommendResult& result, bool full, const Style& style);

}  // namespace knots::render
