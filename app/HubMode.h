#pragma once

#include "app/ConsoleOptions.h"

#include <memory>

namespace tract::hub {
class TeamHub;
}

namespace console {

class ConsoleCore;

// `--hub-add-agent`, `--hub-remove-agent`, `--hub-list-agents`: one change to
// DATA_DIR/hub.sqlite, safe while a hub runs on it. Returns the exit code.
int runHubAdmin(const ConsoleOptions &options);

// The team hub on top of a started core (`--hub`).
std::unique_ptr<tract::hub::TeamHub> startTeamHub(ConsoleCore *core, const ConsoleOptions &options,
                                                  QString *error);

} // namespace console
