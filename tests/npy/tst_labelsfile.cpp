#include "io/labels.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;

class TestLabelsFile : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString put(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            qFatal("cannot write test file");
        return path;
    }

    QByteArray contents(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writesTheDocumentedText()
    {
        const QString path = m_dir.filePath(QStringLiteral("labels.tsv"));
        QVERIFY(writeLabelsTsv(path, {2, 0, 2}, {0.5f, 1.0f, 0.125f}));
        QCOMPARE(contents(path), QByteArray("# row\tcluster\tconfidence\n0\t2\t0.5\n1\t0\t1\n2\t2\t0.125\n"));
        auto back = readLabelsTsv(path);
        QVERIFY2(back, back ? "" : qPrintable(back.error()));
        QCOMPARE(*back, (std::vector<int>{2, 0, 2}));

        QVERIFY(writeLabelsTsv(path, {1, 1}, {}));
        QCOMPARE(contents(path), QByteArray("# row\tcluster\n0\t1\n1\t1\n"));
        QCOMPARE(*readLabelsTsv(path), (std::vector<int>{1, 1}));
    }

    void readsRowsInAnyOrderWithCommentsAndCrLf()
    {
        const QString path = put(QStringLiteral("any.tsv"), "# made by hand\r\n2\t7\t0.9\r\n0\t-1\t0.1\r\n# middle\n1\t7\t1e-3\n");
        auto r = readLabelsTsv(path);
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        QCOMPARE(*r, (std::vector<int>{-1, 7, 7}));
    }

    void rejectsBadLabelFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("duplicate row") << QByteArray("0\t1\t1\n0\t2\t1\n") << QStringLiteral("line 2: row 0 appears twice");
        QTest::newRow("gap") << QByteArray("0\t1\t1\n2\t2\t1\n") << QStringLiteral("line 2: row 2 is outside 0..1");
        QTest::newRow("negative row") << QByteArray("-1\t1\t1\n") << QStringLiteral("outside");
        QTest::newRow("cluster not a number") << QByteArray("0\tdog\t1\n") << QStringLiteral("cluster 'dog'");
        QTest::newRow("one field") << QByteArray("# h\n0\n") << QStringLiteral("line 2: expected row");
        QTest::newRow("four fields") << QByteArray("0\t1\t1\t1\n") << QStringLiteral("4 fields");
        QTest::newRow("bad confidence") << QByteArray("0\t1\thigh\n") << QStringLiteral("confidence 'high'");
        QTest::newRow("commas") << QByteArray("0,1,0.5\n") << QStringLiteral("1 fields");
    }

    void rejectsBadLabelFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, mentions);
        auto r = readLabelsTsv(put(QStringLiteral("bad.tsv"), text));
        QVERIFY(!r);
        QVERIFY2(r.error().contains(mentions), qPrintable(r.error()));
    }

    void rejectsBadWrites()
    {
        const QString path = put(QStringLiteral("keep.tsv"), "precious");
        auto mismatch = writeLabelsTsv(path, {1, 2, 3}, {0.5f});
        QVERIFY(!mismatch);
        QVERIFY2(mismatch.error().contains(QLatin1String("3 labels but 1")), qPrintable(mismatch.error()));
        QVERIFY(!writeLabelsTsv(path, {1}, {std::numeric_limits<float>::quiet_NaN()}));
        QCOMPARE(contents(path), QByteArray("precious"));
        QVERIFY(!writeLabelsTsv(m_dir.filePath(QStringLiteral("no/such/dir.tsv")), {1}, {}));
    }

    void readsTruth()
    {
        auto r = readTruth(put(QStringLiteral("truth.txt"), "# class per row\n3\n-1\r\n 0 \n3\n\n\n"));
        QVERIFY2(r, r ? "" : qPrintable(r.error()));
        QCOMPARE(*r, (std::vector<int>{3, -1, 0, 3}));
        auto empty = readTruth(put(QStringLiteral("empty.txt"), ""));
        QVERIFY(empty && empty->empty());
    }

    void rejectsBadTruth_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("word") << QByteArray("1\ncat\n") << QStringLiteral("line 2: label 'cat'");
        QTest::newRow("blank in the middle") << QByteArray("1\n\n2\n") << QStringLiteral("line 2: blank line");
        QTest::newRow("two numbers") << QByteArray("1 2\n") << QStringLiteral("not an integer");
    }

    void rejectsBadTruth()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, mentions);
        auto r = readTruth(put(QStringLiteral("badtruth.txt"), text));
        QVERIFY(!r);
        QVERIFY2(r.error().contains(mentions), qPrintable(r.error()));
    }

    void missingFiles()
    {
        QVERIFY(!readTruth(m_dir.filePath(QStringLiteral("none.txt"))));
        auto r = readLabelsTsv(m_dir.filePath(QStringLiteral("none.tsv")));
        QVERIFY(!r);
        QVERIFY2(r.error().contains(QLatin1String("none.tsv")), qPrintable(r.error()));
    }
};

QTEST_GUILESS_MAIN(TestLabelsFile)
#include "tst_labelsfile.moc"
