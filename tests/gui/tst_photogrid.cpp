// The grid model's collapsed bursts: one row per set, its photos carried when dragged, and
// expanding shows them all.
#include "photogridmodel.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QtTest>

using namespace clade;

class TestPhotoGrid : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void collapsesBursts()
    {
        PhotoGridModel model(nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<PhotoRecord> photos(4);
        for (int i = 0; i < 4; ++i) {
            photos[std::size_t(i)].id = i + 1;
            photos[std::size_t(i)].path = QStringLiteral("/photos/shot%1.jpg").arg(i + 1);
        }
        model.showPhotos(photos);
        QCOMPARE(model.rowCount(), 4);
        model.setBursts({{1, 1}, {2, 1}, {3, 1}});
        QVERIFY(model.collapsesBursts());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0).data(Qt::DisplayRole).toString(), QStringLiteral("shot1.jpg (+2)"));
        QCOMPARE(model.index(1).data(Qt::DisplayRole).toString(), QStringLiteral("shot4.jpg"));
        QCOMPARE(model.photosOfRow(0), (QList<qint64>{1, 2, 3}));
        std::unique_ptr<QMimeData> dragged(model.mimeData({model.index(0)}));
        QCOMPARE(PhotoGridModel::photoIdsFromMime(dragged.get()), (QList<qint64>{1, 2, 3}));

        // The same sets again (after a correction): nothing is rearranged.
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setBursts({{1, 1}, {2, 1}, {3, 1}});
        QCOMPARE(resets.count(), 0);

        // Search results holding a burst's photo without its representative still show it.
        model.showPhotos({photos[2], photos[3]});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.photo(0)->id, qint64(3));
        model.showPhotos(photos);

        model.setCollapseBursts(false);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(0).data(Qt::DisplayRole).toString(), QStringLiteral("shot1.jpg"));
        QCOMPARE(model.photosOfRow(0), QList<qint64>{1});
    }
};

QTEST_MAIN(TestPhotoGrid)
#include "tst_photogrid.moc"
