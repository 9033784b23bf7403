#pragma once

#include <QJsonObject>

#include "catalog/catalog.h"
#include "cluster/clusterer.h"
#include "common/progress.h"
#include "media/decoder.h"
#include "media/features.h"
#include "media/metadata.h"
#include "pipeline/decodefeeder.h"
#include "pipeline/threadlayout.h"
#include "scan/scanner.h"

#include <QStringList>

#include <optional>

namespace clade {

// The implementations the pipeline runs on; app/ wires them (OpenCV, Exiv2, CLIP or the visual
// fallback, SIC or k-means). Not owned.
struct PipelineServices
{
    const ImageDecoder *decoder = nullptr;
    const MetadataReader *metadata = nullptr;
    FeatureExtractor *extractor = nullptr;
    Clusterer *clusterer = nullptr;
};

struct PipelineOptions
{
    QString folder;
    int k = 8;
    quint64 seed = 0;
    int decodeThreads = 0;   // > 0: overrides the layout's decode threads
    // Unset: defaultThreadLayout() for this machine's cores and the extractor. Its
    // inferenceThreads is advice for whoever configures torch; the pipeline cannot apply it.
    std::optional<ThreadLayout> layout = std::nullopt;
};

struct ClusterSummary
{
    int index = 0;
    QString name;
    int size = 0;
    QStringList members;   // paths, most typical first
    std::vector<NameScore> names;
    bool userNamed = false;             // name is the user's (given to this run or carried from an earlier one)
    bool locked = false;                // a re-run keeps its members and name
    std::vector<float> confidences{};   // the clustering's confidence in each of `members`, same order
    int uncertain = 0;                  // members with a confidence below the run's uncertainThreshold()
};

// A photo counts as uncertain when its confidence is below a run's threshold: marked in the
// grid, in the curator's queue (Edit › Next Uncertain), counted per group by the CLI. Confidence
// is the clustering's own: SIC's probability of the photo's group, or k-means's
// 1 - sqrt(d_own / d_other) (0 halfway to another group). Below one half the photo is about as
// close to another group as to its own; but how confidences spread depends on the method and
// the features (image-only SIC on the look descriptor gives nearly every photo less than one
// half), so the threshold is also never above the run's lower quartile: at most a quarter of a
// run is flagged, and a run of clear groups flags none.
inline constexpr float kUncertainBelow = 0.5f;
// min(kUncertainBelow, the lower quartile of the run's confidences); kUncertainBelow when empty.
float uncertainThreshold(std::vector<float> runConfidences);

struct PipelineResult
{
    qint64 runId = 0;
    bool semantic = false;   // false: grouped by look (visual fallback), not by meaning
    QString modelId;
    ClusterMethod method = ClusterMethod::Unknown;
    QJsonObject params;   // the clusterer's settings, K and seed aside, and its "selection" (robust SIC)
    ScanStats scan;
    int embedded = 0;   // photos decoded and embedded in this run
    std::vector<ClusterSummary> clusters;
    std::vector<ProblemRecord> problems;
    QStringList namesNotCarried;   // the user's names of the previous run that no cluster of this one continues
};

class CarryOver;

// scan -> metadata -> decode -> embed -> cluster -> name -> store. Each stage commits its
// results, so a cancelled or crashed run resumes without redoing finished work.
// Runs on one worker thread (it owns the extractor); the Progress callback is called there.
class Pipeline
{
public:
    Pipeline(Catalog &catalog, PipelineServices services);

    Result<ScanStats> scan(const QString &folder, Progress &progress);
    // Decodes and embeds the photos under folder that have no features for the extractor's model.
    // Decoding runs on a bounded pool ahead of this thread, which embeds and stores batch by batch
    // and reports "Embedding" done/total after each. A cancel stops it within one batch.
    Result<int> embed(const QString &folder, const PipelineOptions &options, Progress &progress);
    // The layout embed() uses for these options.
    ThreadLayout threadLayout(const PipelineOptions &options) const;
    Result<PipelineResult> run(const PipelineOptions &options, Progress &progress);
    // Summaries of a stored run (for the CLI and for reopening).
    // membersPerCluster < 0: all members.
    Result<PipelineResult> summarize(qint64 runId, int membersPerCluster = 3) const;

private:
    Result<std::vector<DecodeJob>> photosToEmbed(const QString &folder) const;
    Result<int> embedBatch(const std::vector<DecodedPhoto> &decoded);
    Status clusterAndStore(qint64 runId, const QString &folder, const PipelineOptions &options, Progress &progress);
    Status storeOutcome(qint64 runId, const std::vector<const PhotoRecord *> &rows, const std::vector<const PhotoRecord *> &held,
                        const FeatureMatrix &matrix, const ClusterOutcome &outcome, int k, const CarryOver &carry);

    Catalog &m_catalog;
    PipelineServices m_services;
};

}   // namespace clade
