#include "runbar.h"

#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStringList>

#include <algorithm>

namespace clade {

RunBar::RunBar(QWidget *parent)
    : QWidget(parent), m_folder(new QLineEdit(this)), m_choose(new QPushButton(tr("Choose…"), this)), m_k(new QSpinBox(this)),
      m_run(new QPushButton(tr("Run"), this)), m_progress(new QProgressBar(this)), m_status(new QLabel(this))
{
    m_folder->setPlaceholderText(tr("Photo folder"));
    m_folder->setClearButtonEnabled(true);
    m_k->setRange(2, 500);
    m_k->setValue(8);
    m_k->setToolTip(tr("How many groups to make"));
    m_run->setDefault(true);
    m_progress->setTextVisible(true);
    m_status->setMinimumWidth(260);
    m_progress->setVisible(false);
    showMessage(QString());

    auto *folderLabel = new QLabel(tr("&Folder:"), this);
    folderLabel->setBuddy(m_folder);
    auto *kLabel = new QLabel(tr("&Groups:"), this);
    kLabel->setBuddy(m_k);
    m_progress->setAccessibleName(tr("Progress of the run"));
    m_status->setAccessibleName(tr("State of the run"));
    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(folderLabel, 0, 0);
    layout->addWidget(m_folder, 0, 1);
    layout->addWidget(m_choose, 0, 2);
    layout->addWidget(kLabel, 0, 3);
    layout->addWidget(m_k, 0, 4);
    layout->addWidget(m_run, 0, 5);
    // The state of the run under the folder field, the bar beside it while a run works.
    layout->addWidget(m_status, 1, 1);
    layout->addWidget(m_progress, 1, 2, 1, 4);
    layout->setColumnStretch(1, 1);

    connect(m_choose, &QPushButton::clicked, this, &RunBar::chooseFolder);
    connect(m_run, &QPushButton::clicked, this, &RunBar::onButton);
    connect(m_folder, &QLineEdit::returnPressed, this, [this] { Q_EMIT folderChosen(folder()); });
}

QString RunBar::folder() const
{
    const QString text = m_folder->text().trimmed();
    return text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text));
}

void RunBar::setFolder(const QString &folder)
{
    m_folder->setText(QDir::toNativeSeparators(folder));
}

int RunBar::k() const
{
    return m_k->value();
}

void RunBar::setK(int k)
{
    m_k->setValue(k);
}

void RunBar::setRunning(bool running)
{
    m_running = running;
    m_cancelling = false;
    m_run->setText(running ? tr("Cancel") : tr("Run"));
    m_run->setEnabled(true);
    m_folder->setEnabled(!running);
    m_choose->setEnabled(!running);
    m_k->setEnabled(!running);
    // Idle, an empty bar looks like a text box to fill in: it shows only while a run works.
    m_progress->setVisible(running);
    if (running) {
        m_progress->setRange(0, 0);   // busy until the first report
        m_status->setText(tr("Starting…"));
    }
}

void RunBar::showProgress(const QString &stage, qint64 done, qint64 total, qint64 etaMs, double perSecond)
{
    if (m_cancelling)
        return;   // keep saying so until the run has stopped
    if (total > 0) {
        // QProgressBar holds ints; a permille scale keeps huge counts in range.
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
        m_progress->setFormat(tr("%1 / %2").arg(done).arg(total));
    } else {
        m_progress->setRange(0, 0);
    }
    QStringList parts{stageText(stage), rateText(stage, perSecond), etaText(etaMs)};
    parts.removeAll(QString());
    m_status->setText(parts.join(tr(" — ")));
}

QString RunBar::statusText() const
{
    return m_status->text();
}

void RunBar::showMessage(const QString &message, bool complete)
{
    m_progress->setRange(0, 1);
    m_progress->setValue(complete ? 1 : 0);
    m_progress->setFormat(QString());
    m_status->setText(message);
}

QString RunBar::stageText(const QString &stage)
{
    // The pipeline names its stages in English; these are the translatable forms.
    static const QHash<QString, const char *> names{
        {QStringLiteral("Scanning"), QT_TR_NOOP("Scanning the folder")},
        {QStringLiteral("Reading metadata"), QT_TR_NOOP("Reading metadata")},
        {QStringLiteral("Embedding"), QT_TR_NOOP("Decoding photos and computing features")},
        {QStringLiteral("Clustering"), QT_TR_NOOP("Grouping")},
        {QStringLiteral("Naming"), QT_TR_NOOP("Naming the groups")},
    };
    const auto found = names.constFind(stage);
    return found == names.constEnd() ? stage : tr(*found);
}

QString RunBar::etaText(qint64 etaMs)
{
    if (etaMs < 0)
        return {};
    const qint64 seconds = (etaMs + 999) / 1000;
    if (seconds < 60)
        return tr("about %1 s left").arg(seconds);
    if (seconds < 3600)
        return tr("about %1 min %2 s left").arg(seconds / 60).arg(seconds % 60);
    return tr("about %1 h %2 min left").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

QString RunBar::rateText(const QString &stage, double perSecond)
{
    if (perSecond <= 0 || stage != QLatin1String("Embedding"))
        return {};
    // Two significant digits: the rate wanders by more than that anyway.
    return tr("%1 images/s").arg(perSecond, 0, 'f', perSecond < 10 ? 1 : 0);
}

void RunBar::chooseFolder()
{
    const QString chosen = QFileDialog::getExistingDirectory(this, tr("Choose a photo folder"), folder());
    if (chosen.isEmpty())
        return;
    setFolder(chosen);
    Q_EMIT folderChosen(folder());
}

void RunBar::onButton()
{
    if (m_running) {
        m_cancelling = true;
        m_run->setEnabled(false);   // until the run has really stopped
        m_status->setText(tr("Cancelling…"));
        Q_EMIT cancelRequested();
    } else {
        Q_EMIT runRequested();
    }
}

}   // namespace clade
