#pragma once

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

// Images for HSL cards, loaded asynchronously and kept in an LRU by bytes.
// image() never blocks: it returns a null QImage until the picture is ready and
// starts the load on first use; imageReady() tells the view to repaint.
//  - Only http and https are fetched (also after redirects); anything else
//    fails at once.
//  - A download larger than maxDownloadBytes() (8 MiB) is aborted and fails.
//  - Decoded images are scaled down to at most kMaxDimension pixels a side,
//    so one huge picture cannot fill the cache.
//  - Failures are remembered (until clearFailures()), so a dead link is tried
//    once per session, not once per paint.
// GUI thread only.
namespace hslui {

class ImageCache : public QObject {
    Q_OBJECT
public:
    enum class State { NotLoaded, Loading, Ready, Failed };

    static constexpr qint64 kDefaultMaxBytes = 64LL * 1024 * 1024;
    static constexpr qint64 kDefaultMaxDownloadBytes = 8LL * 1024 * 1024;
    static constexpr int kMaxDimension = 1600;
    static constexpr int kTransferTimeoutMs = 20000;

    explicit ImageCache(QObject *parent = nullptr);
    ~ImageCache() override;

    // The application's shared cache.
    static ImageCache &instance();

    // The image, or a null QImage when it is not ready (the load starts here).
    QImage image(const QUrl &url);
    State state(const QUrl &url) const;
    static bool isFetchable(const QUrl &url); // absolute http(s) URL with a host

    // Puts an image in the cache directly (bundled pictures, tests).
    void insert(const QUrl &url, const QImage &image);
    void clearFailures();

    void setMaxBytes(qint64 bytes);
    qint64 maxBytes() const { return m_images.maxCost(); }
    qint64 usedBytes() const { return m_images.totalCost(); }
    void setMaxDownloadBytes(qint64 bytes) { m_maxDownload = bytes; }
    qint64 maxDownloadBytes() const { return m_maxDownload; }

    // Injectable network (not owned); by default the cache makes its own.
    void setNetworkAccessManager(QNetworkAccessManager *nam);
    // Off: every load fails at once (offline previews, golden tests).
    void setNetworkEnabled(bool enabled) { m_networkEnabled = enabled; }

    int pendingCount() const { return int(m_pending.size()); }
    // Runs an event loop until nothing is pending or msecs have passed. For
    // one-shot renders (--render-hsl) only; the view never waits.
    bool waitForPending(int msecs);

signals:
    void imageReady(const QUrl &url);
    void imageFailed(const QUrl &url);

private:
    void start(const QUrl &url);
    void finish(QNetworkReply *reply);
    void fail(const QUrl &url, const QString &why);
    QNetworkAccessManager *network();

    QCache<QUrl, QImage> m_images; // cost = bytes
    QSet<QUrl> m_failed;
    QHash<QUrl, QPointer<QNetworkReply>> m_pending;
    QPointer<QNetworkAccessManager> m_nam;
    QNetworkAccessManager *m_ownNam = nullptr;
    qint64 m_maxDownload = kDefaultMaxDownloadBytes;
    bool m_networkEnabled = true;
};

} // namespace hslui
