#pragma once

#include <QJsonObject>
#include <QString>

namespace tract::store {

class Database;

// Text search over message bodies. SQLite builds without FTS5 exist (the
// driver may be linked against any libsqlite3), so FTS5 is probed at runtime
// and search falls back to LIKE. The FTS table is an external-content index of
// messages.body_text kept in sync by triggers; it is not part of the versioned
// schema because whether it can exist depends on the library, not the file.
namespace SearchIndex {

// Creates or repairs the index when FTS5 is available; removes the triggers
// when it is not (they would make every insert fail). Returns whether FTS5
// search can be used.
bool setUp(Database &db, bool allowed = true);

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
