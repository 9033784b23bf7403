#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace clade {

class MainWindow;

// For docs/ and for looking at the GUI under xvfb: once the window has had nothing to do for a
// moment (run finished, thumbnails and preview loaded), saves a picture of it and quits the
// application with 0, or with 1 when the run failed or the picture could not be written.
// GUI thread.
class ScreenshotTaker : public QObject
{
    Q_OBJECT

public:
    ScreenshotTaker(MainWindow &window, QString file, QObject *parent = nullptr);

private:
    void poll();
    void finish(int exitCode, const QString &message);

    MainWindow &m_window;
    QString m_file;
    QTimer m_timer;
    int m_quietPolls = 0;
};

}   // namespace clade
