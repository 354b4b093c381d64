#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace tract {

// What went wrong, for a person: `path` names the field (`message_body`,
// `listeners[2].id`), `message` says what was wrong with it.
struct Error {
    QString path;
    QString message;

    QString toString() const { return path.isEmpty() ? message : path + QStringLiteral(": ") + message; }
    bool operator==(const Error &o) const { return path == o.path && message == o.message; }
};

// A value or the Error explaining why there is none. C++17 has no std::expected.
template <typename T> class Expected {
public:
    Expected(T value) : m_value(std::move(value)) {}
    Expected(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T &operator*() const & { return *m_value; }
    const T *operator->() const { return &*m_value; }

    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

} // namespace tract
