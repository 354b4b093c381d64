#include "models/common/Logging.h"

Q_LOGGING_CATEGORY(lcWire, "tract.wire", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHsl, "tract.hsl", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "tract.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "tract.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcListener, "tract.listener", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClient, "tract.client", QtInfoMsg)
Q_LOGGING_CATEGORY(lcOutbox, "tract.outbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "tract.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSandbox, "tract.sandbox", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "tract.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHub, "tract.hub", QtInfoMsg)
Q_LOGGING_CATEGORY(lcI18n, "tract.i18n", QtInfoMsg)
