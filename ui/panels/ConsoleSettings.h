#pragma once

#include <QString>
#include <QtGlobal>

class QSettings;

namespace ui {

// The console's non-secret preferences, as the settings dialog edits them and
// the app reads them at start. The token and the hook secret are deliberately
// absent: they live in the keychain, never in QSettings (a plain file on
// Linux).
struct ConsoleSettings {
    QString tractUrl;
    QString clientId;
    QString listenAddress = QStringLiteral("127.0.0.1");
    quint16 listenPort = 0; // 0: any free port
    QString publicUrl;      // empty: the listen address
    QString receiverId;     // empty: the client id
    QString agentName;

    bool notifyOnHandoff = true;
    bool notifyOnMessageWhileUnfocused = true;
    bool sound = true;

    // Completed conversations last active more than this many days ago are
    // deleted in the background; 0 keeps everything (--retain-days overrides).
    static constexpr int kMaxRetainDays = 36500;
    int retainDays = 0;

    // Missing or unusable keys keep the struct's current values (the defaults
    // above for a fresh struct).
    void load(QSettings &settings);
    void save(QSettings &settings) const;

    bool operator==(const ConsoleSettings &o) const;
    bool operator!=(const ConsoleSettings &o) const { return !(*this == o); }
};

} // namespace ui
