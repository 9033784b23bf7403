#pragma once

#include "common/progress.h"

#include <QString>

#include <vector>

namespace clade {

struct FileEntry
{
    QString path;
    qint64 size = 0;
    qint64 mtimeMs = 0;
};

struct WalkProblem
{
    QString path;
    QString message;
};

struct WalkResult
{
    std::vector<FileEntry> files;   // regular files, sorted by path within each folder
    std::vector<WalkProblem> problems;
};

// Lists the regular files under root, recursively. Hidden files and folders (leading dot) are
// skipped; symlinked folders are followed once (a loop is reported, not followed); unreadable
// folders are reported. Checks progress.cancelled() per folder. Runs on the caller's thread.
WalkResult walkFolder(const QString &root, Progress &progress);

}   // namespace clade
