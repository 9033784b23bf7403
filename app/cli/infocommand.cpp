#include "commandline.h"
#include "commands.h"
#include "output.h"

#include "common/paths.h"
#ifdef CLADE_HAVE_TORCH
#include "runtime.h"
#endif

#include <QJsonObject>
#include <QThread>

namespace clade::cli {

// `clade-cli info`: what this process runs on. Support requests start here, and the tests use
// it to see the environment the program really got (the OpenMP policy is set by a re-exec).
int runInfoCommand(const QStringList &args)
{
    CommandLine cl(QStringLiteral("info"), QStringLiteral("What this process runs on: device, threads, BLAS, paths."), CommandLine::Json);
    if (!cl.parse(args, 0, 0))
        return cl.exitCode();
    const QString policy = qEnvironmentVariable("OMP_WAIT_POLICY", QStringLiteral("(unset: libgomp spins)"));
    QJsonObject info{{QStringLiteral("version"), softwareVersion()},
                     {QStringLiteral("cores"), QThread::idealThreadCount()},
                     {QStringLiteral("openmpWaitPolicy"), policy},
                     {QStringLiteral("dataDir"), dataDir()},
                     {QStringLiteral("defaultCatalog"), defaultCatalogPath()}};
#ifdef CLADE_HAVE_TORCH
    torchrt::configure();
    info.insert(QStringLiteral("device"), torchrt::deviceName());
    info.insert(QStringLiteral("torchThreads"), torchrt::threads());
    const auto blas = torchrt::blasInfo();
    info.insert(QStringLiteral("blas"), blas.library.isEmpty() ? QStringLiteral("unknown") : blas.library);
    info.insert(QStringLiteral("blasKind"),
                blas.openBlas
                    ? (blas.config.startsWith(QStringLiteral("OpenBLAS")) ? blas.config : QStringLiteral("OpenBLAS %1").arg(blas.config))
                    : QStringLiteral("not OpenBLAS (reference BLAS is about 55x slower for CLIP)"));
    info.insert(QStringLiteral("blasFromClade"), blas.fromClade);
#else
    info.insert(QStringLiteral("device"), QStringLiteral("none (built without libtorch)"));
#endif
    if (cl.parser.isSet(cl.json)) {
        printJson(info);
        return Ok;
    }
    for (const QString &key : info.keys())
        print(QStringLiteral("%1: %2").arg(key, info.value(key).toVariant().toString()));
    return Ok;
}

}   // namespace clade::cli
