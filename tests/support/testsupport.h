#pragma once

#include <QImage>
#include <QString>

namespace clade::test {

// ../shared/data (or $CLADE_SHARED_DATA); empty when absent. Tests that need it call
// requireSharedData() which QSKIPs with a clear message.
QString sharedDataDir();
QString sharedData(const QString &relative);   // empty when missing

// Writes a real JPEG (via Qt) of a w x h picture filled with a colour and a few shapes.
// Returns false when writing failed.
bool writeJpeg(const QString &path, int width, int height, QColor base, int quality = 90, int variant = 0);

} // namespace clade::test

#define CLADE_REQUIRE_SHARED(relative)                                                              \
    do {                                                                                            \
        if (clade::test::sharedData(QStringLiteral(relative)).isEmpty())                            \
            QSKIP("../shared/data/" relative " is absent (set CLADE_SHARED_DATA); skipping");       \
    } while (false)
