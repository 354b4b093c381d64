#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace tract::store {

class Database;

// Versioned schema. Each step runs in its own transaction together with the
// row recording it in schema_migrations, so a crash mid-migration leaves the
// file at the previous version, and the step simply runs again on next open.
// Steps are append-only: never edit a released step, add a new one.
class Migrations {
public:
    struct Step {
        int version;
        QString description;
        QStringList statements; // one SQL statement each (the driver runs one per exec)
    };

    static const QList<Step> &steps();
    static int latestVersion();
    // 0 for an empty file.
    static int currentVersion(Database &db);
    // Applies the missing steps. Refuses a file written by a newer version of
    // the console rather than guessing at a schema it does not know.
    static bool apply(Database &db, QString *error);
};

} // namespace tract::store
