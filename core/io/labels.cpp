#include "io/labels.h"

#include <QFile>
#include <QSaveFile>

#include <cmath>

namespace clade {

namespace {

Error lineError(const QString &path, int line, const QString &what)
{
    return fail(QStringLiteral("%1, line %2: %3").arg(path).arg(line).arg(what));
}

// The file's lines without line terminators ("\n" or "\r\n"); a final newline adds no line.
Result<QList<QByteArray>> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("%1: cannot open: %2").arg(path, file.errorString()));
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    for (QByteArray &line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    return lines;
}

bool isComment(const QByteArray &line)
{
    return line.startsWith('#');
}

Result<int> parseInt(const QByteArray &field, const QString &path, int line, const char *what)
{
    bool ok = false;
    const int v = field.trimmed().toInt(&ok);
    if (!ok)
        return lineError(path, line, QStringLiteral("%1 '%2' is not an integer").arg(QLatin1String(what), QString::fromUtf8(field)));
    return v;
}

}   // namespace

Status writeLabelsTsv(const QString &path, const std::vector<int> &labels, const std::vector<float> &confidence)
{
    if (!confidence.empty() && confidence.size() != labels.size())
        return fail(QStringLiteral("%1: %2 labels but %3 confidence values").arg(path).arg(labels.size()).arg(confidence.size()));
    QByteArray text = confidence.empty() ? "# row\tcluster\n" : "# row\tcluster\tconfidence\n";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        text += QByteArray::number(qulonglong(i)) + '\t' + QByteArray::number(labels[i]);
        if (!confidence.empty()) {
            if (!std::isfinite(confidence[i]))
                return fail(QStringLiteral("%1: the confidence of row %2 is not finite").arg(path).arg(i));
            text += '\t' + QByteArray::number(double(confidence[i]), 'g', 6);
        }
        text += '\n';
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        return fail(QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
    return {};
}

Result<std::vector<int>> readLabelsTsv(const QString &path)
{
    auto lines = readLines(path);
    if (!lines)
        return lines.takeError();
    std::vector<std::pair<int, int>> entries;   // (row, line number)
    std::vector<int> clusters;
    for (int number = 1; number <= lines->size(); ++number) {
        const QByteArray &line = (*lines)[number - 1];
        if (isComment(line))
            continue;
        const QList<QByteArray> fields = line.split('\t');
        if (fields.size() != 2 && fields.size() != 3)
            return lineError(path, number, QStringLiteral("expected row<TAB>cluster<TAB>confidence, found %1 fields").arg(fields.size()));
        auto row = parseInt(fields[0], path, number, "row");
        auto cluster = parseInt(fields[1], path, number, "cluster");
        if (!row || !cluster)
            return row ? cluster.takeError() : row.takeError();
        bool ok = true;
        if (fields.size() == 3)
            fields[2].trimmed().toDouble(&ok);
        if (!ok)
            return lineError(path, number, QStringLiteral("confidence '%1' is not a number").arg(QString::fromUtf8(fields[2])));
        entries.emplace_back(*row, number);
        clusters.push_back(*cluster);
    }
    std::vector<int> byRow(entries.size(), 0);
    std::vector<bool> seen(entries.size(), false);
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const auto [row, number] = entries[k];
        if (row < 0 || std::size_t(row) >= entries.size())
            return lineError(path, number, QStringLiteral("row %1 is outside 0..%2").arg(row).arg(qsizetype(entries.size()) - 1));
        if (seen[std::size_t(row)])
            return lineError(path, number, QStringLiteral("row %1 appears twice").arg(row));
        seen[std::size_t(row)] = true;
        byRow[std::size_t(row)] = clusters[k];
    }
    return byRow;
}

Result<std::vector<int>> readTruth(const QString &path)
{
    auto lines = readLines(path);
    if (!lines)
        return lines.takeError();
    while (!lines->isEmpty() && lines->back().trimmed().isEmpty())
        lines->removeLast();
    std::vector<int> labels;
    for (int number = 1; number <= lines->size(); ++number) {
        const QByteArray &line = (*lines)[number - 1];
        if (isComment(line))
            continue;
        if (line.trimmed().isEmpty())
            return lineError(path, number, QStringLiteral("blank line (one label per row is expected)"));
        auto label = parseInt(line, path, number, "label");
        if (!label)
            return label.takeError();
        labels.push_back(*label);
    }
    return labels;
}

}   // namespace clade
