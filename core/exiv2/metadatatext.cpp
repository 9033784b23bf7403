#include "metadatatext.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>

#include <cmath>

namespace clade::metadatatext {

namespace {

constexpr int maxOffsetSeconds = 14 * 3600;

// "+01:00", "-0700", "Z"; nullopt when absent or malformed.
std::optional<int> parseOffset(const QString &text)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("Z"))
        return 0;
    static const QRegularExpression re(QStringLiteral("^([+-])(\\d{2}):?(\\d{2})$"));
    const auto m = re.match(t);
    if (!m.hasMatch())
        return std::nullopt;
    const int seconds = m.captured(2).toInt() * 3600 + m.captured(3).toInt() * 60;
    if (seconds > maxOffsetSeconds || m.captured(3).toInt() >= 60)
        return std::nullopt;
    return m.captured(1) == QLatin1String("-") ? -seconds : seconds;
}

// ".69" or "69" (fraction digits) -> milliseconds; -1 when there are no digits.
int parseMilliseconds(const QString &fraction)
{
    QString digits;
    for (const QChar c : fraction) {
        if (c.isDigit())
            digits += c;
        else if (c != QLatin1Char('.') && !c.isSpace())
            return -1;
    }
    if (digits.isEmpty())
        return -1;
    return digits.left(3).leftJustified(3, QLatin1Char('0')).toInt();
}

}   // namespace

QDateTime parseDateTime(const QString &text, const QString &subSeconds, const QString &offset)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{4})[:-](\\d{2})[:-](\\d{2})"
                                                      "(?:[ T](\\d{2}):(\\d{2})(?::(\\d{2}))?(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    int ms = parseMilliseconds(m.captured(7));
    if (ms < 0)
        ms = std::max(0, parseMilliseconds(subSeconds));
    const QTime time =
        m.capturedLength(4) > 0 ? QTime(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), ms) : QTime(0, 0);
    if (!date.isValid() || !time.isValid())
        return {};
    std::optional<int> zone = parseOffset(m.captured(8));
    if (!zone && m.capturedLength(8) == 0)
        zone = parseOffset(offset);
    if (zone)
        return QDateTime(date, time, Qt::OffsetFromUTC, *zone);
    return QDateTime(date, time, Qt::LocalTime);
}

std::optional<double> signedDegrees(double degrees, double minutes, double seconds, const QString &ref, double limit)
{
    const double value = degrees + minutes / 60.0 + seconds / 3600.0;
    if (!std::isfinite(value) || degrees < 0 || minutes < 0 || seconds < 0 || value > limit)
        return std::nullopt;
    const QString r = ref.trimmed().toUpper();
    const bool negative = r.startsWith(QLatin1Char('S')) || r.startsWith(QLatin1Char('W'));
    return negative ? -value : value;
}

std::optional<double> parseXmpCoordinate(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+),(\\d+(?:\\.\\d+)?)(?:,(\\d+(?:\\.\\d+)?))?\\s*([NSEWnsew])$"));
    const auto m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QString ref = m.captured(4).toUpper();
    const double limit = (ref == QLatin1String("N") || ref == QLatin1String("S")) ? 90.0 : 180.0;
    return signedDegrees(m.captured(1).toDouble(), m.captured(2).toDouble(), m.captured(3).toDouble(), ref, limit);
}

QString decodeText(const QByteArray &bytes)
{
    // EXIF strings end at the first NUL; what follows is padding or garbage.
    const QByteArray used = bytes.left(bytes.indexOf('\0') >= 0 ? bytes.indexOf('\0') : bytes.size());
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = utf8(used);
    if (utf8.hasError())
        text = QString::fromLatin1(used);
    return text.trimmed();
}

void appendKeywords(QStringList &into, const QStringList &more)
{
    for (const QString &keyword : more) {
        const QString k = keyword.trimmed();
        if (!k.isEmpty() && !into.contains(k, Qt::CaseInsensitive))
            into.append(k);
    }
}

QString findSidecar(const QString &photoPath)
{
    const QFileInfo photo(photoPath);
    if (photo.suffix().compare(QLatin1String("xmp"), Qt::CaseInsensitive) == 0)
        return {};
    const QString dir = photo.absolutePath() + QLatin1Char('/');
    const QStringList candidates = {
        dir + photo.fileName() + QLatin1String(".xmp"),
        dir + photo.fileName() + QLatin1String(".XMP"),
        dir + photo.completeBaseName() + QLatin1String(".xmp"),
        dir + photo.completeBaseName() + QLatin1String(".XMP"),
    };
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate).isFile())
            return candidate;
    }
    return {};
}

void mergeSidecar(PhotoMetadata &photo, const PhotoMetadata &sidecar)
{
    appendKeywords(photo.keywords, sidecar.keywords);
    if (!photo.takenAt.isValid())
        photo.takenAt = sidecar.takenAt;
    if (!photo.latitude || !photo.longitude) {
        photo.latitude = sidecar.latitude;
        photo.longitude = sidecar.longitude;
        photo.altitude = sidecar.altitude;
    }
}

}   // namespace clade::metadatatext
