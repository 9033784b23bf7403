#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace clade {

// The row of run controls: folder (line edit + chooser), K, Run/Cancel, and a progress bar with
// the stage and the time left. It only shows state and asks; MainWindow decides. GUI thread.
class RunBar : public QWidget
{
    Q_OBJECT

public:
    explicit RunBar(QWidget *parent = nullptr);

    QString folder() const;
    void setFolder(const QString &folder);
    int k() const;
    void setK(int k);
    void setRunning(bool running);
    // perSecond: the stage's smoothed rate (-1: unknown); shown for stages that have a unit.
    void showProgress(const QString &stage, qint64 done, qint64 total, qint64 etaMs, double perSecond = -1);
    QString statusText() const;
    // Ends the progress display: a full bar when the run completed, an empty one otherwise.
    void showMessage(const QString &message, bool complete = false);

    // Human-readable text for a pipeline stage id and for a time left.
    static QString stageText(const QString &stage);
    static QString etaText(qint64 etaMs);
    // "8.4 images/s" while embedding; empty for an unknown rate or a stage without a unit.
    static QString rateText(const QString &stage, double perSecond);

Q_SIGNALS:
    void runRequested();
    void cancelRequested();
    void folderChosen(const QString &folder);   // picked in the dialog or typed and confirmed

private:
    void chooseFolder();
    void onButton();

    QLineEdit *m_folder;
    QPushButton *m_choose;
    QSpinBox *m_k;
    QPushButton *m_run;
    QProgressBar *m_progress;
    QLabel *m_status;
    bool m_running = false;
    bool m_cancelling = false;
};

}   // namespace clade
