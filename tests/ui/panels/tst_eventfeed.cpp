#include "PanelsTest.h"
#include "models/views/EventFeedModel.h"
#include "ui/panels/EventFeedPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using namespace panelstest;

namespace {

// A stand-in feed with the EventFeedModel's columns and raw JSON role.
void appendRow(QStandardItemModel &m, int i, const QByteArray &raw = {}) {
    QList<QStandardItem *> row{
        new QStandardItem(QStringLiteral("10:%1").arg(i % 60, 2, 10, QLatin1Char('0'))),
        new QStandardItem(QStringLiteral("in")), new QStandardItem(QStringLiteral("message")),
        new QStandardItem(QStringLiteral("Summary %1").arg(i))};
    row[0]->setData(raw.isEmpty() ? QStringLiteral("{\"n\":%1}").arg(i) : QString::fromUtf8(raw),
                    ui::EventFeedPanel::RawJsonRole);
    m.appendRow(row);
}

} // namespace

class TestEventFeedPanel : public QObject {
    Q_OBJECT

private slots:
    void selectionShowsPrettyRawJson() {
        QStandardItemModel m(0, 4);
        appendRow(m, 0, R"({"user_id":"u1","message_body":{"type":"TEXT","text":"<b>hi</b>"}})");
        appendRow(m, 1);
        ui::EventFeedPanel p;
        p.setModel(&m);
        p.show();
        QVERIFY(p.rawJsonText().isEmpty());
        p.view()->setCurrentIndex(m.index(0, 3));
        const QString raw = p.rawJsonText();
        QVERIFY2(raw.contains(u"\n    \"message_body\": {"), qPrintable(raw)); // indented
        QVERIFY(raw.contains(u"<b>hi</b>")); // shown as typed, never rendered
        auto *viewer = byName<QPlainTextEdit>(&p, QStringLiteral("Raw JSON of the selected event"));
        QVERIFY(viewer->isReadOnly());
        QVERIFY(QFontInfo(viewer->font()).fixedPitch());

        // The toggle hides and shows the viewer.
        auto *toggle = byName<QCheckBox>(&p, QStringLiteral("Show raw JSON"));
        QVERIFY(viewer->isVisible());
        QTest::mouseClick(toggle, Qt::LeftButton, {}, QPoint(5, toggle->height() / 2));
        QVERIFY(!p.isRawJsonVisible());
        QVERIFY(!viewer->isVisible());
        p.setRawJsonVisible(true);
        QVERIFY(viewer->isVisible());

        // Text that is not JSON is shown as it is.
        m.item(1, 0)->setData(QStringLiteral("not json <i>"), ui::EventFeedPanel::RawJsonRole);
        p.view()->setCurrentIndex(m.index(1, 0));
        QCOMPARE(p.rawJsonText(), QStringLiteral("not json <i>"));
    }

    void followsNewRowsOnlyAtTheBottom() {
        QStandardItemModel m(0, 4);
        for (int i = 0; i < 200; ++i)
            appendRow(m, i);
        ui::EventFeedPanel p;
        p.resize(600, 400);
        p.setModel(&m);
        p.show();
        QVERIFY(QTest::qWaitForWindowExposed(&p));
        QScrollBar *bar = p.view()->verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum()); // starts at the newest

        appendRow(m, 200);
        QApplication::processEvents();
        QCOMPARE(bar->value(), bar->maximum());

        // Reading older entries: a new one must not pull the view down.
        bar->setValue(0);
        appendRow(m, 201);
        QApplication::processEvents();
        QCOMPARE(bar->value(), 0);
    }

    void categoryFilterIsAnnounced() {
        QStandardItemModel m(0, 4);
        ui::EventFeedPanel p;
        p.setModel(&m);
        QString handled;
        p.setCategoryFilterHandler([&](const QString &c) { handled = c; });
        QSignalSpy spy(&p, &ui::EventFeedPanel::categoryFilterChanged);
        auto *combo = byName<QComboBox>(&p, QStringLiteral("Event category"));
        QCOMPARE(combo->count(), 7);
        p.setCategoryFilter(QStringLiteral("thread_control"));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("thread_control"));
        QCOMPARE(handled, QStringLiteral("thread_control"));
        QCOMPARE(p.categoryFilter(), QStringLiteral("thread_control"));
        p.setCategoryFilter({});
        QCOMPARE(spy.at(1).at(0).toString(), QString());
        QCOMPARE(combo->currentIndex(), 0);
    }

    void drivesTheRealFeedModel() {
        SampleStore sample;
        QVERIFY(sample.ok());
        tract::views::EventFeedModel feed(&sample.store());
        feed.setUser(QStringLiteral("u4"));
        QVERIFY(feed.rowCount() >= 3);
        ui::EventFeedPanel p;
        p.setModel(&feed);
        p.show();
        p.setCategoryFilter(QStringLiteral("thread_control"));
        QCOMPARE(feed.categoryFilter(), QStringLiteral("thread_control"));
        QCOMPARE(feed.rowCount(), 1);
        p.view()->setCurrentIndex(feed.index(0, 0));
        QVERIFY2(p.rawJsonText().contains(u"thread_control"), qPrintable(p.rawJsonText()));
        p.setCategoryFilter({});
        QVERIFY(feed.rowCount() >= 3);
    }
};

PANELS_TEST(TestEventFeedPanel)
#include "tst_eventfeed.moc"
