#include "PanelsTest.h"
#include "ui/panels/ConsoleSettings.h"
#include "ui/panels/SettingsDialog.h"

#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace panelstest;

class TestSettingsDialog : public QObject {
    Q_OBJECT

    static ui::ConsoleSettings valid() {
        ui::ConsoleSettings s;
        s.tractUrl = QStringLiteral("https://tract.example.com");
        s.clientId = QStringLiteral("acme");
        s.listenAddress = QStringLiteral("0.0.0.0");
        s.listenPort = 8470;
        s.publicUrl = QStringLiteral("https://hooks.acme.example/tract");
        s.receiverId = QStringLiteral("acme-console");
        s.agentName = QStringLiteral("Priya");
        s.notifyOnHandoff = true;
        s.notifyOnMessageWhileUnfocused = false;
        s.sound = false;
        s.retainDays = 90;
        return s;
    }

    static QPushButton *ok(ui::SettingsDialog &d) {
        return d.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }
    static QLineEdit *field(ui::SettingsDialog &d, const char *name) {
        return d.findChild<QLineEdit *>(QString::fromLatin1(name));
    }
    static QLabel *error(ui::SettingsDialog &d, const char *name) {
        return d.findChild<QLabel *>(QString::fromLatin1(name) + QStringLiteral("Error"));
    }

private slots:
    void urls_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("required");
        QTest::addColumn<bool>("valid");
        QTest::newRow("https") << QStringLiteral("https://tract.example.com") << true << true;
        QTest::newRow("http port path")
            << QStringLiteral("http://127.0.0.1:8080/tract") << true << true;
        QTest::newRow("empty required") << QString() << true << false;
        QTest::newRow("empty optional") << QString() << false << true;
        QTest::newRow("ftp") << QStringLiteral("ftp://tract.example.com") << true << false;
        QTest::newRow("no scheme") << QStringLiteral("tract.example.com") << true << false;
        QTest::newRow("no host") << QStringLiteral("https://") << true << false;
        QTest::newRow("spaces") << QStringLiteral("https://exa mple.com") << true << false;
    }
    void urls() {
        QFETCH(QString, text);
        QFETCH(bool, required);
        QFETCH(bool, valid);
        QCOMPARE(ui::SettingsDialog::checkUrl(text, required).isEmpty(), valid);
    }

    void ports_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("0") << QStringLiteral("0") << true;
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("8470") << QStringLiteral("8470") << true;
        QTest::newRow("65535") << QStringLiteral("65535") << true;
        QTest::newRow("65536") << QStringLiteral("65536") << false;
        QTest::newRow("-1") << QStringLiteral("-1") << false;
        QTest::newRow("abc") << QStringLiteral("abc") << false;
    }
    void ports() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(ui::SettingsDialog::checkPort(text).isEmpty(), valid);
    }

    void addresses_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("v4") << QStringLiteral("127.0.0.1") << true;
        QTest::newRow("any") << QStringLiteral("0.0.0.0") << true;
        QTest::newRow("v6") << QStringLiteral("::1") << true;
        QTest::newRow("localhost") << QStringLiteral("localhost") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("bad") << QStringLiteral("300.1.1.1") << false;
        QTest::newRow("name") << QStringLiteral("example.com") << false;
    }
    void addresses() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QCOMPARE(ui::SettingsDialog::checkAddress(text).isEmpty(), valid);
    }

    void roundTripsTheSettings() {
        ui::SettingsDialog d;
        d.setSettings(valid());
        QVERIFY(d.isValid());
        QCOMPARE(d.settings(), valid());
    }

    void errorsNextToTheFieldAndOkDisabled() {
        ui::SettingsDialog d;
        d.setSettings(valid());
        d.show();
        QVERIFY(ok(d)->isEnabled());
        QVERIFY(!error(d, "tractUrl")->isVisible());

        QLineEdit *url = field(d, "tractUrl");
        url->clear();
        QTest::keyClicks(url, QStringLiteral("ftp://x"));
        QVERIFY(error(d, "tractUrl")->isVisible());
        QVERIFY(error(d, "tractUrl")->text().contains(u"http"));
        QVERIFY(!ok(d)->isEnabled());
        url->setText(QStringLiteral("https://x.example"));
        QVERIFY(!error(d, "tractUrl")->isVisible());
        QVERIFY(ok(d)->isEnabled());

        field(d, "listenPort")->setText(QStringLiteral("70000"));
        QVERIFY(error(d, "listenPort")->isVisible());
        QVERIFY(!ok(d)->isEnabled());
        field(d, "listenPort")->setText(QStringLiteral("8080"));

        field(d, "clientId")->setText(QStringLiteral("  "));
        QVERIFY(error(d, "clientId")->isVisible());
        QVERIFY(!ok(d)->isEnabled());
        field(d, "clientId")->setText(QStringLiteral("acme"));

        field(d, "listenAddress")->setText(QStringLiteral("nowhere"));
        QVERIFY(error(d, "listenAddress")->isVisible());
        field(d, "listenAddress")->setText(QStringLiteral("::"));

        field(d, "publicUrl")->setText(QStringLiteral("hooks.example"));
        QVERIFY(error(d, "publicUrl")->isVisible());
        field(d, "publicUrl")->clear(); // optional
        QVERIFY(ok(d)->isEnabled());

        // OK while invalid does nothing.
        field(d, "clientId")->clear();
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Rejected));
        QVERIFY(d.isVisible());
    }

    void secretsOnlyLeaveThroughSignals() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.ini"));
        ui::SettingsDialog d;
        d.setSettings(valid());
        d.setSecretsStored(true, false);
        QLineEdit *token = field(d, "token");
        QLineEdit *secret = field(d, "hookSecret");
        QCOMPARE(token->echoMode(), QLineEdit::Password);
        QCOMPARE(secret->echoMode(), QLineEdit::Password);
        QVERIFY(token->text().isEmpty());
        QCOMPARE(token->placeholderText(), QStringLiteral("Stored in keychain"));
        QCOMPARE(secret->placeholderText(), QStringLiteral("Not set"));

        QSignalSpy tokens(&d, &ui::SettingsDialog::tokenEdited);
        QSignalSpy secrets(&d, &ui::SettingsDialog::hookSecretEdited);
        // Untouched secrets are not handed out (the stored ones stay).
        d.accept();
        QCOMPARE(tokens.size(), 0);
        QCOMPARE(secrets.size(), 0);

        d.show();
        QTest::keyClicks(token, QStringLiteral("tok-S3CRET"));
        QTest::keyClicks(secret, QStringLiteral("hook-S3CRET"));
        d.accept();
        QCOMPARE(tokens.size(), 1);
        QCOMPARE(tokens.at(0).at(0).toString(), QStringLiteral("tok-S3CRET"));
        QCOMPARE(secrets.at(0).at(0).toString(), QStringLiteral("hook-S3CRET"));
        QVERIFY(token->text().isEmpty()); // not kept in the widget either

        {
            QSettings s(path, QSettings::IniFormat);
            d.settings().save(s);
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray ini = f.readAll();
        QVERIFY(ini.contains("tract.example.com"));
        QVERIFY(!ini.contains("S3CRET"));
    }

    void consoleSettingsPersist() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("settings.ini"));
        {
            QSettings s(path, QSettings::IniFormat);
            ui::ConsoleSettings fresh;
            fresh.load(s); // nothing saved: the defaults
            QCOMPARE(fresh, ui::ConsoleSettings());
            valid().save(s);
        }
        QSettings s(path, QSettings::IniFormat);
        ui::ConsoleSettings loaded;
        loaded.load(s);
        QCOMPARE(loaded, valid());
        s.setValue(QStringLiteral("listener/port"), 99999); // hand-edited nonsense
        ui::ConsoleSettings fresh;
        fresh.load(s);
        QCOMPARE(fresh.listenPort, ui::ConsoleSettings().listenPort);
        QCOMPARE(fresh.clientId, QStringLiteral("acme"));
        QCOMPARE(fresh.retainDays, 90);
        // A retention that makes no sense never deletes: the default (keep) stays.
        for (const QVariant &bad :
             {QVariant(-3), QVariant(QStringLiteral("soon")), QVariant(99999)}) {
            s.setValue(QStringLiteral("store/retainDays"), bad);
            ui::ConsoleSettings again;
            again.load(s);
            QCOMPARE(again.retainDays, 0);
        }
    }

    void everyFieldHasAnAccessibleName() {
        ui::SettingsDialog d;
        for (QWidget *w : d.findChildren<QWidget *>()) {
            // A spin box's editor is part of the spin box, which carries the name.
            if (qobject_cast<QAbstractSpinBox *>(w->parentWidget()))
                continue;
            if (qobject_cast<QLineEdit *>(w) || qobject_cast<QCheckBox *>(w) ||
                qobject_cast<QPushButton *>(w) || qobject_cast<QAbstractSpinBox *>(w))
                QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(w->objectName()));
        }
    }
};

PANELS_TEST(TestSettingsDialog)
#include "tst_settings.moc"
