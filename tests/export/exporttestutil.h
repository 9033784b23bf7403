#pragma once

#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <sys/stat.h>
#include <unistd.h>

// Helpers shared by the export tests: real files, and a listing of a tree to compare states.
namespace clade::exporttest {

inline QByteArray sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

inline bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::NewOnly) && f.write(bytes) == bytes.size();
}

// Every entry under root (not following links): "dir", "link -> target" or "file <sha256> <mtime>".
// Manifests at the top of `skipManifestsIn` are left out: undo keeps them on purpose.
inline QMap<QString, QString> snapshot(const QString &root, const QString &skipManifestsIn = QString())
{
    QMap<QString, QString> out;
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info(path);
        if (!skipManifestsIn.isEmpty() && info.absolutePath() == skipManifestsIn
            && info.fileName().startsWith(QLatin1String("clade-export-")))
            continue;
        const QString rel = QDir(root).relativeFilePath(path);
        struct stat st
        { };
        ::lstat(QFile::encodeName(path).constData(), &st);
        if (S_ISLNK(st.st_mode))
            out[rel] = QStringLiteral("link -> ") + info.symLinkTarget();
        else if (S_ISDIR(st.st_mode))
            out[rel] = QStringLiteral("dir");
        else
            out[rel] = QStringLiteral("file %1 %2").arg(QString::fromLatin1(sha256Of(path))).arg(qint64(st.st_mtime));
    }
    return out;
}

inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

inline bool writeJson(const QString &path, const QJsonObject &o)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(QJsonDocument(o).toJson()) > 0;
}

inline bool sameDevice(const QString &a, const QString &b)
{
    struct stat sa
    {
    }, sb{};
    return ::stat(QFile::encodeName(a).constData(), &sa) == 0 && ::stat(QFile::encodeName(b).constData(), &sb) == 0
           && sa.st_dev == sb.st_dev;
}

}   // namespace clade::exporttest
