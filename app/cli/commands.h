#pragma once

#include "pipeline/corrections.h"
#include "service/appcore.h"
#include "services.h"

#include <QStringList>

#include <functional>

namespace clade::cli {

// Subcommands of clade-cli. `args` excludes the program name and the subcommand; each returns
// the process exit code. They run on the main thread and block.
int runScanCommand(const QStringList &args);
int runClusterCommand(const QStringList &args);
int runEvalCommand(const QStringList &args);
int runExportCommand(const QStringList &args);
int runRenameCommand(const QStringList &args);
int runCorrectCommand(const QStringList &args);
int runDiagnoseCommand(const QStringList &args);
int runInfoCommand(const QStringList &args);
int runModelsCommand(const QStringList &args);
int runCheckCommand(const QStringList &args);
int runProblemsCommand(const QStringList &args);
int runSearchCommand(const QStringList &args);
int runRenameAllCommand(const QStringList &args);
int runSimilarCommand(const QStringList &args);

// Waits in an event loop until `done` holds: the application core answers by signals.
void waitUntil(const std::function<bool()> &done);

// Loads the engine `options` describe into the application core, on its worker, and waits for it.
Result<EngineInfo> loadEngineInto(AppCore &core, const ServiceOptions &options);

// A correction (rename included) sent to the application core, whose worker owns the catalog's
// write connection, as the GUI's are; waits for its answer (correctcommand.cpp).
Result<CorrectionStep> applyCorrection(const QString &catalogPath, CorrectionRequest request);

}   // namespace clade::cli
