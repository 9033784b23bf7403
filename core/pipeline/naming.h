#pragma once

#include "domain/records.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace clade {

// A name for a group of photos from what is really known about them when no semantic model is
// available: the dominant colour words, the date range and the camera, e.g.
// "green · 2019–2021 · Canon EOS 40D". Never invents meaning. Empty when nothing is known.
QString describeByLook(const std::vector<const PhotoRecord *> &members);

// The display name of a semantic cluster: its top 1–3 nouns joined by " · ".
QString nameFromNouns(const std::vector<NameScore> &names, int maxNouns = 3);

// Makes names unique in place ("blue", "blue (2)"); empty names become "Group N".
void makeUnique(QStringList &names);

}   // namespace clade
