// JSON output for scripts, in the knots/v1 envelope. The only place that sees nlohmann-json.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/compare.hpp"
#include "query/filter.hpp"
#include "query/pages.hpp"
#include "query/paths.hpp"
#include "query/recommend.hpp"
#include "query/search.hpp"
#include "util/diagnostic.hpp"

namespace knots::render {

inline constexpr const char* kSchema = "knots/v1";

/// How a document is laid out: indented for a person at a terminal, one line for a script (gh
/// does the same): a large list is half the bytes, and half the time, without the indentation.
struct JsonStyle {
  bool pretty = true;
};

/// {"schema":"knots/v1","items":[modality…]}, each item the object of its page (modality_page),
/// made as it is rendered.
std::string list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb,
                      const JsonStyle& style);
/// The modality's object with "schema" first.
std::string modality_json(const ModalityPage& page, const JsonStyle& style);
/// {"schema","items":[{id,name,aliases,definition,sources,used_by}]}
std::string techniques_json(const std::vector<TechniqueUsers>& techniques, const JsonStyle& style);
/// One technique's object with "schema" first.
std::string technique_json(const TechniqueUsers& page, const JsonStyle& style);
/// {"schema","items":[{id,name,aliases,description,guidance,every_modality,red_flags,avoid,adapt,sources}]}
std::string conditions_json(const std::vector<ConditionSummary>& conditions, const JsonStyle& style);
/// {"schema","query","items","more","excluded","notice"}; `explain` adds each item's "breakdown".
std::string recommend_json(const RecommendResult& result, const RecommendRequest& request, bool explain,
                           const JsonStyle& style);
/// {"schema","items","differences","shared","choose","notices"}; `pages` are those of the
/// compared modalities, in order.
std::string compare_json(const CompareResult& result, const std::vector<ModalityPage>& pages,
                         const std::vector<std::string>& notices, const JsonStyle& style);
/// {"schema","query","any","items":[{score,kind,id,name,field,snippet,marks}],"hints"}
std::string search_json(const SearchResult& result, const std::vector<std::string>& terms, bool any,
                        const JsonStyle& style);
/// {"schema","items":[{id,urgency,short,aliases,text,action,sources}]}, emergency first.
std::string red_flags_json(const KnowledgeBase& kb, const JsonStyle& style);
/// {"schema","items":[{id,tier,publisher,title,url,via}]}
std::string sources_json(const std::vector<const Source*>& sources, const JsonStyle& style);
/// One source with "cited_by":[{kind,id}].
std::string source_json(const Source& src, const std::vector<Citation>& citations, const JsonStyle& style);
/// {"schema","items":[topic…]}: each guide topic as its file has it.
std::string guide_json(const KnowledgeBase& kb, const JsonStyle& style);
/// One guide topic's object with "schema" first.
std::string topic_json(const TopicPage& page, const JsonStyle& style);
/// {"schema","conditions","items":[tip…],"left_out":[{id,because}],"screening"}: the tips that no
/// stated condition rules out, each as its file has it; those left out, with the conditions (ids)
/// that rule each out; the warning signs stated (as recommend's "screening").
std::string self_care_list_json(const SelfCareList& list, const std::vector<std::string>& conditions,
                                const JsonStyle& style);
/// One tip's object with "schema" first and "guide": the ids of the topics that list it.
std::string self_care_json(const SelfCarePage& page, const JsonStyle& style);
/// {"schema","folders":[…],"items":[{"id","file"}]}
std::string paths_json(const std::vector<std::string>& layers, const Places& places, const KnowledgeBase& kb,
                       const JsonStyle& style);
/// {"schema","valid","files","modalities","problems":[{file,line,column,message}]}
std::string validation_json(const std::vector<Diagnostic>& problems, std::size_t files,
                            std::size_t modalities, const JsonStyle& style);

}  // namespace knots::render

// The command line's own documents.
namespace knots::render {

/// {"schema","kind":"completion","shell","script"}: `knots completion SHELL --json`.
std::string completion_json(std::string_view shell, std::string_view script, const JsonStyle& style);
/// {"schema","kind":"error","error":{kind,message,name,suggestions,unknown:[{name,suggestions}],
/// problems:[{file,line,column,message}]}} on one line, every field present ([] or null when
/// empty): what `knots --json` writes to stderr when it fails.
std::string error_json(const Failure& failure);

}  // namespace knots::render
