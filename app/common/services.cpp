#include "services.h"

#include "exiv2/exiv2metadatareader.h"
#include "models/modelmanager.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "cluster/kmeansclusterer.h"

#include <QCoreApplication>
#include <QFileInfo>

#ifdef CLADE_HAVE_TORCH
#include "clip/clipmodel.h"
#include "semantic/runnaming.h"
#include "semantic/sicclusterer.h"
#include "vocab/wordnetvocabulary.h"
#endif

namespace clade {

namespace {

#ifdef CLADE_HAVE_TORCH
// The catalogue's activation for an installed model: its config is not stored beside the file,
// and OpenCLIP's laion models need GELU. Auto for anything the catalogue does not describe.
ClipActivation catalogueActivation(const ModelManager &manager, const QString &weights)
{
    const QString canonical = QFileInfo(weights).canonicalFilePath();
    for (const InstalledModel &installed : manager.installed()) {
        if (canonical.isEmpty() || QFileInfo(installed.path).canonicalFilePath() != canonical)
            continue;
        const auto entry = manager.catalogue().find(installed.id);
        const Result<ClipActivation> activation = entry ? parseClipActivation(entry->activation) : Result<ClipActivation>(fail(QString()));
        return activation ? *activation : ClipActivation::Auto;
    }
    return ClipActivation::Auto;
}

// The CLIP weights and BPE vocabulary to use: the given file, else what the model manager has.
Result<std::shared_ptr<ClipModel>> loadClip(const QString &modelPath, bool trustFile)
{
    QString weights = modelPath;
    ClipLoadOptions options;
    options.vocabPath = ClipModel::defaultVocabPath();
    options.trustFile = trustFile;
    if (Result<ModelCatalogue> catalogue = builtinCatalogue()) {
        ModelManager manager(*catalogue);
        // TorchScript files the catalogue vouches for, and those the user imported and accepted.
        for (const ModelEntry &e : catalogue->entries())
            if (e.hasChecksum())
                options.trustedSha256 << e.sha256;
        for (const InstalledModel &m : manager.installed())
            options.trustedSha256 << m.sha256;
        if (weights.isEmpty()) {
            if (const auto preferred = manager.preferredModel())
                weights = preferred->path;
        }
        if (const auto vocabulary = catalogue->vocabulary(); vocabulary && manager.isInstalled(vocabulary->id))
            options.vocabPath = manager.installedPath(vocabulary->id);
        if (!weights.isEmpty())
            options.activation = catalogueActivation(manager, weights);
    }
    if (weights.isEmpty())
        return std::shared_ptr<ClipModel>();   // none installed: the visual fallback
    Result<std::unique_ptr<ClipModel>> model = ClipModel::load(weights, options);
    if (!model)
        return fail(QStringLiteral("Cannot load the CLIP model %1: %2").arg(weights, model.error()));
    return std::shared_ptr<ClipModel>(std::move(*model));
}

// SIC's nouns: the chosen vocabulary (WordNet's sense-tagged nouns by default, and the user's
// words), embedded once per model and cached in the catalog.
VocabularyProvider chosenVocabulary(std::shared_ptr<ClipModel> model, QString catalogPath, VocabularyChoice choice)
{
    return [model, catalogPath, choice](Progress *progress) -> Result<SemanticVocabulary> {
        Result<QStringList> nouns = vocabularyNouns(choice);
        if (!nouns)
            return nouns.takeError();
        Result<std::unique_ptr<Catalog>> catalog = Catalog::open(catalogPath);
        if (!catalog)
            return catalog.takeError();
        return vocabularyEmbeddings(**catalog, *model, vocabularyName(choice), *nouns, progress);
    };
}

// A stored run named again from the chosen vocabulary (names only), on the worker's connection.
std::function<Result<std::vector<ClusterRecord>>(Catalog &, qint64, Progress *)> runRenamer(std::shared_ptr<ClipModel> model,
                                                                                            VocabularyChoice choice)
{
    return [model, choice](Catalog &catalog, qint64 runId, Progress *progress) -> Result<std::vector<ClusterRecord>> {
        Result<std::optional<RunRecord>> run = catalog.runs().get(runId);
        if (!run)
            return run.takeError();
        if (*run && (*run)->modelId != model->modelId())
            return fail(QStringLiteral("Run %1 was made with the model %2, not the loaded %3: use that model to name it again")
                            .arg(runId)
                            .arg((*run)->modelId, model->modelId()));
        Result<QStringList> nouns = vocabularyNouns(choice);
        if (!nouns)
            return nouns.takeError();
        Result<SemanticVocabulary> vocabulary = vocabularyEmbeddings(catalog, *model, vocabularyName(choice), *nouns, progress);
        if (!vocabulary)
            return vocabulary.takeError();
        return renameRun(catalog, runId, *vocabulary);
    };
}
#endif

Result<std::unique_ptr<Clusterer>> makeClusterer(const QString &method, std::function<std::unique_ptr<Clusterer>()> sic)
{
    const QString chosen = method.isEmpty() ? QStringLiteral("auto") : method;
    if (chosen == QLatin1String("kmeans"))
        return std::unique_ptr<Clusterer>(new KMeansClusterer());
    if (chosen == QLatin1String("auto") || chosen == QLatin1String("sic")) {
        if (sic)
            return sic();
        if (chosen == QLatin1String("auto"))
            return std::unique_ptr<Clusterer>(new KMeansClusterer());
        return fail(QStringLiteral("This build of Clade has no libtorch, so SIC is not available; use --method kmeans"));
    }
    return fail(QStringLiteral("Unknown clustering method '%1' (use auto, sic or kmeans)").arg(chosen));
}

}   // namespace

AppServices makeMediaServices()
{
    AppServices services;
    services.metadata = std::make_unique<Exiv2MetadataReader>();
    services.decoder = std::make_unique<OpenCvDecoder>(services.metadata.get());
    return services;
}

Result<AppServices> makeServices(const ServiceOptions &options)
{
    AppServices services = makeMediaServices();
    Result<Engine> engine = makeEngine(options);
    if (!engine)
        return engine.takeError();
    services.engine = std::move(*engine);
    return services;
}

Result<Engine> makeEngine(const ServiceOptions &options)
{
    Engine engine;
    std::function<std::unique_ptr<Clusterer>()> sic;
#ifdef CLADE_HAVE_TORCH
    Result<std::shared_ptr<ClipModel>> clip = options.loadModel ? loadClip(options.modelPath, options.trustFile)
                                                                : Result<std::shared_ptr<ClipModel>>(std::shared_ptr<ClipModel>());
    if (!clip)
        return clip.takeError();
    if (*clip) {
        engine.extractor = std::make_unique<ClipExtractor>(*clip);
        engine.semantic = true;
        engine.encodeText = [model = *clip](const QString &text) -> Result<std::vector<float>> {
            Result<FeatureMatrix> encoded = model->encodeTexts({text});
            if (!encoded)
                return encoded.takeError();
            return std::vector<float>(encoded->row(0), encoded->row(0) + encoded->cols);
        };
        VocabularyProvider vocabulary = chosenVocabulary(*clip, options.catalogPath, options.vocabulary);
        engine.renameRun = runRenamer(*clip, options.vocabulary);
        sic = [vocabulary] { return std::unique_ptr<Clusterer>(new SicClusterer(vocabulary)); };
    } else {
        sic = [] { return std::unique_ptr<Clusterer>(new SicClusterer()); };
    }
#else
    if (!options.modelPath.isEmpty())
        return fail(QStringLiteral("This build of Clade has no libtorch, so it cannot use CLIP models"));
#endif
    if (!engine.extractor)
        engine.extractor = std::make_unique<VisualDescriptor>();
    Result<std::unique_ptr<Clusterer>> clusterer = makeClusterer(options.method, sic);
    if (!clusterer)
        return clusterer.takeError();
    engine.clusterer = std::move(*clusterer);
    // Shown by the GUI's status bar (translated there) and printed by the CLI.
    engine.description =
        engine.semantic
            ? QCoreApplication::translate("clade::Engine", "CLIP model %1: grouped by meaning, named from WordNet nouns; method %2")
                  .arg(engine.extractor->modelId(), clusterMethodName(engine.clusterer->method()))
            : QCoreApplication::translate("clade::Engine",
                                          "No CLIP model installed: grouped by look (colour, texture, layout), not by meaning; method %1")
                  .arg(clusterMethodName(engine.clusterer->method()));
    return engine;
}

}   // namespace clade
