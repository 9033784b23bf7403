#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace clade {

// The error side of a Result: one human-readable sentence, ready for a log line or a dialog.
struct Error
{
    QString message;
};

inline Error fail(QString message)
{
    return Error{std::move(message)};
}

// Result<T> = expected<T, QString>. Fallible calls return it instead of throwing;
// adapters catch their library's exceptions and turn them into an Error.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_value(std::move(value)) { }
    Result(Error error) : m_value(std::move(error)) { }

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<T>(m_value); }
    const T &value() const & { return std::get<T>(m_value); }
    // By value: `for (x : f().value())` must not iterate a destroyed temporary.
    T value() && { return std::get<T>(std::move(m_value)); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

    const QString &error() const { return std::get<Error>(m_value).message; }
    Error takeError() const { return std::get<Error>(m_value); }

private:
    std::variant<T, Error> m_value;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { }

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error->message; }
    Error takeError() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

}   // namespace clade
