#include "cli/output.h"
#include "cli/siccommands.h"
#include "cluster/sicparameters.h"
#include "io/labels.h"
#include "io/npy.h"
#include "sicsynthetic.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <functional>
#include <unistd.h>

using namespace clade;

namespace {

// What `command` writes to `stream` (stdout or stderr), redirected to the file `path`: a file, not
// a terminal, as in a pipe.
QByteArray captureStream(FILE *stream, const QString &path, const std::function<void()> &command)
{
    std::fflush(stream);
    const int fd = ::fileno(stream);
    const int saved = ::dup(fd);
    FILE *file = std::fopen(qPrintable(path), "w");
    ::dup2(::fileno(file), fd);
    command();
    std::fflush(stream);
    ::dup2(saved, fd);
    ::close(saved);
    std::fclose(file);
    QFile read(path);
    return read.open(QIODevice::ReadOnly) ? read.readAll() : QByteArray();
}

// Runs `command` with stdout redirected to a file; returns its exit code and fills `output`.
int captureStdout(const QString &path, const std::function<int()> &command, QByteArray &output)
{
    int code = -1;
    output = captureStream(stdout, path, [&] { code = command(); });
    return code;
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

}   // namespace

class TestSicCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // In a pipe the progress is plain lines, far fewer than reports: 100 epochs over about
    // 1.5 s give the first and the last line by default; with lines allowed every 0 ms each
    // report is a line, and once the rate is known the lines say the time left.
    void progressInAPipeIsFewPlainLines()
    {
        const auto epochs = [] {
            const Progress::Callback report = cli::stderrProgress(false);
            for (int e = 1; e <= 100; ++e) {
                report(QStringLiteral("SIC: training"), e, 100);
                QThread::msleep(15);
            }
        };
        qunsetenv("CLADE_PROGRESS_INTERVAL_MS");
        const QList<QByteArray> few = captureStream(stderr, path("progress1.txt"), epochs).trimmed().split('\n');
        QVERIFY2(few.size() <= 3, qPrintable(QString::number(few.size())));
        QCOMPARE(few.first(), QByteArray("SIC: training 1/100"));
        QCOMPARE(few.last(), QByteArray("SIC: training 100/100"));
        qputenv("CLADE_PROGRESS_INTERVAL_MS", "0");
        const QList<QByteArray> all = captureStream(stderr, path("progress2.txt"), epochs).trimmed().split('\n');
        qunsetenv("CLADE_PROGRESS_INTERVAL_MS");
        QCOMPARE(all.size(), 100);
        QVERIFY(!all.first().contains("left"));   // no rate known yet
        QVERIFY2(all[90].startsWith("SIC: training 91/100, about ") && all[90].endsWith(" s left"), all[90].constData());
        QVERIFY(!all.last().contains("left"));
    }

    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::SicSyntheticSpec spec;
        spec.classes = 4;
        spec.styles = 4;
        spec.imagesPerClass = 60;
        spec.dims = 24;
        spec.nounsPerClass = 10;
        spec.distractorNouns = 40;
        m_data = test::makeSicSynthetic(spec);
        QVERIFY(writeNpy(path("images.npy"), m_data.images).ok());
        QVERIFY(writeNpy(path("texts.npy"), m_data.texts).ok());
        QVERIFY(writeText(path("nouns.txt"), m_data.nouns.join(QLatin1Char('\n')).toUtf8() + "\n"));
        QByteArray truth;
        for (int t : m_data.truth)
            truth += QByteArray::number(t) + "\n";
        QVERIFY(writeText(path("truth.txt"), truth));
    }

    void sicJsonThenScore()
    {
        QByteArray out;
        const QStringList args{"--image-features",
                               path("images.npy"),
                               "--text-features",
                               path("texts.npy"),
                               "--nouns",
                               path("nouns.txt"),
                               "--k",
                               "4",
                               "--seed",
                               "3",
                               "--lr",
                               "0.01",
                               "--max-epochs",
                               "30",
                               "--gamma-r",
                               "40",
                               "--xi-a",
                               "8",
                               "--topk",
                               "10",
                               "--kmeans-restarts",
                               "2",
                               "--name-count",
                               "3",
                               "--out",
                               path("sic.tsv"),
                               "--json"};
        QCOMPARE(captureStdout(
                     path("out.txt"), [&] { return cli::runSicCommand(args); }, out),
                 0);
        const auto json = QJsonDocument::fromJson(out.trimmed()).object();
        const auto clusters = json.value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 4);
        int total = 0;
        for (const auto &c : clusters) {
            total += c.toObject().value(QStringLiteral("size")).toInt();
            const auto names = c.toObject().value(QStringLiteral("names")).toArray();
            QVERIFY(names.size() >= 1 && names.size() <= 3);
            QVERIFY(!names.at(0).toObject().value(QStringLiteral("noun")).toString().contains(QLatin1Char('_')));
            QVERIFY(names.at(0).toObject().value(QStringLiteral("score")).isDouble());
        }
        QCOMPARE(total, int(m_data.images.rows));
        auto labels = readLabelsTsv(path("sic.tsv"));
        QVERIFY(labels.ok());
        QCOMPARE(labels->size(), m_data.images.rows);

        const QStringList scoreArgs{"--labels", path("sic.tsv"), "--truth", path("truth.txt"), "--json"};
        QCOMPARE(captureStdout(
                     path("score.txt"), [&] { return cli::runScoreCommand(scoreArgs); }, out),
                 0);
        const auto scores = QJsonDocument::fromJson(out.trimmed()).object();
        const double acc = scores.value(QStringLiteral("acc")).toDouble();
        QVERIFY2(acc >= 0.25 && acc <= 1.0, out.constData());   // 4 clusters: ACC is at least 1/4
        QVERIFY(scores.contains(QStringLiteral("nmi")) && scores.contains(QStringLiteral("ari")));
    }

    // The command: no flag but the required ones runs the robust default at the table's
    // defaults, returns exactly K non-empty groups, records its choice in --json, and gives the
    // same labels when the image features are L2-normalised first.
    void defaultRunIsRobustAndScaleFree()
    {
        FeatureMatrix unit = m_data.images;
        for (std::size_t i = 0; i < unit.rows; ++i) {
            double norm = 0;
            for (std::size_t d = 0; d < unit.cols; ++d)
                norm += double(unit.row(i)[d]) * unit.row(i)[d];
            for (std::size_t d = 0; d < unit.cols; ++d)
                unit.row(i)[d] = float(unit.row(i)[d] / std::sqrt(norm));
        }
        QVERIFY(writeNpy(path("unit.npy"), unit).ok());
        QByteArray out;
        const char *inputs[] = {"images.npy", "unit.npy"};
        const char *outputs[] = {"default-raw.tsv", "default-unit.tsv"};
        for (int i = 0; i < 2; ++i) {
            const QStringList args{"--image-features",
                                   path(inputs[i]),
                                   "--text-features",
                                   path("texts.npy"),
                                   "--nouns",
                                   path("nouns.txt"),
                                   "--k",
                                   "4",
                                   "--seed",
                                   "2",
                                   "--out",
                                   path(outputs[i]),
                                   "--json"};
            QCOMPARE(captureStdout(
                         path("default.txt"), [&] { return cli::runSicCommand(args); }, out),
                     0);
            const auto json = QJsonDocument::fromJson(out.trimmed()).object();
            const auto clusters = json.value(QStringLiteral("clusters")).toArray();
            QCOMPARE(clusters.size(), 4);
            for (const auto &c : clusters)
                QVERIFY(c.toObject().value(QStringLiteral("size")).toInt() > 0);
            const auto selection = json.value(QStringLiteral("selection")).toObject();
            QCOMPARE(selection.value(QStringLiteral("candidates")).toArray().size(), defaultSicParams(4).candidates + 1);
            QVERIFY(selection.contains(QStringLiteral("chosen")) && selection.contains(QStringLiteral("criterion")));
            // The parameters recorded are the table's defaults (K and seed as given).
            SicParams expected = defaultSicParams(4);
            expected.seed = 2;
            QCOMPARE(json.value(QStringLiteral("parameters")).toObject(), sicParametersJson(expected));
        }
        auto a = readLabelsTsv(path(outputs[0]));
        auto b = readLabelsTsv(path(outputs[1]));
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(*a, *b);
    }

    void usageErrorsExitTwo()
    {
        QByteArray out;
        const QStringList outOfRange{"--image-features", path("images.npy"), "--k", "4", "--xi-c", "1.5", "--out", path("u.tsv")};
        QCOMPARE(captureStdout(
                     path("u1.txt"), [&] { return cli::runSicCommand(outOfRange); }, out),
                 2);
        const QStringList unknown{"--image-features", path("images.npy"), "--k", "4", "--lambda", "1", "--out", path("u.tsv")};
        QCOMPARE(captureStdout(
                     path("u2.txt"), [&] { return cli::runSicCommand(unknown); }, out),
                 2);
        QVERIFY(!QFile::exists(path("u.tsv")));
    }

    void kmeansBaselineAndPlainScore()
    {
        QByteArray out;
        const QStringList args{"--image-features", path("images.npy"), "--k", "4", "--seed", "1", "--out", path("km.tsv")};
        QCOMPARE(captureStdout(
                     path("out2.txt"), [&] { return cli::runKMeansCommand(args); }, out),
                 0);
        const QStringList scoreArgs{"--labels", path("km.tsv"), "--truth", path("truth.txt")};
        QCOMPARE(captureStdout(
                     path("score2.txt"), [&] { return cli::runScoreCommand(scoreArgs); }, out),
                 0);
        QVERIFY(out.startsWith("ACC "));
        QVERIFY(out.contains("\nNMI ") && out.contains("\nARI "));
        // The same three columns as sic's: row, cluster, confidence (k-means's margin, 0..1).
        QFile labels(path("km.tsv"));
        QVERIFY(labels.open(QIODevice::ReadOnly));
        int rows = 0;
        for (const QByteArray &line : labels.readAll().split('\n')) {
            if (line.isEmpty() || line.startsWith('#'))
                continue;
            const QList<QByteArray> cells = line.split('\t');
            QCOMPARE(cells.size(), 3);
            QCOMPARE(cells[0].toInt(), rows++);
            const double confidence = cells[2].toDouble();
            QVERIFY2(confidence >= 0 && confidence <= 1, line.constData());
        }
        QVERIFY(rows > 0);
    }

    void imageOnlyWithoutTexts()
    {
        QByteArray out;
        const QStringList args{"--image-features",    path("images.npy"), "--k", "4", "--lr", "0.01", "--max-epochs", "5", "--out",
                               path("image-only.tsv")};
        QCOMPARE(captureStdout(
                     path("out3.txt"), [&] { return cli::runSicCommand(args); }, out),
                 0);
        QVERIFY(out.startsWith("cluster 0 ("));
        QVERIFY(!out.contains(":"));   // no names without text features
    }

    void errorsExitNonZeroAndKeepFiles()
    {
        QByteArray out;
        QVERIFY(writeText(path("precious.tsv"), "mine\n"));
        const QStringList overwrite{"--image-features", path("images.npy"), "--k", "4", "--out", path("precious.tsv")};
        QVERIFY(captureStdout(
                    path("e1.txt"), [&] { return cli::runSicCommand(overwrite); }, out)
                != 0);
        QFile kept(path("precious.tsv"));
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("mine\n"));
        const QStringList noK{"--image-features", path("images.npy"), "--out", path("x.tsv")};
        QVERIFY(captureStdout(
                    path("e2.txt"), [&] { return cli::runSicCommand(noK); }, out)
                != 0);
        const QStringList badNumber{"--image-features", path("images.npy"), "--k", "4", "--lr", "fast", "--out", path("x.tsv")};
        QVERIFY(captureStdout(
                    path("e3.txt"), [&] { return cli::runSicCommand(badNumber); }, out)
                != 0);
        const QStringList textsOnly{"--image-features", path("images.npy"), "--k",   "4",
                                    "--text-features",  path("texts.npy"),  "--out", path("x.tsv")};
        QVERIFY(captureStdout(
                    path("e4.txt"), [&] { return cli::runSicCommand(textsOnly); }, out)
                != 0);
        QVERIFY(writeText(path("short.txt"), "one\ntwo\n"));
        const QStringList fewNouns{"--image-features", path("images.npy"), "--k",   "4",          "--text-features", path("texts.npy"),
                                   "--nouns",          path("short.txt"),  "--out", path("x.tsv")};
        QVERIFY(captureStdout(
                    path("e5.txt"), [&] { return cli::runSicCommand(fewNouns); }, out)
                != 0);
        QVERIFY(!QFile::exists(path("x.tsv")));
        const QStringList missing{"--labels", path("nothing.tsv"), "--truth", path("truth.txt")};
        QVERIFY(captureStdout(
                    path("e6.txt"), [&] { return cli::runScoreCommand(missing); }, out)
                != 0);
    }

private:
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    QTemporaryDir m_dir;
    test::SicSynthetic m_data;
};

QTEST_GUILESS_MAIN(TestSicCli)
#include "tst_siccli.moc"
