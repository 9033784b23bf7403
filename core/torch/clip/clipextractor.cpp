#include "clipmodel.h"
#include "runtime.h"

namespace clade {

ClipExtractor::ClipExtractor(std::shared_ptr<ClipModel> model) : m_model(std::move(model)) {}

QString ClipExtractor::modelId() const { return m_model->modelId(); }
int ClipExtractor::dimension() const { return m_model->embedDim(); }
int ClipExtractor::inputShortSide() const { return m_model->imageResolution(); }

// Measured on the 2-core CPU: batches of 4-16 run fastest for ViT-B/32 (MEASURED.md).
int ClipExtractor::batchSize() const
{
    return m_model->deviceName() == u"cuda" ? 64 : 8;
}

bool ClipExtractor::onGpu() const
{
    return m_model->deviceName() == u"cuda";
}

void ClipExtractor::setInferenceThreads(int threads)
{
    if (!onGpu())
        torchrt::setThreads(threads);
}

Result<std::vector<std::vector<float>>> ClipExtractor::embed(const std::vector<RgbImage> &images)
{
    auto features = m_model->encodeImages(images);
    if (!features)
        return features.takeError();
    std::vector<std::vector<float>> out;
    out.reserve(features->rows);
    for (std::size_t i = 0; i < features->rows; ++i)
        out.emplace_back(features->row(i), features->row(i) + features->cols);
    return out;
}

} // namespace clade
