#include "groupdiagnostics.h"

#include "clusterlistmodel.h"
#include "mainwindow.h"
#include "photogridmodel.h"

#include <QListView>

namespace clade {

GroupDiagnostics::GroupDiagnostics(AppCore &core, MainWindow &window) : QObject(&window), m_core(core), m_window(window)
{
    connect(&m_core, &AppCore::diagnosed, this, [this](quint64 ticket, qint64 runId, const Result<RunDiagnostics> &result) {
        if (ticket != m_ticket || runId != m_window.shownRun())
            return;   // superseded: it describes groups since corrected, or another run
        if (!result)
            Q_EMIT message(tr("Cannot work out how well the groups hold together: %1").arg(result.error()));
        else
            apply(*result);
    });
}

void GroupDiagnostics::refresh()
{
    if (m_window.shownRun() != 0)
        m_ticket = m_core.diagnose(m_window.shownRun());
}

void GroupDiagnostics::apply(const RunDiagnostics &diagnostics)
{
    ClusterListModel *clusters = m_window.clusterModel();
    PhotoGridModel *photos = m_window.photoModel();
    QListView *grid = m_window.photoView();
    QStringList names;   // by cluster index
    names.resize(qsizetype(diagnostics.clusters.size()));
    for (int row = 0; row < clusters->rowCount(); ++row) {
        const int index = clusters->clusterIndex(row);
        if (index >= 0 && index < names.size())
            names[index] = clusters->index(row).data(ClusterListModel::NameRole).toString();
    }
    // The grid may be rearranged (borderline order, collapsed bursts): keep the current photo.
    const PhotoRecord *current = photos->photo(grid->currentIndex().row());
    const qint64 currentId = current ? current->id : 0;
    clusters->setDiagnostics(diagnostics.clusters);
    photos->setDiagnostics(diagnostics.photos, names);
    photos->setBursts(diagnostics.burstOf);
    if (!grid->currentIndex().isValid() && photos->rowCount() > 0) {
        int row = 0;
        for (int r = 0; r < photos->rowCount(); ++r)
            if (photos->photosOfRow(r).contains(currentId))
                row = r;
        grid->setCurrentIndex(photos->index(row));
    }
}

}   // namespace clade
