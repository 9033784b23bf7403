// clade-cli end to end: the real executable in a child process on real photos.
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    QString m_photos;   // three classes of labeled-dev, 12 photos each (or generated looks)
    QString m_catalog;

    struct Run
    {
        int code = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
    };

    Run cli(QStringList args, bool withCatalog = true)
    {
        if (withCatalog)
            args << QStringLiteral("--catalog") << m_catalog;
        QProcess p;
        p.start(QStringLiteral(CLADE_CLI_PATH), args);
        if (!p.waitForFinished(600'000))
            p.kill();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
    }

    static QStringList tree(const QString &root)
    {
        QStringList files;
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << QDir(root).relativeFilePath(it.next());
        files.sort();
        return files;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_catalog = m_work.filePath(QStringLiteral("catalog.sqlite"));
        m_photos = m_work.filePath(QStringLiteral("photos"));
        const QString labelled = clade::test::sharedData(QStringLiteral("labeled-dev"));
        const QStringList classes = {QStringLiteral("church"), QStringLiteral("golf_ball"), QStringLiteral("tench")};
        for (int c = 0; c < classes.size(); ++c) {
            QDir().mkpath(m_photos + QLatin1Char('/') + classes[c]);
            if (labelled.isEmpty()) {   // without ../shared: three generated looks
                for (int i = 0; i < 12; ++i)
                    clade::test::writeJpeg(QStringLiteral("%1/%2/%3.jpg").arg(m_photos, classes[c]).arg(i), 160, 120,
                                           QColor::fromHsv(c * 120, 220, 200), 90, i);
                continue;
            }
            const QFileInfoList files = QDir(labelled + QLatin1Char('/') + classes[c]).entryInfoList(QDir::Files, QDir::Name);
            for (int i = 0; i < 12 && i < files.size(); ++i)
                QVERIFY(
                    QFile::copy(files[i].filePath(), m_photos + QLatin1Char('/') + classes[c] + QLatin1Char('/') + files[i].fileName()));
        }
    }

    void versionAndUsageErrors()
    {
        const Run version = cli({QStringLiteral("--version")}, false);
        QCOMPARE(version.code, 0);
        QVERIFY(version.out.startsWith("clade-cli "));
        const Run unknown = cli({QStringLiteral("frobnicate")}, false);
        QCOMPARE(unknown.code, 2);
        QCOMPARE(unknown.err.count('\n'), 1);
        const Run noK = cli({QStringLiteral("cluster"), m_photos});
        QCOMPARE(noK.code, 2);
        QVERIFY(noK.err.contains("--k"));
        const Run badK = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("zero")});
        QCOMPARE(badK.code, 2);
        const Run noFolder =
            cli({QStringLiteral("cluster"), m_work.filePath(QStringLiteral("nope")), QStringLiteral("--k"), QStringLiteral("2")});
        QVERIFY(noFolder.code != 0);
        QCOMPARE(noFolder.err.count('\n'), 1);
        QVERIFY(noFolder.err.contains("Not a folder"));
        // A clustering setting out of range, or one the chosen method does not have: a usage
        // error naming the option once, before anything runs.
#ifdef CLADE_TEST_WITH_TORCH   // without libtorch, k-means is the only method
        const Run badSetting = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("2"),
                                    QStringLiteral("--entropy-weight"), QStringLiteral("9999")});
        QCOMPARE(badSetting.code, 2);
        QVERIFY2(badSetting.err.contains("clade-cli cluster: --entropy-weight must be"), badSetting.err.constData());
#endif
        const Run foreignSetting =
            cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("2"), QStringLiteral("--method"),
                 QStringLiteral("kmeans"), QStringLiteral("--entropy-weight"), QStringLiteral("1")});
        QCOMPARE(foreignSetting.code, 2);
        QVERIFY2(foreignSetting.err.contains("clade-cli cluster: --entropy-weight: the kmeans method has no such setting"),
                 foreignSetting.err.constData());
    }

    // tokenize prints what the text tower sees: a long text is cut to the context of 77 ids, the
    // last one the end token, as the reference's tokenize(truncate=True).
    void tokenizeCutsLongTextsToTheContext()
    {
#ifndef CLADE_TEST_WITH_TORCH
        QSKIP("this build has no libtorch (a sanitizer preset): clade-cli has no CLIP tokenizer");
#endif
        CLADE_REQUIRE_SHARED("clip-parity/bpe_simple_vocab_16e6.txt.gz");
        const QString vocab = clade::test::sharedData(QStringLiteral("clip-parity/bpe_simple_vocab_16e6.txt.gz"));
        QStringList words;
        for (int i = 0; i < 120; ++i)
            words << QStringLiteral("photo");
        const Run out =
            cli({QStringLiteral("tokenize"), QStringLiteral("--vocab"), vocab, words.join(u' '), QStringLiteral("a dog")}, false);
        QCOMPARE(out.code, 0);
        const QList<QByteArray> lines = out.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QList<QByteArray> longIds = lines[0].split(' ');
        QCOMPARE(longIds.size(), 77);
        QCOMPARE(longIds.first(), QByteArray("49406"));
        QCOMPARE(longIds.last(), QByteArray("49407"));
        const QList<QByteArray> shortIds = lines[1].split(' ');
        QCOMPARE(shortIds.size(), 4);   // start, "a", "dog", end: nothing cut
        QCOMPARE(shortIds.last(), QByteArray("49407"));
    }

    // problems lists the files that could not be used, with stage, reason and time, for a folder,
    // for a run's folder, or all of them.
    void problemsListsWhatCouldNotBeUsed()
    {
        const QString folder = m_work.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < 3; ++i)
            QVERIFY(clade::test::writeJpeg(folder + QStringLiteral("/fine%1.jpg").arg(i), 160, 120, QColor::fromHsv(i * 100, 200, 200)));
        QFile truncated(folder + QStringLiteral("/cut.jpg"));
        QVERIFY(truncated.open(QIODevice::WriteOnly));
        truncated.write(QByteArray::fromHex("ffd8ffe000104a46494600010100000100010000"));   // a JPEG that stops in its header
        truncated.close();
        // Decoding finds it: a run of the folder.
        const Run run = cli({QStringLiteral("cluster"), folder, QStringLiteral("--k"), QStringLiteral("2"), QStringLiteral("--method"),
                             QStringLiteral("kmeans"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QString runId = QString::number(run.json().value(QStringLiteral("run")).toInteger());
        const Run all = cli({QStringLiteral("problems"), QStringLiteral("--json")});
        QCOMPARE(all.code, 0);
        const QJsonArray listed = all.json().value(QStringLiteral("problems")).toArray();
        bool found = false;
        for (const QJsonValue &v : listed) {
            const QJsonObject p = v.toObject();
            if (!p.value(QStringLiteral("path")).toString().endsWith(QLatin1String("/broken/cut.jpg")))
                continue;
            found = true;
            QVERIFY(!p.value(QStringLiteral("stage")).toString().isEmpty());
            QVERIFY(!p.value(QStringLiteral("error")).toString().isEmpty());
            const QDateTime at = QDateTime::fromString(p.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
            QVERIFY(at.isValid() && qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 600);
        }
        QVERIFY2(found, all.out.constData());
        const Run underFolder = cli({QStringLiteral("problems"), folder});
        QCOMPARE(underFolder.code, 0);
        QVERIFY2(underFolder.out.contains("cut.jpg") && !underFolder.out.contains("fine"), underFolder.out.constData());
        const Run ofRun = cli({QStringLiteral("problems"), QStringLiteral("--run"), runId, QStringLiteral("--json")});
        QCOMPARE(ofRun.code, 0);
        QCOMPARE(ofRun.json().value(QStringLiteral("problems")).toArray().size(), 1);
        const Run elsewhere = cli({QStringLiteral("problems"), m_photos, QStringLiteral("--json")});
        QCOMPARE(elsewhere.code, 0);
        for (const QJsonValue &v : elsewhere.json().value(QStringLiteral("problems")).toArray())
            QVERIFY(!v.toObject().value(QStringLiteral("path")).toString().contains(QLatin1String("/broken/")));
        QCOMPARE(cli({QStringLiteral("problems"), QStringLiteral("--run"), QStringLiteral("999999")}).code, 1);
        QCOMPARE(cli({QStringLiteral("problems"), QStringLiteral("--run"), QStringLiteral("1"), folder}).code, 2);
    }

    // Every command listed by --help parses with the one parser: --help exits 0 with usage, an
    // unknown option exits 2 with one line "clade-cli NAME: ... (see clade-cli NAME --help)".
    void everyCommandParsesTheSameWay()
    {
        const Run help = cli({QStringLiteral("--help")}, false);
        QCOMPARE(help.code, 0);
        QStringList names;
        bool inCommands = false;
        for (const QByteArray &line : help.out.split('\n')) {
            if (line.startsWith("Commands:"))
                inCommands = true;
            else if (inCommands && line.startsWith("  "))
                names << QString::fromUtf8(line.trimmed().split(' ').constFirst());
            else if (inCommands && line.trimmed().isEmpty() && !names.isEmpty())
                break;
        }
        QVERIFY2(names.size() >= 10, qPrintable(names.join(u' ')));
        for (const QString &name : std::as_const(names)) {
            const Run usage = cli({name, QStringLiteral("--help")}, false);
            QVERIFY2(usage.code == 0 && usage.out.contains("Usage:"), qPrintable(name));
            const Run wrong = cli({name, QStringLiteral("--no-such-option")}, false);
            QVERIFY2(wrong.code == 2, qPrintable(name));
            QVERIFY2(wrong.err.count('\n') == 1, qPrintable(name + QStringLiteral(": ") + QString::fromUtf8(wrong.err)));
            const QString line = QString::fromUtf8(wrong.err).trimmed();
            QVERIFY2(line.startsWith(QStringLiteral("clade-cli %1: ").arg(name))
                         && line.endsWith(QStringLiteral("(see clade-cli %1 --help)").arg(name)),
                     qPrintable(line));
        }
    }

    // libgomp reads OMP_WAIT_POLICY before main, so clade-cli re-executes itself with PASSIVE
    // when the variable is unset, and keeps a value the user chose.
    void openMpWaitPolicyReachesTheProcess()
    {
        for (const QString &given : {QString(), QStringLiteral("ACTIVE")}) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("OMP_WAIT_POLICY"));
            if (!given.isEmpty())
                env.insert(QStringLiteral("OMP_WAIT_POLICY"), given);
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(CLADE_CLI_PATH), {QStringLiteral("info"), QStringLiteral("--json")});
            QVERIFY(p.waitForFinished(120'000));
            QCOMPARE(p.exitCode(), 0);
            const QJsonObject info = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
            QCOMPARE(info.value(QStringLiteral("openmpWaitPolicy")).toString(), given.isEmpty() ? QStringLiteral("PASSIVE") : given);
            QVERIFY(info.value(QStringLiteral("cores")).toInt() >= 1);
        }
    }

#ifdef CLADE_EXPECT_OPENBLAS
    // libtorch's matrix products run on the OpenBLAS-openmp that clade-cli's run path names, not
    // on whatever the system's libblas.so.3 alternative points to (the reference BLAS by default,
    // ~55x slower): the loader found it in that folder, not as /usr/lib/…/libblas.so.3.
    void runsOnItsOwnOpenBlas()
    {
        const Run run = cli({QStringLiteral("info"), QStringLiteral("--json")}, false);
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject info = run.json();
        const QString library = info.value(QStringLiteral("blas")).toString();
        QVERIFY2(library.startsWith(QStringLiteral(CLADE_EXPECT_OPENBLAS "/")), qPrintable(library));
        QVERIFY2(info.value(QStringLiteral("blasKind")).toString().startsWith(QStringLiteral("OpenBLAS")),
                 qPrintable(info.value(QStringLiteral("blasKind")).toString()));
        QVERIFY(info.value(QStringLiteral("blasFromClade")).toBool());
        const Run text = cli({QStringLiteral("info")}, false);
        QVERIFY(text.out.contains("blas: " + library.toUtf8()));
    }
#endif

    void clusterExportAndUndo()
    {
        const Run run = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--seed"),
                             QStringLiteral("5"), QStringLiteral("--json")});
        QVERIFY2(run.code == 0, run.err.constData());
        const QJsonObject json = run.json();
        const qint64 runId = json.value(QStringLiteral("run")).toInteger();
        QVERIFY(runId > 0);
        const QJsonArray clusters = json.value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 3);
        int total = 0;
        for (const QJsonValue &c : clusters) {
            const QJsonObject o = c.toObject();
            QVERIFY(!o.value(QStringLiteral("name")).toString().isEmpty());
            QVERIFY(o.value(QStringLiteral("members")).toArray().size() <= 3);
            QVERIFY(o.contains(QStringLiteral("index")));
            total += o.value(QStringLiteral("size")).toInt();
        }
        QCOMPARE(total, 36);
        QVERIFY(json.value(QStringLiteral("problems")).isArray());

        const QStringList before = tree(m_photos);
        const QString target = m_work.filePath(QStringLiteral("export"));
        const Run dry = cli({QStringLiteral("export"), QStringLiteral("--run"), QString::number(runId), QStringLiteral("--to"), target,
                             QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QVERIFY2(dry.code == 0, dry.err.constData());
        QCOMPARE(dry.json().value(QStringLiteral("actions")).toArray().size(), 36);
        QVERIFY(tree(target).isEmpty());

        const Run exported = cli({QStringLiteral("export"), QStringLiteral("--run"), QString::number(runId), QStringLiteral("--to"), target,
                                  QStringLiteral("--mode"), QStringLiteral("move"), QStringLiteral("--json")});
        QVERIFY2(exported.code == 0, exported.err.constData());
        const QString manifest = exported.json().value(QStringLiteral("manifest")).toString();
        QVERIFY(QFileInfo::exists(manifest));
        QCOMPARE(exported.json().value(QStringLiteral("done")).toInt(), 36);
        QVERIFY(tree(m_photos).isEmpty());   // moved out
        QCOMPARE(QDir(target).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 3);

        const Run undone = cli({QStringLiteral("export"), QStringLiteral("--undo"), manifest});
        QVERIFY2(undone.code == 0, undone.err.constData());
        QCOMPARE(tree(m_photos), before);
    }

    // rename names a group; the next `cluster` (same settings: the plumbing; tst_pipeline and
    // tst_clustermatching vary K and seed) keeps the name on the group that continues it, and the
    // export folder is named after it. Bad arguments are errors with the usual exit codes.
    void renameSurvivesAReRun()
    {
        const Run first = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--seed"),
                               QStringLiteral("5"), QStringLiteral("--json")});
        QVERIFY2(first.code == 0, first.err.constData());
        const QString runId = QString::number(first.json().value(QStringLiteral("run")).toInteger());
        QCOMPARE(cli({QStringLiteral("rename"), QStringLiteral("--run"), runId, QStringLiteral("Night")}).code, 2);
        QCOMPARE(cli({QStringLiteral("rename"), QStringLiteral("--run"), runId, QStringLiteral("--cluster"), QStringLiteral("3"),
                      QStringLiteral("Night")})
                     .code,
                 1);
        QCOMPARE(cli({QStringLiteral("rename"), QStringLiteral("--run"), QStringLiteral("99999"), QStringLiteral("--cluster"),
                      QStringLiteral("0"), QStringLiteral("Night")})
                     .code,
                 1);
        const Run renamed = cli({QStringLiteral("rename"), QStringLiteral("--run"), runId, QStringLiteral("--cluster"), QStringLiteral("1"),
                                 QStringLiteral("Quiet water"), QStringLiteral("--json")});
        QVERIFY2(renamed.code == 0, renamed.err.constData());
        QCOMPARE(renamed.json().value(QStringLiteral("name")).toString(), QStringLiteral("Quiet water"));

        const Run again = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--seed"),
                               QStringLiteral("5"), QStringLiteral("--json")});
        QVERIFY2(again.code == 0, again.err.constData());
        int named = 0;
        for (const QJsonValue &c : again.json().value(QStringLiteral("clusters")).toArray()) {
            const QJsonObject o = c.toObject();
            if (!o.value(QStringLiteral("userNamed")).toBool())
                continue;
            ++named;
            QCOMPARE(o.value(QStringLiteral("name")).toString(), QStringLiteral("Quiet water"));
        }
        QCOMPARE(named, 1);
        QVERIFY(again.json().value(QStringLiteral("namesNotCarried")).toArray().isEmpty());
        const QString againId = QString::number(again.json().value(QStringLiteral("run")).toInteger());
        const Run exported =
            cli({QStringLiteral("export"), QStringLiteral("--run"), againId, QStringLiteral("--to"),
                 m_work.filePath(QStringLiteral("renamed-export")), QStringLiteral("--dry-run"), QStringLiteral("--json")});
        QVERIFY2(exported.code == 0, exported.err.constData());
        QVERIFY2(exported.out.contains("/Quiet water/"), exported.out.constData());
    }

    // correct: a new group filled with two photos and a locked group, kept by the next `cluster`
    // run with another seed; bad arguments are errors with the usual exit codes.
    void correctionsSurviveAReRun()
    {
        const Run first = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--seed"),
                               QStringLiteral("5"), QStringLiteral("--json")});
        QVERIFY2(first.code == 0, first.err.constData());
        const QString runId = QString::number(first.json().value(QStringLiteral("run")).toInteger());
        const QJsonArray clusters = first.json().value(QStringLiteral("clusters")).toArray();
        QCOMPARE(clusters.size(), 3);
        const QJsonArray members = clusters[0].toObject().value(QStringLiteral("members")).toArray();
        QVERIFY(members.size() >= 2);
        const QString a = members[0].toString(), b = members[1].toString();
        const QString run = QStringLiteral("--run");
        QCOMPARE(cli({QStringLiteral("correct"), run, runId}).code, 2);   // no action
        QCOMPARE(cli({QStringLiteral("correct"), run, runId, QStringLiteral("--lock"), QStringLiteral("0"), QStringLiteral("--unlock"),
                      QStringLiteral("1")})
                     .code,
                 2);   // two actions
        QCOMPARE(cli({QStringLiteral("correct"), run, runId, QStringLiteral("--move-to"), QStringLiteral("1")}).code, 2);
        QCOMPARE(cli({QStringLiteral("correct"), run, runId, QStringLiteral("--merge"), QStringLiteral("1")}).code, 2);
        QCOMPARE(cli({QStringLiteral("correct"), run, runId, QStringLiteral("--lock"), QStringLiteral("7")}).code, 1);
        QCOMPARE(cli({QStringLiteral("correct"), run, runId, QStringLiteral("--move-to"), QStringLiteral("1"),
                      m_work.filePath(QStringLiteral("not-a-photo.jpg"))})
                     .code,
                 1);

        const Run made =
            cli({QStringLiteral("correct"), run, runId, QStringLiteral("--new-group"), QStringLiteral("Picks"), QStringLiteral("--json")});
        QVERIFY2(made.code == 0, made.err.constData());
        const QString picks = QString::number(made.json().value(QStringLiteral("newGroups")).toArray().first().toInt());
        QCOMPARE(picks, QStringLiteral("3"));
        const Run moved = cli({QStringLiteral("correct"), run, runId, QStringLiteral("--move-to"), picks, a, b});
        QVERIFY2(moved.code == 0, moved.err.constData());
        QVERIFY2(moved.out.contains("Moved 2 photo(s) to group #3."), moved.out.constData());
        const Run locked = cli({QStringLiteral("correct"), run, runId, QStringLiteral("--lock"), QStringLiteral("1")});
        QVERIFY2(locked.code == 0, locked.err.constData());

        const Run again = cli({QStringLiteral("cluster"), m_photos, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--seed"),
                               QStringLiteral("9"), QStringLiteral("--json")});
        QVERIFY2(again.code == 0, again.err.constData());
        int lockedGroups = 0;
        bool picksKept = false;
        for (const QJsonValue &c : again.json().value(QStringLiteral("clusters")).toArray()) {
            const QJsonObject o = c.toObject();
            lockedGroups += o.value(QStringLiteral("locked")).toBool() ? 1 : 0;
            if (o.value(QStringLiteral("name")).toString() == QLatin1String("Picks")) {
                picksKept = true;
                QCOMPARE(o.value(QStringLiteral("size")).toInt(), 2);
                const QJsonArray kept = o.value(QStringLiteral("members")).toArray();
                QVERIFY(kept.contains(a) && kept.contains(b));
            }
        }
        QVERIFY(picksKept);
        QCOMPARE(lockedGroups, 1);

        // diagnose: a figure per shown group of that run.
        const QString againId = QString::number(again.json().value(QStringLiteral("run")).toInteger());
        const Run diagnosed = cli({QStringLiteral("diagnose"), run, againId, QStringLiteral("--json")});
        QVERIFY2(diagnosed.code == 0, diagnosed.err.constData());
        const QJsonArray figures = diagnosed.json().value(QStringLiteral("clusters")).toArray();
        QCOMPARE(figures.size(), again.json().value(QStringLiteral("clusters")).toArray().size());
        for (const QJsonValue &f : figures) {
            const double cohesion = f.toObject().value(QStringLiteral("cohesion")).toDouble();
            QVERIFY2(cohesion > 0 && cohesion <= 1.0001, qPrintable(QString::number(cohesion)));
        }
        QCOMPARE(cli({QStringLiteral("diagnose")}).code, 2);
        QCOMPARE(cli({QStringLiteral("diagnose"), run, QStringLiteral("99999")}).code, 1);
    }

    void evalReportsBothMethods()
    {
        // Three looks that any method must tell apart: the scores are checked, not just shaped.
        const QString looks = m_work.filePath(QStringLiteral("looks"));
        const QStringList classes = {QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")};
        for (int c = 0; c < classes.size(); ++c) {
            QDir().mkpath(looks + QLatin1Char('/') + classes[c]);
            for (int i = 0; i < 10; ++i)
                QVERIFY(clade::test::writeJpeg(QStringLiteral("%1/%2/%3.jpg").arg(looks, classes[c]).arg(i), 160, 120,
                                               QColor::fromHsv(c * 120, 220, 200), 90, i));
        }
        const Run eval = cli({QStringLiteral("eval"), looks, QStringLiteral("--k"), QStringLiteral("3"), QStringLiteral("--json")});
        QVERIFY2(eval.code == 0, eval.err.constData());
        const QJsonObject json = eval.json();
        for (const QString &key : {QStringLiteral("method"), QStringLiteral("kmeans")}) {
            const QJsonObject scores = json.value(key).toObject();
            for (const QString &metric : {QStringLiteral("acc"), QStringLiteral("nmi"), QStringLiteral("ari")})
                QVERIFY2(scores.value(metric).toDouble() > 0.9, qPrintable(QString::fromUtf8(eval.out)));
        }
        QCOMPARE(json.value(QStringLiteral("photos")).toInt(), 30);
        QCOMPARE(json.value(QStringLiteral("classes")).toInt(), 3);

        // Photos outside any class folder cannot be scored: a folder without classes is an error.
        const Run flat = cli({QStringLiteral("eval"), looks + QStringLiteral("/red"), QStringLiteral("--k"), QStringLiteral("2")});
        QVERIFY(flat.code != 0);
        QVERIFY(flat.err.contains("sub-folder"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
