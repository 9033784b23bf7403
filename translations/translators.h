#pragma once

class QCoreApplication;

namespace clade {

// Installs Qt's own and Clade's translations for the system locale (LANG, LC_ALL, LANGUAGE),
// parented to app. Clade's .qm files are compiled in under :/i18n, so an installed or a
// build-tree binary finds them alike. A locale without a translation keeps English.
// GUI thread, before the first window is built.
void installTranslators(QCoreApplication &app);

}   // namespace clade
