#include "httptestserver.h"
#include "models/modeldownload.h"
#include "models/modelmanager.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;
using clade::test::HttpTestServer;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray out(size, Qt::Uninitialized);
    for (char &c : out)
        c = char(generator.bounded(256));
    return out;
}

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}   // namespace

// Each case runs a real ModelDownload against a real HTTP server on 127.0.0.1.
class TestModelDownload : public QObject
{
    Q_OBJECT

private:
    ModelEntry entryFor(const QString &path, const QByteArray &body) const
    {
        ModelEntry e;
        e.id = QStringLiteral("test-model");
        e.name = QStringLiteral("Test model");
        e.architecture = QStringLiteral("ViT-B/32");
        e.fileName = QStringLiteral("test.safetensors");
        e.format = QStringLiteral("safetensors");
        e.urls = {m_server->url(path)};
        e.size = body.size();
        e.sha256 = sha256(body);
        e.licence = QStringLiteral("test");
        return e;
    }

    // Runs one download to its end; returns the signal that ended it and its argument.
    QPair<QString, QString> run(const ModelEntry &entry, DownloadOptions options = {})
    {
        options.allowLoopbackHttp = true;
        useCatalogueOf(entry);
        ModelDownload download(*m_manager, entry, options);
        QSignalSpy ok(&download, &ModelDownload::succeeded);
        QSignalSpy failed(&download, &ModelDownload::failed);
        QSignalSpy cancelled(&download, &ModelDownload::cancelled);
        QSignalSpy progress(&download, &ModelDownload::progress);
        download.start();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(ok.size() + failed.size() + cancelled.size() > 0, 20000); }();
        m_progressCount = progress.size();
        if (!ok.isEmpty())
            return {QStringLiteral("ok"), ok.first().first().toString()};
        if (!failed.isEmpty())
            return {QStringLiteral("failed"), failed.first().first().toString()};
        return {QStringLiteral("cancelled"), QString()};
    }

    // The manager only counts files of its own catalogue as installed.
    void useCatalogueOf(const ModelEntry &entry)
    {
        delete m_manager;
        m_manager = new ModelManager(ModelCatalogue({entry}, entry.id), m_dir->path() + QStringLiteral("/models"));
    }

    QTemporaryDir *m_dir = nullptr;
    HttpTestServer *m_server = nullptr;
    ModelManager *m_manager = nullptr;
    qsizetype m_progressCount = 0;
    const QByteArray m_body = randomBytes(300 * 1024 + 17, 7);

private Q_SLOTS:
    void init()
    {
        m_dir = new QTemporaryDir;
        QVERIFY(m_dir->isValid());
        m_server = new HttpTestServer;
        QVERIFY(m_server->listen());
        m_manager = new ModelManager(ModelCatalogue({}, QString()), m_dir->path() + QStringLiteral("/models"));
    }

    void cleanup()
    {
        delete m_manager;
        delete m_server;
        delete m_dir;
    }

    void success()
    {
        m_server->setRoute("/file", {m_body});
        const ModelEntry entry = entryFor(QStringLiteral("/file"), m_body);
        const auto [how, path] = run(entry);
        QCOMPARE(how, QStringLiteral("ok"));
        QCOMPARE(path, m_manager->targetPath(entry));
        QCOMPARE(readFile(path), m_body);
        QVERIFY(m_progressCount > 0);
        QVERIFY(!QFile::exists(m_manager->partPath(entry)));
        QCOMPARE(m_manager->installedPath(entry.id), path);
        QCOMPARE(ModelManager(m_manager->catalogue(), m_manager->modelsDir()).installedPath(entry.id), path);
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(!m_server->requests().first().headers.contains("range"));
    }

    void resumesAutomaticallyAfterDroppedConnection()
    {
        HttpTestServer::Route route{m_body};
        route.dropAfter = 100000;
        m_server->setRoute("/file", route);
        const ModelEntry entry = entryFor(QStringLiteral("/file"), m_body);
        const auto [how, path] = run(entry);
        QCOMPARE(how, QStringLiteral("ok"));
        QCOMPARE(readFile(path), m_body);
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(m_server->requests().at(1).headers.value("range"), QByteArray("bytes=100000-"));
    }

    void resumesPartFileOnNextStart()
    {
        HttpTestServer::Route route{m_body};
        route.dropAfter = 123456;
        m_server->setRoute("/file", route);
        const ModelEntry entry = entryFor(QStringLiteral("/file"), m_body);
        DownloadOptions noRetry;
        noRetry.maxRetries = 0;
        const auto first = run(entry, noRetry);
        QCOMPARE(first.first, QStringLiteral("failed"));
        QVERIFY2(first.second.contains(QLatin1String("Test model")), qPrintable(first.second));
        QCOMPARE(QFileInfo(m_manager->partPath(entry)).size(), 123456);
        QVERIFY(!m_manager->isInstalled(entry.id));

        const auto second = run(entry, noRetry);
        QCOMPARE(second.first, QStringLiteral("ok"));
        QCOMPARE(readFile(second.second), m_body);
        QCOMPARE(m_server->requests().last().headers.value("range"), QByteArray("bytes=123456-"));
    }

    void serverIgnoringRangeStartsOverCleanly()
    {
        HttpTestServer::Route route{m_body};
        route.dropAfter = 50000;
        route.honourRange = false;   // answers 200 with the whole file to the resumed request
        m_server->setRoute("/file", route);
        const auto [how, path] = run(entryFor(QStringLiteral("/file"), m_body));
        QCOMPARE(how, QStringLiteral("ok"));
        QCOMPARE(readFile(path), m_body);
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(m_server->requests().at(1).headers.value("range"), QByteArray("bytes=50000-"));
    }

    void wrongChecksumIsRefusedAndPartDeleted()
    {
        m_server->setRoute("/file", {m_body});
        ModelEntry entry = entryFor(QStringLiteral("/file"), m_body);
        entry.sha256 = sha256(randomBytes(m_body.size(), 8));
        const auto [how, message] = run(entry);
        QCOMPARE(how, QStringLiteral("failed"));
        QVERIFY2(message.contains(QLatin1String("does not match")) && message.contains(QLatin1String("deleted")), qPrintable(message));
        QVERIFY(!QFile::exists(m_manager->partPath(entry)));
        QVERIFY(!QFile::exists(m_manager->targetPath(entry)));
        QVERIFY(!m_manager->isInstalled(entry.id));
    }

    void notFound()
    {
        HttpTestServer::Route route;
        route.status = 404;
        m_server->setRoute("/missing", route);
        const ModelEntry entry = entryFor(QStringLiteral("/missing"), m_body);
        const auto [how, message] = run(entry);
        QCOMPARE(how, QStringLiteral("failed"));
        QVERIFY2(message.contains(QLatin1String("HTTP 404")), qPrintable(message));
        QVERIFY(!m_manager->isInstalled(entry.id));
        QVERIFY(!QFile::exists(m_manager->targetPath(entry)));
    }

    // A source whose file has another checksum is left for the next one, from the first byte.
    void checksumMismatchMovesToTheNextSource()
    {
        QByteArray wrong = m_body;
        wrong[100] = char(wrong[100] ^ 0x5a);
        m_server->setRoute("/wrong", wrong);
        m_server->setRoute("/right", m_body);
        ModelEntry entry = entryFor(QStringLiteral("/wrong"), m_body);
        entry.urls << m_server->url(QStringLiteral("/right"));
        const auto [how, path] = run(entry);
        QCOMPARE(how, QStringLiteral("ok"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), m_body);
    }

    // When every source fails, one message names each source and why.
    void everySourceFailingIsNamedInOneMessage()
    {
        HttpTestServer::Route forbidden;
        forbidden.status = 403;
        m_server->setRoute("/forbidden", forbidden);
        QByteArray wrong = m_body;
        wrong[0] = char(wrong[0] ^ 1);
        m_server->setRoute("/wrong", wrong);
        ModelEntry entry = entryFor(QStringLiteral("/forbidden"), m_body);
        entry.urls << m_server->url(QStringLiteral("/wrong"));
        const auto [how, message] = run(entry);
        QCOMPARE(how, QStringLiteral("failed"));
        QVERIFY2(message.contains(QStringLiteral("1. ") + m_server->url(QStringLiteral("/forbidden"))), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("HTTP 403")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("2. ") + m_server->url(QStringLiteral("/wrong"))), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("SHA-256")), qPrintable(message));
        QVERIFY(!m_manager->isInstalled(entry.id));
        QVERIFY(!QFile::exists(m_manager->partPath(entry)));
    }

    void fallsBackToTheNextUrl()
    {
        HttpTestServer::Route missing;
        missing.status = 404;
        m_server->setRoute("/gone", missing);
        m_server->setRoute("/mirror", {m_body});
        ModelEntry entry = entryFor(QStringLiteral("/gone"), m_body);
        entry.urls.append(m_server->url(QStringLiteral("/mirror")));
        const auto [how, path] = run(entry);
        QCOMPARE(how, QStringLiteral("ok"));
        QCOMPARE(readFile(path), m_body);
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(m_server->requests().at(1).path, QByteArray("/mirror"));
    }

    void stalledServerTimesOut()
    {
        HttpTestServer::Route route{m_body};
        route.stallAfter = 5000;
        m_server->setRoute("/slow", route);
        const ModelEntry entry = entryFor(QStringLiteral("/slow"), m_body);
        DownloadOptions options;
        options.stallTimeoutMs = 300;
        const auto [how, message] = run(entry, options);
        QCOMPARE(how, QStringLiteral("failed"));
        QVERIFY2(message.contains(QLatin1String("No data arrived")), qPrintable(message));
        QVERIFY(!m_manager->isInstalled(entry.id));
        QCOMPARE(QFileInfo(m_manager->partPath(entry)).size(), 5000);   // kept for a later resume
    }

    void redirectToSameHostIsFollowed()
    {
        HttpTestServer::Route redirect;
        redirect.status = 302;
        redirect.location = m_server->url(QStringLiteral("/file")).toLatin1();
        m_server->setRoute("/old", redirect);
        m_server->setRoute("/file", {m_body});
        const auto [how, path] = run(entryFor(QStringLiteral("/old"), m_body));
        QCOMPARE(how, QStringLiteral("ok"));
        QCOMPARE(readFile(path), m_body);
        QCOMPARE(m_server->requests().size(), 2);
    }

    void redirectToOtherHostIsRefused()
    {
        HttpTestServer::Route redirect;
        redirect.status = 302;
        redirect.location = QStringLiteral("http://localhost:%1/file").arg(m_server->port()).toLatin1();
        m_server->setRoute("/old", redirect);
        m_server->setRoute("/file", {m_body});
        const ModelEntry entry = entryFor(QStringLiteral("/old"), m_body);
        const auto [how, message] = run(entry);
        QCOMPARE(how, QStringLiteral("failed"));
        QVERIFY2(message.contains(QLatin1String("redirected")), qPrintable(message));
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(!m_manager->isInstalled(entry.id));
    }

    void plainHttpNeedsTheTestFlag()
    {
        m_server->setRoute("/file", {m_body});
        const ModelEntry entry = entryFor(QStringLiteral("/file"), m_body);
        useCatalogueOf(entry);
        ModelDownload download(*m_manager, entry);
        QSignalSpy failed(&download, &ModelDownload::failed);
        download.start();
        QCOMPARE(failed.size(), 1);
        QVERIFY(m_server->requests().isEmpty());
    }

    void entryOutsideTheCatalogueIsRefused()
    {
        m_server->setRoute("/file", {m_body});
        DownloadOptions options;
        options.allowLoopbackHttp = true;
        ModelDownload download(*m_manager, entryFor(QStringLiteral("/file"), m_body), options);
        QSignalSpy failed(&download, &ModelDownload::failed);
        download.start();
        QCOMPARE(failed.size(), 1);
        QVERIFY(m_server->requests().isEmpty());
    }

    void wrongSizeIsRefused()
    {
        m_server->setRoute("/file", {m_body});
        ModelEntry entry = entryFor(QStringLiteral("/file"), m_body);
        entry.size = m_body.size() + 1;
        const auto [how, message] = run(entry);
        QCOMPARE(how, QStringLiteral("failed"));
        QVERIFY2(message.contains(QLatin1String("catalogue expects")), qPrintable(message));
        QVERIFY(!m_manager->isInstalled(entry.id));
    }

    void cancelKeepsPartAndInstallsNothing()
    {
        HttpTestServer::Route route{m_body};
        route.stallAfter = 4096;
        m_server->setRoute("/slow", route);
        const ModelEntry entry = entryFor(QStringLiteral("/slow"), m_body);
        DownloadOptions options;
        options.allowLoopbackHttp = true;
        useCatalogueOf(entry);
        ModelDownload download(*m_manager, entry, options);
        QSignalSpy cancelled(&download, &ModelDownload::cancelled);
        QSignalSpy failed(&download, &ModelDownload::failed);
        connect(&download, &ModelDownload::progress, &download, &ModelDownload::cancel);
        download.start();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 10000);
        QCOMPARE(failed.size(), 0);
        QVERIFY(!download.isRunning());
        QVERIFY(!m_manager->isInstalled(entry.id));
        QVERIFY(!QFile::exists(m_manager->targetPath(entry)));
    }
};

QTEST_GUILESS_MAIN(TestModelDownload)
#include "tst_modeldownload.moc"
