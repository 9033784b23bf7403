#include "semantic/semanticspace.h"

#include "clip/clipmodel.h"

#include <QCryptographicHash>

namespace clade {

namespace {

const QString kPrompt = QStringLiteral("a photo of a %1");
constexpr int kBatch = 512;   // prompts per encode call (sorted by length there) and per catalog transaction

}   // namespace

QString vocabularyCacheId(const QString &vocabularyName, const QStringList &nouns)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(kPrompt.toUtf8());
    for (const QString &noun : nouns) {
        hash.addData(QByteArrayView("\n", 1));
        hash.addData(noun.toUtf8());
    }
    return QStringLiteral("%1:%2").arg(vocabularyName, QString::fromLatin1(hash.result().toHex().left(16)));
}

Result<SemanticVocabulary> vocabularyEmbeddings(Catalog &catalog, ClipModel &model, const QString &vocabularyName, const QStringList &nouns,
                                                Progress *progress)
{
    if (nouns.isEmpty())
        return fail(QStringLiteral("The vocabulary %1 is empty").arg(vocabularyName));
    const QString id = vocabularyCacheId(vocabularyName, nouns);
    const QString modelId = model.modelId();
    Result<int> cached = catalog.features().textCount(modelId, id);
    if (!cached)
        return cached.takeError();
    SemanticVocabulary out;
    out.nouns = nouns;
    const int total = int(nouns.size());
    for (int start = *cached; start < total; start += kBatch) {
        if (progress && progress->cancelled())
            return fail(QStringLiteral("Cancelled"));
        if (progress)
            progress->report(QStringLiteral("Embedding vocabulary"), start, total);
        const QStringList chunk = nouns.mid(start, kBatch);
        QStringList prompts;
        for (const QString &noun : chunk)
            prompts << kPrompt.arg(noun);
        Result<FeatureMatrix> encoded = model.encodeTexts(prompts);
        if (!encoded)
            return fail(QStringLiteral("Could not embed the vocabulary: %1").arg(encoded.error()));
        if (Status s = catalog.features().putText(modelId, id, start, chunk, *encoded); !s)
            return s.takeError();
        out.computed += int(chunk.size());
    }
    if (progress)
        progress->report(QStringLiteral("Embedding vocabulary"), total, total);
    Result<FeatureMatrix> texts = catalog.features().text(modelId, id, total, model.embedDim());
    if (!texts)
        return texts.takeError();
    out.texts = std::move(*texts);
    return out;
}

}   // namespace clade
