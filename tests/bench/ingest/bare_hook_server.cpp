// bench_bare_hook_server: the baseline for the hook-ingest benchmark.
//
// A plain Qt 6.4 QHttpServer that answers POST /hooks/<secret>/<category>/<subcategory>
// by parsing the JSON body and replying {"success":true}. Nothing else: no
// limits, no signature or secret check, no storage. It shows what loopback HTTP
// plus JSON parsing cost on this machine, so the console's durable listener can
// be judged against it in the same run (see run.sh and docs/benchmarks.md).
//
// Usage: bench_bare_hook_server [PORT]   (default 0: a free port)
// Prints `listening on http://127.0.0.1:PORT` once it listens.

#include <QCoreApplication>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);

    quint16 port = 0;
    if (argc > 1) {
        bool ok = false;
        port = QByteArray(argv[1]).toUShort(&ok);
        if (!ok) {
            std::fprintf(stderr, "usage: bench_bare_hook_server [PORT]\n");
            return 2;
        }
    }

    QHttpServer server;
    const auto hook = [](const QString &, const QString &, const QString &,
                         const QHttpServerRequest &request) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body(), &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), error.errorString()}},
                                       QHttpServerResponder::StatusCode::BadRequest);
        }
        return QHttpServerResponse(QJsonObject{{QStringLiteral("success"), true}});
    };
    server.route(QStringLiteral("/hooks/<arg>/<arg>/<arg>"), QHttpServerRequest::Method::Post,
                 hook);

    const quint16 bound = server.listen(QHostAddress::LocalHost, port);
    if (bound == 0) {
        std::fprintf(stderr, "bench_bare_hook_server: cannot listen on 127.0.0.1:%u\n",
                     unsigned(port));
        return 1;
    }
    std::printf("listening on http://127.0.0.1:%u\n", unsigned(bound));
    std::fflush(stdout);
    return app.exec();
}
