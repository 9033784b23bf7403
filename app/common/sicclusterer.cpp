#include "sicclusterer.h"

#include "sic/sic.h"

namespace clade {

QString SicClusterer::method() const
{
    return m_texts ? QStringLiteral("sic") : QStringLiteral("sic-image-only");
}

Result<ClusterOutcome> SicClusterer::cluster(const FeatureMatrix &features, int k, quint64 seed, Progress *progress)
{
    SicParams params = defaultSicParams(k);
    params.seed = seed;
    Result<SicResult> result = m_texts ? runSic(features, &*m_texts, &m_nouns, params, progress)
                                       : runSic(features, nullptr, nullptr, params, progress);
    if (!result)
        return result.takeError();
    ClusterOutcome out;
    out.method = method();
    out.labels = std::move(result->labels);
    out.confidence = std::move(result->confidence);
    out.names = std::move(result->names);
    out.note = result->stopReason;
    return out;
}

} // namespace clade
