#include "photoviewer.h"

#include "photogridmodel.h"
#include "previewpane.h"

#include <QFileInfo>
#include <QKeyEvent>
#include <QVBoxLayout>

#include <algorithm>

namespace clade {

namespace {

constexpr int viewerShortSide = 2160;   // sharp on a 4K screen, bounded for 100-megapixel files

}   // namespace

PhotoViewer::PhotoViewer(const PhotoGridModel &model, const ImageDecoder *decoder, int row, QWidget *parent)
    : QDialog(parent), m_model(model), m_pane(new PreviewPane(decoder, this, viewerShortSide))
{
    m_pane->setAccessibleName(tr("Photo"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_pane);
    resize(1200, 900);
    showRow(row);
}

void PhotoViewer::showRow(int row)
{
    const int count = m_model.rowCount();
    if (count == 0)
        return;
    row = std::clamp(row, 0, count - 1);
    if (row == m_row)
        return;
    m_row = row;
    const PhotoRecord *photo = m_model.photo(row);
    m_pane->showPhoto(*photo);
    QString title = tr("%1 (%2 of %3)").arg(QFileInfo(photo->path).fileName()).arg(row + 1).arg(count);
    if (const float confidence = m_model.confidence(photo->id); confidence >= 0)
        title += QStringLiteral(" · ")
                 + (confidence < m_model.uncertainThreshold() ? tr("confidence %1, uncertain").arg(QString::number(confidence, 'f', 2))
                                                              : tr("confidence %1").arg(QString::number(confidence, 'f', 2)));
    setWindowTitle(title);
    Q_EMIT rowChanged(row);
}

void PhotoViewer::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_PageDown:
    case Qt::Key_Space: showRow(m_row + 1); return;
    case Qt::Key_Left:
    case Qt::Key_PageUp:
    case Qt::Key_Backspace: showRow(m_row - 1); return;
    case Qt::Key_Home: showRow(0); return;
    case Qt::Key_End: showRow(m_model.rowCount() - 1); return;
    default: QDialog::keyPressEvent(event);   // Escape closes
    }
}

}   // namespace clade
