#include "translators.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace clade {

namespace {

void install(QCoreApplication &app, const QString &name, const QString &directory)
{
    auto *translator = new QTranslator(&app);
    if (translator->load(QLocale(), name, QStringLiteral("_"), directory))
        QCoreApplication::installTranslator(translator);
    else
        delete translator;
}

}   // namespace

void installTranslators(QCoreApplication &app)
{
    // Standard dialogs and buttons; Debian ships them in qt6-translations-l10n.
    install(app, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    install(app, QStringLiteral("clade"), QStringLiteral(":/i18n"));
}

}   // namespace clade
