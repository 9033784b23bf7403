#pragma once

#include <QString>

namespace clade::textclean {

// The parts of ftfy.fix_text (6.x defaults) that change CLIP tokens: UTF-8 mojibake read as
// Latin-1/Windows-1252, C1 controls, Latin ligatures, full-width forms, curly quotes, NFC.
QString fixText(const QString &text);

// Python's html.unescape for numeric references and the common named entities.
QString unescapeHtml(const QString &text);

}   // namespace clade::textclean
