#include "screenshot.h"

#include "mainwindow.h"

#include <QCoreApplication>
#include <QDialog>
#include <QPixmap>

#include <cstdio>

namespace clade {

namespace {

constexpr int pollMs = 250;
constexpr int quietPollsNeeded = 4;   // idle for a second: nothing is still coming in

}   // namespace

ScreenshotTaker::ScreenshotTaker(MainWindow &window, QString file, QObject *parent)
    : QObject(parent), m_window(window), m_file(std::move(file))
{
    connect(&m_timer, &QTimer::timeout, this, &ScreenshotTaker::poll);
    connect(window.core(), &AppCore::runFailed, this, [this](const QString &message) { finish(1, tr("The run failed: %1").arg(message)); });
    connect(window.core(), &AppCore::runCancelled, this, [this] { finish(1, tr("The run was cancelled.")); });
    m_timer.start(pollMs);
}

void ScreenshotTaker::poll()
{
    m_quietPolls = m_window.isBusy() ? 0 : m_quietPolls + 1;
    if (m_quietPolls < quietPollsNeeded)
        return;
    // An open dialog (e.g. --export) is the picture, else the main window.
    QWidget *subject = &m_window;
    for (QDialog *dialog : m_window.findChildren<QDialog *>())
        if (dialog->isVisible())
            subject = dialog;
    const QPixmap picture = subject->grab();
    if (!picture.save(m_file))
        finish(1, tr("Cannot write %1").arg(m_file));
    else
        finish(0, {});
}

void ScreenshotTaker::finish(int exitCode, const QString &message)
{
    m_timer.stop();
    if (!message.isEmpty())
        std::fprintf(stderr, "clade: %s\n", qPrintable(message));
    QCoreApplication::exit(exitCode);
}

}   // namespace clade
