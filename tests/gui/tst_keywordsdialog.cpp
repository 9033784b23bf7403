// File › Write Keywords on a real catalog and real files, under the offscreen platform:
// sidecars by default (the photos untouched), writing into the photos only after the warning is
// accepted, RAW files never written, and every file's outcome listed.
#include "catalog/catalog.h"
#include "keywordsdialog.h"
#include "testsupport.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace clade;

class TestKeywordsDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::unique_ptr<Catalog> m_catalog;
    qint64 m_run = 0;
    QStringList m_jpegs;
    QString m_raw;

    static QByteArray bytes(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Answers the next modal question with `button` while `start` runs; returns its text.
    static QString answering(QMessageBox::StandardButton button, const std::function<void()> &start)
    {
        QString asked;
        QTimer answer;
        answer.setInterval(20);
        QObject::connect(&answer, &QTimer::timeout, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                asked = box->text();
                box->button(button)->click();
            }
        });
        answer.start();
        start();
        return asked;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString photos = m_work.filePath(QStringLiteral("photos"));
        QVERIFY(QDir().mkpath(photos));
        auto catalog = Catalog::open(m_work.filePath(QStringLiteral("catalog.sqlite")));
        QVERIFY(catalog.ok());
        m_catalog = std::move(*catalog);
        std::vector<AssignmentRecord> assignments;
        for (int i = 0; i < 4; ++i) {
            PhotoRecord p;
            p.path = QStringLiteral("%1/photo%2.%3").arg(photos).arg(i).arg(i == 3 ? QStringLiteral("nef") : QStringLiteral("jpg"));
            QVERIFY(test::writeJpeg(p.path, 64, 48, QColor(20 + 50 * i, 40, 200), 90, i));
            if (i == 3)
                m_raw = p.path;
            else
                m_jpegs << p.path;
            p.hash = QStringLiteral("h%1").arg(i);
            p.format = QStringLiteral("jpeg");
            auto id = m_catalog->photos().upsert(p);
            QVERIFY(id.ok());
            assignments.push_back({*id, i < 2 ? 0 : 1, 1.0f, false});
        }
        RunRecord run;
        run.folder = photos;
        run.k = 2;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("clade-visual-v1");
        auto runId = m_catalog->runs().create(run);
        QVERIFY(runId.ok());
        m_run = *runId;
        std::vector<ClusterRecord> clusters(2);
        clusters[0].index = 0;
        clusters[0].name = QStringLiteral("harbour · boat");
        clusters[1].index = 1;
        clusters[1].name = QStringLiteral("forest");
        QVERIFY(m_catalog->runs().storeClusters(m_run, clusters, assignments).ok());
        QVERIFY(m_catalog->runs().finish(m_run, RunStatus::Done).ok());
    }

    void sidecarsByDefaultLeaveThePhotosAlone()
    {
        const QByteArray before = bytes(m_jpegs.first());
        KeywordsDialog dialog(*m_catalog, m_run);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &KeywordsDialog::finishedWork);
        dialog.write();   // no question for sidecars
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().startsWith(QStringLiteral("4 written")), qPrintable(dialog.statusText()));
        QCOMPARE(dialog.resultCount(), 4);
        for (const QString &photo : m_jpegs + QStringList{m_raw}) {
            const QByteArray sidecar = bytes(photo + QStringLiteral(".xmp"));
            QVERIFY2(!sidecar.isEmpty(), qPrintable(photo));
            const QByteArray group = photo.contains(QLatin1String("photo0")) || photo.contains(QLatin1String("photo1"))
                                         ? QByteArrayLiteral("Clade|harbour · boat")
                                         : QByteArrayLiteral("Clade|forest");
            QVERIFY2(sidecar.contains(group), sidecar.constData());
        }
        QCOMPARE(bytes(m_jpegs.first()), before);
        QVERIFY(dialog.resultText(0).contains(QStringLiteral("\twritten\t")));

        // Again: everything is there already, nothing is written.
        dialog.write();
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().startsWith(QStringLiteral("0 written, 4 already there")), qPrintable(dialog.statusText()));
    }

    void writingIntoThePhotosAsksFirstAndNeverWritesRaw()
    {
        const QByteArray jpegBefore = bytes(m_jpegs.first());
        const QByteArray rawBefore = bytes(m_raw);
        KeywordsDialog dialog(*m_catalog, m_run);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy finished(&dialog, &KeywordsDialog::finishedWork);
        dialog.setTarget(KeywordTarget::Embedded);

        const QString declined = answering(QMessageBox::No, [&] { dialog.write(); });
        QVERIFY2(declined.contains(QStringLiteral("Rewrite 4 photo")), qPrintable(declined));
        QVERIFY(!dialog.isWorking());
        QCOMPARE(bytes(m_jpegs.first()), jpegBefore);   // declined: nothing touched

        const QString accepted = answering(QMessageBox::Yes, [&] { dialog.write(); });
        QVERIFY(!accepted.isEmpty());
        QVERIFY(finished.wait(30000));
        QVERIFY2(dialog.statusText().startsWith(QStringLiteral("3 written, 0 already there, 1 RAW skipped")),
                 qPrintable(dialog.statusText()));
        QVERIFY(bytes(m_jpegs.first()) != jpegBefore);
        QVERIFY(bytes(m_jpegs.first()).contains(QByteArrayLiteral("Clade|harbour · boat")));
        QCOMPARE(bytes(m_raw), rawBefore);
        bool rawListed = false;
        for (int row = 0; row < dialog.resultCount(); ++row)
            rawListed |= dialog.resultText(row).startsWith(QDir::toNativeSeparators(m_raw))
                         && dialog.resultText(row).contains(QStringLiteral("skipped (RAW)"));
        QVERIFY(rawListed);
    }
};

QTEST_MAIN(TestKeywordsDialog)
#include "tst_keywordsdialog.moc"
