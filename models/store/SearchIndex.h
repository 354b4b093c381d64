#pragma once

#include <QJsonObject>
#include <QString>

class QSqlDatabase;

namespace tract::store {

class Database;

// Text search over message bodies. SQLite builds without FTS5 exist (the
// driver may be linked against any libsqlite3), so FTS5 is probed at runtime
// and search falls back to LIKE. The FTS table is an external-content index of
// messages.body_text; it is not part of the versioned schema because whether it
// can exist depends on the library, not the file. New messages are indexed in
// batches after they are committed (indexPending, up to the watermark in
// search_index_state), never inside the commit that acknowledges them; deletes
// and body updates of indexed rows reach the index through triggers.
namespace SearchIndex {

// Creates or repairs the index when FTS5 is available; removes the triggers
// when it is not (they would make every write fail) and forgets the watermark,
// so the index is rebuilt when it comes back. Returns whether FTS5 search can
// be used.
bool setUp(Database &db, bool allowed = true);

// Indexes the messages committed since the watermark, in one transaction on
// `db` (any connection to the file, outside a transaction). Returns how many
// were indexed, or -1 with `error` set. Call only when setUp returned true.
int indexPending(QSqlDatabase &db, QString *error = nullptr);

// The FTS5 query for what a person typed: every word must occur, the last one
// as a prefix (search as you type). Words are quoted, so FTS5 syntax in the
// input is literal text. Empty when there is no word.
QString matchExpression(const QString &text);

// `%text%` with LIKE wildcards in the text escaped by '\'.
QString likePattern(const QString &text);

// The words a person sees in an HSL message: text, titles, descriptions and
// button labels, newline separated. Indexed for search and used for previews.
QString bodyText(const QJsonObject &hsl);

} // namespace SearchIndex
} // namespace tract::store
