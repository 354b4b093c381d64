#include "ui/hsl/ImageCache.h"

#include "models/common/Logging.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImageReader>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

namespace hslui {

namespace {

constexpr int kMaxRememberedFailures = 4096;

QImage decode(const QByteArray &data) {
    QBuffer buffer;
    buffer.setData(data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() &&
        (size.width() > ImageCache::kMaxDimension || size.height() > ImageCache::kMaxDimension)) {
        reader.setScaledSize(
            size.scaled(ImageCache::kMaxDimension, ImageCache::kMaxDimension, Qt::KeepAspectRatio));
    } else if (!size.isValid()) {
        // Vector formats without an intrinsic size (some SVGs).
        reader.setScaledSize(QSize(512, 512));
    }
    QImage image = reader.read();
    if (!image.isNull() && image.format() != QImage::Format_ARGB32_Premultiplied &&
        image.format() != QImage::Format_RGB32)
        image = image.convertToFormat(image.hasAlphaChannel() ? QImage::Format_ARGB32_Premultiplied
                                                              : QImage::Format_RGB32);
    return image;
}

} // namespace

ImageCache::ImageCache(QObject *parent)
    : QObject(parent) {
    m_images.setMaxCost(kDefaultMaxBytes);
}

ImageCache::~ImageCache() {
    const auto pending = m_pending;
    for (const QPointer<QNetworkReply> &reply : pending) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
        }
    }
}

ImageCache &ImageCache::instance() {
    static ImageCache *cache = new ImageCache(QCoreApplication::instance());
    return *cache;
}

bool ImageCache::isFetchable(const QUrl &url) {
    const QString scheme = url.scheme().toLower();
    return url.isValid() && !url.host().isEmpty() &&
           (scheme == QLatin1String("http") || scheme == QLatin1String("https"));
}

QImage ImageCache::image(const QUrl &url) {
    if (const QImage *cached = m_images.object(url))
        return *cached;
    if (!m_failed.contains(url) && !m_pending.contains(url))
        start(url);
    return {};
}

ImageCache::State ImageCache::state(const QUrl &url) const {
    if (m_images.contains(url))
        return State::Ready;
    if (m_failed.contains(url))
        return State::Failed;
    if (m_pending.contains(url))
        return State::Loading;
    return State::NotLoaded;
}

void ImageCache::insert(const QUrl &url, const QImage &image) {
    if (image.isNull())
        return;
    m_failed.remove(url);
    m_images.insert(url, new QImage(image), qMax<qint64>(1, image.sizeInBytes()));
    emit imageReady(url);
}

void ImageCache::clearFailures() {
    m_failed.clear();
}

void ImageCache::setMaxBytes(qint64 bytes) {
    m_images.setMaxCost(qMax<qint64>(0, bytes));
}

void ImageCache::setNetworkAccessManager(QNetworkAccessManager *nam) {
    m_nam = nam;
}

QNetworkAccessManager *ImageCache::network() {
    if (m_nam)
        return m_nam;
    if (!m_ownNam)
        m_ownNam = new QNetworkAccessManager(this);
    return m_ownNam;
}

void ImageCache::fail(const QUrl &url, const QString &why) {
    qCDebug(lcUi) << "image" << url.toDisplayString() << "failed:" << why;
    if (m_failed.size() >= kMaxRememberedFailures)
        m_failed.clear();
    m_failed.insert(url);
    emit imageFailed(url);
}

void ImageCache::start(const QUrl &url) {
    if (!isFetchable(url)) {
        fail(url, QStringLiteral("not an http(s) URL"));
        return;
    }
    if (!m_networkEnabled) {
        fail(url, QStringLiteral("network disabled"));
        return;
    }
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    request.setTransferTimeout(kTransferTimeoutMs);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("tract-console"));
    QNetworkReply *reply = network()->get(request);
    m_pending.insert(url, reply);
    reply->setProperty("tractUrl", url);

    const auto tooBig = [this, reply](qint64 bytes) {
        if (bytes > m_maxDownload && reply->isRunning()) {
            reply->setProperty("tractTooBig", true);
            reply->abort();
        }
    };
    connect(reply, &QNetworkReply::metaDataChanged, this, [reply, tooBig] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid())
            tooBig(length.toLongLong());
    });
    connect(reply, &QNetworkReply::downloadProgress, this,
            [tooBig](qint64 received, qint64) { tooBig(received); });
    connect(reply, &QNetworkReply::redirected, this, [reply](const QUrl &target) {
        if (!isFetchable(target))
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finish(reply); });
}

void ImageCache::finish(QNetworkReply *reply) {
    reply->deleteLater();
    const QUrl url = reply->property("tractUrl").toUrl();
    m_pending.remove(url);
    if (reply->property("tractTooBig").toBool()) {
        fail(url, QStringLiteral("larger than %1 bytes").arg(m_maxDownload));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        fail(url, reply->errorString());
        return;
    }
    if (!isFetchable(reply->url())) {
        fail(url, QStringLiteral("redirected to a non-http(s) URL"));
        return;
    }
    const QByteArray data = reply->read(m_maxDownload + 1);
    if (data.size() > m_maxDownload) {
        fail(url, QStringLiteral("larger than %1 bytes").arg(m_maxDownload));
        return;
    }
    const QImage decoded = decode(data);
    if (decoded.isNull()) {
        fail(url, QStringLiteral("not a readable image"));
        return;
    }
    insert(url, decoded);
}

bool ImageCache::waitForPending(int msecs) {
    if (m_pending.isEmpty())
        return true;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    const auto check = [this, &loop] {
        if (m_pending.isEmpty())
            loop.quit();
    };
    connect(this, &ImageCache::imageReady, &loop, check, Qt::QueuedConnection);
    connect(this, &ImageCache::imageFailed, &loop, check, Qt::QueuedConnection);
    timer.start(msecs);
    loop.exec();
    return m_pending.isEmpty();
}

} // namespace hslui
