#include "StoreTestUtil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace tract::store;
using storetest::textMessage;

namespace {

QString textOf(const Message &m) {
    return m.body.value(u"text"_s).toString();
}

QStringList texts(const QList<Message> &messages) {
    QStringList out;
    for (const Message &m : messages)
        out.append(textOf(m));
    return out;
}

} // namespace

class TestMessages : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    int m_n = 0;

    Store &store() { return *m_store; }

private slots:
    void init() {
        m_store = std::make_unique<Store>();
        QVERIFY2(m_store->open(m_dir.filePath(u"messages-%1.db"_s.arg(m_n++))),
                 qPrintable(m_store->lastError()));
    }
    void cleanup() { m_store.reset(); }

    void insertAndReadBack() {
        IncomingMessage in = textMessage(u"u1"_s, u"7"_s, u"héllo"_s, 42,
                                         QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC));
        in.metadata = QJsonObject{{u"k"_s, u"v"_s}};
        const WriteResult r = store().insertMessage(in);
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.inserted);
        QVERIFY(r.rowId > 0);

        const auto m = store().message(r.rowId);
        QVERIFY(m);
        QCOMPARE(m->thread, (ThreadKey{u"u1"_s, u"7"_s}));
        QCOMPARE(m->messageId, std::optional<qint64>(42));
        QCOMPARE(m->sender, u"ceu"_s);
        QCOMPARE(m->direction, Direction::In);
        QCOMPARE(m->body, in.body);
        QCOMPARE(m->metadata, in.metadata);
        QCOMPARE(m->timestamp->toMSecsSinceEpoch(), in.timestamp->toMSecsSinceEpoch());
        QCOMPARE(m->timestamp->timeSpec(), Qt::UTC);
        QVERIFY(m->receivedAt.isValid());
        QVERIFY(!m->outboxState);

        // Stored as compact JSON text.
        store().close();
        storetest::RawDb raw(m_dir.filePath(u"messages-%1.db"_s.arg(m_n - 1)));
        QCOMPARE(raw.scalar(u"SELECT body FROM messages"_s).toString(),
                 QString::fromUtf8(QJsonDocument(in.body).toJson(QJsonDocument::Compact)));
        QCOMPARE(raw.scalar(u"SELECT typeof(body) FROM messages"_s).toString(), u"text"_s);

        // A user stub exists for a message that came before create_user.
        QVERIFY(store().open(m_dir.filePath(u"messages-%1.db"_s.arg(m_n - 1))));
        QVERIFY(store().user(u"u1"_s));
    }

    void dedupByMessageId() {
        const WriteResult a = store().insertMessage(textMessage(u"u"_s, u"1"_s, u"first"_s, 10));
        // Redelivered: same id, even if the body were re-serialized differently.
        const WriteResult b = store().insertMessage(textMessage(u"u"_s, u"1"_s, u"first!"_s, 10));
        QVERIFY(a.ok && a.inserted);
        QVERIFY(b.ok && !b.inserted);
        QCOMPARE(b.rowId, a.rowId);
        // Same id in another conversation or for another user is another message.
        QVERIFY(store().insertMessage(textMessage(u"u"_s, u"2"_s, u"first"_s, 10)).inserted);
        QVERIFY(store().insertMessage(textMessage(u"v"_s, u"1"_s, u"first"_s, 10)).inserted);
        const auto t = store().thread({u"u"_s, u"1"_s});
        QVERIFY(t);
        QCOMPARE(t->messageCount, 1);
        QCOMPARE(t->unreadCount, 1);
    }

    void dedupByContentAndTimestamp() {
        const QDateTime ts(QDate(2024, 1, 2), QTime(3, 4, 5, 678), Qt::UTC);
        const WriteResult a =
            store().insertMessage(textMessage(u"u"_s, u"1"_s, u"hi"_s, std::nullopt, ts));
        const WriteResult b =
            store().insertMessage(textMessage(u"u"_s, u"1"_s, u"hi"_s, std::nullopt, ts));
        QVERIFY(a.inserted);
        QVERIFY(b.ok && !b.inserted);
        QCOMPARE(b.rowId, a.rowId);
        // Different timestamp, content or sender: a new message.
        QVERIFY(
            store()
                .insertMessage(textMessage(u"u"_s, u"1"_s, u"hi"_s, std::nullopt, ts.addMSecs(1)))
                .inserted);
        QVERIFY(store()
                    .insertMessage(textMessage(u"u"_s, u"1"_s, u"hi!"_s, std::nullopt, ts))
                    .inserted);
        QVERIFY(store()
                    .insertMessage(textMessage(u"u"_s, u"1"_s, u"hi"_s, std::nullopt, ts, u"iva"_s))
                    .inserted);
        // Neither id nor timestamp: indistinguishable from a real repeat, kept.
        QVERIFY(store().insertMessage(textMessage(u"u"_s, u"1"_s, u"ok"_s)).inserted);
        QVERIFY(store().insertMessage(textMessage(u"u"_s, u"1"_s, u"ok"_s)).inserted);
        QCOMPARE(store().thread({u"u"_s, u"1"_s})->messageCount, 6);
    }

    void rejectsMessageWithoutKey() {
        const WriteResult r = store().insertMessage(textMessage(u""_s, u"1"_s, u"x"_s));
        QVERIFY(!r.ok);
        QVERIFY(!r.error.isEmpty());
    }

    void orderingByMessageIdThenArrival() {
        const ThreadKey k{u"u"_s, u"1"_s};
        // Arrival order: 3, 1, reply-without-id, 2, 5, reply, 4.
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"m3"_s, 3)).ok);
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"m1"_s, 1)).ok);
        QVERIFY(
            store().insertMessage(textMessage(k.userId, k.conversationNumber, u"r-after-3"_s)).ok);
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"m2"_s, 2)).ok);
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"m5"_s, 5)).ok);
        QVERIFY(
            store().insertMessage(textMessage(k.userId, k.conversationNumber, u"r-after-5"_s)).ok);
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"m4"_s, 4)).ok);
        const MessagePage page = store().messages(MessageQuery::newest(k));
        QCOMPARE(texts(page.messages), (QStringList{u"m1"_s, u"m2"_s, u"m3"_s, u"r-after-3"_s,
                                                    u"m4"_s, u"m5"_s, u"r-after-5"_s}));
        QVERIFY(!page.hasOlder);
        QVERIFY(!page.hasNewer);
        // The preview follows the newest in order, not the latest arrival.
        QCOMPARE(store().thread(k)->lastPreview, u"r-after-5"_s);

        // Without any ids (the spec's revision): arrival order.
        const ThreadKey k2{u"u"_s, u"2"_s};
        for (const QString &t : {u"a"_s, u"b"_s, u"c"_s})
            QVERIFY(store().insertMessage(textMessage(k2.userId, k2.conversationNumber, t)).ok);
        QCOMPARE(texts(store().messages(MessageQuery::newest(k2)).messages),
                 (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    }

    void cursorPagingOverTenThousand() {
        const ThreadKey k{u"big"_s, u"1"_s};
        constexpr int kCount = 10000;
        // Ids arrive with neighbours swapped, and every 10th message has no id.
        QList<MessageCursor> expected;
        expected.reserve(kCount);
        int written = 0;
        for (int i = 0; i < kCount; ++i) {
            std::optional<qint64> id;
            if (i % 10 != 9)
                id = (i % 2 == 0) ? i + 2 : i; // 2,1,4,3,...
            const QString text = u"msg %1"_s.arg(i);
            store().enqueue(textMessage(k.userId, k.conversationNumber, text, id),
                            [&](const WriteResult &r) {
                                QVERIFY(r.ok && r.inserted);
                                ++written;
                            });
            if (i % 500 == 499)
                QVERIFY(store().flush());
        }
        QVERIFY(store().flush());
        QCOMPARE(written, kCount);
        QCOMPARE(store().thread(k)->messageCount, kCount);

        // Newest first, 137 per page (not a divisor of 10,000).
        constexpr int kPage = 137;
        QList<Message> all;
        MessagePage page = store().messages(MessageQuery::newest(k, kPage));
        QVERIFY(!page.hasNewer);
        int pages = 0;
        std::optional<MessageCursor> previousOldest;
        while (true) {
            ++pages;
            QVERIFY(page.messages.size() <= kPage);
            QVERIFY(!page.messages.isEmpty());
            for (int i = 1; i < page.messages.size(); ++i)
                QVERIFY(page.messages[i - 1].cursor() < page.messages[i].cursor());
            if (previousOldest) // continuity: this page ends right before the last one began
                QVERIFY(page.messages.last().cursor() < *previousOldest);
            all = page.messages + all;
            previousOldest = page.oldest();
            if (!page.hasOlder)
                break;
            QCOMPARE(page.messages.size(), kPage);
            page = store().messages(MessageQuery::olderThan(k, *page.oldest(), kPage));
            QVERIFY(page.hasNewer);
        }
        QCOMPARE(pages, (kCount + kPage - 1) / kPage);
        QCOMPARE(all.size(), kCount);
        // Every message once, in (order key, seq) order.
        QSet<qint64> seqs;
        for (int i = 0; i < all.size(); ++i) {
            seqs.insert(all[i].seq);
            if (i > 0)
                QVERIFY(all[i - 1].cursor() < all[i].cursor());
        }
        QCOMPARE(seqs.size(), kCount);
        QCOMPARE(textOf(all.first()), u"msg 1"_s); // id 1
        QCOMPARE(textOf(all[1]), u"msg 0"_s);      // id 2

        // Oldest first, 250 per page, must give the same sequence.
        QList<Message> forward;
        page = store().messages(MessageQuery::oldest(k, 250));
        QVERIFY(!page.hasOlder);
        while (true) {
            QVERIFY(page.messages.size() <= 250);
            forward += page.messages;
            if (!page.hasNewer)
                break;
            page = store().messages(MessageQuery::newerThan(k, *page.newest(), 250));
        }
        QCOMPARE(forward.size(), kCount);
        for (int i = 0; i < kCount; ++i)
            QCOMPARE(forward[i].seq, all[i].seq);

        // Jump into the middle (a search hit) inclusively, then page both ways.
        const Message &hit = all[5000];
        page = store().messages(MessageQuery::startingAt(k, hit.cursor(), 20));
        QCOMPARE(page.messages.size(), 20);
        QCOMPARE(page.messages.first().seq, hit.seq);
        QVERIFY(page.hasOlder && page.hasNewer);
        page = store().messages(MessageQuery::olderThan(k, hit.cursor(), 20));
        QCOMPARE(page.messages.size(), 20);
        QCOMPARE(page.messages.last().seq, all[4999].seq);

        // Limits are clamped: nobody can ask for the whole thread in one go.
        page = store().messages(MessageQuery::newest(k, 1000000));
        QCOMPARE(page.messages.size(), 1000);

        // Paging is index-driven: a page deep in the thread is as cheap as the
        // newest one (no scan over the 10,000 rows).
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 50; ++i)
            store().messages(MessageQuery::newerThan(k, all[100].cursor(), 50));
        QVERIFY2(timer.elapsed() < 2000, "50 pages took more than 2 s");
    }

    void unreadCountsAndMarkRead() {
        const ThreadKey k{u"u"_s, u"1"_s};
        QList<WriteResult> rs;
        for (int i = 1; i <= 5; ++i)
            rs.append(store().insertMessage(
                textMessage(k.userId, k.conversationNumber, u"m%1"_s.arg(i), i * 10)));
        QCOMPARE(store().unreadCount(k), 5);
        QVERIFY(store().insertMessage(textMessage(u"other"_s, u"1"_s, u"x"_s)).ok);
        QCOMPARE(store().totalUnread(), 6);

        // Outgoing messages are not unread.
        OutgoingItem reply;
        reply.idempotencyKey = u"reply-1"_s;
        reply.thread = k;
        reply.body = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, u"on it"_s}};
        QVERIFY(store().enqueueOutgoing(reply).ok);
        QCOMPARE(store().unreadCount(k), 5);

        // Read up to the third message: two remain.
        const auto m3 = store().message(rs[2].rowId);
        QVERIFY(store().markRead(k, m3->cursor()));
        QCOMPARE(store().unreadCount(k), 2);
        // The marker does not move back.
        QVERIFY(store().markRead(k, store().message(rs[0].rowId)->cursor()));
        QCOMPARE(store().unreadCount(k), 2);
        // A late message older than the marker is not new to the agent.
        QVERIFY(
            store().insertMessage(textMessage(k.userId, k.conversationNumber, u"late"_s, 15)).ok);
        QCOMPARE(store().unreadCount(k), 2);
        // A newer one is.
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"m6"_s, 60)).ok);
        QCOMPARE(store().unreadCount(k), 3);
        // Everything read.
        QVERIFY(store().markRead(k));
        QCOMPARE(store().unreadCount(k), 0);
        QCOMPARE(store().totalUnread(), 1);
        QVERIFY(!store().markRead({u"nobody"_s, u"1"_s}));

        // Survives reopen; unread-only thread list.
        const QString path = store().path();
        store().close();
        QVERIFY(store().open(path));
        QCOMPARE(store().unreadCount(k), 0);
        ThreadQuery unreadOnly;
        unreadOnly.unreadOnly = true;
        const QList<Thread> unread = store().threads(unreadOnly);
        QCOMPARE(unread.size(), 1);
        QCOMPARE(unread.first().key.userId, u"other"_s);
    }

    void threadListPaging() {
        for (int i = 0; i < 25; ++i) {
            IncomingMessage m = textMessage(u"user%1"_s.arg(i), u"1"_s, u"x"_s);
            m.receivedAt = QDateTime::fromMSecsSinceEpoch(1000000 + i * 1000, Qt::UTC);
            QVERIFY(store().insertMessage(m).ok);
        }
        User named;
        named.userId = u"user24"_s;
        named.name = u"Asha"_s;
        QVERIFY(store().upsertUser(named).ok);
        QList<Thread> all;
        ThreadQuery q;
        q.limit = 10;
        while (true) {
            const QList<Thread> page = store().threads(q);
            QVERIFY(page.size() <= 10);
            all += page;
            if (page.size() < 10)
                break;
            q.after = page.last().cursor();
        }
        QCOMPARE(all.size(), 25);
        QCOMPARE(all.first().key.userId, u"user24"_s); // most recent activity first
        QCOMPARE(all.first().userName, u"Asha"_s);
        QCOMPARE(all.last().key.userId, u"user0"_s);
    }

    void searchText() {
        const ThreadKey a{u"alice"_s, u"1"_s};
        const ThreadKey b{u"bob"_s, u"1"_s};
        QVERIFY(store()
                    .insertMessage(
                        textMessage(a.userId, a.conversationNumber, u"I want a refund please"_s, 1))
                    .ok);
        QVERIFY(store()
                    .insertMessage(
                        textMessage(a.userId, a.conversationNumber, u"Where is my order?"_s, 2))
                    .ok);
        QVERIFY(
            store()
                .insertMessage(textMessage(b.userId, b.conversationNumber, u"Refund status"_s, 1))
                .ok);
        // Text inside buttons and carousels is searchable too.
        IncomingMessage button = textMessage(b.userId, b.conversationNumber, u"Pick one"_s, 2);
        button.body = QJsonObject{
            {u"type"_s, u"BUTTON"_s},
            {u"text"_s, u"Pick one"_s},
            {u"data"_s,
             QJsonObject{{u"items"_s, QJsonArray{QJsonObject{
                                          {u"actionable_text"_s, u"Cancel subscription"_s},
                                          {u"uri"_s, u"https://example.com/refundable"_s}}}}}}};
        QVERIFY(store().insertMessage(button).ok);

        QCOMPARE(store().search(SearchQuery(u"refund"_s)).size(), 2);
        // Newest first.
        QCOMPARE(textOf(store().search(SearchQuery(u"refund"_s)).first()), u"Refund status"_s);
        QCOMPARE(store().search(SearchQuery(u"subscription"_s)).size(), 1);
        SearchQuery inA(u"refund"_s);
        inA.thread = a;
        QCOMPARE(store().search(inA).size(), 1);
        SearchQuery byUser(u"order"_s);
        byUser.userId = u"bob"_s;
        QCOMPARE(store().search(byUser).size(), 0);
        // Operators and quotes are plain text, never query syntax or SQL.
        QCOMPARE(store().search(SearchQuery(u"\"refund"_s)).size(), 2);
        QCOMPARE(store().search(SearchQuery(u"refund*\" OR NEAR("_s)).size(), 0);
        QCOMPARE(store().search(SearchQuery(u"'; DROP TABLE messages; --"_s)).size(), 0);
        QCOMPARE(store().search(SearchQuery(u"   "_s)).size(), 0);
        QVERIFY(store().thread(a));
        // Paging through hits.
        SearchQuery first(u"refund"_s);
        first.limit = 1;
        const QList<Message> p1 = store().search(first);
        QCOMPARE(p1.size(), 1);
        first.beforeSeq = p1.first().seq;
        const QList<Message> p2 = store().search(first);
        QCOMPARE(p2.size(), 1);
        QVERIFY(p2.first().seq < p1.first().seq);
    }

    void eventsStateOwnerAndDedup() {
        const ThreadKey k{u"u"_s, u"3"_s};
        QVERIFY(store().insertMessage(textMessage(k.userId, k.conversationNumber, u"hi"_s, 1)).ok);

        IncomingEvent state;
        state.thread = k;
        state.category = u"conversation_state"_s;
        state.subcategory = u"waiting"_s;
        state.rawJson =
            R"({"user_id":"u","conversation_number":"3","type":"conversation_state","subtype":"waiting"})";
        QVERIFY(store().insertEvent(state).ok);
        QCOMPARE(store().thread(k)->state, u"waiting"_s);

        IncomingEvent take;
        take.thread = k;
        take.category = u"thread_control"_s;
        take.subcategory = u"take"_s;
        take.metadata = uR"({"from":"iva","to":"ect","requester":"ect"})"_s;
        take.timestamp = QDateTime(QDate(2024, 3, 3), QTime(1, 1), Qt::UTC);
        take.rawJson = "{\"raw\":true}";
        const WriteResult t1 = store().insertEvent(take);
        const WriteResult t2 = store().insertEvent(take); // redelivery
        QVERIFY(t1.ok && t1.inserted);
        QVERIFY(t2.ok && !t2.inserted);
        QCOMPARE(t2.rowId, t1.rowId);
        QCOMPARE(store().thread(k)->owner, u"ect"_s);

        // A request hook announces a granted request: it moves the thread too.
        IncomingEvent request = take;
        request.subcategory = u"request"_s;
        request.metadata = uR"({"from":"ect","to":"sac","requester":"sac"})"_s;
        request.timestamp = QDateTime(QDate(2024, 3, 3), QTime(1, 2), Qt::UTC);
        QVERIFY(store().insertEvent(request).ok);
        QCOMPARE(store().thread(k)->owner, u"sac"_s);

        // Events without a conversation belong to the user's feed only.
        IncomingEvent created;
        created.thread = {u"u"_s, QString()};
        created.category = u"user_events"_s;
        created.subcategory = u"create_user"_s;
        created.rawJson = "{}";
        QVERIFY(store().insertEvent(created).ok);

        EventQuery feed;
        feed.userId = u"u"_s;
        const QList<Event> events = store().events(feed);
        QCOMPARE(events.size(), 4);
        QCOMPARE(events.first().category, u"user_events"_s); // newest first
        QVERIFY(!events.first().threadId);
        QCOMPARE(events[2].rawJson, QByteArray("{\"raw\":true}"));
        QCOMPARE(events[2].metadata, take.metadata);
        EventQuery inThread;
        inThread.thread = k;
        inThread.limit = 2;
        QCOMPARE(store().events(inThread).size(), 2);
    }

    void ownershipSnapshots() {
        QVERIFY(store().insertMessage(textMessage(u"u"_s, u"1"_s, u"old"_s)).ok);
        IncomingMessage newer = textMessage(u"u"_s, u"2"_s, u"new"_s);
        newer.receivedAt = QDateTime::currentDateTimeUtc().addSecs(10);
        QVERIFY(store().insertMessage(newer).ok);

        OwnershipSnapshot s;
        s.userId = u"u"_s;
        s.owner = u"sac"_s;
        s.listeners = QJsonArray{QJsonObject{{u"id"_s, u"sac"_s}, {u"is_primary"_s, true}},
                                 QJsonObject{{u"id"_s, u"iva"_s}}};
        QVERIFY(store().recordOwnership(s).ok);
        // No conversation named: the user's most recent thread.
        QCOMPARE(store().thread({u"u"_s, u"2"_s})->owner, u"sac"_s);
        QCOMPARE(store().thread({u"u"_s, u"1"_s})->owner, QString());
        s.conversationNumber = u"1"_s;
        s.owner = u"ect"_s;
        QVERIFY(store().recordOwnership(s).ok);
        QCOMPARE(store().thread({u"u"_s, u"1"_s})->owner, u"ect"_s);
        const auto latest = store().latestOwnership(u"u"_s);
        QVERIFY(latest);
        QCOMPARE(latest->owner, u"ect"_s);
        QCOMPARE(latest->listeners, s.listeners);
        QVERIFY(!store().latestOwnership(u"nobody"_s));
    }

    void usersUpsert() {
        User u;
        u.userId = u"u1"_s;
        u.name = u"Ravi"_s;
        u.devicePlatform = u"14"_s;
        u.detailsAvailable = QJsonArray{QJsonObject{{u"key"_s, u"email"_s}}};
        u.ectUserId = u"ect-1"_s;
        const WriteResult r1 = store().upsertUser(u);
        QVERIFY(r1.ok && r1.inserted);
        QCOMPARE(r1.ectUserId, u"ect-1"_s);

        // A partial update keeps what it does not mention; the ECT id is first-wins.
        User partial;
        partial.userId = u"u1"_s;
        partial.thirdPartyUserId = u"wa-91"_s;
        partial.ectUserId = u"ect-2"_s;
        const WriteResult r2 = store().upsertUser(partial);
        QVERIFY(r2.ok && !r2.inserted);
        QCOMPARE(r2.ectUserId, u"ect-1"_s);
        const auto stored = store().user(u"u1"_s);
        QVERIFY(stored);
        QCOMPARE(stored->name, std::optional<QString>(u"Ravi"_s));
        QCOMPARE(stored->devicePlatform, std::optional<QString>(u"14"_s));
        QCOMPARE(stored->thirdPartyUserId, std::optional<QString>(u"wa-91"_s));
        QCOMPARE(stored->ectUserId, std::optional<QString>(u"ect-1"_s));
        QCOMPARE(stored->detailsAvailable, u.detailsAvailable);
        QCOMPARE(store().users().size(), 1);
        QVERIFY(!store().user(u"u2"_s));
    }

    void hookRegistrations() {
        HookRecord h{
            u"message"_s, u"receive"_s, u"http://127.0.0.1:1/hooks/s/message/receive"_s, true, {}};
        QVERIFY(store().saveHookRegistration(h));
        QVERIFY(store().saveHookRegistration(
            {u"thread_control"_s, u"take"_s, u"http://x/t"_s, true, {}}));
        h.url = u"http://127.0.0.1:2/hooks/s/message/receive"_s;
        QVERIFY(store().saveHookRegistration(h)); // replaces
        QList<HookRecord> hooks = store().hookRegistrations();
        QCOMPARE(hooks.size(), 2);
        QCOMPARE(hooks.first(), h);
        QVERIFY(store().removeHookRegistration(u"thread_control"_s, u"take"_s));
        QCOMPARE(store().hookRegistrations().size(), 1);
        QVERIFY(store().clearHookRegistrations());
        QVERIFY(store().hookRegistrations().isEmpty());
    }

    void exportOneUserAndAll() {
        User u;
        u.userId = u"u"_s;
        u.name = u"Meera"_s;
        QVERIFY(store().upsertUser(u).ok);
        for (int i = 1; i <= 3; ++i)
            QVERIFY(store().insertMessage(textMessage(u"u"_s, u"1"_s, u"m%1"_s.arg(i), i)).ok);
        QVERIFY(store().insertMessage(textMessage(u"other"_s, u"1"_s, u"not exported"_s)).ok);
        IncomingEvent e;
        e.thread = {u"u"_s, u"1"_s};
        e.category = u"conversation_state"_s;
        e.subcategory = u"complete"_s;
        e.rawJson = R"({"type":"conversation_state","subtype":"complete"})";
        QVERIFY(store().insertEvent(e).ok);
        OutgoingItem reply;
        reply.idempotencyKey = u"k1"_s;
        reply.thread = {u"u"_s, u"1"_s};
        reply.body = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, u"bye"_s}};
        QVERIFY(store().enqueueOutgoing(reply).ok);
        QVERIFY(
            store().saveHookRegistration({u"message"_s, u"receive"_s, u"http://x"_s, true, {}}));

        QMap<QString, int> counts;
        QStringList messageTexts;
        QString rawSubtype;
        QVERIFY(store().exportRecords(u"u"_s, [&](const QJsonObject &r) {
            const QString kind = r.value(u"record"_s).toString();
            ++counts[kind];
            if (kind == u"message"_s)
                messageTexts.append(
                    r.value(u"message_body"_s).toObject().value(u"text"_s).toString());
            if (kind == u"event"_s)
                rawSubtype = r.value(u"raw"_s).toObject().value(u"subtype"_s).toString();
            return true;
        }));
        QCOMPARE(counts.value(u"user"_s), 1);
        QCOMPARE(counts.value(u"thread"_s), 1);
        QCOMPARE(counts.value(u"message"_s), 4);
        QCOMPARE(counts.value(u"event"_s), 1);
        QCOMPARE(counts.value(u"outbox"_s), 1);
        QCOMPARE(counts.value(u"hook"_s), 0);
        QCOMPARE(rawSubtype, u"complete"_s);
        QCOMPARE(messageTexts, (QStringList{u"m1"_s, u"m2"_s, u"m3"_s, u"bye"_s}));

        counts.clear();
        QVERIFY(store().exportRecords(std::nullopt, [&](const QJsonObject &r) {
            ++counts[r.value(u"record"_s).toString()];
            return true;
        }));
        QCOMPARE(counts.value(u"user"_s), 2);
        QCOMPARE(counts.value(u"message"_s), 5);
        QCOMPARE(counts.value(u"hook"_s), 1);

        // The sink can stop the export.
        int seen = 0;
        QVERIFY(
            !store().exportRecords(std::nullopt, [&](const QJsonObject &) { return ++seen < 3; }));
        QCOMPARE(seen, 3);
    }
};

STORE_TEST_CLASS(TestMessages)
#include "tst_messages.moc"
