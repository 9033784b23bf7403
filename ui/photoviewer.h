#pragma once

#include <QDialog>

namespace clade {

class ImageDecoder;
class PhotoGridModel;
class PreviewPane;

// The photos of the grid one at a time, large (decoded off the GUI thread), with keyboard
// navigation: Left/Right (or Page Up/Down, Backspace/Space) for the previous and next photo,
// Home/End for the first and last, Escape to close. The grid's current photo follows.
// GUI thread.
class PhotoViewer : public QDialog
{
    Q_OBJECT

public:
    // model and decoder are not owned and must outlive the viewer.
    PhotoViewer(const PhotoGridModel &model, const ImageDecoder *decoder, int row, QWidget *parent = nullptr);

    int row() const { return m_row; }
    void showRow(int row);   // clamped to the model's rows
    PreviewPane *pane() const { return m_pane; }

Q_SIGNALS:
    void rowChanged(int row);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    const PhotoGridModel &m_model;
    PreviewPane *m_pane;
    int m_row = -1;
};

}   // namespace clade
