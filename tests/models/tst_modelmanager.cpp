#include "models/modelcatalogue.h"
#include "models/modelmanager.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace clade;

namespace {

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QJsonObject validEntry()
{
    return QJsonObject{{QStringLiteral("id"), QStringLiteral("m1")},
                       {QStringLiteral("kind"), QStringLiteral("model")},
                       {QStringLiteral("name"), QStringLiteral("Model one")},
                       {QStringLiteral("architecture"), QStringLiteral("ViT-B/32")},
                       {QStringLiteral("activation"), QStringLiteral("quick_gelu")},
                       {QStringLiteral("fileName"), QStringLiteral("m1.pt")},
                       {QStringLiteral("format"), QStringLiteral("openai-jit")},
                       {QStringLiteral("urls"), QJsonArray{QStringLiteral("https://example.org/m1.pt")}},
                       {QStringLiteral("redirectHosts"), QJsonArray{}},
                       {QStringLiteral("size"), 10},
                       {QStringLiteral("sha256"), QString(64, QLatin1Char('a'))},
                       {QStringLiteral("licence"), QStringLiteral("MIT")},
                       {QStringLiteral("source"), QStringLiteral("test")}};
}

QByteArray catalogueWith(const QJsonObject &entry, const QString &defaultId = QStringLiteral("m1"))
{
    return QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                     {QStringLiteral("default"), defaultId},
                                     {QStringLiteral("entries"), QJsonArray{entry}}})
        .toJson();
}

}   // namespace

class TestModelManager : public QObject
{
    Q_OBJECT

private:
    const QByteArray m_content = QByteArray("pretend checkpoint bytes ").repeated(1000);
    QTemporaryDir m_dir;

    ModelCatalogue catalogue() const
    {
        ModelEntry e;
        e.id = QStringLiteral("tiny");
        e.name = QStringLiteral("Tiny model");
        e.architecture = QStringLiteral("ViT-B/32");
        e.fileName = QStringLiteral("tiny.safetensors");
        e.format = QStringLiteral("safetensors");
        e.urls = {QStringLiteral("https://example.org/tiny.safetensors")};
        e.size = m_content.size();
        e.sha256 = sha256(m_content);
        return ModelCatalogue({e}, e.id);
    }

    QString source(const QString &name, const QByteArray &data) const
    {
        const QString path = m_dir.path() + QStringLiteral("/src-") + name;
        return writeFile(path, data) ? path : QString();
    }

private Q_SLOTS:
    void builtinCatalogueIsConsistent()
    {
        const auto catalogue = builtinCatalogue();
        QVERIFY2(catalogue.ok(), catalogue.ok() ? "" : qPrintable(catalogue.error()));
        QCOMPARE(catalogue->defaultId(), QStringLiteral("openai-vit-b-32"));
        QCOMPARE(catalogue->models().size(), 4);
        QVERIFY(catalogue->vocabulary().has_value());
        for (const ModelEntry &e : catalogue->entries()) {
            QVERIFY2(e.hasChecksum() && e.size, qPrintable(e.id));
            // OpenAI's URLs carry the file's SHA-256 as their second-to-last path component.
            const QStringList parts = QUrl(e.urls.first()).path().split(QLatin1Char('/'));
            if (e.format == QLatin1String("openai-jit"))
                QCOMPARE(parts.at(parts.size() - 2), e.sha256);
            QCOMPARE(parts.last(), e.fileName);
        }
    }

    void catalogueErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QJsonObject e = validEntry();
        QTest::newRow("not json") << QByteArray("{\"version\": 1, ") << QStringLiteral("not valid JSON");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("top level");
        QTest::newRow("version") << QByteArray("{\"version\": 2}") << QStringLiteral("version");
        QTest::newRow("no entries") << QByteArray("{\"version\": 1, \"entries\": []}") << QStringLiteral("entries");
        e.remove(QStringLiteral("sha256"));
        QTest::newRow("missing sha256") << catalogueWith(e) << QStringLiteral("\"sha256\" is missing");
        e = validEntry();
        e.insert(QStringLiteral("sha256"), QStringLiteral("ABC"));
        QTest::newRow("bad sha256") << catalogueWith(e) << QStringLiteral("64 lower-case hex");
        e = validEntry();
        e.insert(QStringLiteral("urls"), QJsonArray{QStringLiteral("http://example.org/m1.pt")});
        QTest::newRow("http url") << catalogueWith(e) << QStringLiteral("not an https URL");
        e = validEntry();
        e.insert(QStringLiteral("size"), -5);
        QTest::newRow("negative size") << catalogueWith(e) << QStringLiteral("\"size\"");
        e = validEntry();
        e.insert(QStringLiteral("fileName"), QStringLiteral("../evil.pt"));
        QTest::newRow("path in file name") << catalogueWith(e) << QStringLiteral("plain file name");
        e = validEntry();
        e.insert(QStringLiteral("name"), 5);
        QTest::newRow("name not a string") << catalogueWith(e) << QStringLiteral("\"name\" must be");
        QTest::newRow("unknown default") << catalogueWith(validEntry(), QStringLiteral("nope")) << QStringLiteral("\"default\"");
        const QJsonArray twice{validEntry(), validEntry()};
        QTest::newRow("duplicate id") << QJsonDocument(QJsonObject{{QStringLiteral("version"), 1},
                                                                   {QStringLiteral("default"), QStringLiteral("m1")},
                                                                   {QStringLiteral("entries"), twice}})
                                             .toJson()
                                      << QStringLiteral("used twice");
    }

    void catalogueErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        const auto result = parseCatalogue(json, QStringLiteral("test.json"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().contains(expected), qPrintable(result.error()));
        QVERIFY2(result.error().startsWith(QLatin1String("test.json")), qPrintable(result.error()));
    }

    void validCatalogueParses()
    {
        const auto result = parseCatalogue(catalogueWith(validEntry()), QStringLiteral("test.json"));
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error()));
        QCOMPARE(result->entries().size(), 1);
        QCOMPARE(result->entries().first().size, std::optional<qint64>(10));
    }

    void importWithRightChecksum()
    {
        QTemporaryDir models;
        ModelManager manager(catalogue(), models.path());
        const QString src = source(QStringLiteral("right"), m_content);
        const auto result = manager.importFile(src, QStringLiteral("tiny"));
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error()));
        QVERIFY(result->verified());
        QVERIFY(QFile::exists(src));   // the user's file stays where it was
        QFile installed(manager.installedPath(QStringLiteral("tiny")));
        QVERIFY(installed.open(QIODevice::ReadOnly));
        QCOMPARE(installed.readAll(), m_content);
        // A fresh manager trusts the record without re-hashing.
        ModelManager again(catalogue(), models.path());
        QCOMPARE(again.installed().size(), 1);
        QCOMPARE(again.preferredModel()->id, QStringLiteral("tiny"));
    }

    void importWithWrongChecksumIsRefused()
    {
        QTemporaryDir models;
        ModelManager manager(catalogue(), models.path());
        QByteArray tampered = m_content;
        tampered[10] = 'X';
        const auto result = manager.importFile(source(QStringLiteral("wrong"), tampered), QStringLiteral("tiny"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().contains(QLatin1String("was not imported")), qPrintable(result.error()));
        QVERIFY(!manager.isInstalled(QStringLiteral("tiny")));
        QVERIFY(manager.installed().isEmpty());
        QVERIFY(!QFile::exists(manager.targetPath(*catalogue().find(QStringLiteral("tiny")))));
    }

    void unknownFileNeedsExplicitAcceptance()
    {
        QTemporaryDir models;
        ModelManager manager(catalogue(), models.path());
        const QString src = source(QStringLiteral("custom.pt"), QByteArray("my own fine-tune"));
        const auto refused = manager.importFile(src, QStringLiteral("my-model"));
        QVERIFY(!refused.ok());
        QVERIFY(!manager.isInstalled(QStringLiteral("my-model")));
        ImportOptions accept;
        accept.acceptUnknown = true;
        const auto accepted = manager.importFile(src, QStringLiteral("my-model"), accept);
        QVERIFY2(accepted.ok(), accepted.ok() ? "" : qPrintable(accepted.error()));
        QVERIFY(accepted->userAccepted);
        ModelManager again(catalogue(), models.path());
        const auto model = again.installedModel(QStringLiteral("my-model"));
        QVERIFY(model.has_value());
        QVERIFY(model->userAccepted);
        QCOMPARE(model->format, QStringLiteral("openai-jit"));
    }

    void changedFileIsNoLongerInstalled()
    {
        QTemporaryDir models;
        ModelManager manager(catalogue(), models.path());
        QVERIFY(manager.importFile(source(QStringLiteral("c"), m_content), QStringLiteral("tiny")).ok());
        const QString path = manager.installedPath(QStringLiteral("tiny"));
        QVERIFY(writeFile(path, m_content.left(100)));
        QVERIFY(!manager.isInstalled(QStringLiteral("tiny")));
        QVERIFY(!ModelManager(catalogue(), models.path()).isInstalled(QStringLiteral("tiny")));
        QVERIFY(!manager.verify(QStringLiteral("tiny")).ok());
        QVERIFY(writeFile(path, m_content));
        QVERIFY(manager.verify(QStringLiteral("tiny")).ok());
        QVERIFY(manager.isInstalled(QStringLiteral("tiny")));
    }

    void strayFileIsNotInstalled()
    {
        QTemporaryDir models;
        ModelManager manager(catalogue(), models.path());
        const QString target = manager.targetPath(*catalogue().find(QStringLiteral("tiny")));
        QVERIFY(QDir().mkpath(QFileInfo(target).absolutePath()));
        QVERIFY(writeFile(target, m_content));   // right bytes, but nobody verified them
        QVERIFY(!manager.isInstalled(QStringLiteral("tiny")));
        QVERIFY(!manager.preferredModel().has_value());
    }

    void removeDeletesFileAndRecord()
    {
        QTemporaryDir models;
        ModelManager manager(catalogue(), models.path());
        QVERIFY(manager.importFile(source(QStringLiteral("d"), m_content), QStringLiteral("tiny")).ok());
        const QString path = manager.installedPath(QStringLiteral("tiny"));
        QVERIFY(manager.remove(QStringLiteral("tiny")).ok());
        QVERIFY(!QFile::exists(path));
        QVERIFY(!manager.isInstalled(QStringLiteral("tiny")));
        QVERIFY(!ModelManager(catalogue(), models.path()).isInstalled(QStringLiteral("tiny")));
        QVERIFY(!manager.remove(QStringLiteral("nothing-here")).ok());
    }

    void damagedRecordMeansNothingInstalled()
    {
        QTemporaryDir models;
        {
            ModelManager manager(catalogue(), models.path());
            QVERIFY(manager.importFile(source(QStringLiteral("e"), m_content), QStringLiteral("tiny")).ok());
        }
        QVERIFY(writeFile(models.path() + QStringLiteral("/installed.json"), QByteArray("{ not json")));
        ModelManager manager(catalogue(), models.path());
        QVERIFY(manager.installed().isEmpty());
        QVERIFY(manager.verify(QStringLiteral("tiny")).ok());   // re-hashing brings it back
        QVERIFY(manager.isInstalled(QStringLiteral("tiny")));
    }

    void importsTheRealVocabularyFile()
    {
        CLADE_REQUIRE_SHARED("clip-parity/bpe_simple_vocab_16e6.txt.gz");
        const auto builtin = builtinCatalogue();
        QVERIFY(builtin.ok());
        QTemporaryDir models;
        ModelManager manager(*builtin, models.path());
        const auto result = manager.importFile(clade::test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")),
                                               QStringLiteral("clip-bpe-vocab-16e6"));
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error()));
        QVERIFY(result->verified());
        QVERIFY(!manager.preferredModel().has_value());   // a vocabulary is not a model
    }
};

QTEST_GUILESS_MAIN(TestModelManager)
#include "tst_modelmanager.moc"
