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

// Permission cases: root ignores file permissions, and CI runs as root. When this process is
// root, runs the current test function (and data row) again, in a copy of this test binary, as
// the unprivileged user nobody (65534) with a HOME of its own, and returns true with `failure`
// set to what went wrong (empty when it passed). Returns false when this process is not root:
// the test goes on here. Use CLADE_RUN_AS_NOBODY() at the top of such a test. Files the test
// makes must then live in a folder others can reach (QTemporaryDir under /tmp is).
bool rerunAsNobody(QString *failure);

}   // namespace clade::test

#define CLADE_REQUIRE_SHARED(relative)                                                                                                     \
    do {                                                                                                                                   \
        if (clade::test::sharedData(QStringLiteral(relative)).isEmpty())                                                                   \
            QSKIP("../shared/data/" relative " is absent (set CLADE_SHARED_DATA); skipping");                                              \
    } while (false)

#define CLADE_RUN_AS_NOBODY()                                                                                                              \
    do {                                                                                                                                   \
        QString nobodyFailure_;                                                                                                            \
        if (clade::test::rerunAsNobody(&nobodyFailure_)) {                                                                                 \
            QVERIFY2(nobodyFailure_.isEmpty(), qPrintable(nobodyFailure_));                                                                \
            return;                                                                                                                        \
        }                                                                                                                                  \
    } while (false)
