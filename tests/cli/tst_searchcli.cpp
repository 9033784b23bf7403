// clade-cli search and similar end to end: the real executable, real JPEGs in two folders run
// with the tiny CLIP model of ../shared/data/clip-parity, a real catalog. Search spans the
// catalog (a copy of a photo in the other folder is found beside it), pages, and refuses clearly.
#include "testsupport.h"
#include "vocab/wordnetvocabulary.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestSearchCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_catalog;
    QString m_model;
    QString m_first;    // a folder of photos
    QString m_second;   // another, holding a byte-identical copy of m_first's p0.jpg
    QString m_photo;

    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Run cli(QStringList args)
    {
        args << QStringLiteral("--catalog") << m_catalog;
        QProcess p;
        p.start(QStringLiteral(CLADE_CLI_PATH), args);
        if (!p.waitForFinished(300'000))
            p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
    }

    static QStringList paths(const QJsonObject &o)
    {
        QStringList out;
        for (const QJsonValue &v : o.value(QStringLiteral("photos")).toArray())
            out << v.toObject().value(QStringLiteral("path")).toString();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        CLADE_REQUIRE_SHARED("clip-parity/models/tiny-vit/weights.safetensors");
        m_model = clade::test::sharedData(QStringLiteral("clip-parity/models/tiny-vit/weights.safetensors"));
        const QString models = m_work.filePath(QStringLiteral("data/clade/models"));
        QVERIFY(QDir().mkpath(models));
        QVERIFY(QFile::copy(clade::test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz")),
                            models + QStringLiteral("/bpe_simple_vocab_16e6.txt.gz")));
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_work.filePath(QStringLiteral("data"))));   // inherited by the CLI
        m_catalog = m_work.filePath(QStringLiteral("catalog.sqlite"));
        m_first = m_work.filePath(QStringLiteral("first"));
        m_second = m_work.filePath(QStringLiteral("second"));
        QVERIFY(QDir().mkpath(m_first) && QDir().mkpath(m_second));
        for (int i = 0; i < 6; ++i) {
            QVERIFY(
                clade::test::writeJpeg(QStringLiteral("%1/p%2.jpg").arg(m_first).arg(i), 96, 64, QColor::fromHsv(i * 55, 200, 200), 90, i));
            QVERIFY(clade::test::writeJpeg(QStringLiteral("%1/q%2.jpg").arg(m_second).arg(i), 96, 64, QColor::fromHsv(30 + i * 55, 90, 120),
                                           90, 10 + i));
        }
        m_photo = QDir(m_first).canonicalPath() + QStringLiteral("/p0.jpg");
        QVERIFY(QFile::copy(m_photo, m_second + QStringLiteral("/copy-of-p0.jpg")));
        for (const QString &folder : {m_first, m_second}) {
            const Run run = cli({QStringLiteral("cluster"), folder, QStringLiteral("--k"), QStringLiteral("2"), QStringLiteral("--method"),
                                 QStringLiteral("kmeans"), QStringLiteral("--model"), m_model, QStringLiteral("--quiet")});
            QVERIFY2(run.code == 0, run.err.constData());
        }
    }

    // "More like this photo" finds its copy in the other folder beside it, both at cosine 1, and
    // pages through the hits.
    void similarSpansFoldersAndPages()
    {
        const Run all = cli({QStringLiteral("similar"), m_photo, QStringLiteral("--model"), m_model, QStringLiteral("--json")});
        QVERIFY2(all.code == 0, all.err.constData());
        const QJsonObject found = all.json();
        const QStringList hits = paths(found);
        QVERIFY2(hits.size() >= 2, all.out.constData());
        const QString copy = QDir(m_second).canonicalPath() + QStringLiteral("/copy-of-p0.jpg");
        QCOMPARE(QSet<QString>(hits.begin(), hits.begin() + 2), (QSet<QString>{m_photo, copy}));
        QVERIFY(found.value(QStringLiteral("photos")).toArray().at(1).toObject().value(QStringLiteral("score")).toDouble() > 0.999);
        const int total = found.value(QStringLiteral("total")).toInt();
        QCOMPARE(total, hits.size());   // one page holds them all at the default limit

        const Run first =
            cli({QStringLiteral("similar"), m_photo, QStringLiteral("--model"), m_model, QStringLiteral("--limit"), QStringLiteral("1")});
        QVERIFY2(first.code == 0, first.err.constData());
        QVERIFY2(first.err.contains("More with --offset 1"), first.err.constData());
        const Run second = cli({QStringLiteral("similar"), m_photo, QStringLiteral("--model"), m_model, QStringLiteral("--limit"),
                                QStringLiteral("1"), QStringLiteral("--offset"), QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY2(second.code == 0, second.err.constData());
        QCOMPARE(paths(second.json()), QStringList{hits.at(1)});
        QCOMPARE(second.json().value(QStringLiteral("offset")).toInt(), 1);
    }

    // A description is searched over both folders with the text tower, best first.
    void searchByDescription()
    {
        const Run run = cli({QStringLiteral("search"), QStringLiteral("a"), QStringLiteral("red"), QStringLiteral("photo"),
                             QStringLiteral("--model"), m_model, QStringLiteral("--json")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject o = run.json();
        QCOMPARE(o.value(QStringLiteral("query")).toString(), QStringLiteral("\"a red photo\""));
        const QJsonArray photos = o.value(QStringLiteral("photos")).toArray();
        QVERIFY(!photos.isEmpty());
        QVERIFY(o.value(QStringLiteral("total")).toInt() >= photos.size());
        for (qsizetype i = 1; i < photos.size(); ++i)
            QVERIFY(photos.at(i - 1).toObject().value(QStringLiteral("score")).toDouble()
                    >= photos.at(i).toObject().value(QStringLiteral("score")).toDouble());
    }

    // The vocabulary is chosen per run (--vocabulary), and a run's groups are named again from
    // another one without clustering again (rename-all): names come from the chosen words only;
    // a group the user named keeps its name.
    void vocabularyChoiceAndRenameAll()
    {
        auto tagged = clade::wordNetNouns(clade::defaultWordNetDir(), clade::VocabularyKind::Tagged);
        QVERIFY2(tagged.ok(), qPrintable(tagged.ok() ? QString() : tagged.error()));
        QVERIFY(tagged->size() > 2000);
        const auto writeList = [&](const QString &name, const QStringList &words) {
            QFile f(m_work.filePath(name));
            if (!f.open(QIODevice::WriteOnly))
                return QString();
            f.write(words.join(QLatin1Char('\n')).toUtf8());
            return f.fileName();
        };
        const QStringList firstWords = tagged->mid(0, 400), secondWords = tagged->mid(1000, 400);
        const QString firstList = writeList(QStringLiteral("first.txt"), firstWords);
        const QString secondList = writeList(QStringLiteral("second.txt"), secondWords);
        const auto nounsOf = [](const QJsonArray &clusters) {
            QStringList nouns;
            for (const QJsonValue &c : clusters)
                for (const QJsonValue &n : c.toObject().value(QStringLiteral("names")).toArray())
                    nouns << n.toObject().value(QStringLiteral("noun")).toString();
            return nouns;
        };
        const auto within = [](const QStringList &nouns, const QStringList &words) {
            QStringList display;
            for (const QString &w : words)
                display << QString(w).replace(QLatin1Char('_'), QLatin1Char(' '));
            for (const QString &n : nouns)
                if (!display.contains(n))
                    return false;
            return !nouns.isEmpty();
        };

        const Run run = cli({QStringLiteral("cluster"), m_first, QStringLiteral("--k"), QStringLiteral("2"), QStringLiteral("--method"),
                             QStringLiteral("sic"), QStringLiteral("--model"), m_model, QStringLiteral("--vocabulary"), firstList,
                             QStringLiteral("--quiet"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject made = run.json();
        QVERIFY2(within(nounsOf(made.value(QStringLiteral("clusters")).toArray()), firstWords), run.out.constData());
        const QString runId = QString::number(made.value(QStringLiteral("run")).toInteger());
        const Run renamed = cli({QStringLiteral("rename"), QStringLiteral("--run"), runId, QStringLiteral("--cluster"), QStringLiteral("1"),
                                 QStringLiteral("Keepers")});
        QVERIFY2(renamed.code == 0, renamed.err.constData());

        const Run again = cli({QStringLiteral("rename-all"), QStringLiteral("--run"), runId, QStringLiteral("--model"), m_model,
                               QStringLiteral("--vocabulary"), secondList, QStringLiteral("--json")});
        QVERIFY2(again.code == 0, again.err.constData());
        const QJsonArray clusters = again.json().value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 2);
        QVERIFY2(within(nounsOf(clusters), secondWords), again.out.constData());
        QCOMPARE(clusters.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Keepers"));
        // The same partition: sizes unchanged.
        const QJsonArray before = made.value(QStringLiteral("clusters")).toArray();
        for (int i = 0; i < 2; ++i)
            QCOMPARE(clusters.at(i).toObject().value(QStringLiteral("size")).toInt(),
                     before.at(i).toObject().value(QStringLiteral("size")).toInt());

        const Run bad = cli({QStringLiteral("cluster"), m_first, QStringLiteral("--k"), QStringLiteral("2"), QStringLiteral("--vocabulary"),
                             QStringLiteral("klingon")});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("Unknown vocabulary 'klingon'"), bad.err.constData());
    }

    void refusals()
    {
        const Run unknown =
            cli({QStringLiteral("similar"), m_work.filePath(QStringLiteral("nowhere.jpg")), QStringLiteral("--model"), m_model});
        QVERIFY(unknown.code != 0);
        QVERIFY2(unknown.err.contains("is not in the catalog"), unknown.err.constData());
        const Run empty = cli({QStringLiteral("search"), QStringLiteral("  ")});
        QVERIFY(empty.code != 0);
        QVERIFY2(empty.err.contains("the description is empty"), empty.err.constData());
        const Run noModel = cli({QStringLiteral("search"), QStringLiteral("a dog")});   // nothing installed, no --model
        QVERIFY(noModel.code != 0);
        QVERIFY2(noModel.err.contains("needs a CLIP model"), noModel.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestSearchCli)
#include "tst_searchcli.moc"
