#include "output.h"

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

Progress::Callback stderrProgress(bool quiet)
{
    if (quiet)
        return {};
    struct State
    {
        QString stage;
        QElapsedTimer sinceLine;
        bool terminal = ::isatty(STDERR_FILENO) == 1;
    };
    auto state = std::make_shared<State>();
    return [state](const QString &stage, qint64 done, qint64 total) {
        const bool newStage = stage != state->stage;
        if (!newStage && state->sinceLine.isValid() && state->sinceLine.elapsed() < 1000 && done != total)
            return;
        if (newStage && state->terminal && !state->stage.isEmpty())
            std::fputc('\n', stderr);
        state->stage = stage;
        state->sinceLine.start();
        const QString line = total > 0 ? QStringLiteral("%1 %2/%3").arg(stage).arg(done).arg(total) : stage + QStringLiteral("…");
        std::fprintf(stderr, state->terminal ? "\r%s\033[K" : "%s\n", line.toLocal8Bit().constData());
        std::fflush(stderr);
    };
}

}   // namespace clade::cli
