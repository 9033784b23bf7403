#pragma once
// Bursts and near-duplicates within the groups of a partition: photos taken seconds apart that
// look alike (a burst), and photos that look nearly identical whatever their dates. The gallery
// shows each such set collapsed behind one representative.

#include "common/matrix.h"

#include <QDateTime>
#include <QString>

#include <vector>

namespace clade {

struct BurstOptions
{
    qint64 maxGapMs = 3000;          // a burst: consecutive shots at most this far apart ...
    float burstCosine = 0.90f;       // ... that are at least this alike
    float duplicateCosine = 0.98f;   // near-duplicates: this alike, whatever the time
    int lookBack = 4;                // predecessors each photo is compared with
};

struct BurstInput
{
    QDateTime takenAt;   // invalid: unknown (then the file name orders the photos)
    QString name;        // file name
    int group = 0;       // photos of different groups never share a burst
};

// For each photo (row of features), the row of its burst's representative: itself when it is
// in no burst. Photos are compared with their few predecessors in (group, date, file name)
// order, so a near-duplicate counts when it sits near its twin in that order; this keeps the
// cost linear in the number of photos. The representative is the set's first photo in that order.
std::vector<std::size_t> burstRepresentatives(const FeatureMatrix &features, const std::vector<BurstInput> &photos,
                                              const BurstOptions &options = {});

}   // namespace clade
