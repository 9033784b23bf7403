// The files desktops and software centres read: the .desktop entry, the icon and the AppStream
// metadata, checked with the validators Debian ships and against each other and the build.

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QXmlStreamReader>

namespace {

// Key=value lines of the [Desktop Entry] group (localized keys included).
QHash<QString, QString> desktopEntry(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QHash<QString, QString> keys;
    bool inEntry = false;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(QLatin1Char('[')))
            inEntry = line == QLatin1String("[Desktop Entry]");
        else if (inEntry && line.contains(QLatin1Char('=')) && !line.startsWith(QLatin1Char('#')))
            keys.insert(line.section(QLatin1Char('='), 0, 0), line.section(QLatin1Char('='), 1));
    }
    return keys;
}

// The texts (or, with attribute, that attribute's values) of the elements at path, such as
// "component/provides/binary", in document order; empty when the file is not well-formed XML.
QStringList xmlValues(const QString &file, const QString &path, const QString &attribute = {})
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QStringList values;
    QStringList stack;
    QXmlStreamReader xml(&in);
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::EndElement) {
            stack.removeLast();
        } else if (token == QXmlStreamReader::StartElement) {
            stack << xml.name().toString();
            if (stack.join(QLatin1Char('/')) != path)
                continue;
            if (!attribute.isEmpty()) {
                values << xml.attributes().value(attribute).toString();
                continue;
            }
            values << xml.readElementText(QXmlStreamReader::IncludeChildElements);
            stack.removeLast();   // readElementText consumed the end element
        }
    }
    return xml.hasError() ? QStringList() : values;
}

// Runs a validator; returns its exit code, -1 when it could not run, and its output in output.
int runTool(const QString &program, const QStringList &arguments, QString &output)
{
    QProcess tool;
    tool.setProcessChannelMode(QProcess::MergedChannels);
    tool.start(program, arguments);
    if (!tool.waitForFinished(30000))
        return -1;
    output = QString::fromUtf8(tool.readAll());
    return tool.exitStatus() == QProcess::NormalExit ? tool.exitCode() : -1;
}

}   // namespace

class TestDesktopFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metainfoPassesAppstreamcli();
    void desktopFilePassesValidator();
    void filesAgreeOnTheApplication();
    void metainfoReleaseIsThisVersion();
    void iconIsScalableSvg();
};

void TestDesktopFiles::metainfoPassesAppstreamcli()
{
    const QString appstreamcli = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
    if (appstreamcli.isEmpty())
        QSKIP("appstreamcli is not installed (Debian package appstream; packaging/install-deps.sh)");
    QString output;
    const int code =
        runTool(appstreamcli, {QStringLiteral("validate"), QStringLiteral("--no-net"), QStringLiteral(CLADE_METAINFO_FILE)}, output);
    QVERIFY2(code == 0, qPrintable(output));
}

void TestDesktopFiles::desktopFilePassesValidator()
{
    const QString validator = QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
    if (validator.isEmpty())
        QSKIP("desktop-file-validate is not installed (Debian package desktop-file-utils)");
    QString output;
    const int code = runTool(validator, {QStringLiteral(CLADE_DESKTOP_FILE)}, output);
    QVERIFY2(code == 0 && output.trimmed().isEmpty(), qPrintable(output));
}

// One application id names the metainfo, the .desktop file and the icon; Exec starts the GUI
// executable this build makes.
void TestDesktopFiles::filesAgreeOnTheApplication()
{
    const QString metainfo = QStringLiteral(CLADE_METAINFO_FILE);
    const QStringList ids = xmlValues(metainfo, QStringLiteral("component/id"));
    QCOMPARE(ids.size(), 1);
    const QString id = ids.first();
    QCOMPARE(QFileInfo(metainfo).fileName(), id + QStringLiteral(".metainfo.xml"));
    const QString desktopName = QFileInfo(QStringLiteral(CLADE_DESKTOP_FILE)).fileName();
    QCOMPARE(desktopName, id + QStringLiteral(".desktop"));
    QCOMPARE(xmlValues(metainfo, QStringLiteral("component/launchable")), QStringList{desktopName});
    QCOMPARE(QFileInfo(QStringLiteral(CLADE_ICON_FILE)).completeBaseName(), id);

    const QHash<QString, QString> entry = desktopEntry(QStringLiteral(CLADE_DESKTOP_FILE));
    QCOMPARE(entry.value(QStringLiteral("Icon")), id);
    QCOMPARE(entry.value(QStringLiteral("Exec")).section(QLatin1Char(' '), 0, 0), QStringLiteral(CLADE_GUI_NAME));
    const QStringList binaries = xmlValues(metainfo, QStringLiteral("component/provides/binary"));
    QVERIFY2(binaries.contains(QStringLiteral(CLADE_GUI_NAME)), qPrintable(binaries.join(u' ')));
}

// The newest release listed is the version the build stamps into the executables.
void TestDesktopFiles::metainfoReleaseIsThisVersion()
{
    const QStringList versions =
        xmlValues(QStringLiteral(CLADE_METAINFO_FILE), QStringLiteral("component/releases/release"), QStringLiteral("version"));
    QVERIFY(!versions.isEmpty());
    QCOMPARE(versions.first(), QStringLiteral(CLADE_VERSION));
}

void TestDesktopFiles::iconIsScalableSvg()
{
    const QStringList boxes = xmlValues(QStringLiteral(CLADE_ICON_FILE), QStringLiteral("svg"), QStringLiteral("viewBox"));
    QCOMPARE(boxes.size(), 1);
    const QStringList box = boxes.first().split(QLatin1Char(' '));
    QCOMPARE(box.size(), 4);
    QCOMPARE(box.at(2), box.at(3));   // square, as icon themes expect
}

QTEST_GUILESS_MAIN(TestDesktopFiles)
#include "tst_desktopfiles.moc"
