#pragma once

#include "models/tract/WireTypes.h"

#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QToolButton;
class QTreeWidget;

namespace ui {

class ElidedLabel;

// Who the end user is (get user) and, on request, the details TRACT holds for
// them (get user details). Details are asked for key by key because each
// request is forwarded to the bot owner's systems: the agent picks what they
// need rather than pulling everything.
class UserPanel : public QWidget {
    Q_OBJECT
public:
    explicit UserPanel(QWidget *parent = nullptr);

    void setUser(const tract::GetUserResponse &user, const QString &ectUserId);
    // The received details (merged into what is shown: later answers add keys).
    void setDetails(const QJsonObject &details);
    void showError(const QString &message);
    void setBusy(bool busy);
    void clear();

    QString userId() const { return m_userId; }
    QStringList checkedKeys() const;
    bool isBusy() const { return m_busy; }

signals:
    void detailsRequested(const QStringList &keys);
    void refreshRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateActions();
    void applyAccents();

    QString m_userId;
    bool m_busy = false;
    QJsonObject m_details;

    QToolButton *m_refresh;
    ElidedLabel *m_name;
    ElidedLabel *m_id;
    ElidedLabel *m_platform;
    ElidedLabel *m_thirdParty;
    ElidedLabel *m_ect;
    QLabel *m_availableLabel;
    QListWidget *m_available;
    QPushButton *m_selectAll;
    QPushButton *m_requestButton;
    QProgressBar *m_busyBar;
    QLabel *m_error;
    QLabel *m_detailsLabel;
    QTreeWidget *m_detailsView;
};

} // namespace ui
