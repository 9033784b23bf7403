#include "media/metadata.h"

namespace clade {

QString PhotoMetadata::camera() const
{
    const QString make = cameraMake.trimmed();
    const QString model = cameraModel.trimmed();
    if (make.isEmpty())
        return model;
    if (model.isEmpty())
        return make;
    // "Canon" + "Canon EOS 40D" -> "Canon EOS 40D"; "NIKON CORPORATION" + "NIKON D70" -> "NIKON D70"
    const QString firstWord = make.section(QLatin1Char(' '), 0, 0);
    if (model.startsWith(firstWord, Qt::CaseInsensitive))
        return model;
    return make + QLatin1Char(' ') + model;
}

}   // namespace clade
