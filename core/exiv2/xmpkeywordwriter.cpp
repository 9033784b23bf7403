#include "xmpkeywordwriter.h"

#include "exiv2library.h"
#include "xmpkeywords.h"

#include "export/atomicfile.h"
#include "media/decoder.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

namespace clade {
namespace {

constexpr qint64 kMaxSidecar = 16 << 20;
constexpr qint64 kMaxEmbedded = qint64(512) << 20;

KeywordResult failed(const KeywordJob &job, const QString &target, const QString &error)
{
    return {job.photoPath, target, KeywordOutcome::Failed, error};
}

// Sidecars that two photos in different clusters would share, each with the reason.
QHash<QString, QString> sharedSidecars(const std::vector<KeywordJob> &jobs, SidecarNaming naming)
{
    QHash<QString, QSet<QString>> names;
    QHash<QString, QStringList> photos;
    for (const KeywordJob &job : jobs) {
        const QString sidecar = keywords::sidecarPath(job.photoPath, naming);
        names[sidecar].insert(keywords::keywordName(job.clusterName));
        photos[sidecar].append(QFileInfo(job.photoPath).fileName());
    }
    QHash<QString, QString> conflicts;
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        if (it->size() > 1)
            conflicts.insert(it.key(), QStringLiteral("%1 would be shared by %2, which are in different clusters; "
                                                      "use photo.ext.xmp naming")
                                           .arg(it.key(), photos[it.key()].join(QLatin1String(", "))));
    }
    return conflicts;
}

KeywordResult writeSidecar(const KeywordJob &job, const QString &name, const QString &target)
{
    auto before = atomicfile::read(target, kMaxSidecar);
    if (!before)
        return failed(job, target, before.error());
    auto rewrite = xmpkeywords::sidecar(before->bytes, name, target);
    if (!rewrite)
        return failed(job, target, rewrite.error());
    // Checked once a write is due, so a read-only archive that already has the keywords is fine.
    if (!rewrite->changed)
        return {job.photoPath, target, KeywordOutcome::Unchanged, {}};
    if (Status st = atomicfile::checkWritable(target); !st)
        return failed(job, target, st.error());
    if (Status st = atomicfile::replace(target, rewrite->bytes, *before); !st)
        return failed(job, target, st.error());
    return {job.photoPath, target, KeywordOutcome::Written, {}};
}

KeywordResult writeEmbedded(const KeywordJob &job, const QString &name, const QByteArray &head, const KeywordOptions &options)
{
    // A link's target is the photo; replacing the link itself would turn it into a copy.
    const QString target = QFileInfo(job.photoPath).canonicalFilePath();
    if (keywords::isRaw(job.photoPath, head) || keywords::hasRawExtension(target))
        return {job.photoPath, job.photoPath, KeywordOutcome::SkippedRaw, QStringLiteral("RAW files are never written; use sidecar mode")};
    const QString format = sniffImageFormat(head);
    if (format != QLatin1String("jpeg") && format != QLatin1String("tiff"))
        return {job.photoPath, job.photoPath, KeywordOutcome::SkippedFormat,
                QStringLiteral("embedded keywords are written only into JPEG and TIFF files")};
    auto before = atomicfile::read(target, kMaxEmbedded);
    if (!before)
        return failed(job, target, before.error());
    auto rewrite = xmpkeywords::embedded(before->bytes, name, target);
    if (!rewrite)
        return failed(job, target, rewrite.error());
    if (!rewrite->changed)
        return {job.photoPath, target, KeywordOutcome::Unchanged, {}};
    if (Status st = atomicfile::checkWritable(target); !st)
        return failed(job, target, st.error());
    if (before->stamp.links > 1)
        return failed(job, target,
                      QStringLiteral("%1 has %2 hard links; rewriting it would split them").arg(target).arg(before->stamp.links));
    if (Status st = atomicfile::replace(target, rewrite->bytes, *before, {options.keepModifiedTime}); !st)
        return failed(job, target, st.error());
    return {job.photoPath, target, KeywordOutcome::Written, {}};
}

KeywordResult writeOne(const KeywordJob &job, const KeywordOptions &options, const QHash<QString, QString> &conflicts)
{
    const QString name = keywords::keywordName(job.clusterName);
    const QFileInfo photo(job.photoPath);
    if (name.isEmpty())
        return failed(job, {}, QStringLiteral("the cluster name '%1' leaves no keyword").arg(job.clusterName));
    if (!photo.isFile())
        return failed(job, {}, QStringLiteral("%1 does not exist (any more)").arg(job.photoPath));
    if (options.target == KeywordTarget::Sidecar) {
        const QString target = keywords::sidecarPath(job.photoPath, options.naming);
        if (const auto it = conflicts.constFind(target); it != conflicts.cend())
            return failed(job, target, *it);
        return writeSidecar(job, name, target);
    }
    QFile file(job.photoPath);
    if (!file.open(QIODevice::ReadOnly))
        return failed(job, job.photoPath, QStringLiteral("Cannot read %1: %2").arg(job.photoPath, file.errorString()));
    return writeEmbedded(job, name, file.read(64), options);
}

void count(KeywordWriteReport &report, KeywordOutcome outcome)
{
    switch (outcome) {
    case KeywordOutcome::Written: ++report.written; break;
    case KeywordOutcome::Unchanged: ++report.unchanged; break;
    case KeywordOutcome::SkippedRaw: ++report.skippedRaw; break;
    case KeywordOutcome::SkippedFormat: ++report.skippedFormat; break;
    case KeywordOutcome::Failed: ++report.failed; break;
    }
}

}   // namespace

Result<KeywordWriteReport> writeClusterKeywords(const std::vector<KeywordJob> &jobs, const KeywordOptions &options, Progress *progress)
{
    exiv2::initialiseLibrary();
    const QByteArray minimal("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf="
                             "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></x:xmpmeta>");
    if (auto probe = xmpkeywords::listsOf(minimal, QStringLiteral("(XMP self-test)")); !probe)
        return fail(QStringLiteral("Exiv2's XMP support is unusable, so no keywords were written: ") + probe.error());
    KeywordWriteReport report;
    const QHash<QString, QString> conflicts =
        options.target == KeywordTarget::Sidecar ? sharedSidecars(jobs, options.naming) : QHash<QString, QString>();
    for (size_t i = 0; i < jobs.size(); ++i) {
        if (progress && progress->cancelled()) {
            report.cancelled = true;
            break;
        }
        report.results.push_back(writeOne(jobs[i], options, conflicts));
        count(report, report.results.back().outcome);
        if (progress)
            progress->report(QStringLiteral("keywords"), qint64(i) + 1, qint64(jobs.size()));
    }
    return report;
}

}   // namespace clade
