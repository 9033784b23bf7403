#include "previewpane.h"

#include "media/decoder.h"

#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QMetaObject>
#include <QVBoxLayout>

namespace clade {

namespace {

// Pool thread: the decoded photo as a QImage (deep copy), or the decoder's error.
std::pair<QImage, QString> decodePreview(const ImageDecoder *decoder, const QString &path, int shortSide)
{
    if (!decoder)
        return {QImage(), PreviewPane::tr("no image decoder is available")};
    DecodeOptions options;
    options.minShortSide = shortSide;
    auto decoded = decoder->decode(path, options);
    if (!decoded)
        return {QImage(), decoded.error()};
    const RgbImage &rgb = *decoded;
    const QImage view(rgb.data.data(), rgb.width, rgb.height, rgb.width * 3, QImage::Format_RGB888);
    return {view.copy(), QString()};
}

}   // namespace

PreviewPane::PreviewPane(const ImageDecoder *decoder, QWidget *parent, int shortSide)
    : QWidget(parent), m_decoder(decoder), m_shortSide(shortSide), m_image(new QLabel(this)), m_name(new QLabel(this)),
      m_details(new QLabel(this))
{
    setAccessibleName(tr("Preview of the current photo"));
    m_image->setAccessibleName(tr("Photo"));
    m_image->setAlignment(Qt::AlignCenter);
    m_image->setMinimumSize(160, 160);
    m_image->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_image->setWordWrap(true);
    m_name->setWordWrap(true);
    m_name->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_image, 1);
    layout->addWidget(m_name);
    layout->addWidget(m_details);
    clear();
}

PreviewPane::~PreviewPane()
{
    m_loader.reset();   // waits for a decode in flight, which uses m_decoder
}

void PreviewPane::showPhoto(const PhotoRecord &photo)
{
    m_path = photo.path;
    m_loading = true;
    m_pixmap = QPixmap();
    m_image->setText(tr("Loading…"));
    setDetails(photo);
    // A decode still working or queued is superseded by this one: its result is dropped.
    m_loader->start([this, path = photo.path, side = m_shortSide](Progress &) -> BackgroundTask::Delivery {
        auto [image, error] = decodePreview(m_decoder, path, side);
        return [this, image, error] { deliver(image, error); };
    });
}

void PreviewPane::clear()
{
    m_loader->discard();
    m_path.clear();
    m_loading = false;
    m_pixmap = QPixmap();
    m_image->setText(tr("Select a photo to see it here."));
    m_name->clear();
    m_details->clear();
}

void PreviewPane::setDetails(const PhotoRecord &photo)
{
    m_name->setText(QFileInfo(photo.path).fileName());
    m_name->setToolTip(photo.path);
    QStringList lines;
    lines << (photo.meta.takenAt.isValid() ? QLocale().toString(photo.meta.takenAt, QLocale::LongFormat) : tr("Date unknown"));
    const QString camera = photo.meta.camera();
    lines << (camera.isEmpty() ? tr("Camera unknown") : camera);
    if (photo.width > 0 && photo.height > 0)
        lines << tr("%1 × %2 pixels").arg(photo.width).arg(photo.height);
    m_details->setText(lines.join(QLatin1Char('\n')));
}

void PreviewPane::deliver(const QImage &image, const QString &error)
{
    m_loading = false;
    if (image.isNull()) {
        m_image->setText(tr("Cannot show this photo: %1").arg(error));
    } else {
        m_pixmap = QPixmap::fromImage(image);
        updateImage();
    }
    Q_EMIT loaded(m_path);
}

void PreviewPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updateImage();
}

void PreviewPane::updateImage()
{
    if (m_pixmap.isNull())
        return;
    const QSize room = m_image->contentsRect().size();
    // Small photos are enlarged at most twice: beyond that they only get blurrier.
    m_image->setPixmap(m_pixmap.scaled(room.boundedTo(m_pixmap.size() * 2), Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

}   // namespace clade
