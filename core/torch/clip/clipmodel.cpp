#include "clipnet.h"
#include "clipweights.h"

#include "clipmodel.h"
#include "clippreprocess.h"
#include "cliptokenizer.h"
#include "common/paths.h"
#include "runtime.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <mutex>
#include <numeric>
#include <optional>

namespace clade {

namespace {

FeatureMatrix toMatrix(const torch::Tensor &features)
{
    const torch::Tensor t = features.to(torch::kCPU, torch::kFloat).contiguous();
    FeatureMatrix m(std::size_t(t.size(0)), std::size_t(t.size(1)));
    std::copy_n(t.data_ptr<float>(), m.values.size(), m.values.data());
    return m;
}

void append(FeatureMatrix &all, const FeatureMatrix &part)
{
    all.cols = part.cols;
    all.rows += part.rows;
    all.values.insert(all.values.end(), part.values.begin(), part.values.end());
}

// The SHA-256 of a weights file, remembered by path, size and modification time in
// cacheDir()/model-hashes.json, so that a start does not read hundreds of megabytes again.
// A file whose size or time changed is hashed anew.
Result<QString> fileHash(const QString &path)
{
    static std::mutex mutex;
    const QFileInfo info(path);
    const QString key = info.canonicalFilePath();
    const qint64 size = info.size();
    const qint64 mtime = info.lastModified().toMSecsSinceEpoch();
    const QString cachePath = cacheDir() + QStringLiteral("/model-hashes.json");
    std::lock_guard lock(mutex);
    QJsonObject cache;
    if (QFile f(cachePath); f.open(QIODevice::ReadOnly))
        cache = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonObject known = cache.value(key).toObject();
    const QString cached = known.value(QStringLiteral("sha256")).toString();
    if (cached.size() == 64 && qint64(known.value(QStringLiteral("size")).toDouble(-1)) == size
        && qint64(known.value(QStringLiteral("mtimeMs")).toDouble(-1)) == mtime)
        return cached;
    QFile f(path);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!f.open(QIODevice::ReadOnly) || !hash.addData(&f))
        return fail(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()));
    const QString sha = QString::fromLatin1(hash.result().toHex());
    cache.insert(
        key,
        QJsonObject{{QStringLiteral("sha256"), sha}, {QStringLiteral("size"), double(size)}, {QStringLiteral("mtimeMs"), double(mtime)}});
    QDir().mkpath(cacheDir());
    QSaveFile out(cachePath);   // a failure only costs the next start a hash
    if (out.open(QIODevice::WriteOnly)) {
        out.write(QJsonDocument(cache).toJson(QJsonDocument::Compact));
        (void)out.commit();
    }
    return sha;
}

bool isTorchScriptArchive(const QString &path)
{
    QFile f(path);
    return !path.endsWith(QStringLiteral(".safetensors"), Qt::CaseInsensitive) && f.open(QIODevice::ReadOnly) && f.read(2) == "PK";
}

// The explicit option wins, then the config beside the weights, then OpenAI's QuickGELU.
// fp16 only on CUDA; Auto is fp16 there, and on the CPU bf16 where the CPU multiplies it natively
// (2.5-2.75x fp32's speed, cosine to fp32 >= 0.9999: README), fp32 elsewhere.
Result<clipnet::BuildOptions> buildOptions(const ClipLoadOptions &options, const clipnet::ConfigHints &hints)
{
    clipnet::BuildOptions out;
    out.heads = hints.heads;
    if (options.activation != ClipActivation::Auto)
        out.activation = options.activation == ClipActivation::Gelu ? clipnet::Activation::Gelu : clipnet::Activation::QuickGelu;
    else
        out.activation = hints.activation.value_or(clipnet::Activation::QuickGelu);
    const bool cuda = !options.forceCpu && torchrt::cudaAvailable();
    if (options.precision == ClipPrecision::Fp16 && !cuda)
        return fail(QStringLiteral("fp16 CLIP inference needs a CUDA device; %1")
                        .arg(options.forceCpu ? QStringLiteral("the CPU was forced") : QStringLiteral("none is available")));
    out.device = cuda ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    switch (options.precision) {
    case ClipPrecision::Fp32: out.dtype = torch::kFloat; break;
    case ClipPrecision::Fp16: out.dtype = torch::kHalf; break;
    case ClipPrecision::Bf16: out.dtype = torch::kBFloat16; break;
    case ClipPrecision::Auto: out.dtype = cuda ? torch::kHalf : torchrt::cpuHasFastBf16() ? torch::kBFloat16 : torch::kFloat; break;
    }
    return out;
}

QString torchError(const std::exception &e)
{
    return QStringLiteral("CLIP inference failed: %1").arg(QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0));
}

}   // namespace

struct ClipModel::Impl
{
    std::optional<clipnet::Net> net;
    std::unique_ptr<ClipTokenizer> tokenizer;
    QString modelId;
    QStringList unused;
    std::int64_t imageBatch = 8;
    std::int64_t textBatch = 64;

    Status build(const QString &weightsPath, const clipnet::BuildOptions &options);
    Result<FeatureMatrix> runImages(const torch::Tensor &images);
    Status checkTokens(const std::vector<std::vector<int>> &rows) const;
    Result<FeatureMatrix> encodeRows(const std::vector<std::vector<int>> &rows, bool fullContext);
};

Result<ClipActivation> parseClipActivation(const QString &name)
{
    if (name == u"auto")
        return ClipActivation::Auto;
    if (name == u"quick_gelu")
        return ClipActivation::QuickGelu;
    if (name == u"gelu")
        return ClipActivation::Gelu;
    return fail(QStringLiteral("Unknown CLIP activation '%1' (use quick_gelu or gelu)").arg(name));
}

Result<ClipPrecision> parseClipPrecision(const QString &name)
{
    if (name == u"auto")
        return ClipPrecision::Auto;
    if (name == u"fp32")
        return ClipPrecision::Fp32;
    if (name == u"fp16")
        return ClipPrecision::Fp16;
    if (name == u"bf16")
        return ClipPrecision::Bf16;
    return fail(QStringLiteral("Unknown CLIP precision '%1' (use fp32, fp16 or bf16)").arg(name));
}

QString clipActivationName(ClipActivation activation)
{
    switch (activation) {
    case ClipActivation::QuickGelu: return QStringLiteral("quick_gelu");
    case ClipActivation::Gelu: return QStringLiteral("gelu");
    case ClipActivation::Auto: break;
    }
    return QStringLiteral("auto");
}

QString clipPrecisionName(ClipPrecision precision)
{
    switch (precision) {
    case ClipPrecision::Fp32: return QStringLiteral("fp32");
    case ClipPrecision::Fp16: return QStringLiteral("fp16");
    case ClipPrecision::Bf16: return QStringLiteral("bf16");
    case ClipPrecision::Auto: break;
    }
    return QStringLiteral("auto");
}

ClipModel::ClipModel() : d(std::make_unique<Impl>()) { }
ClipModel::~ClipModel()
{
    d.reset();
    torchrt::releaseCachedCpuMemory();   // the weights and activations wait for reuse otherwise
}

QString ClipModel::defaultVocabPath()
{
    return dataDir() + QStringLiteral("/models/bpe_simple_vocab_16e6.txt.gz");
}

Result<std::unique_ptr<ClipModel>> ClipModel::load(const QString &weightsPath, const QString &vocabPath)
{
    ClipLoadOptions options;
    options.vocabPath = vocabPath;
    return load(weightsPath, options);
}

Result<std::unique_ptr<ClipModel>> ClipModel::load(const QString &modelPath, const ClipLoadOptions &options)
{
    const Result<QString> resolved = clipnet::resolveWeightsPath(modelPath);
    if (!resolved)
        return fail(resolved.error());
    const QString weightsPath = *resolved;
    torchrt::configure();
    std::unique_ptr<ClipModel> model(new ClipModel);
    const QString vocab = options.vocabPath.isEmpty() ? defaultVocabPath() : options.vocabPath;
    if (!options.vocabPath.isEmpty() || QFile::exists(vocab)) {
        auto tok = ClipTokenizer::load(vocab);
        if (!tok)
            return tok.takeError();
        model->d->tokenizer = std::move(*tok);
    }
    const clipnet::ConfigHints hints = clipnet::hintsFromConfig(weightsPath);
    // Pooling is at the end-of-text token, the largest id, as OpenAI's argmax does; transformers'
    // eos_token_id says the same with 49407, or asks for that argmax with its legacy 2.
    if (hints.eosTokenId && *hints.eosTokenId != 2 && *hints.eosTokenId != 49407)
        return fail(QStringLiteral("%1: config.json pools text at token id %2; Clade pools at CLIP's end-of-text "
                                   "token (49407)")
                        .arg(weightsPath)
                        .arg(*hints.eosTokenId));
    auto build = buildOptions(options, hints);
    if (!build)
        return build.takeError();
    auto hash = fileHash(weightsPath);
    if (!hash)
        return hash.takeError();
    if (isTorchScriptArchive(weightsPath) && !options.trustFile && !options.trustedSha256.contains(*hash))
        return fail(QStringLiteral("%1 is a TorchScript archive, which can carry code, and its SHA-256 (%2) matches "
                                   "no catalogue model. Load it only if you trust where it came from: pass "
                                   "--trust-file, or import it with clade-cli models import FILE --as ID --trust-file.")
                        .arg(weightsPath, *hash));
    const bool gelu = build->activation == clipnet::Activation::Gelu;
    model->d->modelId = QStringLiteral("clip-vit:") + hash->left(16) + (gelu ? QStringLiteral(":gelu") : QString());
    if (Status s = model->d->build(weightsPath, *build); !s)
        return s.takeError();
    return model;
}

Status ClipModel::Impl::build(const QString &weightsPath, const clipnet::BuildOptions &options)
{
    try {
        if (options.device.is_cuda() && options.dtype == torch::kFloat)
            torchrt::disallowTf32();
        auto weights = clipnet::loadWeights(weightsPath);
        if (!weights)
            return weights.takeError();
        std::vector<std::string> extras;
        auto built = clipnet::Net::build(std::move(*weights), options, &extras);
        if (!built)
            return fail(QStringLiteral("%1: %2").arg(weightsPath, built.error()));
        net.emplace(std::move(*built));
        for (const std::string &name : extras)
            unused << QString::fromStdString(name);
        const bool cuda = options.device.is_cuda();
        // CPU: batch 32 ran ViT-B/32 at 12.6-13.2 images/s on the 2-core machine against 5.5-6.4 at
        // batch 8 and 8-9 at 16 (2026-11-27, same code path in eager PyTorch; MEASURED.md's
        // "~8" was not borne out there). Activations at 32 are ~20 MB.
        imageBatch = cuda ? 64 : 32;
        textBatch = cuda ? 256 : 64;
    } catch (const std::exception &e) {
        return fail(
            QStringLiteral("Cannot load CLIP weights %1: %2").arg(weightsPath, QString::fromLocal8Bit(e.what()).section(u'\n', 0, 0)));
    }
    return {};
}

Result<FeatureMatrix> ClipModel::Impl::runImages(const torch::Tensor &images)
{
    try {
        c10::InferenceMode guard;
        FeatureMatrix all;
        for (std::int64_t i = 0; i < images.size(0); i += imageBatch)
            append(all, toMatrix(net->encodeImage(images.slice(0, i, std::min(i + imageBatch, images.size(0))))));
        return all;
    } catch (const std::exception &e) {
        return fail(torchError(e));
    }
}

Result<FeatureMatrix> ClipModel::encodeImages(const std::vector<RgbImage> &images)
{
    const int n = imageResolution();
    const std::int64_t plane = 3 * std::int64_t(n) * n;
    FeatureMatrix all(0, std::size_t(embedDim()));
    for (std::size_t start = 0; start < images.size(); start += std::size_t(d->imageBatch)) {
        const std::size_t count = std::min(images.size() - start, std::size_t(d->imageBatch));
        torch::Tensor batch = torch::empty({std::int64_t(count), 3, n, n}, torch::kFloat);
        for (std::size_t i = 0; i < count; ++i) {
            const RgbImage &image = images[start + i];
            if (image.isNull() || image.data.size() != std::size_t(image.width) * std::size_t(image.height) * 3)
                return fail(QStringLiteral("Image %1 of the batch is empty or malformed").arg(start + i));
            clippre::normalizeInto(clippre::resizeAndCrop(image, n), batch.data_ptr<float>() + std::int64_t(i) * plane);
        }
        auto part = d->runImages(batch);
        if (!part)
            return part.takeError();
        append(all, *part);
    }
    return all;
}

Result<FeatureMatrix> ClipModel::encodeImageTensors(const NpyArray &images)
{
    const std::int64_t n = imageResolution();
    const auto &s = images.shape;
    if (s.size() != 4 || s[1] != 3 || s[2] != n || s[3] != n || images.data.size() != std::size_t(s[0] * 3 * n * n))
        return fail(QStringLiteral("Image tensors must be float32 [N, 3, %1, %1]").arg(n));
    if (s[0] == 0)
        return FeatureMatrix(0, std::size_t(embedDim()));
    const torch::Tensor t = torch::from_blob(const_cast<float *>(images.data.data()), {s[0], 3, n, n}, torch::kFloat);
    return d->runImages(t);
}

Result<FeatureMatrix> ClipModel::encodeTexts(const QStringList &texts)
{
    if (!d->tokenizer)
        return fail(QStringLiteral("No CLIP vocabulary (bpe_simple_vocab_16e6.txt.gz) is installed at %1").arg(defaultVocabPath()));
    std::vector<std::vector<int>> rows;
    rows.reserve(std::size_t(texts.size()));
    for (const QString &text : texts)
        rows.push_back(d->tokenizer->tokenizeTruncated(text, contextLength()));
    return encodeTokenIds(rows);
}

Result<FeatureMatrix> ClipModel::encodeTokenIds(const std::vector<std::vector<int>> &rows)
{
    if (Status s = d->checkTokens(rows); !s)
        return s.takeError();
    return d->encodeRows(rows, false);
}

Result<FeatureMatrix> ClipModel::encodeTokenIdsFullContext(const std::vector<std::vector<int>> &rows)
{
    if (Status s = d->checkTokens(rows); !s)
        return s.takeError();
    return d->encodeRows(rows, true);
}

Status ClipModel::Impl::checkTokens(const std::vector<std::vector<int>> &rows) const
{
    const auto &c = net->config();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i].empty() || int(rows[i].size()) > c.contextLength)
            return fail(QStringLiteral("Token row %1 has %2 ids; 1 to %3 are allowed").arg(i).arg(rows[i].size()).arg(c.contextLength));
        for (int id : rows[i])
            if (id < 0 || id >= c.vocabSize)
                return fail(QStringLiteral("Token row %1 has id %2, outside the vocabulary").arg(i).arg(id));
    }
    return {};
}

// The transformer is causal and pools at the first largest id (EOT), so positions after it
// change nothing: rows are encoded in order of their pooled length and each batch is cut at
// its longest row instead of being padded to the full context. Sorting keeps short prompts
// ("a photo of a cat") out of batches padded for long ones. fullContext pads every row to the
// context as the reference does (for checks and benchmarks).
Result<FeatureMatrix> ClipModel::Impl::encodeRows(const std::vector<std::vector<int>> &rows, bool fullContext)
{
    std::vector<std::int64_t> pooled(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        pooled[i] = std::max_element(rows[i].begin(), rows[i].end()) - rows[i].begin() + 1;
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    if (!fullContext)
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pooled[a] < pooled[b]; });

    const std::int64_t context = net->config().contextLength;
    FeatureMatrix all(rows.size(), std::size_t(net->config().embedDim));
    for (std::size_t start = 0; start < order.size(); start += std::size_t(textBatch)) {
        const std::size_t end = std::min(order.size(), start + std::size_t(textBatch));
        std::int64_t len = fullContext ? context : 1;
        for (std::size_t k = start; k < end; ++k)
            len = std::max(len, pooled[order[k]]);
        torch::Tensor ids = torch::zeros({std::int64_t(end - start), len}, torch::kLong);
        auto acc = ids.accessor<std::int64_t, 2>();
        for (std::size_t k = start; k < end; ++k) {
            const std::vector<int> &row = rows[order[k]];
            const std::int64_t used = std::min<std::int64_t>(len, std::int64_t(row.size()));
            for (std::int64_t j = 0; j < used; ++j)
                acc[std::int64_t(k - start)][j] = row[std::size_t(j)];
        }
        FeatureMatrix part;
        try {
            c10::InferenceMode guard;
            part = toMatrix(net->encodeText(ids));
        } catch (const std::exception &e) {
            return fail(torchError(e));
        }
        for (std::size_t k = start; k < end; ++k)
            std::copy_n(part.row(k - start), all.cols, all.row(order[k]));
    }
    return all;
}

int ClipModel::imageResolution() const
{
    return d->net->config().resolution;
}
int ClipModel::embedDim() const
{
    return d->net->config().embedDim;
}
int ClipModel::contextLength() const
{
    return d->net->config().contextLength;
}
float ClipModel::logitScale() const
{
    return d->net->logitScaleExp();
}
QString ClipModel::modelId() const
{
    return d->modelId;
}
QString ClipModel::deviceName() const
{
    return d->net->device().is_cuda() ? QStringLiteral("cuda") : QStringLiteral("cpu");
}
ClipActivation ClipModel::activation() const
{
    return d->net->activation() == clipnet::Activation::Gelu ? ClipActivation::Gelu : ClipActivation::QuickGelu;
}
ClipPrecision ClipModel::precision() const
{
    const auto dtype = d->net->dtype();
    return dtype == torch::kHalf ? ClipPrecision::Fp16 : dtype == torch::kBFloat16 ? ClipPrecision::Bf16 : ClipPrecision::Fp32;
}
QStringList ClipModel::unusedTensors() const
{
    return d->unused;
}
const ClipTokenizer *ClipModel::tokenizer() const
{
    return d->tokenizer.get();
}

}   // namespace clade
