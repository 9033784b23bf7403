#pragma once

#include "models/modelcatalogue.h"

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace clade {

class ModelManager;

struct DownloadOptions
{
    int stallTimeoutMs = 30000;   // no data for this long: stop with a clear message
    int maxRetries = 3;           // automatic resumptions (HTTP Range) after a dropped connection
    // Tests only: also allow plain http to 127.0.0.1 (start URL and redirects).
    bool allowLoopbackHttp = false;
};

// Downloads one catalogue entry into <modelsDir>/<id>/<fileName>.part, resuming an existing
// .part with an HTTP Range request, hashing (SHA-256) while writing; when the file is complete
// and its hash matches the catalogue it is renamed into place atomically and recorded in the
// ModelManager. A mismatch deletes the partial file. When a response breaks off, the download
// resumes by itself (DownloadOptions::maxRetries), then tries the entry's next URL. Redirects are followed only to https URLs
// on the entry's own hosts. Lives on, and runs in the event loop of, the thread that owns it
// (normally the GUI thread); the ModelManager must belong to that same thread. start() hashes
// an existing .part file synchronously before resuming (about a second per few hundred MB).
// Exactly one of succeeded / failed / cancelled ends each start().
class ModelDownload : public QObject
{
    Q_OBJECT

public:
    ModelDownload(ModelManager &manager, ModelEntry entry, DownloadOptions options = {}, QObject *parent = nullptr);
    ~ModelDownload() override;

    const ModelEntry &entry() const { return m_entry; }
    bool isRunning() const { return m_running; }

    void start();
    // Stops the transfer and keeps the .part file, so a later start() resumes it.
    void cancel();

Q_SIGNALS:
    void progress(qint64 bytes, qint64 total);   // total -1 when unknown
    void succeeded(const QString &path);
    void failed(const QString &message);
    void cancelled();

private:
    bool urlAllowed(const QUrl &url) const;
    bool openPartFile();
    void sendRequest();
    bool acceptHeaders(QNetworkReply *reply);
    void onRedirected(const QUrl &url);
    void onReadyRead();
    void onFinished();
    QString replyProblem(QNetworkReply *reply) const;
    void onStalled();
    bool retryAfterDrop();
    void complete();
    void finishFailed(const QString &message, bool deletePart = false);
    void abortWith(const QString &message);
    QString everySourceFailed() const;

    ModelManager &m_manager;
    ModelEntry m_entry;
    DownloadOptions m_options;
    QNetworkAccessManager *m_network = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer m_stallTimer;
    QFile m_part;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    qint64 m_received = 0;   // bytes in the .part file, all of them hashed
    qint64 m_total = -1;
    int m_retries = 0;
    int m_urlIndex = 0;    // which of the entry's urls is in use
    QStringList m_tried;   // "URL: why it failed", for each source given up
    bool m_running = false;
    bool m_headersChecked = false;
    bool m_cancelRequested = false;
    QString m_abortMessage;   // why we aborted the reply ourselves
};

}   // namespace clade
