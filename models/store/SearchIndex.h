#pragma once

#include <QJsonObject>
#include <QString>
#include <functional>

class QSqlDatabase;

namespace tract::store {

// Text search over message bodies.
//
// The FTS5 index lives in a file of its own next to the store (indexPath), not
// in the store's file: a write transaction locks the whole file, so indexing in
// the store's file would stop the webhook listener's commits (and its acks)
// for as long as a batch takes. In its own file the index is written by the
// maintenance thread while the listener keeps committing. The index is
// contentless (rowid = messages.seq) and derived: messages are never updated
// or deleted in place, so it only grows past its watermark, and a missing,
// foreign or damaged index file is simply rebuilt.
//
// SQLite builds without FTS5 exist (the driver may be linked against any
// libsqlite3), so FTS5 is probed at runtime and search falls back to LIKE.
namespace SearchIndex {

// The index file of the store at `storePath`: "dir/console.sqlite" ->
// "dir/console.search.sqlite".
QString indexPath(const QString &storePath);

// Whether this connection's SQLite library has FTS5.
bool fts5Available(QSqlDatabase &db);

// Attaches the index of `storePath` to `db` (a connection to the store file,
// outside a transaction) as schema "search", creating it if needed. An index
// made for another store file, or ahead of this one (a restored backup), is
// emptied and rebuilt from the start; one SQLite cannot read is replaced.
// False (with `error`) when FTS5 is missing or the file cannot be used.
// Never attach it to the connection that writes the store: BEGIN IMMEDIATE
// there would lock the index file too.
bool attach(QSqlDatabase &db, const QString &storePath, QString *error = nullptr);

// Indexes up to `maxRows` messages past the watermark in one transaction that
// writes only the index file (the store file is only read, from a snapshot).
// Returns how many were indexed (0: the index is complete), or -1 with `error`.
int indexPending(QSqlDatabase &db, int maxRows, QString *error = nullptr);

// indexPending in batches until the index holds every committed message, or
// until `stop` (checked between batches) says so; false on error.
bool catchUp(QSqlDatabase &db, QString *error = nullptr, const std::function<bool()> &stop = {});

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
