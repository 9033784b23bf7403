#include "clipcommands.h"

#include "clip/clipmodel.h"
#include "clip/cliptokenizer.h"
#include "io/npy.h"
#include "models/modelmanager.h"
#include "media/decoder.h"
#include "opencv/opencvdecoder.h"
#include "commandline.h"
#include "output.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace clade::cli {

namespace {

const QCommandLineOption kModel{QStringLiteral("model"), QStringLiteral("CLIP weights (.safetensors or OpenAI .pt)."), QStringLiteral("F")};
const QCommandLineOption kVocab{QStringLiteral("vocab"), QStringLiteral("bpe_simple_vocab_16e6.txt.gz."), QStringLiteral("F")};
const QCommandLineOption kOut{QStringLiteral("out"), QStringLiteral("Output .npy file."), QStringLiteral("OUT")};
const QCommandLineOption kForce{QStringLiteral("force"), QStringLiteral("Replace an existing output file.")};
const QCommandLineOption kTensors{QStringLiteral("tensors"), QStringLiteral("Normalised float32 [N,3,R,R] .npy."), QStringLiteral("IN")};
const QCommandLineOption kActivation{QStringLiteral("activation"),
                                     QStringLiteral("quick_gelu or gelu (default: config.json beside the model, "
                                                    "else quick_gelu)."),
                                     QStringLiteral("A")};
const QCommandLineOption kPrecision{QStringLiteral("precision"),
                                    QStringLiteral("fp32, fp16 or bf16 (default: fp16 on CUDA; on the CPU bf16 where it "
                                                   "has avx512_bf16 or AMX, else fp32; fp16 needs CUDA; fp32 for exact results)."),
                                    QStringLiteral("P")};
const QCommandLineOption kCpu{QStringLiteral("cpu"), QStringLiteral("Run on the CPU even when CUDA is available.")};
const QCommandLineOption kTrust{QStringLiteral("trust-file"),
                                QStringLiteral("Load a TorchScript .pt whose checksum matches no catalogue model (it can "
                                               "carry code; only for files whose origin you trust).")};
const QCommandLineOption kReduced{QStringLiteral("reduced-decode"),
                                  QStringLiteral("Decode JPEGs at reduced scale (faster, not bit-exact).")};

QString checkOutput(const QCommandLineParser &parser)
{
    if (!parser.isSet(kOut))
        return QStringLiteral("--out OUT.npy is required");
    if (QFileInfo::exists(parser.value(kOut)) && !parser.isSet(kForce))
        return QStringLiteral("%1 exists; pass --force to replace it").arg(parser.value(kOut));
    return {};
}

// --activation and --precision as load options; an empty string means success.
QString modelOptions(const QCommandLineParser &parser, ClipLoadOptions *options)
{
    options->vocabPath = parser.value(kVocab);
    options->forceCpu = parser.isSet(kCpu);
    options->trustFile = parser.isSet(kTrust);
    if (auto catalogue = builtinCatalogue()) {
        for (const ModelEntry &e : catalogue->entries())
            if (e.hasChecksum())
                options->trustedSha256 << e.sha256;
        for (const InstalledModel &m : ModelManager(*catalogue).installed())
            options->trustedSha256 << m.sha256;   // imported ones were accepted by the user then
    }
    if (parser.isSet(kActivation)) {
        auto activation = parseClipActivation(parser.value(kActivation));
        if (!activation)
            return activation.error();
        options->activation = *activation;
    }
    if (parser.isSet(kPrecision)) {
        auto precision = parseClipPrecision(parser.value(kPrecision));
        if (!precision)
            return precision.error();
        options->precision = *precision;
    }
    return {};
}

Result<std::unique_ptr<ClipModel>> loadModel(const QCommandLineParser &parser, const ClipLoadOptions &options)
{
    if (!parser.isSet(kModel))
        return fail(QStringLiteral("--model F is required"));
    return ClipModel::load(parser.value(kModel), options);
}

// The start encode-images and encode-texts share: --out checked, the model options read and the
// model loaded. Null, with `exitCode` set after the message, when one of them failed.
std::unique_ptr<ClipModel> loadForEncoding(const CommandLine &cl, int &exitCode)
{
    ClipLoadOptions options;
    QString usage = checkOutput(cl.parser);
    if (usage.isEmpty())
        usage = modelOptions(cl.parser, &options);
    if (!usage.isEmpty()) {
        exitCode = cl.usageError(usage);
        return nullptr;
    }
    Result<std::unique_ptr<ClipModel>> model = loadModel(cl.parser, options);
    if (!model) {
        exitCode = error(model.error());
        return nullptr;
    }
    return std::move(*model);
}

int writeFeatures(const QString &path, const Result<FeatureMatrix> &features)
{
    if (!features)
        return error(features.error());
    if (Status s = writeNpy(path, *features); !s)
        return error(s.error());
    return Ok;
}

Result<FeatureMatrix> encodeFiles(ClipModel &model, const QStringList &files, const ImageDecoder &decoder, bool reduced)
{
    DecodeOptions options;
    options.minShortSide = reduced ? model.imageResolution() : 0;
    FeatureMatrix all(0, std::size_t(model.embedDim()));
    constexpr qsizetype batch = 8;
    for (qsizetype start = 0; start < files.size(); start += batch) {
        std::vector<RgbImage> images;
        for (qsizetype i = start; i < std::min(files.size(), start + batch); ++i) {
            auto image = decoder.decode(files[i], options);
            if (!image)
                return fail(QStringLiteral("%1: %2").arg(files[i], image.error()));
            images.push_back(std::move(*image));
        }
        auto part = model.encodeImages(images);
        if (!part)
            return part.takeError();
        all.rows += part->rows;
        all.values.insert(all.values.end(), part->values.begin(), part->values.end());
    }
    return all;
}

}   // namespace

int runTokenize(const QStringList &args)
{
    CommandLine cl(QStringLiteral("tokenize"),
                   QStringLiteral("CLIP token ids of each TEXT, one line per text: start, at most 75 ids, end (a longer text is "
                                  "cut, as CLIP's tokenize(truncate=True) does)."),
                   CommandLine::None);
    cl.parser.addOption(kVocab);
    cl.parser.addPositionalArgument(QStringLiteral("TEXT"), QStringLiteral("Texts to tokenize."), QStringLiteral("TEXT..."));
    if (!cl.parse(args, 0, kAnyCount))
        return cl.exitCode();
    const QCommandLineParser &parser = cl.parser;
    const QString vocab = parser.isSet(kVocab) ? parser.value(kVocab) : ClipModel::defaultVocabPath();
    auto tokenizer = ClipTokenizer::load(vocab);
    if (!tokenizer)
        return error(tokenizer.error());
    for (const QString &text : parser.positionalArguments()) {
        QStringList ids;
        for (int id : (*tokenizer)->tokenizeTruncated(text))   // what the text tower sees, as clip.tokenize does
            ids << QString::number(id);
        print(ids.join(u' '));
    }
    return Ok;
}

int runEncodeImagesWith(const QStringList &args, const ImageDecoder &decoder)
{
    CommandLine cl(QStringLiteral("encode-images"), QStringLiteral("CLIP image embeddings of IMAGES (or --tensors) into --out."),
                   CommandLine::None);
    cl.parser.addOptions({kModel, kVocab, kOut, kForce, kTensors, kReduced, kActivation, kPrecision, kCpu, kTrust});
    cl.parser.addPositionalArgument(QStringLiteral("IMAGES"), QStringLiteral("Image files."), QStringLiteral("[IMAGES...]"));
    if (!cl.parse(args, 0, kAnyCount))
        return cl.exitCode();
    const QCommandLineParser &parser = cl.parser;
    const QStringList files = parser.positionalArguments();
    if (parser.isSet(kTensors) == !files.isEmpty())
        return cl.usageError(QStringLiteral("give either image files or --tensors IN.npy"));
    int failed = Ok;
    const std::unique_ptr<ClipModel> model = loadForEncoding(cl, failed);
    if (!model)
        return failed;
    if (parser.isSet(kTensors)) {
        auto tensors = readNpy(parser.value(kTensors));
        if (!tensors)
            return error(tensors.error());
        return writeFeatures(parser.value(kOut), model->encodeImageTensors(*tensors));
    }
    return writeFeatures(parser.value(kOut), encodeFiles(*model, files, decoder, parser.isSet(kReduced)));
}

int runEncodeImages(const QStringList &args)
{
    const OpenCvDecoder decoder;
    return runEncodeImagesWith(args, decoder);
}

int runEncodeTexts(const QStringList &args)
{
    CommandLine cl(QStringLiteral("encode-texts"), QStringLiteral("CLIP text embeddings of each TEXT into --out."), CommandLine::None);
    cl.parser.addOptions({kModel, kVocab, kOut, kForce, kActivation, kPrecision, kCpu, kTrust});
    cl.parser.addPositionalArgument(QStringLiteral("TEXT"), QStringLiteral("Texts to encode."), QStringLiteral("TEXT..."));
    if (!cl.parse(args, 0, kAnyCount))
        return cl.exitCode();
    int failed = Ok;
    const std::unique_ptr<ClipModel> model = loadForEncoding(cl, failed);
    if (!model)
        return failed;
    if (!model->tokenizer())
        return error(QStringLiteral("no CLIP vocabulary: pass --vocab F or install the model's vocabulary"));
    return writeFeatures(cl.parser.value(kOut), model->encodeTexts(cl.parser.positionalArguments()));
}

}   // namespace clade::cli
