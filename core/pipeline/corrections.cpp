#include "pipeline/corrections.h"

#include "cluster/kmeans.h"
#include "pipeline/runfeatures.h"

#include <algorithm>

namespace clade {

Corrections::Corrections(Catalog &catalog, qint64 runId) : m_catalog(catalog), m_runId(runId) { }

Result<std::vector<qint64>> Corrections::members(int index) const
{
    Result<std::vector<PhotoRecord>> photos = m_catalog.runs().members(m_runId, index);
    if (!photos)
        return photos.takeError();
    std::vector<qint64> ids;
    for (const PhotoRecord &p : *photos)
        ids.push_back(p.id);
    return ids;
}

// The state after the correction; groups it made did not exist before, so undo removes them.
Result<CorrectionStep> Corrections::finish(CorrectionKind kind, const RunState &before, const std::vector<qint64> &photos,
                                           std::vector<int> clusters, const std::vector<int> &made)
{
    clusters.insert(clusters.end(), made.begin(), made.end());
    Result<RunState> after = m_catalog.corrections().runState(m_runId, photos, clusters);
    if (!after)
        return after.takeError();
    CorrectionStep step{kind, before, std::move(*after), made};
    for (int index : made)
        step.before.clusters.push_back({index, {}, false, true});
    return step;
}

Result<CorrectionStep> Corrections::rename(int index, const QString &name)
{
    Result<qint64> id = m_catalog.corrections().clusterId(m_runId, index);
    if (!id)
        return id.takeError();
    Result<RunState> before = m_catalog.corrections().runState(m_runId, {}, {index});
    if (!before)
        return before.takeError();
    if (Status s = m_catalog.corrections().rename(*id, name); !s)
        return s.takeError();
    return finish(CorrectionKind::Rename, *before, {}, {index}, {});
}

Result<CorrectionStep> Corrections::move(const std::vector<qint64> &photoIds, int toIndex)
{
    Result<RunState> before = m_catalog.corrections().runState(m_runId, photoIds, {toIndex});
    if (!before)
        return before.takeError();
    if (Status s = m_catalog.corrections().movePhotos(m_runId, photoIds, toIndex); !s)
        return s.takeError();
    return finish(CorrectionKind::Move, *before, photoIds, {toIndex}, {});
}

Result<CorrectionStep> Corrections::merge(int fromIndex, int intoIndex)
{
    Result<std::vector<qint64>> photos = members(fromIndex);
    if (!photos)
        return photos.takeError();
    Result<std::vector<qint64>> own = members(intoIndex);
    if (!own)
        return own.takeError();
    photos->insert(photos->end(), own->begin(), own->end());
    Result<RunState> before = m_catalog.corrections().runState(m_runId, *photos, {fromIndex, intoIndex});
    if (!before)
        return before.takeError();
    // The target's own photos are marked manual too, not only those moved: a re-run keeps the
    // merged group together.
    if (Status s = m_catalog.corrections().mergeClusters(m_runId, fromIndex, intoIndex, *own); !s)
        return s.takeError();
    return finish(CorrectionKind::Merge, *before, *photos, {fromIndex, intoIndex}, {});
}

Result<CorrectionStep> Corrections::split(int index, int parts, quint64 seed)
{
    if (parts < 2)
        return fail(QStringLiteral("A group is split into at least 2 parts (got %1)").arg(parts));
    Result<std::vector<qint64>> photos = members(index);
    if (!photos)
        return photos.takeError();
    Result<RunFeatures> features = runFeatures(m_catalog, m_runId, *photos);
    if (!features)
        return features.takeError();
    const std::vector<qint64> &rows = features->photoIds;
    if (int(rows.size()) < parts)
        return fail(QStringLiteral("The group has %1 photos with features; it cannot be split into %2 parts").arg(rows.size()).arg(parts));
    const FeatureMatrix &matrix = features->matrix;
    KMeansOptions options;
    options.k = parts;
    options.seed = seed;
    Result<KMeansResult> result = kmeans(matrix, options);
    if (!result)
        return result.takeError();
    std::vector<std::vector<qint64>> split(static_cast<std::size_t>(parts));
    for (std::size_t i = 0; i < rows.size(); ++i)
        split[std::size_t(result->labels[i])].push_back(rows[i]);
    // The largest part keeps the group (and its name); the others become new groups.
    std::stable_sort(split.begin(), split.end(), [](const auto &a, const auto &b) { return a.size() > b.size(); });
    split.erase(std::remove_if(split.begin(), split.end(), [](const auto &part) { return part.empty(); }), split.end());
    if (split.size() < 2)
        return fail(QStringLiteral("The group's photos are too alike to split"));
    Result<RunState> before = m_catalog.corrections().runState(m_runId, rows, {index});
    if (!before)
        return before.takeError();
    // The new groups are named after the split one: "beach (2)", "beach (3)", ...
    Result<std::vector<ClusterRecord>> groups = m_catalog.runs().clusters(m_runId);
    if (!groups)
        return groups.takeError();
    QString base;
    for (const ClusterRecord &c : *groups) {
        if (c.index == index)
            base = c.name;
    }
    QStringList names;
    for (std::size_t p = 1; p < split.size(); ++p)
        names << QStringLiteral("%1 (%2)").arg(base).arg(p + 1);
    Result<std::vector<int>> made = m_catalog.corrections().splitCluster(m_runId, index, split, names);
    if (!made)
        return made.takeError();
    return finish(CorrectionKind::Split, *before, rows, {index}, *made);
}

Result<CorrectionStep> Corrections::setLocked(int index, bool locked)
{
    Result<RunState> before = m_catalog.corrections().runState(m_runId, {}, {index});
    if (!before)
        return before.takeError();
    if (Status s = m_catalog.corrections().setLocked(m_runId, index, locked); !s)
        return s.takeError();
    return finish(locked ? CorrectionKind::Lock : CorrectionKind::Unlock, *before, {}, {index}, {});
}

Result<CorrectionStep> Corrections::create(const QString &name)
{
    Result<int> index = m_catalog.corrections().createCluster(m_runId, name);
    if (!index)
        return index.takeError();
    return finish(CorrectionKind::Create, RunState{m_runId, {}, {}}, {}, {}, {*index});
}

Status Corrections::undo(const CorrectionStep &step)
{
    return m_catalog.corrections().restoreRunState(step.before, CorrectionKind::Undo);
}

Status Corrections::redo(const CorrectionStep &step)
{
    return m_catalog.corrections().restoreRunState(step.after, CorrectionKind::Redo);
}

}   // namespace clade
