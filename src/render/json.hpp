// JSON output for scripts, in the knots/v1 envelope. The only place that sees nlohmann-json.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/compare.hpp"
#include "query/pages.hpp"
#include "query/paths.hpp"
#include "query/recommend.hpp"
#include "query/search.hpp"
#include "util/diagnostic.hpp"

namespace knots::render {

inline constexpr const char* kSchema = "knots/v1";

/// Indented output (for a terminal) or one line (for a script); indented until told otherwise.
void set_pretty(bool pretty);

/// {"schema":"knots/v1","items":[modality…]}, each item the object of its page (modality_page),
/// made as it is rendered.
std::string list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb);
/// The modality's object with "schema" first.
std::string modality_json(const ModalityPage& page);
/// {"schema","items":[{id,name,aliases,definition,sources,used_by}]}
std::string techniques_json(const std::vector<TechniqueUsers>& techniques);
/// One technique's object with "schema" first.
std::string technique_json(const TechniqueUsers& page);
/// {"schema","items":[{id,name,aliases,description,guidance,every_modality,red_flags,avoid,adapt,sources}]}
std::string conditions_json(const std::vector<ConditionSummary>& conditions);
/// {"schema","query","items","more","excluded","notice"}; `explain` adds each item's "breakdown".
std::string recommend_json(const RecommendResult& result, const RecommendRequest& request, bool explain);
/// {"schema","items","differences","shared","choose","notices"}; `pages` are those of the
/// compared modalities, in order.
std::string compare_json(const CompareResult& result, const std::vector<ModalityPage>& pages,
                         const std::vector<std::string>& notices);
/// {"schema","query","any","items":[{score,kind,id,name,field,snippet,marks}],"hints"}
std::string search_json(const SearchResult& result, const std::vector<std::string>& terms, bool any);
/// {"schema","items":[{id,urgency,short,aliases,text,action,sources}]}, emergency first.
std::string red_flags_json(const KnowledgeBase& kb);
/// {"schema","items":[{id,tier,publisher,title,url,via}]}
std::string sources_json(const KnowledgeBase& kb);
/// One source with "cited_by":[{kind,id}].
std::string source_json(const Source& src, const KnowledgeBase& kb);
/// {"schema","folders":[…],"items":[{"id","file"}]}
std::string paths_json(const std::vector<std::string>& layers, const Places& places, const KnowledgeBase& kb);
/// {"schema","valid","files","modalities","problems":[{file,line,column,message}]}
std::string validation_json(const std::vector<Diagnostic>& problems, std::size_t files,
                            std::size_t modalities);

}  // namespace knots::render
