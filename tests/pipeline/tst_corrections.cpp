// The user's corrections (move, merge, split, lock, create, rename) on a real run of real JPEGs,
// undo and redo, and re-runs (same K, another K and seed, new photos) after which every
// correction is still in force.
#include "catalog/catalog.h"
#include "exiv2/exiv2metadatareader.h"
#include "opencv/opencvdecoder.h"
#include "opencv/visualdescriptor.h"
#include "pipeline/corrections.h"
#include "cluster/kmeansclusterer.h"
#include "pipeline/pipeline.h"
#include "testsupport.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

using namespace clade;

namespace {

const QList<QColor> kLooks = {QColor(200, 30, 30), QColor(30, 160, 40), QColor(30, 60, 200), QColor(230, 210, 40),
                              QColor(128, 128, 128)};   // red, green, blue, yellow, grey

QString fileName(int look, int i)
{
    return QStringLiteral("look%1_%2.jpg").arg(look).arg(i);
}

}   // namespace

class TestCorrections : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    Exiv2MetadataReader m_metadata;
    OpenCvDecoder m_decoder{&m_metadata};
    VisualDescriptor m_descriptor;
    KMeansClusterer m_kmeans{4};
    int m_folders = 0;

    PipelineServices services() { return {&m_decoder, &m_metadata, &m_descriptor, &m_kmeans}; }

    // Five looks, five photos each.
    QString fiveLooks()
    {
        const QString path = m_work.filePath(QStringLiteral("folder%1").arg(++m_folders));
        QDir().mkpath(path);
        for (int c = 0; c < kLooks.size(); ++c)
            for (int i = 0; i < 5; ++i)
                test::writeJpeg(path + QLatin1Char('/') + fileName(c, i), 160, 120, kLooks[c], 90, i);
        return QFileInfo(path).canonicalFilePath();
    }

    static qint64 photoId(Catalog &db, const QString &folder, int look, int i)
    {
        const auto p = db.photos().byPath(folder + QLatin1Char('/') + fileName(look, i)).value();
        return p ? p->id : -1;
    }

    // photo id -> cluster index of the run
    static std::map<qint64, int> groupOf(Catalog &db, qint64 runId)
    {
        std::map<qint64, int> out;
        for (const AssignmentRecord &a : db.runs().assignments(runId).value())
            out[a.photoId] = a.clusterIndex;
        return out;
    }

    // The index of the run's group holding most photos of `look`.
    static int groupOfLook(Catalog &db, const QString &folder, qint64 runId, int look)
    {
        const auto groups = groupOf(db, runId);
        std::map<int, int> votes;
        for (int i = 0; i < 5; ++i)
            ++votes[groups.at(photoId(db, folder, look, i))];
        return std::max_element(votes.begin(), votes.end(), [](auto a, auto b) { return a.second < b.second; })->first;
    }

private Q_SLOTS:
    void undoAndRedoPutEveryCorrectionBack()
    {
        const QString folder = fiveLooks();
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        QVERIFY(catalog.ok());
        Catalog &db = **catalog;
        Pipeline pipeline(db, services());
        Progress progress;
        auto run = pipeline.run({folder, 5, 1, 0}, progress);
        QVERIFY2(run.ok(), qPrintable(run.ok() ? QString() : run.error()));
        const qint64 id = run->runId;
        Corrections corrections(db, id);
        const auto original = db.runs().assignments(id).value();
        const auto originalClusters = db.runs().clusters(id).value();
        const int red = groupOfLook(db, folder, id, 0), green = groupOfLook(db, folder, id, 1);
        QVERIFY(red != green);

        std::vector<CorrectionStep> steps;
        auto record = [&](Result<CorrectionStep> step) {
            QVERIFY2(step.ok(), qPrintable(step.ok() ? QString() : step.error()));
            steps.push_back(*step);
        };
        record(corrections.move({photoId(db, folder, 1, 0)}, red));
        QCOMPARE(groupOf(db, id).at(photoId(db, folder, 1, 0)), red);
        record(corrections.merge(green, red));
        QCOMPARE(db.runs().members(id, green).value().size(), std::size_t(0));
        QVERIFY(db.runs().clusters(id).value()[std::size_t(green)].removed);
        QCOMPARE(db.runs().members(id, red).value().size(), std::size_t(10));
        for (const AssignmentRecord &a : db.runs().assignments(id).value()) {
            if (a.clusterIndex == red)
                QVERIFY(a.manual);   // the target's own photos too: a re-run keeps the merged group
        }
        record(corrections.split(red, 2, 3));
        QCOMPARE(steps.back().madeClusters.size(), std::size_t(1));
        const int splitOff = steps.back().madeClusters.front();
        QCOMPARE(db.runs().clusters(id).value()[std::size_t(splitOff)].name,
                 db.runs().clusters(id).value()[std::size_t(red)].name + QStringLiteral(" (2)"));
        QVERIFY(!db.runs().members(id, splitOff).value().empty());
        QCOMPARE(db.runs().members(id, red).value().size() + db.runs().members(id, splitOff).value().size(), std::size_t(10));
        record(corrections.setLocked(red, true));
        QVERIFY(db.runs().clusters(id).value()[std::size_t(red)].locked);
        record(corrections.create(QStringLiteral("Favourites")));
        const int favourites = steps.back().madeClusters.front();
        QCOMPARE(db.runs().clusters(id).value()[std::size_t(favourites)].name, QStringLiteral("Favourites"));
        record(corrections.rename(favourites, QStringLiteral("Best of")));
        const auto done = db.runs().assignments(id).value();
        const auto doneClusters = db.runs().clusters(id).value();

        // Bad corrections are refused with a message and change nothing.
        QVERIFY(!corrections.move({photoId(db, folder, 2, 0)}, 999).ok());
        QVERIFY(!corrections.move({987654}, red).ok());
        QVERIFY(!corrections.merge(red, red).ok());
        QVERIFY(!corrections.merge(green, red).ok());      // green was merged away
        QVERIFY(!corrections.split(favourites, 2).ok());   // empty
        QVERIFY(!corrections.create(QStringLiteral("  ")).ok());
        QCOMPARE(db.runs().assignments(id).value().size(), done.size());
        for (std::size_t i = 0; i < done.size(); ++i)
            QCOMPARE(db.runs().assignments(id).value()[i].clusterIndex, done[i].clusterIndex);

        // Undo everything, newest first: the run is as the clustering left it.
        for (auto it = steps.rbegin(); it != steps.rend(); ++it)
            QVERIFY(corrections.undo(*it).ok());
        const auto undone = db.runs().assignments(id).value();
        QCOMPARE(undone.size(), original.size());
        for (std::size_t i = 0; i < original.size(); ++i) {
            QCOMPARE(undone[i].clusterIndex, original[i].clusterIndex);
            QCOMPARE(undone[i].manual, false);
            QCOMPARE(undone[i].confidence, original[i].confidence);
        }
        const auto undoneClusters = db.runs().clusters(id).value();
        std::size_t visible = 0;
        for (const ClusterRecord &c : undoneClusters) {
            QVERIFY(!c.locked);
            QVERIFY(c.userName.isEmpty());
            visible += c.removed ? 0 : 1;
        }
        QCOMPARE(visible, originalClusters.size());
        // Redo everything, oldest first: the corrected state again.
        for (const CorrectionStep &step : steps)
            QVERIFY(corrections.redo(step).ok());
        const auto redone = db.runs().assignments(id).value();
        for (std::size_t i = 0; i < done.size(); ++i) {
            QCOMPARE(redone[i].clusterIndex, done[i].clusterIndex);
            QCOMPARE(redone[i].manual, done[i].manual);
        }
        const auto redoneClusters = db.runs().clusters(id).value();
        QCOMPARE(redoneClusters.size(), doneClusters.size());
        for (std::size_t i = 0; i < doneClusters.size(); ++i) {
            QCOMPARE(redoneClusters[i].name, doneClusters[i].name);
            QCOMPARE(redoneClusters[i].locked, doneClusters[i].locked);
            QCOMPARE(redoneClusters[i].removed, doneClusters[i].removed);
        }
        // Each correction, undo and redo is a row with its kind and time.
        QStringList kinds;
        for (const CorrectionRecord &c : db.corrections().list(id).value()) {
            kinds << correctionKindName(c.kind);
            QVERIFY(c.at.isValid());
        }
        QCOMPARE(kinds.mid(0, 7),
                 (QStringList{QStringLiteral("move"), QStringLiteral("merge"), QStringLiteral("split"), QStringLiteral("lock"),
                              QStringLiteral("create"), QStringLiteral("rename"), QStringLiteral("undo")}));
        QCOMPARE(kinds.count(QStringLiteral("undo")), 6);
        QCOMPARE(kinds.count(QStringLiteral("redo")), 6);
    }

    // Correct, re-run, check every correction is still in force: with the same K, with another
    // K and seed, and with new photos in the folder.
    void correctionsSurviveReRuns()
    {
        const QString folder = fiveLooks();
        auto catalog = Catalog::open(folder + QStringLiteral(".sqlite"));
        QVERIFY(catalog.ok());
        Catalog &db = **catalog;
        Pipeline pipeline(db, services());
        Progress progress;
        auto first = pipeline.run({folder, 5, 1, 0}, progress);
        QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error()));
        const qint64 run1 = first->runId;
        int look[5];
        for (int l = 0; l < 5; ++l)
            look[l] = groupOfLook(db, folder, run1, l);
        QCOMPARE(std::set<int>(look, look + 5).size(), std::size_t(5));   // one group per look

        Corrections fix(db, run1);
        QVERIFY(fix.rename(look[0], QStringLiteral("Roses")).ok());
        QVERIFY(fix.move({photoId(db, folder, 1, 0)}, look[2]).ok());   // a green photo among the blue ones
        QVERIFY(fix.merge(look[4], look[1]).ok());                      // grey into green
        QVERIFY(fix.setLocked(look[3], true).ok());                     // yellow is done
        auto created = fix.create(QStringLiteral("Favourites"));
        QVERIFY(created.ok());
        const int favourites = created->madeClusters.front();
        const qint64 favouriteBlue = photoId(db, folder, 2, 1), favouriteGrey = photoId(db, folder, 4, 1);
        QVERIFY(fix.move({favouriteBlue, favouriteGrey}, favourites).ok());
        auto split = fix.split(look[0], 2, 5);   // the red ones, in two
        QVERIFY2(split.ok(), qPrintable(split.ok() ? QString() : split.error()));
        std::vector<qint64> keptPart, splitPart;
        for (const PhotoRecord &p : db.runs().members(run1, look[0]).value())
            keptPart.push_back(p.id);
        for (const PhotoRecord &p : db.runs().members(run1, split->madeClusters.front()).value())
            splitPart.push_back(p.id);
        QVERIFY(!keptPart.empty() && !splitPart.empty());
        std::vector<qint64> yellow;
        for (int i = 0; i < 5; ++i)
            yellow.push_back(photoId(db, folder, 3, i));

        auto check = [&](qint64 runId, const QString &what) {
            const auto groups = groupOf(db, runId);
            const auto clusters = db.runs().clusters(runId).value();
            auto in = [&](qint64 photo) { return groups.at(photo); };
            auto named = [&](const QString &name) {
                for (const ClusterRecord &c : clusters)
                    if (c.name == name && !c.removed)
                        return c.index;
                return -1;
            };
            const QString where = what + QStringLiteral(": ");
            // Locked: yellow keeps exactly its five photos, and is still locked.
            const int locked = in(yellow.front());
            QVERIFY2(clusters[std::size_t(locked)].locked, qPrintable(where + QStringLiteral("yellow not locked")));
            std::set<qint64> lockedMembers;
            for (const auto &[photo, group] : groups)
                if (group == locked)
                    lockedMembers.insert(photo);
            QCOMPARE(lockedMembers, std::set<qint64>(yellow.begin(), yellow.end()));
            // The green photo moved among the blue ones stays with them.
            QVERIFY2(in(photoId(db, folder, 1, 0)) == in(photoId(db, folder, 2, 0)), qPrintable(where + QStringLiteral("move lost")));
            // Merged: grey and the rest of green together.
            for (int i = 0; i < 5; ++i) {
                if (i != 1)   // grey 1 went to Favourites
                    QVERIFY2(in(photoId(db, folder, 4, i)) == in(photoId(db, folder, 1, 1)),
                             qPrintable(where + QStringLiteral("merge lost")));
            }
            // Created group with its two photos, by name.
            const int fav = named(QStringLiteral("Favourites"));
            QVERIFY2(fav >= 0, qPrintable(where + QStringLiteral("Favourites lost")));
            QCOMPARE(in(favouriteBlue), fav);
            QCOMPARE(in(favouriteGrey), fav);
            // Split: each part together, the two apart; the kept part keeps the name.
            for (qint64 p : keptPart)
                QCOMPARE(in(p), in(keptPart.front()));
            for (qint64 p : splitPart)
                QCOMPARE(in(p), in(splitPart.front()));
            QVERIFY2(in(keptPart.front()) != in(splitPart.front()), qPrintable(where + QStringLiteral("split lost")));
            QCOMPARE(named(QStringLiteral("Roses")), in(keptPart.front()));
            // Hand-placed photos stay marked, so the next re-run keeps them too.
            for (const AssignmentRecord &a : db.runs().assignments(runId).value())
                if (a.photoId == favouriteBlue || a.photoId == photoId(db, folder, 1, 0))
                    QVERIFY(a.manual);
            QVERIFY(db.corrections().namesNotCarried(runId).value().isEmpty());
        };
        check(run1, QStringLiteral("corrected run"));

        auto second = pipeline.run({folder, 5, 7, 0}, progress);
        QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error()));
        check(second->runId, QStringLiteral("same K"));
        bool kept = false;
        for (const CorrectionRecord &c : db.corrections().list(second->runId).value())
            kept = kept || c.kind == CorrectionKind::Kept;
        QVERIFY(kept);

        // Fewer groups: two looks must share one, and the corrections still hold.
        auto third = pipeline.run({folder, 4, 2, 0}, progress);
        QVERIFY2(third.ok(), qPrintable(third.ok() ? QString() : third.error()));
        check(third->runId, QStringLiteral("K = 4"));

        // New red photos join the red group that continues "Roses", never a locked or hand-made one.
        for (int i = 5; i < 8; ++i)
            QVERIFY(test::writeJpeg(folder + QLatin1Char('/') + fileName(0, i), 160, 120, kLooks[0], 90, i));
        auto fourth = pipeline.run({folder, 5, 3, 0}, progress);
        QVERIFY2(fourth.ok(), qPrintable(fourth.ok() ? QString() : fourth.error()));
        check(fourth->runId, QStringLiteral("new photos"));
        const auto groups = groupOf(db, fourth->runId);
        for (int i = 5; i < 8; ++i) {
            const int g = groups.at(photoId(db, folder, 0, i));
            QVERIFY(!db.runs().clusters(fourth->runId).value()[std::size_t(g)].locked);
            QVERIFY(db.runs().clusters(fourth->runId).value()[std::size_t(g)].origin == GroupOrigin::Computed);
        }

        // K too small for the locked groups: a clear error, nothing stored as done.
        auto tooSmall = pipeline.run({folder, 1, 1, 0}, progress);
        QVERIFY(!tooSmall.ok());
        QVERIFY2(tooSmall.error().contains(QStringLiteral("locked")), qPrintable(tooSmall.error()));
    }
};

QTEST_GUILESS_MAIN(TestCorrections)
#include "tst_corrections.moc"
