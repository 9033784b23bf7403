#pragma once

#include "catalog/catalog.h"
#include "common/matrix.h"
#include "common/progress.h"

#include <QStringList>

namespace clade {

class ClipModel;

// SIC's noun space for one CLIP model: the text embeddings of "a photo of a {noun}" for every
// noun of a vocabulary. Computed once per (model, vocabulary) and cached row by row in the
// catalog, so a later run (or a run resumed after a cancel or crash) encodes nothing again.
struct SemanticVocabulary
{
    QStringList nouns;
    FeatureMatrix texts;   // one row per noun
    int computed = 0;      // rows encoded by this call (0 when fully cached)
};

// Runs on the worker thread that owns the model; reports "Embedding vocabulary" progress.
Result<SemanticVocabulary> vocabularyEmbeddings(Catalog &catalog, ClipModel &model, const QString &vocabularyName, const QStringList &nouns,
                                                Progress *progress);

// The id a vocabulary is cached under: its name plus a hash of the prompt and the nouns, so an
// edited vocabulary never reuses stale rows.
QString vocabularyCacheId(const QString &vocabularyName, const QStringList &nouns);

}   // namespace clade
