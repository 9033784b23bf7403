#pragma once
// The user's corrections of one run, each returned as a step that can be undone and redone
// (the GUI keeps them on a QUndoStack; the CLI applies them once). Every correction is also a
// row of the catalog's `corrections` table, and so is every undo and redo. Runs on the thread
// that owns the catalog connection.

#include "catalog/catalog.h"

#include <QString>

#include <vector>

namespace clade {

// One applied correction: the state of what it touched before and after it.
struct CorrectionStep
{
    CorrectionKind kind = CorrectionKind::Unknown;   // Rename, Move, Merge, Split, Lock, Unlock or Create
    RunState before;
    RunState after;
    std::vector<int> madeClusters;   // groups it created (create, split)
};

class Corrections
{
public:
    Corrections(Catalog &catalog, qint64 runId);

    Result<CorrectionStep> rename(int index, const QString &name);   // empty: back to the computed name
    Result<CorrectionStep> move(const std::vector<qint64> &photoIds, int toIndex);
    Result<CorrectionStep> merge(int fromIndex, int intoIndex);
    // Re-clusters the group's members into `parts` groups by k-means on the run's features;
    // the largest part keeps the group. Members without features stay.
    Result<CorrectionStep> split(int index, int parts, quint64 seed = 0);
    Result<CorrectionStep> setLocked(int index, bool locked);
    Result<CorrectionStep> create(const QString &name);

    Status undo(const CorrectionStep &step);
    Status redo(const CorrectionStep &step);

private:
    Result<CorrectionStep> finish(CorrectionKind kind, const RunState &before, const std::vector<qint64> &photos, std::vector<int> clusters,
                                  const std::vector<int> &made);
    Result<std::vector<qint64>> members(int index) const;

    Catalog &m_catalog;
    qint64 m_runId;
};

}   // namespace clade
