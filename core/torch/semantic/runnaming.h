#pragma once

#include "catalog/catalog.h"
#include "semantic/semanticspace.h"

#include <vector>

namespace clade {

// Names the groups of a stored run again from another vocabulary, without clustering again
// (names only; seconds): the run's stored features and assignments, the run's own naming
// settings (name-count, name-candidates, name-score-ratio, gamma-r, gamma-u as recorded, the
// defaults otherwise) and SIC's naming (sic.h, nameGroups). The computed names and their scores
// are replaced in one transaction; a name the user gave stays the one shown. vocabulary holds
// the nouns' text embeddings under the run's model. Returns the run's groups as now stored.
// Worker thread (the catalog connection's).
Result<std::vector<ClusterRecord>> renameRun(Catalog &catalog, qint64 runId, const SemanticVocabulary &vocabulary);

}   // namespace clade
