#pragma once

#include <QObject>

class QSocketNotifier;

namespace console {

// Turns SIGTERM and SIGINT into a Qt signal (the self-pipe pattern), so a
// stopped console quits its event loop and closes the store cleanly instead of
// dying mid-flush.
class UnixSignals : public QObject {
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

signals:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace console
