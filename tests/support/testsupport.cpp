#include "testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QPainter>

namespace clade::test {

QString sharedDataDir()
{
    const QString dir = qEnvironmentVariable("CLADE_SHARED_DATA");
    if (!dir.isEmpty() && QFileInfo(dir).isDir())
        return QDir(dir).absolutePath();
    return QString();
}

QString sharedData(const QString &relative)
{
    const QString root = sharedDataDir();
    if (root.isEmpty())
        return QString();
    const QString path = root + QLatin1Char('/') + relative;
    return QFileInfo::exists(path) ? path : QString();
}

bool writeJpeg(const QString &path, int width, int height, QColor base, int quality, int variant)
{
    QImage image(width, height, QImage::Format_RGB888);
    image.fill(base);
    QPainter painter(&image);
    painter.setPen(Qt::NoPen);
    painter.setBrush(base.darker(150 + 10 * (variant % 5)));
    painter.drawEllipse(QPoint(width / 3 + variant % 7, height / 2), width / 5, height / 5);
    painter.setBrush(base.lighter(130));
    painter.drawRect(width / 2, height / 4 + variant % 11, width / 4, height / 3);
    painter.end();
    return image.save(path, "JPEG", quality);
}

} // namespace clade::test
