#include "exiv2library.h"

#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>

#include <exception>
#include <mutex>
#include <stdexcept>

namespace clade::exiv2 {

Q_LOGGING_CATEGORY(lcExiv2, "clade.exiv2", QtInfoMsg)

// Parsing runs one file at a time. Even with the lock below, Exiv2 0.27.6's XMP toolkit loses
// packets when files are parsed on several threads at once (tst_exiv2robustness saw whole XMP
// blocks come back empty), and readMetadata offers no way to parse XMP separately. Reading the
// values out of the parsed metadata and copying previews still run in parallel.
std::mutex &parseMutex()
{
    static std::mutex mutex;
    return mutex;
}

namespace {

// The file the current thread is reading, so that Exiv2's context-free warnings name it.
thread_local QString t_currentPath;

std::recursive_mutex &xmpMutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}

void lockXmp(void *, bool lock)
{
    if (lock)
        xmpMutex().lock();
    else
        xmpMutex().unlock();
}

// Called by Exiv2 on whichever thread produced the message.
void logHandler(int level, const char *message)
{
    const QString text = QString::fromUtf8(message).trimmed();
    const char *name = level >= Exiv2::LogMsg::error ? "error" : "warning";
    qCDebug(lcExiv2).noquote() << "Exiv2" << name << "reading" << t_currentPath << ':' << text;
}

class PathScope
{
public:
    explicit PathScope(const QString &path) : m_previous(t_currentPath) { t_currentPath = path; }
    ~PathScope() { t_currentPath = m_previous; }
    PathScope(const PathScope &) = delete;
    PathScope &operator=(const PathScope &) = delete;

private:
    QString m_previous;
};

}   // namespace

void initialiseLibrary()
{
    static std::once_flag once;
    std::call_once(once, [] {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
        Exiv2::LogMsg::setHandler(&logHandler);
        // 0.27's XMP toolkit registers namespaces while parsing; without a lock given here,
        // concurrent reads of files with XMP race on its global tables.
        if (!Exiv2::XmpParser::initialize(&lockXmp, nullptr))
            qCWarning(lcExiv2) << "Exiv2 could not initialise its XMP toolkit; XMP will be missing";
#ifdef EXV_ENABLE_BMFF
        Exiv2::enableBMFF(true);   // HEIF, AVIF and CR3 are compiled in but off by default
#endif
    });
}

Status guarded(const QString &path, const char *what, const std::function<void()> &body)
{
    const PathScope scope(path);
    const auto error = [&](const char *detail) {
        return fail(QStringLiteral("Cannot %1 %2: %3").arg(QLatin1String(what), path, QString::fromUtf8(detail).trimmed()));
    };
    try {
        body();
        return {};
    } catch (const Exiv2::AnyError &e) {
        return error(e.what());
    } catch (const std::exception &e) {
        return error(e.what());
    } catch (...) {
        return error("unknown exception inside Exiv2");
    }
}

Result<Exiv2::Image::AutoPtr> openAndRead(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return fail(QStringLiteral("Cannot read metadata of %1: the file does not exist").arg(path));
    if (!info.isFile())
        return fail(QStringLiteral("Cannot read metadata of %1: not a regular file").arg(path));
    initialiseLibrary();
    Exiv2::Image::AutoPtr image;
    const Status status = guarded(path, "read metadata of", [&] {
        const std::lock_guard lock(parseMutex());
        // Absolute, and without curl: Exiv2 treats "http://...", "data:..." and similar
        // relative names as remote sources.
        image = Exiv2::ImageFactory::open(QFile::encodeName(info.absoluteFilePath()).toStdString(), false);
        if (!image.get())
            throw std::runtime_error("unknown image type");
        image->readMetadata();
    });
    if (!status)
        return status.takeError();
    return image;
}

}   // namespace clade::exiv2
