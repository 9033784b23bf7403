#pragma once

#include "domain/records.h"

#include <QString>

#include <vector>

namespace clade {

// The key two nouns share when they name the same thing for a reader: lower case, a sense in
// brackets dropped ("salmon (fish)"), spaces, hyphens, underscores and apostrophes dropped
// ("ice cream" / "icecream"), and a plural ending dropped ("chopsticks", "dishes", "berries").
QString nameKey(const QString &noun);

// A group's names as shown: `names` best first; keeps the first of each nameKey, then only the
// names scoring at least `scoreRatio` times the top score (the top one always), at most `count`.
// When the top score is not positive, only the top name is kept.
std::vector<NameScore> cleanNames(const std::vector<NameScore> &names, double scoreRatio, int count);

}   // namespace clade
