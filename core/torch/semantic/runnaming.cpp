#include "semantic/runnaming.h"

#include "cluster/sicparameters.h"
#include "pipeline/naming.h"
#include "pipeline/runfeatures.h"
#include "sic/sic.h"

#include <unordered_map>

namespace clade {

Result<std::vector<ClusterRecord>> renameRun(Catalog &catalog, qint64 runId, const SemanticVocabulary &vocabulary)
{
    Result<std::optional<RunRecord>> run = catalog.runs().get(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog").arg(runId));
    if (!(*run)->semantic)
        return fail(QStringLiteral("Run %1 was grouped by look, without CLIP: it has no meaning to name its groups by").arg(runId));
    Result<std::vector<AssignmentRecord>> assignments = catalog.runs().assignments(runId);
    if (!assignments)
        return assignments.takeError();
    Result<std::vector<ClusterRecord>> clusters = catalog.runs().clusters(runId);
    if (!clusters)
        return clusters.takeError();
    std::vector<qint64> ids;
    std::unordered_map<qint64, int> groupOf;
    for (const AssignmentRecord &a : *assignments) {
        ids.push_back(a.photoId);
        groupOf.emplace(a.photoId, a.clusterIndex);
    }
    Result<RunFeatures> features = runFeatures(catalog, runId, ids);
    if (!features)
        return features.takeError();
    if (features->matrix.rows == 0)
        return fail(QStringLiteral("Run %1 has no photo with features of its model %2").arg(runId).arg((*run)->modelId));
    // The run's naming settings as recorded (a run of another method records none: defaults).
    SicParams params = defaultSicParams(int(clusters->size()));
    for (auto it = (*run)->params.constBegin(); it != (*run)->params.constEnd(); ++it) {
        if (it.value().isDouble() && findSicParameter(it.key()))
            (void)setSicParameter(params, it.key(), it.value().toDouble());
    }
    params.k = int(clusters->size());
    std::vector<int> labels;
    labels.reserve(features->photoIds.size());
    for (qint64 id : features->photoIds)
        labels.push_back(groupOf.at(id));
    auto names = nameGroups(features->matrix, labels, vocabulary.texts, vocabulary.nouns, params);
    if (!names)
        return names.takeError();
    QStringList display;
    for (const auto &scores : *names)
        display << nameFromNouns(scores);
    makeUnique(display);
    Status stored = catalog.transaction([&]() -> Status {
        for (const ClusterRecord &c : *clusters) {
            if (c.removed || (*names)[std::size_t(c.index)].empty())
                continue;   // no members: nothing to name it by
            if (Status s = catalog.runs().setComputedName(runId, c.index, display[c.index], (*names)[std::size_t(c.index)]); !s)
                return s;
        }
        return {};
    });
    if (!stored)
        return stored.takeError();
    return catalog.runs().clusters(runId);
}

}   // namespace clade
