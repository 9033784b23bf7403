#include "cluster/namecleaning.h"

#include <QTest>

using namespace clade;

namespace {

std::vector<NameScore> ranked(std::initializer_list<std::pair<const char *, double>> list)
{
    std::vector<NameScore> out;
    for (const auto &[noun, score] : list)
        out.push_back({QString::fromUtf8(noun), score});
    return out;
}

QStringList nounsOf(const std::vector<NameScore> &names)
{
    QStringList out;
    for (const NameScore &n : names)
        out << n.noun;
    return out;
}

}   // namespace

class TestNameCleaning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keysJoinWhatReadsTheSame_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("spelling") << "icecream"
                                  << "ice cream" << true;
        QTest::newRow("hyphen") << "ice-cream"
                                << "Ice Cream" << true;
        QTest::newRow("plural") << "chopsticks"
                                << "chopstick" << true;
        QTest::newRow("plural -es") << "dishes"
                                    << "dish" << true;
        QTest::newRow("plural -ies") << "berries"
                                     << "berry" << true;
        QTest::newRow("sense in brackets") << "salmon (fish)"
                                           << "salmon (food)" << true;
        QTest::newRow("underscore") << "french_fries"
                                    << "french fries" << true;
        QTest::newRow("different words") << "pizza"
                                         << "pie" << false;
        QTest::newRow("glass is not a plural") << "glass"
                                               << "glas" << false;
        QTest::newRow("bus is not a plural") << "bus"
                                             << "bu" << false;
    }

    void keysJoinWhatReadsTheSame()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        QCOMPARE(nameKey(a) == nameKey(b), same);
    }

    void duplicatesKeepTheBestScoringOne()
    {
        const auto names = cleanNames(ranked({{"ice cream", 0.30},
                                              {"icecream", 0.29},
                                              {"gelato", 0.28},
                                              {"salmon (fish)", 0.27},
                                              {"salmon (food)", 0.26},
                                              {"sorbet", 0.25}}),
                                      0.75, 5);
        QCOMPARE(nounsOf(names), (QStringList{"ice cream", "gelato", "salmon (fish)", "sorbet"}));
        QCOMPARE(names[1].score, 0.28);
    }

    void theLowScoreTailIsDropped()
    {
        const auto names =
            cleanNames(ranked({{"taco", 0.20}, {"burrito", 0.17}, {"tortilla", 0.16}, {"bulldozer", 0.10}, {"dartboard", 0.09}}), 0.75, 5);
        QCOMPARE(nounsOf(names), (QStringList{"taco", "burrito", "tortilla"}));
        for (const NameScore &n : names)
            QVERIFY(n.score >= 0.75 * 0.20);
    }

    void atLeastOneNameAndAtMostCount()
    {
        QCOMPARE(cleanNames(ranked({{"sushi", 0.2}, {"car", 0.01}}), 0.75, 5).size(), std::size_t(1));
        QCOMPARE(cleanNames(ranked({{"sushi", -0.01}, {"maki", -0.011}}), 0.75, 5).size(), std::size_t(1));
        QCOMPARE(cleanNames(ranked({{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}), 0.75, 2).size(), std::size_t(2));
        QVERIFY(cleanNames({}, 0.75, 5).empty());
    }
};

QTEST_GUILESS_MAIN(TestNameCleaning)
#include "tst_namecleaning.moc"
