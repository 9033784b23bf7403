#pragma once

#include "common/progress.h"
#include "common/result.h"
#include "export/keywords.h"

#include <vector>

namespace clade {

// Writes each job's cluster name as XMP keywords through Exiv2 0.27: dc:subject <name>,
// lr:hierarchicalSubject "Clade|<name>" and digiKam:TagsList "Clade/<name>" (rules in
// export/keywords.h), merged into what the sidecar or photo already holds: every other property
// and keyword is kept, a second run with the same name writes nothing, and a changed name
// replaces the previous Clade keywords.
//
// Sidecar mode (default) creates or updates photo.ext.xmp or photo.xmp, never the photo.
// Embedded mode rewrites JPEG and TIFF files (up to 512 MiB) and skips RAW and other formats.
// Either way the new file is written to a temp file in the same folder and renamed over the
// old one only after Exiv2 succeeded and the result re-read correctly, so a failure leaves the
// old file byte-identical. A replaced file keeps its permission bits (and owner and group where
// allowed); extended attributes and ACLs are not carried over. Read-only folders and files,
// symbolic-link sidecars, hard-linked photos (embedded mode) and sidecars that do not parse are
// reported per file and left alone. Two photos that would share one sidecar (photo.xmp naming,
// photo.jpg + photo.nef) in different clusters both fail rather than overwrite each other.
//
// Returns an error only when Exiv2's XMP support is unusable. Blocking file I/O; call on a
// worker thread. Serialised with the Exiv2 metadata reader's parsing, process-wide.
Result<KeywordWriteReport> writeClusterKeywords(const std::vector<KeywordJob> &jobs, const KeywordOptions &options,
                                                Progress *progress = nullptr);

}   // namespace clade
