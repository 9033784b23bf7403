#include "pipeline/pipeline.h"

#include "common/paths.h"
#include "media/colour.h"
#include "pipeline/carryover.h"
#include "pipeline/naming.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QThread>

#include <algorithm>
#include <unordered_map>

namespace clade {

Pipeline::Pipeline(Catalog &catalog, PipelineServices services) : m_catalog(catalog), m_services(services) { }

Result<ScanStats> Pipeline::scan(const QString &folder, Progress &progress)
{
    Scanner scanner(m_catalog, m_services.metadata);
    return scanner.scan(folder, progress);
}

ThreadLayout Pipeline::threadLayout(const PipelineOptions &options) const
{
    const FeatureExtractor *extractor = m_services.extractor;
    const InferenceKind kind = !extractor || !extractor->isSemantic() ? InferenceKind::Light
                               : extractor->onGpu()                   ? InferenceKind::GpuModel
                                                                      : InferenceKind::CpuModel;
    ThreadLayout layout = options.layout ? *options.layout : defaultThreadLayout(QThread::idealThreadCount(), kind);
    if (options.decodeThreads > 0)
        layout.decodeThreads = options.decodeThreads;
    return layout;
}

Result<std::vector<DecodeJob>> Pipeline::photosToEmbed(const QString &folder) const
{
    Result<std::vector<PhotoRecord>> photos = m_catalog.photos().under(catalogFolderKey(folder));
    if (!photos)
        return photos.takeError();
    std::vector<qint64> ids;
    for (const PhotoRecord &p : *photos)
        ids.push_back(p.id);
    Result<std::vector<qint64>> done = m_catalog.features().photosWith(m_services.extractor->modelId(), ids);
    if (!done)
        return done.takeError();
    const QSet<qint64> have(done->begin(), done->end());
    std::vector<DecodeJob> todo;
    for (const PhotoRecord &p : *photos) {
        if (!have.contains(p.id))
            todo.push_back({p.id, p.path});
    }
    return todo;
}

Result<int> Pipeline::embed(const QString &folder, const PipelineOptions &options, Progress &progress)
{
    if (!m_services.extractor || !m_services.decoder)
        return fail(QStringLiteral("No image decoder or feature extractor configured"));
    Result<std::vector<DecodeJob>> todo = photosToEmbed(folder);
    if (!todo)
        return todo.takeError();
    const qint64 total = qint64(todo->size());
    const ThreadLayout layout = threadLayout(options);
    m_services.extractor->setInferenceThreads(layout.inferenceThreads);
    FeederOptions feed;
    // Batches of at least 16 keep one transaction per batch worth its cost.
    feed.batchSize = std::size_t(std::max(16, m_services.extractor->batchSize()));
    feed.threads = layout.decodeThreads;
    feed.idlePriority = layout.decodeAtIdlePriority;
    feed.batchesAhead = layout.batchesAhead;
    feed.progress = &progress;
    DecodeOptions decodeOptions;
    decodeOptions.minShortSide = m_services.extractor->inputShortSide();
    DecodeFeeder feeder(*m_services.decoder, decodeOptions, std::move(*todo), feed);
    int embedded = 0;
    qint64 done = 0;
    progress.report(QStringLiteral("Embedding"), 0, total);
    while (std::optional<std::vector<DecodedPhoto>> batch = feeder.next()) {
        Result<int> n = embedBatch(*batch);
        if (!n)
            return n.takeError();
        embedded += *n;
        done += qint64(batch->size());
        progress.report(QStringLiteral("Embedding"), done, total);
    }
    if (progress.cancelled())
        return fail(QStringLiteral("Cancelled"));
    return embedded;
}

// Embeds a decoded batch on this thread and stores it, failures included, in one transaction.
Result<int> Pipeline::embedBatch(const std::vector<DecodedPhoto> &decoded)
{
    std::vector<RgbImage> images;
    std::vector<const DecodedPhoto *> ok;
    for (const DecodedPhoto &d : decoded) {
        if (d.error.isEmpty()) {
            ok.push_back(&d);
            images.push_back(d.image);
        }
    }
    std::vector<std::vector<float>> vectors;
    const std::size_t step = std::size_t(std::max(1, m_services.extractor->batchSize()));
    for (std::size_t s = 0; s < images.size(); s += step) {
        const std::size_t e = std::min(images.size(), s + step);
        Result<std::vector<std::vector<float>>> part =
            m_services.extractor->embed(std::vector<RgbImage>(images.begin() + qsizetype(s), images.begin() + qsizetype(e)));
        if (!part)
            return fail(QStringLiteral("Embedding failed: %1").arg(part.error()));
        if (part->size() != e - s)
            return fail(QStringLiteral("Embedding failed: %1 vectors for %2 images").arg(part->size()).arg(e - s));
        for (auto &v : *part)
            vectors.push_back(std::move(v));
    }
    const QString modelId = m_services.extractor->modelId();
    Status stored = m_catalog.transaction([&]() -> Status {
        for (const DecodedPhoto &d : decoded) {
            if (d.error.isEmpty())
                continue;
            if (Status s = m_catalog.photos().setState(d.photoId, PhotoState::Failed, d.error); !s)
                return s;
            if (Status s = m_catalog.photos().recordProblem(d.path, QStringLiteral("decode"), d.error); !s)
                return s;
        }
        for (std::size_t i = 0; i < ok.size(); ++i) {
            const DecodedPhoto &d = *ok[i];
            if (Status s = m_catalog.photos().setDecodedInfo(d.photoId, dominantColourWord(d.image)); !s)
                return s;
            if (Status s = m_catalog.features().put(d.photoId, modelId, vectors[i]); !s)
                return s;
        }
        return {};
    });
    if (!stored)
        return stored.takeError();
    return int(ok.size());
}

Result<PipelineResult> Pipeline::run(const PipelineOptions &options, Progress &progress)
{
    if (options.k < 1)
        return fail(QStringLiteral("K must be at least 1 (got %1)").arg(options.k));
    if (!m_services.clusterer || !m_services.extractor)
        return fail(QStringLiteral("No clustering method or feature extractor configured"));
    const QString folder = catalogFolderKey(options.folder);
    Result<ScanStats> scanned = scan(folder, progress);
    if (!scanned)
        return scanned.takeError();
    Result<int> embedded = embed(folder, options, progress);
    if (!embedded)
        return embedded.takeError();

    RunRecord record;
    record.folder = folder;
    record.k = options.k;
    record.method = m_services.clusterer->method();
    record.modelId = m_services.extractor->modelId();
    record.seed = options.seed;
    record.softwareVersion = softwareVersion();
    record.semantic = m_services.extractor->isSemantic();
    record.params = m_services.clusterer->parameters();
    Result<qint64> runId = m_catalog.runs().create(record);
    if (!runId)
        return runId.takeError();
    if (Status s = clusterAndStore(*runId, folder, options, progress); !s) {
        (void)m_catalog.runs().finish(*runId, progress.cancelled() ? RunStatus::Cancelled : RunStatus::Failed, s.error());
        return s.takeError();
    }
    Result<PipelineResult> result = summarize(*runId);
    if (result) {
        result->scan = *scanned;
        result->embedded = *embedded;
    }
    return result;
}

Status Pipeline::clusterAndStore(qint64 runId, const QString &folder, const PipelineOptions &options, Progress &progress)
{
    Result<std::vector<PhotoRecord>> photos = m_catalog.photos().under(folder);
    if (!photos)
        return photos.takeError();
    std::vector<qint64> ids;
    for (const PhotoRecord &p : *photos)
        ids.push_back(p.id);
    const QString modelId = m_services.extractor->modelId();
    const auto dim = std::size_t(m_services.extractor->dimension());
    Result<FeatureRows> features = m_catalog.features().rows(modelId, ids, dim);
    if (!features)
        return features.takeError();
    Result<CarryOver> carry = CarryOver::load(m_catalog, folder, runId);
    if (!carry)
        return carry.takeError();
    // Photos of locked groups keep their group; the others are clustered into the rest of K.
    std::vector<const PhotoRecord *> rows, held;
    for (std::size_t i = 0; i < photos->size(); ++i) {
        const PhotoRecord &p = (*photos)[i];
        if (p.state == PhotoState::Ok && features->found[i] && carry->isHeld(p.id))
            held.push_back(&p);
    }
    // The clustered photos' rows, compacted in place in the one matrix read.
    for (std::size_t i :
         features->compact([&](std::size_t i) { return (*photos)[i].state == PhotoState::Ok && !carry->isHeld((*photos)[i].id); }))
        rows.push_back(&(*photos)[i]);
    if (rows.empty() && held.empty())
        return fail(QStringLiteral("No photo in %1 could be read, so there is nothing to cluster").arg(folder));
    const int locked = carry->lockedCount();
    const int k = options.k - locked;
    if (locked > 0 && k < 1)
        return fail(QStringLiteral("K = %1 leaves no group beside the %2 locked ones: choose a K above %2, or unlock a group")
                        .arg(options.k)
                        .arg(locked));
    if (rows.empty())
        return fail(QStringLiteral("Every photo in %1 is in a locked group: unlock one to cluster again").arg(folder));
    if (std::size_t(k) > rows.size())
        return fail(locked == 0 ? QStringLiteral("K = %1 is more than the %2 readable photos in %3").arg(k).arg(rows.size()).arg(folder)
                                : QStringLiteral("K = %1 leaves %2 groups for the %3 photos outside the locked groups in %4")
                                      .arg(options.k)
                                      .arg(k)
                                      .arg(rows.size())
                                      .arg(folder));
    const FeatureMatrix &matrix = features->matrix;
    progress.report(QStringLiteral("Clustering"), 0, 0);
    Result<ClusterOutcome> outcome = m_services.clusterer->cluster(matrix, k, options.seed, &progress);
    if (!outcome)
        return outcome.takeError();
    if (progress.cancelled())
        return fail(QStringLiteral("Cancelled"));
    if (!outcome->details.isEmpty()) {
        QJsonObject params = m_services.clusterer->parameters();
        params.insert(QStringLiteral("selection"), outcome->details);
        if (Status s = m_catalog.runs().setParams(runId, params); !s)
            return s;
    }
    progress.report(QStringLiteral("Naming"), 0, 0);
    return storeOutcome(runId, rows, held, matrix, *outcome, k, *carry);
}

Status Pipeline::storeOutcome(qint64 runId, const std::vector<const PhotoRecord *> &rows, const std::vector<const PhotoRecord *> &held,
                              const FeatureMatrix &matrix, const ClusterOutcome &outcome, int k, const CarryOver &carry)
{
    std::vector<std::vector<const PhotoRecord *>> members(static_cast<std::size_t>(k));
    std::vector<AssignmentRecord> assignments;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int label = outcome.labels[i];
        if (label < 0 || label >= k)
            return fail(QStringLiteral("The clustering returned a label out of range (%1)").arg(label));
        members[std::size_t(label)].push_back(rows[i]);
        assignments.push_back({rows[i]->id, label, outcome.confidence.empty() ? 1.0f : outcome.confidence[i], false});
    }
    QStringList names;
    std::vector<ClusterRecord> clusters(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c) {
        ClusterRecord &record = clusters[std::size_t(c)];
        record.index = c;
        if (std::size_t(c) < outcome.names.size() && !outcome.names[std::size_t(c)].empty()) {
            record.nameScores = outcome.names[std::size_t(c)];
            names << nameFromNouns(record.nameScores);
        } else {
            names << describeByLook(members[std::size_t(c)]);
        }
    }
    makeUnique(names);
    for (int c = 0; c < k; ++c)
        clusters[std::size_t(c)].name = names[c];
    std::vector<CorrectionRecord> corrections;
    carry.apply(runId, rows, matrix, outcome.labels, held, clusters, assignments, corrections);
    if (Status s = m_catalog.runs().storeClusters(runId, clusters, assignments); !s)
        return s;
    for (const CorrectionRecord &c : corrections) {
        if (Status s = m_catalog.corrections().record(c); !s)
            return s;
    }
    return m_catalog.runs().finish(runId, RunStatus::Done);
}

Result<PipelineResult> Pipeline::summarize(qint64 runId, int membersPerCluster) const
{
    Result<std::optional<RunRecord>> run = m_catalog.runs().get(runId);
    if (!run)
        return run.takeError();
    if (!*run)
        return fail(QStringLiteral("There is no run %1 in the catalog").arg(runId));
    PipelineResult out;
    out.runId = runId;
    out.semantic = (*run)->semantic;
    out.modelId = (*run)->modelId;
    out.method = (*run)->method;
    out.params = (*run)->params;
    Result<std::vector<ClusterRecord>> clusters = m_catalog.runs().clusters(runId);
    if (!clusters)
        return clusters.takeError();
    Result<std::vector<AssignmentRecord>> assignments = m_catalog.runs().assignments(runId);
    if (!assignments)
        return assignments.takeError();
    std::unordered_map<qint64, float> confidence;
    std::unordered_map<int, int> uncertain;
    std::vector<float> all;
    for (const AssignmentRecord &a : *assignments)
        all.push_back(a.confidence);
    const float threshold = uncertainThreshold(std::move(all));
    for (const AssignmentRecord &a : *assignments) {
        confidence.emplace(a.photoId, a.confidence);
        uncertain[a.clusterIndex] += a.confidence < threshold ? 1 : 0;
    }
    for (const ClusterRecord &c : *clusters) {
        if (c.removed)
            continue;
        ClusterSummary summary{c.index, c.name, c.size, {}, c.nameScores, !c.userName.isEmpty(), c.locked};
        Result<std::vector<PhotoRecord>> members = m_catalog.runs().members(runId, c.index, membersPerCluster);
        if (!members)
            return members.takeError();
        for (const PhotoRecord &p : *members) {
            summary.members << p.path;
            summary.confidences.push_back(confidence.count(p.id) ? confidence.at(p.id) : 0.0f);
        }
        summary.uncertain = uncertain[c.index];
        out.clusters.push_back(std::move(summary));
    }
    Result<std::vector<ProblemRecord>> problems = m_catalog.photos().problemsUnder((*run)->folder);
    if (!problems)
        return problems.takeError();
    out.problems = std::move(*problems);
    Result<QStringList> notCarried = m_catalog.corrections().namesNotCarried(runId);
    if (!notCarried)
        return notCarried.takeError();
    out.namesNotCarried = std::move(*notCarried);
    return out;
}

float uncertainThreshold(std::vector<float> runConfidences)
{
    if (runConfidences.empty())
        return kUncertainBelow;
    const auto quartile = runConfidences.begin() + std::ptrdiff_t(runConfidences.size() / 4);
    std::nth_element(runConfidences.begin(), quartile, runConfidences.end());
    return std::min(kUncertainBelow, *quartile);
}

}   // namespace clade
