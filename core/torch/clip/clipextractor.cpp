#include "clipmodel.h"
#include "runtime.h"

namespace clade {

ClipExtractor::ClipExtractor(std::shared_ptr<ClipModel> model) : m_model(std::move(model)) { }

QString ClipExtractor::modelId() const
{
    return m_model->modelId();
}
int ClipExtractor::dimension() const
{
    return m_model->embedDim();
}
int ClipExtractor::inputShortSide() const
{
    return m_model->imageResolution();
}

// The model's own batch (see ClipModel::load): 32 on the CPU, 64 on CUDA.
int ClipExtractor::batchSize() const
{
    return m_model->deviceName() == u"cuda" ? 64 : 32;
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

}   // namespace clade
