#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpServer>

class QTcpSocket;

namespace clade::test {

// A tiny HTTP/1.1 server on 127.0.0.1 for download tests. Serves byte buffers per path,
// honours "Range: bytes=N-", and can misbehave on purpose: drop the connection after N body
// bytes, stall after N bytes, answer an error status, or redirect. Every response closes the
// connection. Runs in the test thread's event loop.
class HttpTestServer : public QObject
{
    Q_OBJECT

public:
    struct Route
    {
        Route() = default;
        Route(QByteArray content) : body(std::move(content)) { }   // NOLINT: implicit on purpose

        QByteArray body;
        int status = 200;   // 3xx uses `location`; 4xx/5xx sends a short text body
        QByteArray location;
        qint64 dropAfter = -1;    // close the connection after this many body bytes ...
        int dropTimes = 1;        // ... on this many requests
        qint64 stallAfter = -1;   // send this many body bytes, then nothing, keep the socket open
        bool honourRange = true;
    };
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QHash<QByteArray, QByteArray> headers;   // lower-case names
    };

    explicit HttpTestServer(QObject *parent = nullptr);
    ~HttpTestServer() override;

    bool listen();
    QString url(const QString &path) const;   // http://127.0.0.1:<port><path>
    quint16 port() const { return m_server.serverPort(); }
    void setRoute(const QByteArray &path, const Route &route) { m_routes.insert(path, route); }
    const QList<Request> &requests() const { return m_requests; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Request &request);
    void sendBody(QTcpSocket *socket, Route &route, const QByteArray &header, const QByteArray &body);

    QTcpServer m_server;
    QHash<QByteArray, Route> m_routes;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
};

}   // namespace clade::test
