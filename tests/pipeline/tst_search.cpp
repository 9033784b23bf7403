// Search over a stored run on a real SQLite catalog: ranking by cosine to a query, "more like
// this" from a photo and from a group's centre, limits and refusals.
#include "catalog/catalog.h"
#include "pipeline/search.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace clade;

class TestSearch : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_work;
    std::unique_ptr<Catalog> m_catalog;
    qint64 m_run = 0;
    std::vector<qint64> m_ids;   // photo i has features (1, i/10, 0) for i < 5 (group 0), (0, 1, i/10) after (group 1)

private Q_SLOTS:
    void initTestCase()
    {
        auto catalog = Catalog::open(m_work.filePath(QStringLiteral("search.sqlite")));
        QVERIFY(catalog.ok());
        m_catalog = std::move(*catalog);
        std::vector<AssignmentRecord> assignments;
        for (int i = 0; i < 10; ++i) {
            PhotoRecord p;
            p.path = m_work.filePath(QStringLiteral("p%1.jpg").arg(i));
            p.hash = QStringLiteral("h%1").arg(i);
            p.format = QStringLiteral("jpeg");
            auto id = m_catalog->photos().upsert(p);
            QVERIFY(id.ok());
            m_ids.push_back(*id);
            const std::vector<float> v = i < 5 ? std::vector<float>{1.0f, i / 10.0f, 0.0f} : std::vector<float>{0.0f, 1.0f, i / 10.0f};
            QVERIFY(m_catalog->features().put(*id, QStringLiteral("model-a"), v).ok());
            assignments.push_back({*id, i < 5 ? 0 : 1, 1.0f, false});
        }
        RunRecord run;
        run.folder = m_work.path();
        run.k = 2;
        run.method = ClusterMethod::KMeans;
        run.modelId = QStringLiteral("model-a");
        auto id = m_catalog->runs().create(run);
        QVERIFY(id.ok());
        m_run = *id;
        std::vector<ClusterRecord> clusters(2);
        clusters[0].index = 0;
        clusters[0].name = QStringLiteral("a");
        clusters[1].index = 1;
        clusters[1].name = QStringLiteral("b");
        QVERIFY(m_catalog->runs().storeClusters(m_run, clusters, assignments).ok());
        QVERIFY(m_catalog->runs().finish(m_run, RunStatus::Done).ok());
    }

    void ranksByCosine()
    {
        auto hits = searchRun(*m_catalog, m_run, {1.0f, 0.0f, 0.0f});
        QVERIFY(hits.ok());
        QCOMPARE(hits->size(), std::size_t(10));
        QCOMPARE(hits->front().photoId, m_ids[0]);   // exactly along the query
        QVERIFY(qAbs(hits->front().score - 1.0f) < 1e-6f);
        for (std::size_t i = 1; i < hits->size(); ++i)
            QVERIFY((*hits)[i - 1].score >= (*hits)[i].score);
        for (int i = 0; i < 5; ++i)   // group 0 first, in order of its growing second coordinate
            QCOMPARE((*hits)[std::size_t(i)].photoId, m_ids[std::size_t(i)]);
        QVERIFY(qAbs(hits->back().score) < 1e-6f);   // (0, 1, 0.5)... orthogonal to the query: 0

        auto three = searchRun(*m_catalog, m_run, {0.0f, 0.0f, 1.0f}, 3);
        QVERIFY(three.ok());
        QCOMPARE(three->size(), std::size_t(3));
        QCOMPARE(three->front().photoId, m_ids[9]);
    }

    void moreLikeThis()
    {
        auto photo = photoQuery(*m_catalog, m_run, m_ids[7]);
        QVERIFY(photo.ok());
        auto hits = searchRun(*m_catalog, m_run, *photo, 5);
        QVERIFY(hits.ok());
        QCOMPARE(hits->front().photoId, m_ids[7]);   // itself first
        for (const SearchHit &h : *hits)
            QVERIFY(std::find(m_ids.begin() + 5, m_ids.end(), h.photoId) != m_ids.end());   // its group's photos

        auto centre = groupQuery(*m_catalog, m_run, 0);
        QVERIFY(centre.ok());
        auto byGroup = searchRun(*m_catalog, m_run, *centre, 5);
        QVERIFY(byGroup.ok());
        for (const SearchHit &h : *byGroup)
            QVERIFY(std::find(m_ids.begin(), m_ids.begin() + 5, h.photoId) != m_ids.begin() + 5);
    }

    // The adaptive cut on crafted score lists (best first), at CLIP's text temperature.
    void adaptiveCutFollowsTheScores()
    {
        const SearchCut text = textSearchCut();
        // One clear match, the rest far below: that one alone.
        std::vector<float> one{0.36f};
        one.resize(200, 0.20f);
        QCOMPARE(adaptiveCount(one, text), std::size_t(1));
        // Fifty equally good matches over noise: all fifty, none of the noise.
        std::vector<float> fifty(50, 0.31f);
        for (int i = 0; i < 50; ++i)
            fifty[std::size_t(i)] -= 0.0001f * float(i);   // near-ties are not split
        fifty.resize(300, 0.16f);
        QCOMPARE(adaptiveCount(fifty, text), std::size_t(50));
        // Three strong, then a gentle slope: the strong ones and what carries the rest of the mass.
        std::vector<float> slope{0.34f, 0.335f, 0.33f};
        for (int i = 0; i < 100; ++i)
            slope.push_back(0.30f - 0.001f * float(i));
        const std::size_t kept = adaptiveCount(slope, text);
        QVERIFY2(kept > 3 && kept < 60, qPrintable(QString::number(kept)));
        // The same scores at the softer temperature of "more like this" keep more.
        QVERIFY(adaptiveCount(slope, photoSearchCut()) > kept);
        // Never more than there are, never fewer than asked for.
        QCOMPARE(adaptiveCount({}, text), std::size_t(0));
        SearchCut atLeastFive = text;
        atLeastFive.atLeast = 5;
        QCOMPARE(adaptiveCount(one, atLeastFive), std::size_t(5));
        QCOMPARE(adaptiveCount({0.3f, 0.1f}, atLeastFive), std::size_t(2));
    }

    // Search spans the catalog: photos of no run and of other folders are found, missing photos
    // and another model's features are not; nothing under the model at all is said plainly.
    void searchSpansTheCatalog()
    {
        PhotoRecord elsewhere;
        elsewhere.path = QStringLiteral("/elsewhere/holiday/q.jpg");
        elsewhere.hash = QStringLiteral("q");
        elsewhere.format = QStringLiteral("jpeg");
        auto other = m_catalog->photos().upsert(elsewhere);
        QVERIFY(other.ok());
        QVERIFY(m_catalog->features().put(*other, QStringLiteral("model-a"), {0.0f, 0.0f, 1.0f}).ok());
        PhotoRecord gone = elsewhere;
        gone.path = QStringLiteral("/elsewhere/holiday/gone.jpg");
        gone.hash = QStringLiteral("g");
        auto goneId = m_catalog->photos().upsert(gone);
        QVERIFY(goneId.ok());
        QVERIFY(m_catalog->features().put(*goneId, QStringLiteral("model-a"), {0.0f, 0.0f, 1.0f}).ok());
        QVERIFY(m_catalog->photos().setState(*goneId, PhotoState::Missing).ok());
        PhotoRecord foreign = elsewhere;
        foreign.path = QStringLiteral("/elsewhere/holiday/b.jpg");
        foreign.hash = QStringLiteral("b");
        auto foreignId = m_catalog->photos().upsert(foreign);
        QVERIFY(foreignId.ok());
        QVERIFY(m_catalog->features().put(*foreignId, QStringLiteral("model-b"), {0.0f, 0.0f, 1.0f}).ok());

        SearchCut all = photoSearchCut();
        all.atLeast = 100;
        auto hits = searchCatalog(*m_catalog, QStringLiteral("model-a"), {0.0f, 0.0f, 1.0f}, all);
        QVERIFY2(hits.ok(), qPrintable(hits.ok() ? QString() : hits.error()));
        QCOMPARE(hits->size(), std::size_t(11));   // the run's ten and the one of no run
        QCOMPARE(hits->front().photoId, *other);
        for (const SearchHit &h : *hits)
            QVERIFY(h.photoId != *goneId && h.photoId != *foreignId);
        // The adaptive cut, not a fixed number: only the exact match stands out at this temperature.
        auto cut = searchCatalog(*m_catalog, QStringLiteral("model-a"), {0.0f, 0.0f, 1.0f}, textSearchCut());
        QVERIFY(cut.ok());
        QCOMPARE(cut->size(), std::size_t(1));
        auto like = catalogPhotoQuery(*m_catalog, QStringLiteral("model-a"), *other);
        QVERIFY(like.ok());
        QCOMPARE(*like, (std::vector<float>{0.0f, 0.0f, 1.0f}));
        QVERIFY(!catalogPhotoQuery(*m_catalog, QStringLiteral("model-a"), *foreignId).ok());
        auto none = searchCatalog(*m_catalog, QStringLiteral("model-c"), {1.0f}, textSearchCut());
        QVERIFY(!none.ok());
        QVERIFY2(none.error().contains(QStringLiteral("No photo in the catalog has features of the model model-c")),
                 qPrintable(none.error()));
        auto wrongSize = searchCatalog(*m_catalog, QStringLiteral("model-a"), {1.0f, 0.0f}, textSearchCut());
        QVERIFY(!wrongSize.ok());
    }

    void refusals()
    {
        const auto wrong = searchRun(*m_catalog, m_run, {1.0f, 0.0f});   // e.g. a text query on a run grouped by look
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().contains(QStringLiteral("model")), qPrintable(wrong.error()));
        QVERIFY(!searchRun(*m_catalog, m_run, {0.0f, 0.0f, 0.0f}).ok());
        QVERIFY(!searchRun(*m_catalog, 9999, {1.0f, 0.0f, 0.0f}).ok());
        QVERIFY(!photoQuery(*m_catalog, m_run, 987654).ok());
        QVERIFY(!groupQuery(*m_catalog, m_run, 7).ok());
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
