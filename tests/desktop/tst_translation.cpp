// The German translation: selected by the system locale, complete, and shown by the real
// window and the real executable. main() below sets a German locale before QApplication
// exists, as a German desktop session would.

#include "catalog/catalog.h"
#include "clusterlistmodel.h"
#include "mainwindow.h"
#include "cluster/kmeansclusterer.h"
#include "opencv/visualdescriptor.h"
#include "opencv/opencvdecoder.h"
#include "opencv/thumbnailcache.h"
#include "translators.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace clade;

namespace {

struct TsEntry
{
    QString context;
    QString source;
    QStringList translations;   // one, or the numerus forms
    bool numerus = false;
    bool unfinished = false;
    bool vanished = false;
};

QList<TsEntry> readTs(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<TsEntry> entries;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            TsEntry entry;
            entry.context = context;
            entry.numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            entries.append(entry);
        } else if (entries.isEmpty()) {
            continue;
        } else if (name == QLatin1String("source")) {
            entries.last().source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            const QStringView type = xml.attributes().value(QLatin1String("type"));
            entries.last().unfinished = type == QLatin1String("unfinished");
            entries.last().vanished = type == QLatin1String("vanished") || type == QLatin1String("obsolete");
            if (!entries.last().numerus)
                entries.last().translations.append(xml.readElementText());
        } else if (name == QLatin1String("numerusform")) {
            entries.last().translations.append(xml.readElementText());
        }
    }
    return xml.hasError() ? QList<TsEntry>() : entries;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%(\\d+|n)"));
    QSet<QString> found;
    for (auto it = pattern.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured());
    return found;
}

}   // namespace

class TestTranslation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void menusAreGerman();
    void pluralsFollowGermanRules();
    void executableFollowsLocale_data();
    void executableFollowsLocale();
    void translationIsComplete();

private:
    QTemporaryDir m_home;
};

void TestTranslation::initTestCase()
{
    QVERIFY(m_home.isValid());
    QCOMPARE(QLocale().language(), QLocale::German);
    installTranslators(*qApp);
}

void TestTranslation::menusAreGerman()
{
    auto catalog = Catalog::open(m_home.filePath(QStringLiteral("catalog.sqlite")));
    QVERIFY2(catalog.ok(), qPrintable(catalog.ok() ? QString() : catalog.error()));
    const OpenCvDecoder decoder;
    ThumbnailCache thumbnails(decoder, m_home.filePath(QStringLiteral("thumbs")));
    // The look-based engine: what a user without a CLIP model has.
    AppCore core((*catalog)->path(), &decoder, nullptr);
    core.loadEngine([] {
        Engine engine;
        engine.extractor = std::make_unique<VisualDescriptor>();
        engine.clusterer = std::make_unique<KMeansClusterer>();
        return Result<Engine>(std::move(engine));
    });
    MainWindowContext context;
    context.catalog = catalog->get();
    context.core = &core;
    context.decoder = &decoder;
    context.thumbnails = &thumbnails;
    MainWindow window(context);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QStringList menus;
    for (const QAction *action : window.menuBar()->actions())
        menus << action->text();
    QVERIFY2(menus.contains(QStringLiteral("&Datei")), qPrintable(menus.join(QLatin1Char(' '))));
    QVERIFY2(menus.contains(QStringLiteral("&Hilfe")), qPrintable(menus.join(QLatin1Char(' '))));
    QStringList fileItems;
    for (const QAction *action : window.menuBar()->actions().constFirst()->menu()->actions())
        fileItems << action->text();
    QVERIFY2(fileItems.contains(QStringLiteral("&Beenden")), qPrintable(fileItems.join(QLatin1Char(' '))));

    // Without a CLIP model the banner explains the visual fallback, in German too.
    const auto bannerGerman = [&window] {
        for (const QLabel *label : window.findChildren<QLabel *>())
            if (label->isVisible() && label->text().startsWith(QStringLiteral("Kein CLIP-Modell")))
                return true;
        return false;
    };
    QTRY_VERIFY(bannerGerman());   // once the worker says it groups by look
}

void TestTranslation::pluralsFollowGermanRules()
{
    QCOMPARE(ClusterListModel::photoCountText(1), QStringLiteral("1 Foto"));
    QCOMPARE(ClusterListModel::photoCountText(2), QStringLiteral("2 Fotos"));
}

void TestTranslation::executableFollowsLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<bool>("german");
    QTest::newRow("de_DE") << QStringLiteral("de_DE.UTF-8") << true;
    QTest::newRow("de_AT") << QStringLiteral("de_AT.UTF-8") << true;
    QTest::newRow("en_US") << QStringLiteral("en_US.UTF-8") << false;
    QTest::newRow("C") << QStringLiteral("C.UTF-8") << false;
}

// The real clade, started as a desktop session would start it, picks its language itself.
void TestTranslation::executableFollowsLocale()
{
    QFETCH(QString, locale);
    QFETCH(bool, german);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"LANG", "LC_ALL", "LC_MESSAGES"})
        env.insert(QString::fromLatin1(name), locale);
    env.remove(QStringLiteral("LANGUAGE"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_home.filePath(QStringLiteral("cache")));
    QProcess clade;
    clade.setProcessEnvironment(env);
    clade.start(QStringLiteral(CLADE_GUI_PATH), {QStringLiteral("--help")});
    QVERIFY(clade.waitForFinished(30000));
    QCOMPARE(clade.exitCode(), 0);
    const QString help = QString::fromUtf8(clade.readAllStandardOutput());

    const char *english = "Sort a photo folder into groups.";
    const QString translated = QCoreApplication::translate("main", english);
    QVERIFY(translated != QLatin1String(english));
    QVERIFY2(help.contains(german ? translated : QLatin1String(english)), qPrintable(help));
    QVERIFY2(!help.contains(german ? QLatin1String(english) : translated), qPrintable(help));
}

// lupdate over today's sources must find nothing untranslated, and every translation keeps
// its source's placeholders.
void TestTranslation::translationIsComplete()
{
    const QString copy = m_home.filePath(QStringLiteral("clade_de.ts"));
    QVERIFY(QFile::copy(QStringLiteral(CLADE_TS_FILE), copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
    QProcess lupdate;
    lupdate.start(QStringLiteral(CLADE_LUPDATE), {QStringLiteral("-locations"), QStringLiteral("none"),
                                                  QStringLiteral("@" CLADE_LUPDATE_INPUTS), QStringLiteral("-ts"), copy});
    QVERIFY(lupdate.waitForFinished(60000));
    QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());

    const QList<TsEntry> entries = readTs(copy);
    QVERIFY(entries.size() > 50);
    QStringList problems;
    for (const TsEntry &entry : entries) {
        if (entry.vanished)
            continue;   // no longer in the sources; lrelease leaves it out
        const QString where = entry.context + QStringLiteral(": \"") + entry.source + QLatin1Char('"');
        if (entry.unfinished || entry.translations.isEmpty() || entry.translations.contains(QString()))
            problems << where + QStringLiteral(" is not translated");
        for (const QString &text : entry.translations) {
            if (!text.isEmpty() && placeholders(text) != placeholders(entry.source))
                problems << where + QStringLiteral(" has other placeholders in \"") + text + QLatin1Char('"');
        }
    }
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("Run `ninja clade_translations_lupdate` and translate "
                                                           "translations/clade_de.ts:\n")
                                            + problems.join(QLatin1Char('\n'))));
}

int main(int argc, char *argv[])
{
    // A German session; set before QApplication so that QLocale::system() sees it.
    for (const char *name : {"LANG", "LC_ALL", "LC_MESSAGES"})
        qputenv(name, "de_DE.UTF-8");
    qunsetenv("LANGUAGE");
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestTranslation test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_translation.moc"
