#include "models/modeldownload.h"

#include "models/modelmanager.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>

namespace clade {

namespace {

constexpr int kMaxRedirects = 5;

bool retryable(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionClosedError: return true;
    default: return false;
    }
}

}   // namespace

ModelDownload::ModelDownload(ModelManager &manager, ModelEntry entry, DownloadOptions options, QObject *parent)
    : QObject(parent), m_manager(manager), m_entry(std::move(entry)), m_options(options), m_network(new QNetworkAccessManager(this))
{
    m_stallTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, &ModelDownload::onStalled);
}

ModelDownload::~ModelDownload()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

bool ModelDownload::urlAllowed(const QUrl &url) const
{
    if (!m_entry.isAllowedHost(url.host()))
        return false;
    if (url.scheme() == QLatin1String("https"))
        return true;
    return (m_options.allowLoopbackHttp || m_entry.loopbackAllowed) && url.scheme() == QLatin1String("http")
           && (url.host() == QLatin1String("127.0.0.1") || url.host() == QLatin1String("localhost"));
}

void ModelDownload::start()
{
    if (m_running)
        return;
    m_running = true;
    m_cancelRequested = false;
    m_retries = 0;
    m_urlIndex = 0;
    m_tried.clear();
    const auto known = m_manager.catalogue().find(m_entry.id);
    if (!known || known->sha256 != m_entry.sha256)
        return finishFailed(tr("%1 is not in the model catalogue; only catalogue models can be downloaded.").arg(m_entry.name));
    if (!m_entry.hasChecksum())
        return finishFailed(tr("The catalogue has no checksum for %1, so a download could not be verified. "
                               "Import the file instead.")
                                .arg(m_entry.name));
    const bool usable =
        std::all_of(m_entry.urls.cbegin(), m_entry.urls.cend(), [this](const QString &url) { return urlAllowed(QUrl(url)); });
    if (m_entry.urls.isEmpty() || !usable)
        return finishFailed(tr("%1 has no usable https download address.").arg(m_entry.name));
    if (!openPartFile())
        return;
    if (m_entry.size && m_received == *m_entry.size)
        return complete();
    sendRequest();
}

// Opens (or creates) the .part file and hashes what an earlier attempt left in it.
bool ModelDownload::openPartFile()
{
    const QString path = m_manager.partPath(m_entry);
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_part.setFileName(path);
    if (!m_part.open(QIODevice::ReadWrite)) {
        finishFailed(tr("Cannot write %1: %2").arg(path, m_part.errorString()));
        return false;
    }
    m_hash.reset();
    m_received = 0;
    if (m_entry.size && m_part.size() > *m_entry.size)
        m_part.resize(0);
    while (!m_part.atEnd()) {
        const QByteArray chunk = m_part.read(1 << 20);
        if (chunk.isEmpty())
            break;
        m_hash.addData(chunk);
        m_received += chunk.size();
    }
    m_part.resize(m_received);
    m_part.seek(m_received);
    m_total = m_entry.size.value_or(-1);
    return true;
}

void ModelDownload::sendRequest()
{
    QNetworkRequest request{QUrl(m_entry.urls.at(m_urlIndex))};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::UserVerifiedRedirectPolicy);
    request.setMaximumRedirectsAllowed(kMaxRedirects);
    request.setRawHeader("Accept-Encoding", "identity");   // byte ranges must refer to the file itself
    if (m_received > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(m_received) + '-');
    m_headersChecked = false;
    m_abortMessage.clear();
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::redirected, this, &ModelDownload::onRedirected);
    connect(m_reply, &QNetworkReply::readyRead, this, &ModelDownload::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ModelDownload::onFinished);
    m_stallTimer.start(m_options.stallTimeoutMs);
}

void ModelDownload::onRedirected(const QUrl &url)
{
    if (!urlAllowed(url))
        return abortWith(tr("The server redirected the download of %1 to %2, which is not one of its "
                            "official https locations; the download was stopped.")
                             .arg(m_entry.name, url.toDisplayString()));
    Q_EMIT m_reply->redirectAllowed();
}

// Checks status, Content-Range and length once per response; false when the reply was aborted.
bool ModelDownload::acceptHeaders(QNetworkReply *reply)
{
    m_headersChecked = true;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 && m_received > 0) {   // the server ignored the Range header: start over
        m_part.resize(0);
        m_part.seek(0);
        m_hash.reset();
        m_received = 0;
    } else if (status == 206) {
        static const QRegularExpression range(QStringLiteral("^bytes (\\d+)-\\d+/(\\d+|\\*)$"));
        const auto match = range.match(QString::fromLatin1(reply->rawHeader("Content-Range")));
        if (!match.hasMatch() || match.captured(1).toLongLong() != m_received) {
            abortWith(tr("The server sent the wrong part of %1; the download was stopped.").arg(m_entry.name));
            return false;
        }
    }
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    const qint64 offered = length.isValid() ? m_received + length.toLongLong() : -1;
    if (m_entry.size && offered >= 0 && offered != *m_entry.size) {
        abortWith(tr("The server offers %1 bytes for %2, but the catalogue expects %3; the download was stopped.")
                      .arg(offered)
                      .arg(m_entry.name)
                      .arg(*m_entry.size));
        return false;
    }
    if (m_total < 0)
        m_total = offered;
    return true;
}

void ModelDownload::onReadyRead()
{
    if (!m_reply || !m_abortMessage.isNull())
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 300) {
        m_reply->readAll();   // a redirect's or error page's body; onFinished reports an error status
        return;
    }
    if (!m_headersChecked && !acceptHeaders(m_reply))
        return;
    const QByteArray data = m_reply->readAll();
    if (m_entry.size && m_received + data.size() > *m_entry.size)
        return abortWith(tr("The server sent more data than %1 has; the download was stopped.").arg(m_entry.name));
    if (m_part.write(data) != data.size())
        return abortWith(tr("Writing %1 failed: %2").arg(m_part.fileName(), m_part.errorString()));
    m_hash.addData(data);
    m_received += data.size();
    m_stallTimer.start(m_options.stallTimeoutMs);
    Q_EMIT progress(m_received, m_total);
}

void ModelDownload::onStalled()
{
    abortWith(tr("No data arrived from %1 for %2 seconds; the download of %3 was stopped. "
                 "Start it again to resume where it stopped.")
                  .arg(m_reply ? m_reply->url().host() : QString())
                  .arg(m_options.stallTimeoutMs / 1000.0, 0, 'g', 3)
                  .arg(m_entry.name));
}

void ModelDownload::abortWith(const QString &message)
{
    m_abortMessage = message;
    if (m_reply)
        m_reply->abort();
}

void ModelDownload::onFinished()
{
    m_stallTimer.stop();
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    m_part.flush();
    if (m_cancelRequested) {
        m_part.close();
        m_running = false;
        Q_EMIT cancelled();
        return;
    }
    if (!m_headersChecked && reply->error() == QNetworkReply::NoError)
        acceptHeaders(reply);   // an empty body never triggered readyRead
    const QString problem = replyProblem(reply);
    if (problem.isEmpty())
        return complete();
    const bool dropped = m_abortMessage.isEmpty() && (retryable(reply->error()) || reply->error() == QNetworkReply::NoError);
    if (dropped && retryAfterDrop())
        return;
    m_tried << QStringLiteral("%1: %2").arg(m_entry.urls.at(m_urlIndex), problem);
    if (m_urlIndex + 1 < m_entry.urls.size()) {   // the next official location, resuming from here
        ++m_urlIndex;
        m_retries = 0;
        return sendRequest();
    }
    finishFailed(everySourceFailed());
}

// One message naming each source tried and why it failed.
QString ModelDownload::everySourceFailed() const
{
    if (m_tried.size() <= 1)
        return m_tried.isEmpty() ? QString() : m_tried.first().section(QStringLiteral(": "), 1);
    QString text = tr("Every source of %1 failed:").arg(m_entry.name);
    for (int i = 0; i < m_tried.size(); ++i)
        text += QStringLiteral("\n  %1. %2").arg(i + 1).arg(m_tried.at(i));
    return text;
}

// Why this response did not deliver the rest of the file; empty when it did.
QString ModelDownload::replyProblem(QNetworkReply *reply) const
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 400)
        return tr("The server answered HTTP %1 (%2) for %3; the download of %4 failed.")
            .arg(status)
            .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(), reply->url().toDisplayString(), m_entry.name);
    if (!m_abortMessage.isEmpty())
        return m_abortMessage;
    if (reply->error() != QNetworkReply::NoError)
        return tr("The download of %1 failed: %2").arg(m_entry.name, reply->errorString());
    if (m_entry.size && m_received < *m_entry.size)
        return tr("The connection closed after %1 of %2 bytes of %3; start the download again to resume.")
            .arg(m_received)
            .arg(*m_entry.size)
            .arg(m_entry.name);
    return QString();
}

bool ModelDownload::retryAfterDrop()
{
    if (m_retries >= m_options.maxRetries)
        return false;
    ++m_retries;
    sendRequest();
    return true;
}

// The file is complete: verify, then move into place. A mismatch removes the partial file.
void ModelDownload::complete()
{
    const QString sha = QString::fromLatin1(m_hash.result().toHex());
    m_part.close();
    if (sha != m_entry.sha256) {
        const QString problem = tr("The downloaded file's SHA-256 (%1) does not match the catalogue's (%2) for %3; "
                                   "the partial file was deleted.")
                                    .arg(sha, m_entry.sha256, m_entry.name);
        m_tried << QStringLiteral("%1: %2").arg(m_entry.urls.at(m_urlIndex), problem);
        QFile::remove(m_part.fileName());
        if (m_urlIndex + 1 < m_entry.urls.size()) {   // the next source, from the first byte
            ++m_urlIndex;
            m_retries = 0;
            m_received = 0;
            m_hash.reset();
            m_headersChecked = false;
            if (!openPartFile())
                return;
            return sendRequest();
        }
        return finishFailed(everySourceFailed(), true);
    }
    const QString target = m_manager.targetPath(m_entry);
    if (std::rename(QFile::encodeName(m_part.fileName()).constData(), QFile::encodeName(target).constData()) != 0)
        return finishFailed(tr("Could not move %1 into place as %2.").arg(m_part.fileName(), target));
    const InstalledModel model{m_entry.id, target, sha, m_received, m_entry.format, false};
    if (const Status recorded = m_manager.recordInstalled(model); !recorded)
        return finishFailed(recorded.error());
    m_running = false;
    Q_EMIT succeeded(target);
}

void ModelDownload::finishFailed(const QString &message, bool deletePart)
{
    m_stallTimer.stop();
    if (m_part.isOpen())
        m_part.close();
    if (deletePart)
        QFile::remove(m_part.fileName());
    m_running = false;
    Q_EMIT failed(message);
}

void ModelDownload::cancel()
{
    if (!m_running)
        return;
    m_cancelRequested = true;
    if (m_reply)
        m_reply->abort();
}

}   // namespace clade
