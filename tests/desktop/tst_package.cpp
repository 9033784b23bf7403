// The Debian package: cpack -G DEB packs this build folder's installation, dpkg -x unpacks it
// into a fresh tree, and the unpacked programs start. The package goes to a temporary folder,
// never into the build or source tree.

#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct ToolRun
{
    int code = -1;   // -1: did not start, crashed or timed out
    QString output;
};

ToolRun runTool(const QString &program, const QStringList &arguments, int timeoutMs,
                const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess tool;
    tool.setProcessEnvironment(env);
    tool.setProcessChannelMode(QProcess::MergedChannels);
    tool.start(program, arguments);
    ToolRun run;
    if (!tool.waitForFinished(timeoutMs)) {
        tool.kill();
        tool.waitForFinished();
        run.output = QStringLiteral("%1 did not finish: %2").arg(program, tool.errorString());
        return run;
    }
    run.output = QString::fromUtf8(tool.readAll());
    if (tool.exitStatus() == QProcess::NormalExit)
        run.code = tool.exitCode();
    return run;
}

QString field(const QString &deb, const QString &name)
{
    return runTool(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), deb, name}, 30000).output.trimmed();
}

}   // namespace

class TestPackage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void controlFields();
    void filesInStandardPlaces();
    void unpackedCliStarts();
    void unpackedGuiStarts();

private:
    QTemporaryDir m_work;
    QString m_deb;
    QString m_root;   // the unpacked tree
};

void TestPackage::initTestCase()
{
    for (const char *tool : {"dpkg-deb", "dpkg-shlibdeps"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 is not installed (Debian package dpkg-dev); skipping").arg(QString::fromLatin1(tool))));
    }
    QVERIFY(m_work.isValid());
    const QString out = m_work.filePath(QStringLiteral("out"));
    const ToolRun cpack = runTool(QStringLiteral(CLADE_CPACK),
                                  {QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("--config"),
                                   QStringLiteral(CLADE_CPACK_CONFIG), QStringLiteral("-B"), out},
                                  240000);
    QVERIFY2(cpack.code == 0, qPrintable(cpack.output));
    const QStringList debs = QDir(out).entryList({QStringLiteral("*.deb")}, QDir::Files);
    QVERIFY2(debs.size() == 1, qPrintable(cpack.output));
    m_deb = QDir(out).filePath(debs.first());

    m_root = m_work.filePath(QStringLiteral("root"));
    const ToolRun unpack = runTool(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root}, 60000);
    QVERIFY2(unpack.code == 0, qPrintable(unpack.output));
}

void TestPackage::controlFields()
{
    QCOMPARE(field(m_deb, QStringLiteral("Package")), QStringLiteral("clade"));
    QCOMPARE(field(m_deb, QStringLiteral("Version")), QStringLiteral(CLADE_VERSION));
    // dpkg-shlibdeps found the shared libraries' packages.
    const QString depends = field(m_deb, QStringLiteral("Depends"));
    for (const char *library : {"libqt6widgets6", "libqt6core6", "libsqlite3-0", "libc6"})
        QVERIFY2(depends.contains(QLatin1String(library)), qPrintable(depends));
}

void TestPackage::filesInStandardPlaces()
{
    const QDir usr(m_root + QStringLiteral("/usr"));
    const QStringList expected{
        QStringLiteral("bin/clade"),
        QStringLiteral("bin/clade-cli"),
        QStringLiteral("share/applications/org.clade.Clade.desktop"),
        QStringLiteral("share/icons/hicolor/scalable/apps/org.clade.Clade.svg"),
        QStringLiteral("share/metainfo/org.clade.Clade.metainfo.xml"),
    };
    for (const QString &file : expected)
        QVERIFY2(QFileInfo(usr.filePath(file)).isFile(), qPrintable(file));
    QVERIFY(QFileInfo(usr.filePath(QStringLiteral("bin/clade-cli"))).isExecutable());

    // No build or test artefacts (static libraries, headers, test programs) slipped in.
    QDirIterator it(m_root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = QDir(m_root).relativeFilePath(it.next());
        QVERIFY2(file.startsWith(QLatin1String("usr/share/")) || expected.contains(file.mid(4)), qPrintable(file));
    }
}

// The programs link system libraries only, so they run from the unpacked tree as they are.
void TestPackage::unpackedCliStarts()
{
    const ToolRun cli = runTool(m_root + QStringLiteral("/usr/bin/clade-cli"), {QStringLiteral("--version")}, 60000);
    QVERIFY2(cli.code == 0, qPrintable(cli.output));
    QVERIFY2(cli.output.contains(QStringLiteral(CLADE_VERSION)), qPrintable(cli.output));
}

void TestPackage::unpackedGuiStarts()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_work.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_work.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), m_work.filePath(QStringLiteral("cache")));
    const ToolRun gui = runTool(m_root + QStringLiteral("/usr/bin/clade"), {QStringLiteral("--version")}, 60000, env);
    QVERIFY2(gui.code == 0, qPrintable(gui.output));
    QVERIFY2(gui.output.contains(QStringLiteral(CLADE_VERSION)), qPrintable(gui.output));
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
