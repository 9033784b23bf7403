// CLIP + SIC end to end on the tiny parity model: the vocabulary cache and a semantic run.
#include "catalog/catalog.h"
#include "clip/clipmodel.h"
#include "models/modelmanager.h"
#include "pipeline/pipeline.h"
#include "pipeline/search.h"
#include "semantic/semanticspace.h"
#include "services.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace clade;

class TestSemantic : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_home;   // XDG_DATA_HOME: where the model manager installs models

    static QString tinyWeights() { return test::sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights.safetensors")); }
    static QString bpe() { return test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")); }

    static QStringList nouns(int n)
    {
        QStringList out;
        const QStringList base = {QStringLiteral("dog"),       QStringLiteral("beach"),     QStringLiteral("church"),
                                  QStringLiteral("golf ball"), QStringLiteral("parachute"), QStringLiteral("truck")};
        for (int i = 0; i < n; ++i)
            out << (i < base.size() ? base[i] : QStringLiteral("thing%1").arg(i));
        return out;
    }

private Q_SLOTS:
    void initTestCase() { qputenv("XDG_DATA_HOME", QFile::encodeName(m_home.path())); }

    void vocabularyIsEmbeddedOnceAndResumed()
    {
        CLADE_REQUIRE_SHARED("clip-parity");
        ClipLoadOptions fp32;   // the 1e-5 checks below are fp32's; CUDA's default would be fp16
        fp32.vocabPath = bpe();
        fp32.precision = ClipPrecision::Fp32;
        auto model = ClipModel::load(tinyWeights(), fp32);
        QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error()));
        auto catalog = Catalog::open(m_home.filePath(QStringLiteral("vocab.sqlite")));
        QVERIFY(catalog.ok());
        const QStringList words = nouns(300);

        auto first = vocabularyEmbeddings(**catalog, **model, QStringLiteral("test"), words, nullptr);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error()));
        QCOMPARE(first->computed, 300);
        QCOMPARE(first->texts.rows, std::size_t(300));
        QCOMPARE(first->texts.cols, std::size_t((*model)->embedDim()));
        // The cached rows are the model's own text embeddings of the prompt.
        auto direct = (*model)->encodeTexts({QStringLiteral("a photo of a beach")});
        QVERIFY(direct.ok());
        for (std::size_t j = 0; j < first->texts.cols; ++j)
            QVERIFY(qAbs(first->texts.row(1)[j] - direct->row(0)[j]) < 1e-5f);

        auto second = vocabularyEmbeddings(**catalog, **model, QStringLiteral("test"), words, nullptr);
        QVERIFY(second.ok());
        QCOMPARE(second->computed, 0);   // no recomputation
        QCOMPARE(second->texts.values, first->texts.values);

        // An interrupted embedding resumes: only the missing rows are encoded.
        QCOMPARE(sqlite3_exec((*catalog)->handle(), "DELETE FROM text_features WHERE idx >= 200", nullptr, nullptr, nullptr), SQLITE_OK);
        auto resumed = vocabularyEmbeddings(**catalog, **model, QStringLiteral("test"), words, nullptr);
        QVERIFY(resumed.ok());
        QCOMPARE(resumed->computed, 100);
        // Re-encoded rows were batched differently (other padding length): equal within float noise.
        QCOMPARE(resumed->texts.values.size(), first->texts.values.size());
        for (std::size_t i = 0; i < first->texts.values.size(); ++i)
            QVERIFY(qAbs(resumed->texts.values[i] - first->texts.values[i]) < 1e-5f);

        // Another noun list is another cache entry.
        auto other = vocabularyEmbeddings(**catalog, **model, QStringLiteral("test"), nouns(10), nullptr);
        QVERIFY(other.ok());
        QCOMPARE(other->computed, 10);
    }

    // A model installed through the model manager is picked up by the services: the run embeds
    // with CLIP, runs full SIC and names clusters with scored nouns.
    void installedModelRunsSemanticSic()
    {
        CLADE_REQUIRE_SHARED("clip-parity");
        auto catalogue = builtinCatalogue();
        QVERIFY(catalogue.ok());
        ModelManager manager(*catalogue);
        ImportOptions accept;
        accept.acceptUnknown = true;   // a test model: not in the catalogue
        QVERIFY(manager.importFile(tinyWeights(), QStringLiteral("tiny-vit"), accept).ok());
        QVERIFY(manager.importFile(bpe(), catalogue->vocabulary()->id).ok());   // verified by checksum

        const QString folder = m_home.filePath(QStringLiteral("photos"));
        QDir().mkpath(folder);
        for (int i = 0; i < 16; ++i)
            QVERIFY(
                test::writeJpeg(QStringLiteral("%1/p%2.jpg").arg(folder).arg(i), 96, 80, QColor::fromHsv((i % 2) * 180, 200, 200), 90, i));
        const QString catalogPath = m_home.filePath(QStringLiteral("run.sqlite"));
        ServiceOptions options;
        options.catalogPath = catalogPath;
        auto services = makeServices(options);
        QVERIFY2(services.ok(), qPrintable(services.ok() ? QString() : services.error()));
        QVERIFY(services->engine.semantic);
        QCOMPARE(services->engine.clusterer->method(), ClusterMethod::Sic);
        QVERIFY(services->engine.extractor->modelId().startsWith(QStringLiteral("clip")));

        auto catalog = Catalog::open(catalogPath);
        QVERIFY(catalog.ok());
        Pipeline pipeline(**catalog, services->pipeline());
        Progress progress;
        auto result = pipeline.run({folder, 2, 3, 0}, progress);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error()));
        QVERIFY(result->semantic);
        QCOMPARE(result->method, ClusterMethod::Sic);
        int total = 0;
        for (const ClusterSummary &c : result->clusters) {
            total += c.size;
            QVERIFY(!c.names.empty());
            QVERIFY(c.name.contains(c.names.front().noun));
        }
        QCOMPARE(total, 16);
        // Text search through the services' CLIP text tower ranks the run's photos.
        QVERIFY(services->engine.encodeText);
        auto query = services->engine.encodeText(QStringLiteral("a red photo"));
        QVERIFY2(query.ok(), qPrintable(query.ok() ? QString() : query.error()));
        auto hits = searchRun(**catalog, result->runId, *query);
        QVERIFY2(hits.ok(), qPrintable(hits.ok() ? QString() : hits.error()));
        QCOMPARE(int(hits->size()), int(catalog->get()->runs().assignments(result->runId).value().size()));
        for (std::size_t i = 1; i < hits->size(); ++i)
            QVERIFY((*hits)[i - 1].score >= (*hits)[i].score);

        // The vocabulary was cached in the run's catalog: a second run encodes no text.
        const int cachedRows = [&] {
            sqlite3_stmt *stmt = nullptr;
            sqlite3_prepare_v2((*catalog)->handle(), "SELECT count(*) FROM text_features", -1, &stmt, nullptr);
            sqlite3_step(stmt);
            const int n = sqlite3_column_int(stmt, 0);
            sqlite3_finalize(stmt);
            return n;
        }();
        QVERIFY(cachedRows > 1000);
    }
};

QTEST_GUILESS_MAIN(TestSemantic)
#include "tst_semantic.moc"
