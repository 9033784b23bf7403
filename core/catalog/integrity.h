#pragma once

#include "catalog/catalog.h"

#include <QJsonObject>
#include <QStringList>

#include <vector>

namespace clade {

// clade-cli check: SQLite's own checks plus Clade's invariants, and the repairs that lose
// nothing the user made (rows that point at nothing, embeddings that will be computed again).
struct IntegrityFinding
{
    QString check;     // "integrity", "foreign-keys", "assignments", "runs", "features", "text-features"
    QString message;   // for the user, with counts
    qint64 rows = 0;   // rows concerned
    bool repairable = false;
    bool repaired = false;
};

struct IntegrityReport
{
    QStringList sqlite;   // PRAGMA integrity_check's lines ("ok" when sound)
    std::vector<IntegrityFinding> findings;
    bool sound() const;   // SQLite finds the file undamaged
    bool ok() const;      // sound, and every finding repaired
    QJsonObject toJson() const;
};

// Read-only unless `repair`; a repair runs in one transaction. A catalog whose pages SQLite
// finds damaged is reported and never repaired here: restore a backup copy.
Result<IntegrityReport> checkCatalog(Catalog &catalog, bool repair);

}   // namespace clade
