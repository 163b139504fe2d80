// Text for the guide (knots guide) and the self-care tips (knots self-care): the lists and the
// page of one entry, formatted from what query/pages.hpp worked out.
#pragma once

#include <string>
#include <vector>

#include "model/knowledge_base.hpp"
#include "query/pages.hpp"
#include "render/term.hpp"

namespace knots::render {

/// One row per topic (id, name, its one-line answer), then how to read one.
std::string guide_text(const KnowledgeBase& kb, const Style& style);
/// One topic: title and id, the questions it answers, summary, body and citation, then what it
/// points to (warning signs, styles, self-care, areas, related topics), each only when filled.
std::string topic_text(const TopicPage& page, const Style& style);

/// One row per tip (id, name, what it suits, the areas it reaches well); what the stated
/// conditions left out and why; the warning signs stated; then how to read one. `conditions`:
/// whether any were stated.
std::string self_care_list_text(const SelfCareList& list, const KnowledgeBase& kb, bool conditions,
                                const Style& style);
/// One tip: advice, how to do it, how long and how often, what to take care of, the areas it
/// reaches, the evidence, what it suits and the guide topics that list it.
std::string self_care_text(const SelfCarePage& page, const Style& style);

}  // namespace knots::render
