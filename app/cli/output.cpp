#include "output.h"

#include "service/etaestimator.h"

#include <QElapsedTimer>
#include <QJsonDocument>

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace clade::cli {

namespace {
QString &commandName()
{
    static QString name;
    return name;
}
}   // namespace

void setCommandName(const QString &name)
{
    commandName() = name;
}

int error(const QString &message, int code)
{
    const QString prefix = commandName().isEmpty() ? QStringLiteral("clade-cli") : QStringLiteral("clade-cli ") + commandName();
    std::fprintf(stderr, "%s: %s\n", prefix.toLocal8Bit().constData(), message.toLocal8Bit().constData());
    return code;
}

void print(const QString &text)
{
    std::fprintf(stdout, "%s\n", text.toLocal8Bit().constData());
}

void printJson(const QJsonObject &object)
{
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Indented);
    std::fwrite(json.constData(), 1, std::size_t(json.size()), stdout);
}

// "1 min 20 s" / "40 s": the time left on a progress line.
QString timeLeftText(qint64 ms)
{
    const qint64 seconds = (ms + 999) / 1000;
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg(seconds / 60 % 60);
}

Progress::Callback stderrProgress(bool quiet)
{
    if (quiet)
        return {};
    struct State
    {
        QString stage;
        QElapsedTimer sinceLine;
        QElapsedTimer clock;
        EtaEstimator eta;
        bool terminal = ::isatty(STDERR_FILENO) == 1;
        qint64 pipeIntervalMs = 5000;
    };
    auto state = std::make_shared<State>();
    state->clock.start();
    bool set = false;
    const qint64 fromEnv = qEnvironmentVariableIntValue("CLADE_PROGRESS_INTERVAL_MS", &set);
    if (set && fromEnv >= 0)
        state->pipeIntervalMs = fromEnv;
    // On a terminal one line is rewritten in place a few times a second; in a pipe (a log, a
    // test) a plain line at most every 5 s (CLADE_PROGRESS_INTERVAL_MS changes it: the kill
    // tests count lines), and one per stage and at its end.
    return [state](const QString &stage, qint64 done, qint64 total) {
        const qint64 etaMs = state->eta.update(stage, done, total, state->clock.elapsed());
        const bool newStage = stage != state->stage;
        const qint64 interval = state->terminal ? 250 : state->pipeIntervalMs;
        if (!newStage && state->sinceLine.isValid() && state->sinceLine.elapsed() < interval && done != total)
            return;
        if (newStage && state->terminal && !state->stage.isEmpty())
            std::fputc('\n', stderr);
        state->stage = stage;
        state->sinceLine.start();
        QString line = total > 0 ? QStringLiteral("%1 %2/%3").arg(stage).arg(done).arg(total) : stage + QStringLiteral("…");
        if (etaMs > 0 && done < total)
            line += QStringLiteral(", about %1 left").arg(timeLeftText(etaMs));
        std::fprintf(stderr, state->terminal ? "\r%s\033[K" : "%s\n", line.toLocal8Bit().constData());
        std::fflush(stderr);
    };
}

}   // namespace clade::cli
