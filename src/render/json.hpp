// JSON output for scripts, in the knots/v1 envelope. The only place that sees nlohmann-json.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/compare.hpp"
#include "query/filter.hpp"
#include "query/graph.hpp"
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

/// What was asked, for a document's "query" object: each key with its value as given, in order.
using QueryValue = std::variant<std::nullptr_t, bool, std::size_t, std::string, std::vector<std::string>>;
using Query = std::vector<std::pair<std::string, QueryValue>>;

/// What `knots compare` was asked, and the notes it gives beside the table.
struct CompareQuery {
  std::vector<std::string> names;  ///< as typed
  bool diff = false;               ///< --diff: only the differences ("shared" stays empty)
  std::vector<std::string> notices;
};

// Every document is {"schema": "knots/v1", "kind", "query": {…}, …}: a list under "items", one
// entry under "item". knots(1) (JSON OUTPUT) and `knots schema`
// (man/knots.schema.json) describe each kind.

/// kind "modalities": each item the object of its page (modality_page), made as it is rendered.
std::string list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb,
                      const ListFilter& filter, const JsonStyle& style);
/// The same text, handed to `write` a piece at a time as it is made, so that memory does not grow
/// with the list.
void list_json(const std::vector<const Modality*>& items, const KnowledgeBase& kb, const ListFilter& filter,
               const JsonStyle& style, const std::function<void(std::string_view)>& write);
/// kind "modality".
std::string modality_json(const ModalityPage& page, const KnowledgeBase& kb, const Query& query,
                          const JsonStyle& style);
/// kind "techniques": [{id,name,aliases,definition,plain,sources,used_by}].
std::string techniques_json(const std::vector<TechniqueUsers>& techniques, const JsonStyle& style);
/// kind "technique".
std::string technique_json(const TechniqueUsers& page, const Query& query, const JsonStyle& style);
/// kind "conditions": each condition with the complete "ruled_out" and "capped" lists.
std::string conditions_json(const std::vector<ConditionSummary>& conditions, const JsonStyle& style);
/// kind "condition".
std::string condition_json(const ConditionSummary& summary, const Query& query, const JsonStyle& style);
/// kind "goals": each goal with the styles that suit it ("strong", "some") and the tips.
std::string goals_json(const std::vector<GoalPage>& goals, const JsonStyle& style);
/// kind "goal".
std::string goal_json(const GoalPage& page, const Query& query, const JsonStyle& style);
/// kind "recommendation": query, screening, ranking, items, more, excluded, notice, guide; `explain`
/// fills each item's "breakdown".
std::string recommend_json(const RecommendResult& result, const RecommendRequest& request, bool explain,
                           const JsonStyle& style);
/// kind "comparison": items (the pages of the compared modalities, in order), differences,
/// shared, choose, notices.
std::string compare_json(const CompareResult& result, const std::vector<ModalityPage>& pages,
                         const KnowledgeBase& kb, const CompareQuery& query, const JsonStyle& style);
/// kind "search": query {terms, match, top, read_as}, total, items
/// [{score,kind,id,name,field,label,snippet,marks,aside}], hints, notes.
std::string search_json(const SearchResult& result, const SearchQuery& query, const JsonStyle& style);
/// kind "red-flags": emergency first.
std::string red_flags_json(const KnowledgeBase& kb, const JsonStyle& style);
/// kind "sources": [{id,tier,publisher,title,url,via}].
std::string sources_json(const std::vector<const Source*>& sources, const JsonStyle& style);
/// kind "source": one source with "cited_by":[{kind,id}].
std::string source_json(const Source& src, const std::vector<Citation>& citations, const Query& query,
                        const JsonStyle& style);
/// kind "topics": each guide topic as its file has it.
std::string guide_json(const KnowledgeBase& kb, const JsonStyle& style);
/// kind "topic".
std::string topic_json(const TopicPage& page, const Query& query, const JsonStyle& style);
/// kind "tips": the tips that no stated condition rules out, each as its file has it; those left
/// out, with the conditions (ids) that rule each out; the warning signs stated (as recommend's
/// "screening").
std::string self_care_list_json(const SelfCareList& list, const RecommendRequest& request,
                                const JsonStyle& style);
/// kind "tip": one tip with "guide", the ids of the topics that list it.
std::string self_care_json(const SelfCarePage& page, const Query& query, const JsonStyle& style);
/// kind "paths": folders [{path,from,status,problems}], user_folder, cache, ignored, vocabularies,
/// items [{id,file}] (none when the knowledge base could not be loaded: `kb` null).
std::string paths_json(const std::vector<FolderStatus>& folders, const Places& places,
                       const KnowledgeBase* kb, const JsonStyle& style);
/// kind "validation": valid, files, modalities, items [{file,line,column,message,kind}].
std::string validation_json(const std::vector<Diagnostic>& problems, std::size_t files,
                            std::size_t modalities, const std::vector<std::string>& paths,
                            const JsonStyle& style);
/// kind "graph": nodes [{id,name}], edges [{from,to,relation,shared}].
std::string graph_json(const Graph& graph, const KnowledgeBase& kb, const JsonStyle& style);
/// The JSON Schema of every document (man/knots.schema.json, compiled in), as written; with a
/// `command`, a schema of its own for what that command prints ("error": the error object), every
/// definition kept. Nothing when the schema names no such command.
std::optional<std::string> schema_json(std::string_view command, const JsonStyle& style);
/// The commands the schema describes, in its order, "error" last.
std::vector<std::string> schema_commands();

/// kind "new": the entry written, {id, path}.
std::string new_json(const std::string& id, const std::string& path, const JsonStyle& style);

}  // namespace knots::render
// The command line's own documents.
namespace knots::render {

/// kind "completion": {"query":{"shell"},"shell","script"}: `knots completion SHELL --json`.
std::string completion_json(std::string_view shell, std::string_view script, const JsonStyle& style);
/// {"schema","kind":"error","error":{kind,message,name,suggestions,unknown:[{name,suggestions}],
/// problems:[{file,line,column,message}]}} on one line, every field present ([] or null when
/// empty): what `knots --json` writes to stderr when it fails.
std::string error_json(const Failure& failure);

}  // namespace knots::render
