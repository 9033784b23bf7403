#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

// XMP keywords from cluster names: the types of the keyword writer (writeClusterKeywords in
// clade_exiv2, exiv2/xmpkeywordwriter.h) and its rules, in plain Qt so that each is testable
// without Exiv2.
namespace clade {

enum class KeywordTarget {
    Sidecar,    // an XMP sidecar beside the photo; the photo itself is never opened for writing
    Embedded,   // inside the photo, JPEG and TIFF only; RAW and other formats are skipped
};

enum class SidecarNaming {
    AppendXmp,          // photo.jpg.xmp (darktable, digiKam)
    ReplaceExtension,   // photo.xmp (Lightroom); photo.jpg and photo.nef then share one sidecar
};

struct KeywordJob
{
    QString photoPath;     // absolute
    QString clusterName;   // display name; see keywordName() for what is written
};

struct KeywordOptions
{
    KeywordTarget target = KeywordTarget::Sidecar;
    SidecarNaming naming = SidecarNaming::AppendXmp;
    // Embedded mode: give the rewritten photo its old modification time. Off by default: the
    // file did change, and backup tools that compare size and time must see it.
    bool keepModifiedTime = false;
};

enum class KeywordOutcome {
    Written,         // the sidecar or photo now carries the keywords
    Unchanged,       // it already carried exactly these keywords; nothing was written
    SkippedRaw,      // embedded mode and a RAW file: never written
    SkippedFormat,   // embedded mode and neither JPEG nor TIFF
    Failed,          // error says why; every file involved is as it was
};

QString keywordOutcomeName(KeywordOutcome outcome);   // "written", "unchanged", "skipped-raw", ...

struct KeywordResult
{
    QString photoPath;
    QString targetPath;   // the sidecar or the photo that was (or would have been) written
    KeywordOutcome outcome = KeywordOutcome::Failed;
    QString error;   // for Failed and the skips: one sentence
};

struct KeywordWriteReport
{
    std::vector<KeywordResult> results;   // one per attempted job, in job order
    int written = 0;
    int unchanged = 0;
    int skippedRaw = 0;
    int skippedFormat = 0;
    int failed = 0;
    bool cancelled = false;   // jobs after the cancellation have no result
};

// The three keyword properties, each as its list of items.
struct KeywordLists
{
    QStringList subject;        // dc:subject (bag)
    QStringList hierarchical;   // lr:hierarchicalSubject (bag), "Clade|<name>"
    QStringList tagsList;       // digiKam:TagsList (seq), "Clade/<name>"
    bool operator==(const KeywordLists &) const = default;
};

namespace keywords {

// The keyword written for a cluster name: trimmed, control characters dropped, runs of white
// space made one space, and '|' and '/' replaced by '-' so that the name stays one level under
// "Clade" in Lightroom's and digiKam's hierarchies. Empty when nothing is left.
QString keywordName(const QString &clusterName);

// Adds name (already a keywordName) and removes what Clade wrote before: every
// "Clade|..." and "Clade/..." entry, and the plain dc:subject keywords those entries named.
// Everything else, and its order, is kept; nothing is duplicated.
KeywordLists merge(const KeywordLists &existing, const QString &name);

// Where the sidecar of photoPath goes for the naming: an existing "photo.ext.XMP" (or
// "photo.XMP") in another case of the suffix is used rather than creating a second one.
QString sidecarPath(const QString &photoPath, SidecarNaming naming);

// RAW by content (sniffImageFormat's "raw-*") or by a RAW file extension (CR2, NEF, ARW, DNG,
// ...), so that a RAW Clade cannot parse is still never written.
bool isRaw(const QString &path, const QByteArray &head);
bool hasRawExtension(const QString &path);

}   // namespace keywords
}   // namespace clade
