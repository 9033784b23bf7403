#pragma once

#include "backgroundtask.h"
#include "domain/records.h"

#include <QPixmap>
#include <QWidget>

#include <memory>

class QLabel;

namespace clade {

class ImageDecoder;

// A larger view of one photo with its file name, date, camera and pixel size. The image is
// decoded on a pool thread; only the latest request is shown. GUI thread only.
class PreviewPane : public QWidget
{
    Q_OBJECT

public:
    // decoder is not owned, is thread-safe and must outlive this widget. Photos are decoded with
    // at least shortSide pixels on their short side (less when the file has fewer).
    explicit PreviewPane(const ImageDecoder *decoder, QWidget *parent = nullptr, int shortSide = 720);
    ~PreviewPane() override;   // waits for a decode in flight

    void showPhoto(const PhotoRecord &photo);
    void clear();
    bool isLoading() const { return m_loading; }
    QString shownPath() const { return m_path; }

Q_SIGNALS:
    void loaded(const QString &path);   // the image (or its error) is on screen

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void setDetails(const PhotoRecord &photo);
    void deliver(const QImage &image, const QString &error);
    void updateImage();

    const ImageDecoder *m_decoder;
    int m_shortSide;
    QLabel *m_image;
    QLabel *m_name;
    QLabel *m_details;
    QPixmap m_pixmap;
    QString m_path;
    bool m_loading = false;
    std::unique_ptr<BackgroundTask> m_loader = std::make_unique<BackgroundTask>();
};

}   // namespace clade
