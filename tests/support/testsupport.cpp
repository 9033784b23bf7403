#include "testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <grp.h>
#include <unistd.h>

namespace clade::test {

QString sharedDataDir()
{
    const QString dir = qEnvironmentVariable("CLADE_SHARED_DATA");
    if (!dir.isEmpty() && QFileInfo(dir).isDir())
        return QDir(dir).absolutePath();
    return QString();
}

QString sharedData(const QString &relative)
{
    const QString root = sharedDataDir();
    if (root.isEmpty())
        return QString();
    const QString path = root + QLatin1Char('/') + relative;
    return QFileInfo::exists(path) ? path : QString();
}

bool writeJpeg(const QString &path, int width, int height, QColor base, int quality, int variant)
{
    QImage image(width, height, QImage::Format_RGB888);
    image.fill(base);
    QPainter painter(&image);
    painter.setPen(Qt::NoPen);
    painter.setBrush(base.darker(150 + 10 * (variant % 5)));
    painter.drawEllipse(QPoint(width / 3 + variant % 7, height / 2), width / 5, height / 5);
    painter.setBrush(base.lighter(130));
    painter.drawRect(width / 2, height / 4 + variant % 11, width / 4, height / 3);
    painter.end();
    return image.save(path, "JPEG", quality);
}

namespace {

constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;

}   // namespace

bool rerunAsNobody(QString *failure)
{
    if (::geteuid() != 0)
        return false;
    // A fresh process rather than a fork: a forked child of a process with threads (Qt's pools,
    // libtorch's) can hang on a lock some other thread held. The binary is copied into a folder
    // the unprivileged user can reach, since the checkout may sit under /root.
    QTemporaryDir home(QDir::tempPath() + QStringLiteral("/clade-nobody-XXXXXX"));
    const QString binary = home.filePath(QFileInfo(QCoreApplication::applicationFilePath()).fileName());
    if (!home.isValid() || !QFile::copy(QCoreApplication::applicationFilePath(), binary)
        || ::chown(QFile::encodeName(home.path()).constData(), kNobody, kNogroup) != 0
        || !QFile::setPermissions(binary, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther)) {
        *failure = QStringLiteral("cannot prepare a home for the unprivileged user in %1").arg(QDir::tempPath());
        return true;
    }
    QString function = QString::fromLatin1(QTest::currentTestFunction());
    if (QTest::currentDataTag())
        function += QLatin1Char(':') + QString::fromLatin1(QTest::currentDataTag());

    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path());
    child.setProcessEnvironment(env);
    child.setWorkingDirectory(home.path());
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.setChildProcessModifier([] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(kNogroup) != 0 || ::setuid(kNobody) != 0)
            ::_exit(97);
    });
    child.start(binary, {function});
    const bool finished = child.waitForFinished(300000);
    const QString output = QString::fromLocal8Bit(child.readAll());
    if (!finished) {
        child.kill();
        child.waitForFinished();
        *failure = QStringLiteral("%1 as nobody did not finish in 5 minutes:\n%2").arg(function, output);
    } else if (child.exitStatus() != QProcess::NormalExit || child.exitCode() == 97) {
        *failure = QStringLiteral("%1 could not run as nobody (exit %2):\n%3").arg(function).arg(child.exitCode()).arg(output);
    } else if (child.exitCode() != 0 || !output.contains(QLatin1String(" 0 failed, 0 skipped"))) {
        *failure = QStringLiteral("%1 as nobody:\n%2").arg(function, output);
    } else {
        failure->clear();
    }
    return true;
}

}   // namespace clade::test
