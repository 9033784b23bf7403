#include "httptestserver.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace clade::test {

HttpTestServer::HttpTestServer(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpTestServer::onNewConnection);
}

HttpTestServer::~HttpTestServer()
{
    for (QTcpSocket *socket : m_buffers.keys())
        socket->abort();
}

bool HttpTestServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString HttpTestServer::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
}

void HttpTestServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        m_buffers.insert(socket, QByteArray());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void HttpTestServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    buffer.clear();
    Request request;
    const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
    request.method = first.value(0);
    request.path = first.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    m_requests.append(request);
    respond(socket, request);
}

void HttpTestServer::respond(QTcpSocket *socket, const Request &request)
{
    auto it = m_routes.find(request.path);
    const int status = it == m_routes.end() ? 404 : it->status;
    if (status != 200) {
        const QByteArray text = status >= 400 ? QByteArray("error ") + QByteArray::number(status) : QByteArray();
        QByteArray header = "HTTP/1.1 " + QByteArray::number(status) + (status >= 400 ? " Not Found" : " Found") + "\r\n";
        if (status >= 300 && status < 400)
            header += "Location: " + it->location + "\r\n";
        header += "Content-Length: " + QByteArray::number(text.size()) + "\r\nConnection: close\r\n\r\n";
        socket->write(header + text);
        socket->disconnectFromHost();
        return;
    }
    Route &route = *it;
    qint64 from = 0;
    const QByteArray range = request.headers.value("range");
    if (route.honourRange && range.startsWith("bytes=") && range.endsWith('-'))
        from = range.mid(6, range.size() - 7).toLongLong();
    const qint64 size = route.body.size();
    QByteArray header;
    if (from > 0 && from < size) {
        header = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + QByteArray::number(from) + '-' + QByteArray::number(size - 1)
                 + '/' + QByteArray::number(size) + "\r\n";
    } else {
        from = 0;
        header = "HTTP/1.1 200 OK\r\n";
    }
    header +=
        "Content-Type: application/octet-stream\r\nContent-Length: " + QByteArray::number(size - from) + "\r\nConnection: close\r\n\r\n";
    sendBody(socket, route, header, route.body.mid(from));
}

void HttpTestServer::sendBody(QTcpSocket *socket, Route &route, const QByteArray &header, const QByteArray &body)
{
    if (route.stallAfter >= 0) {
        socket->write(header + body.left(route.stallAfter));
        return;   // keep the connection open and silent
    }
    if (route.dropAfter >= 0 && route.dropTimes > 0) {
        --route.dropTimes;
        socket->write(header + body.left(route.dropAfter));
    } else {
        socket->write(header + body);
    }
    socket->disconnectFromHost();
}

}   // namespace clade::test
