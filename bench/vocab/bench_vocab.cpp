// SIC's vocabulary text embedding ("a photo of a {noun}" for every noun), timed three ways in
// one run on the same model:
//   reference   every prompt padded to the full context (77 positions), batches in list order,
//               as the reference implementation encodes them; measured on a sample and
//               extrapolated to the whole vocabulary
//   clade       the product path: vocabularyEmbeddings() into a fresh catalog (trimmed,
//               length-sorted batches, rows written to SQLite as they come)
// and prints texts/s, the time for the whole vocabulary and the ratio, with the targets
// (ViT-B/32 on the 2-core CPU: the full WordNet list under 10 minutes, the default list under 2).
//
//   bench_vocab --weights W.safetensors --bpe bpe_simple_vocab_16e6.txt.gz
//               [--vocabulary tagged|reference|cleaned] [--limit N] [--sample N] [--wordnet DIR]
//
// bench/embed/make_weights.py writes a ViT-B/32-shaped model with RANDOM weights: speed only.
// --limit encodes only the first N nouns (the whole list by default).
#include "clip/clipmodel.h"
#include "clip/cliptokenizer.h"
#include "common/openmpenv.h"
#include "runtime.h"
#include "semantic/semanticspace.h"
#include "vocab/wordnetvocabulary.h"

#include <torch/torch.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>

using namespace clade;

namespace {

QString option(const QStringList &args, const QString &name, const QString &fallback = {})
{
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

int die(const QString &message)
{
    std::fprintf(stderr, "bench_vocab: %s\n", qPrintable(message));
    return 1;
}

}   // namespace

int main(int argc, char **argv)
{
    ensurePassiveOpenMpWait(argv);   // as the product runs
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString weights = option(args, QStringLiteral("--weights"));
    const QString bpe = option(args, QStringLiteral("--bpe"));
    if (weights.isEmpty() || bpe.isEmpty())
        return die(QStringLiteral("--weights W.safetensors and --bpe bpe_simple_vocab_16e6.txt.gz are required"));
    const QString kindName = option(args, QStringLiteral("--vocabulary"), QStringLiteral("tagged"));
    VocabularyKind kind = VocabularyKind::Tagged;
    if (kindName == u"reference")
        kind = VocabularyKind::Reference;
    else if (kindName == u"cleaned")
        kind = VocabularyKind::Cleaned;
    else if (kindName != u"tagged")
        return die(QStringLiteral("--vocabulary must be tagged, reference or cleaned"));

    torchrt::configure();
    auto nouns = wordNetNouns(option(args, QStringLiteral("--wordnet"), defaultWordNetDir()), kind);
    if (!nouns)
        return die(nouns.error());
    const int limit = option(args, QStringLiteral("--limit"), QString::number(nouns->size())).toInt();
    const QStringList list = nouns->mid(0, std::max(1, limit));
    const int sample = std::min<int>(int(list.size()), option(args, QStringLiteral("--sample"), QStringLiteral("256")).toInt());

    QElapsedTimer timer;
    timer.start();
    ClipLoadOptions load;
    load.vocabPath = bpe;
    auto model = ClipModel::load(weights, load);
    if (!model)
        return die(model.error());
    std::printf("model: %s on %s, loaded in %.1f s; %d torch threads\n", qPrintable(QFileInfo(weights).fileName()),
                qPrintable((*model)->deviceName()), timer.nsecsElapsed() / 1e9, torch::get_num_threads());
    std::printf("vocabulary: %s, %lld nouns (%lld in WordNet's list), prompt \"a photo of a {noun}\"\n", qPrintable(kindName),
                static_cast<long long>(list.size()), static_cast<long long>(nouns->size()));

    // Token lengths, to show what trimming has to work with.
    std::vector<std::vector<int>> rows;
    double tokenSum = 0;
    int longest = 0;
    for (const QString &noun : list) {
        rows.push_back((*model)->tokenizer()->tokenizeTruncated(QStringLiteral("a photo of a %1").arg(noun), (*model)->contextLength()));
        tokenSum += double(rows.back().size());
        longest = std::max(longest, int(rows.back().size()));
    }
    std::printf("tokens per prompt (SOT..EOT): mean %.2f, longest %d, context %d\n", tokenSum / double(list.size()), longest,
                (*model)->contextLength());

    timer.restart();
    auto reference = (*model)->encodeTokenIdsFullContext({rows.begin(), rows.begin() + sample});
    if (!reference)
        return die(reference.error());
    const double referenceRate = sample / (timer.nsecsElapsed() / 1e9);

    QTemporaryDir dir;
    auto catalog = Catalog::open(dir.filePath(QStringLiteral("bench.sqlite")));
    if (!catalog)
        return die(catalog.error());
    timer.restart();
    auto product = vocabularyEmbeddings(**catalog, **model, QStringLiteral("bench-") + kindName, list, nullptr);
    if (!product)
        return die(product.error());
    const double productSeconds = timer.nsecsElapsed() / 1e9;
    const double productRate = list.size() / productSeconds;

    // Same numbers: the first `sample` rows of both paths, as |a - b| / |a| per row.
    double worst = 0;
    for (int i = 0; i < sample; ++i) {
        double diff = 0, norm = 0;
        for (std::size_t c = 0; c < reference->cols; ++c) {
            const double a = reference->row(std::size_t(i))[c], b = product->texts.row(std::size_t(i))[c];
            diff += (a - b) * (a - b);
            norm += a * a;
        }
        worst = std::max(worst, std::sqrt(diff / std::max(norm, 1e-30)));
    }

    const double target = kind == VocabularyKind::Tagged ? 120 : 600;
    std::printf("\n%-44s %10s %14s\n", "", "texts/s", "whole list");
    std::printf("%-44s %10.1f %12.0f s  (%d-prompt sample, extrapolated)\n", "reference: padded to the context", referenceRate,
                list.size() / referenceRate, sample);
    std::printf("%-44s %10.1f %12.1f s  (measured, catalog writes included)\n", "clade: trimmed, length-sorted, cached", productRate,
                productSeconds);
    std::printf("ratio clade / reference: %.1fx; largest relative difference on the sample: %.1e\n", productRate / referenceRate, worst);
    if (limit >= nouns->size())
        std::printf("target for the %s list on the 2-core CPU (ViT-B/32): %.0f s: %s\n", qPrintable(kindName), target,
                    productSeconds <= target ? "met" : "MISSED");
    return 0;
}
