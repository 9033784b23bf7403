// clade-cli models against a real HTTP server on 127.0.0.1 and a mirror catalogue
// (CLADE_MODEL_CATALOGUE): list, install (a 404 source, then the next), import by checksum and
// with --trust-file, use, verify (a changed file fails), remove, and the exit codes.
#include "httptestserver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

class TestModelsCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    test::HttpTestServer m_server;
    QByteArray m_body;
    QString m_sha;

    struct Outcome
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
    };

    // Runs clade-cli while this thread's event loop keeps the server answering.
    Outcome cli(const QStringList &args)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("CLADE_MODEL_CATALOGUE"), m_dir.filePath(QStringLiteral("catalogue.json")));
        process.setProcessEnvironment(env);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(QStringLiteral(CLADE_CLI_PATH), QStringList{QStringLiteral("models")} + args);
        if (!finished.wait(60000))
            return {};
        return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
    }

    QString modelFile() const { return m_dir.filePath(QStringLiteral("data/clade/models/tiny/tiny.safetensors")); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.listen());
        m_body.resize(3 << 20);
        for (char &c : m_body)
            c = char(QRandomGenerator::global()->bounded(256));
        m_sha = QString::fromLatin1(QCryptographicHash::hash(m_body, QCryptographicHash::Sha256).toHex());
        m_server.setRoute("/tiny.safetensors", m_body);
        test::HttpTestServer::Route missing;
        missing.status = 404;
        m_server.setRoute("/gone/tiny.safetensors", missing);
        const QJsonObject entry{
            {"id", "tiny"},
            {"kind", "model"},
            {"name", "Tiny test model"},
            {"architecture", "ViT-B/32"},
            {"activation", "quick_gelu"},
            {"fileName", "tiny.safetensors"},
            {"format", "safetensors"},
            {"urls", QJsonArray{m_server.url(QStringLiteral("/gone/tiny.safetensors")), m_server.url(QStringLiteral("/tiny.safetensors"))}},
            {"redirectHosts", QJsonArray()},
            {"size", double(m_body.size())},
            {"sha256", m_sha},
            {"licence", "test"},
            {"source", "made by the test"}};
        QFile catalogue(m_dir.filePath(QStringLiteral("catalogue.json")));
        QVERIFY(catalogue.open(QIODevice::WriteOnly));
        catalogue.write(QJsonDocument(QJsonObject{{"version", 1}, {"default", "tiny"}, {"entries", QJsonArray{entry}}}).toJson());
    }

    void listShowsTheCatalogue()
    {
        const Outcome o = cli({QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(o.code, 0);
        const QJsonObject root = QJsonDocument::fromJson(o.out).object();
        const QJsonObject tiny = root.value(QStringLiteral("models")).toArray().first().toObject();
        QCOMPARE(tiny.value(QStringLiteral("id")).toString(), QStringLiteral("tiny"));
        QCOMPARE(tiny.value(QStringLiteral("sha256")).toString(), m_sha);
        QCOMPARE(tiny.value(QStringLiteral("sources")).toArray().size(), 2);
        QVERIFY(tiny.value(QStringLiteral("default")).toBool());
        QVERIFY(!tiny.value(QStringLiteral("installed")).toBool());
    }

    void installTriesTheNextSourceAfterA404()
    {
        const Outcome o = cli({QStringLiteral("install"), QStringLiteral("tiny")});
        QVERIFY2(o.code == 0, o.err.constData());
        QVERIFY(o.out.contains("Installed"));
        QFile file(modelFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), m_body);
        const QJsonObject tiny = QJsonDocument::fromJson(cli({QStringLiteral("list"), QStringLiteral("--json")}).out)
                                     .object()
                                     .value(QStringLiteral("models"))
                                     .toArray()
                                     .first()
                                     .toObject();
        QVERIFY(tiny.value(QStringLiteral("installed")).toBool());
        QVERIFY(tiny.value(QStringLiteral("active")).toBool());   // the default, installed
        QCOMPARE(cli({QStringLiteral("verify"), QStringLiteral("tiny")}).code, 0);
    }

    void importUseVerifyRemove()
    {
        // A second copy of the same bytes, recognised by its checksum.
        const QString copy = m_dir.filePath(QStringLiteral("offline-copy.bin"));
        QFile out(copy);
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(m_body) == m_body.size());
        out.close();
        QCOMPARE(cli({QStringLiteral("remove"), QStringLiteral("tiny")}).code, 0);
        QVERIFY(!QFile::exists(modelFile()));
        Outcome o = cli({QStringLiteral("import"), copy, QStringLiteral("--quiet")});
        QVERIFY2(o.code == 0, o.err.constData());
        QVERIFY(o.out.contains("SHA-256 checked"));

        // A file no catalogue entry vouches for needs --as and --trust-file.
        const QString other = m_dir.filePath(QStringLiteral("mine.safetensors"));
        QFile mine(other);
        QVERIFY(mine.open(QIODevice::WriteOnly) && mine.write("not a catalogued model") > 0);
        mine.close();
        QCOMPARE(cli({QStringLiteral("import"), other, QStringLiteral("--quiet")}).code, 2);
        QCOMPARE(cli({QStringLiteral("import"), other, QStringLiteral("--as"), QStringLiteral("mine"), QStringLiteral("--quiet")}).code, 1);
        QCOMPARE(cli({QStringLiteral("import"), other, QStringLiteral("--as"), QStringLiteral("mine"), QStringLiteral("--trust-file"),
                      QStringLiteral("--quiet")})
                     .code,
                 0);
        QCOMPARE(cli({QStringLiteral("use"), QStringLiteral("mine")}).code, 0);
        QJsonObject root = QJsonDocument::fromJson(cli({QStringLiteral("list"), QStringLiteral("--json")}).out).object();
        QCOMPARE(root.value(QStringLiteral("active")).toString(), QStringLiteral("mine"));
        QCOMPARE(cli({QStringLiteral("verify"), QStringLiteral("--quiet")}).code, 0);

        // A changed file: verify names it and fails.
        QFile changed(modelFile());
        QVERIFY(changed.open(QIODevice::ReadWrite));
        changed.seek(10);
        changed.write("XX");
        changed.close();
        o = cli({QStringLiteral("verify"), QStringLiteral("tiny"), QStringLiteral("--quiet")});
        QCOMPARE(o.code, 1);
        QVERIFY(o.out.contains("FAILED"));

        QCOMPARE(cli({QStringLiteral("remove"), QStringLiteral("mine")}).code, 0);
        root = QJsonDocument::fromJson(cli({QStringLiteral("list"), QStringLiteral("--json")}).out).object();
        QVERIFY(root.value(QStringLiteral("active")).toString() != QStringLiteral("mine"));
    }

    // quickstart's model step (packaging/model-step.sh): downloads the default when it can, says
    // so in one line when it cannot and goes on, and skips with CLADE_NO_DOWNLOAD=1.
    void quickstartModelStep()
    {
        auto step = [this](const QString &catalogue, bool noDownload) {
            QProcess process;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("step-data")));
            env.insert(QStringLiteral("CLADE_MODEL_CATALOGUE"), catalogue);
            if (noDownload)
                env.insert(QStringLiteral("CLADE_NO_DOWNLOAD"), QStringLiteral("1"));
            process.setProcessEnvironment(env);
            QSignalSpy finished(&process, &QProcess::finished);
            process.start(QStringLiteral("bash"),
                          {QStringLiteral(CLADE_SOURCE_DIR "/packaging/model-step.sh"), QStringLiteral(CLADE_CLI_PATH)});
            Outcome o;
            if (finished.wait(60000))
                o = {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
            return o;
        };
        const QString stepModel = m_dir.filePath(QStringLiteral("step-data/clade/models/tiny/tiny.safetensors"));
        Outcome o = step(m_dir.filePath(QStringLiteral("catalogue.json")), true);
        QCOMPARE(o.code, 0);
        QVERIFY(o.out.contains("CLADE_NO_DOWNLOAD=1"));
        QVERIFY(!QFile::exists(stepModel));

        // Offline: the only source is a port nothing listens on.
        QFile original(m_dir.filePath(QStringLiteral("catalogue.json")));
        QVERIFY(original.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(original.readAll()).object();
        QJsonArray entries = root.value(QStringLiteral("entries")).toArray();
        QJsonObject entry = entries.first().toObject();
        entry.insert(QStringLiteral("urls"), QJsonArray{QStringLiteral("http://127.0.0.1:9/tiny.safetensors")});
        entries.replace(0, entry);
        root.insert(QStringLiteral("entries"), entries);
        QFile offline(m_dir.filePath(QStringLiteral("offline.json")));
        QVERIFY(offline.open(QIODevice::WriteOnly));
        offline.write(QJsonDocument(root).toJson());
        offline.close();
        o = step(offline.fileName(), false);
        QCOMPARE(o.code, 0);
        QCOMPARE(o.err.trimmed().count('\n'), 0);   // one line
        QVERIFY2(o.err.contains("could not download Tiny test model"), o.err.constData());
        QVERIFY(o.out.contains("grouped by look"));
        QVERIFY(!QFile::exists(stepModel));

        o = step(m_dir.filePath(QStringLiteral("catalogue.json")), false);
        QVERIFY2(o.code == 0, o.err.constData());
        QVERIFY(QFile::exists(stepModel));
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(cli({}).code, 2);
        QCOMPARE(cli({QStringLiteral("frobnicate")}).code, 2);
        QCOMPARE(cli({QStringLiteral("install")}).code, 2);
        QCOMPARE(cli({QStringLiteral("install"), QStringLiteral("no-such-model")}).code, 2);
        QCOMPARE(cli({QStringLiteral("use"), QStringLiteral("no-such-model")}).code, 1);
    }
};

QTEST_GUILESS_MAIN(TestModelsCli)
#include "tst_modelscli.moc"
