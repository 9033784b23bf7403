// clade-cli search and similar: the catalog's photos closest to a description (CLIP's text
// tower) or to one photo, best first, cut adaptively (pipeline/search.h), through the
// application core as the window's searches are.
#include "commands.h"

#include "commandline.h"
#include "common/paths.h"
#include "output.h"

#include <QFileInfo>
#include <QJsonArray>

#include <optional>

namespace clade::cli {

namespace {

struct SearchFlags
{
    QCommandLineOption limit{QStringLiteral("limit"), QStringLiteral("At most N photos (default 50)."), QStringLiteral("N"),
                             QStringLiteral("50")};
    QCommandLineOption offset{QStringLiteral("offset"), QStringLiteral("Skip the first M photos: the next page (default 0)."),
                              QStringLiteral("M"), QStringLiteral("0")};
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("CLIP weights file or folder (default: the active model)."),
                             QStringLiteral("FILE")};
    QCommandLineOption trust{QStringLiteral("trust-file"),
                             QStringLiteral("Load a TorchScript --model the catalogue does not vouch for (it can carry code).")};
};

// Runs `request` on an application core with the model loaded; prints the page.
int search(const CommandLine &cl, const SearchFlags &flags, SearchRequest request, const QString &what)
{
    qint64 limit = 0;
    qint64 offset = 0;
    if (!cl.intValue(flags.limit, 1, 100000, limit) || !cl.intValue(flags.offset, 0, std::numeric_limits<int>::max(), offset))
        return Usage;
    request.limit = int(limit);
    request.offset = int(offset);
    auto catalog = cl.openCatalog();   // migrates (with its backup) and says so, before the worker opens it
    if (!catalog)
        return error(catalog.error());
    if (request.kind == SearchRequest::Kind::Photo) {
        const QString path = catalogFolderKey(request.text);
        auto photo = (*catalog)->photos().byPath(path);
        if (!photo)
            return error(photo.error());
        if (!*photo)
            return error(QStringLiteral("%1 is not in the catalog: run its folder first").arg(path));
        request.photoId = (*photo)->id;
    }
    AppCore core(cl.catalogPath(), nullptr, nullptr);
    ServiceOptions options;
    options.modelPath = cl.parser.value(flags.model);
    options.catalogPath = cl.catalogPath();
    options.method = QStringLiteral("kmeans");   // no clustering here: the cheapest clusterer to build
    options.trustFile = cl.parser.isSet(flags.trust);
    auto engine = loadEngineInto(core, options);
    if (!engine)
        return error(engine.error());
    if (request.kind == SearchRequest::Kind::Text && !engine->canEncodeText)
        return error(QStringLiteral("Search by description needs a CLIP model: install one (clade-cli models install) or give --model"));
    std::optional<Result<SearchResults>> answer;
    QObject::connect(&core, &AppCore::searched,
                     [&answer](quint64, const SearchRequest &, const Result<SearchResults> &results) { answer = results; });
    core.search(request);
    waitUntil([&answer] { return answer.has_value(); });
    if (!*answer)
        return error(answer->error());
    const SearchResults &found = **answer;
    if (cl.parser.isSet(cl.json)) {
        QJsonArray photos;
        for (std::size_t i = 0; i < found.photos.size(); ++i)
            photos.append(QJsonObject{{QStringLiteral("path"), found.photos[i].path},
                                      {QStringLiteral("id"), found.photos[i].id},
                                      {QStringLiteral("score"), double(found.scores[i])}});
        printJson({{QStringLiteral("query"), what},
                   {QStringLiteral("model"), engine->modelId},
                   {QStringLiteral("total"), found.total},
                   {QStringLiteral("offset"), request.offset},
                   {QStringLiteral("photos"), photos}});
        return Ok;
    }
    for (std::size_t i = 0; i < found.photos.size(); ++i)
        print(QStringLiteral("%1  %2").arg(double(found.scores[i]), 6, 'f', 3).arg(found.photos[i].path));
    const int shownTo = request.offset + int(found.photos.size());
    QString summary = QStringLiteral("%1 photo(s) match %2 (cut by score, model %3); shown %4–%5.")
                          .arg(found.total)
                          .arg(what, engine->modelId)
                          .arg(found.photos.empty() ? 0 : request.offset + 1)
                          .arg(shownTo);
    if (shownTo < found.total)
        summary += QStringLiteral(" More with --offset %1.").arg(shownTo);
    std::fprintf(stderr, "%s\n", qPrintable(summary));
    return Ok;
}

}   // namespace

int runSearchCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("search"),
                   QStringLiteral("The photos of the catalog closest to a description, best first (needs CLIP)."));
    cl.parser.addPositionalArgument(QStringLiteral("TEXT"), QStringLiteral("What to look for, e.g. \"dog on a beach\"."));
    const SearchFlags flags;
    cl.parser.addOptions({flags.limit, flags.offset, flags.model, flags.trust});
    if (!cl.parse(args, 1, 100))
        return cl.exitCode();
    SearchRequest request;
    request.kind = SearchRequest::Kind::Text;
    request.text = cl.parser.positionalArguments().join(QLatin1Char(' ')).simplified();
    if (request.text.isEmpty())
        return cl.usageError(QStringLiteral("the description is empty"));
    return search(cl, flags, request, QStringLiteral("\"%1\"").arg(request.text));
}

int runSimilarCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("similar"), QStringLiteral("The photos of the catalog most like PHOTO, best first (itself first)."));
    cl.parser.addPositionalArgument(QStringLiteral("PHOTO"), QStringLiteral("A photo of a folder that has been run."));
    const SearchFlags flags;
    cl.parser.addOptions({flags.limit, flags.offset, flags.model, flags.trust});
    if (!cl.parse(args, 1, 1))
        return cl.exitCode();
    SearchRequest request;
    request.kind = SearchRequest::Kind::Photo;
    request.text = cl.parser.positionalArguments().constFirst();   // the path, resolved in search()
    return search(cl, flags, request, QStringLiteral("photo %1").arg(QFileInfo(request.text).fileName()));
}

}   // namespace clade::cli
