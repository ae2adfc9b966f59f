// SqlSession on PostgreSQL through libpq: text parameters, one connection per session.
#include <libpq-fe.h>

#include <cstring>

#include "sync/headoffice/sql_session.hpp"

namespace kiosk::sync::headoffice {
namespace {

using core::ErrorCode;

// An advisory lock key so servers starting together do not race on CREATE TABLE IF NOT EXISTS.
constexpr std::string_view kSchemaLock = "SELECT pg_advisory_xact_lock(7301120)";

class PgSession final : public SqlSession {
public:
    explicit PgSession(PGconn* conn) : m_conn(conn) {}
    ~PgSession() override { PQfinish(m_conn); }
    PgSession(const PgSession&) = delete;
    PgSession& operator=(const PgSession&) = delete;

    Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
        std::vector<std::string> texts(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                texts[i] = std::to_string(*n);
                values[i] = texts[i].c_str();
            } else if (const auto* text = std::get_if<std::string>(&params[i])) {
                values[i] = text->c_str();
            }
        }
        const std::string statement(sql);
        PGresult* result = PQexecParams(m_conn, statement.c_str(), static_cast<int>(params.size()), nullptr,
                                        values.data(), nullptr, nullptr, 0);
        const ExecStatusType status = PQresultStatus(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failure(result);
        std::vector<SqlRow> rows;
        const int count = PQntuples(result);
        const int columns = PQnfields(result);
        rows.reserve(static_cast<std::size_t>(count));
        for (int r = 0; r < count; ++r) {
            SqlRow row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                row.emplace_back(PQgetvalue(result, r, c), static_cast<std::size_t>(PQgetlength(result, r, c)));
            }
            rows.push_back(std::move(row));
        }
        PQclear(result);
        return rows;
    }

    Result<void> Begin() override { return Exec("BEGIN"); }
    Result<void> Commit() override { return Exec("COMMIT"); }
    void Rollback() override {
        if (PQtransactionStatus(m_conn) != PQTRANS_IDLE) PQclear(PQexec(m_conn, "ROLLBACK"));
    }
    std::string_view ForUpdate() const override { return " FOR UPDATE"; }
    Result<void> EnsureSchema(std::string_view ddl) override {
        // A server starting beside running ones locks tables for its DDL (CREATE INDEX IF NOT EXISTS
        // does even when the index exists), which can deadlock with their ingest; PostgreSQL aborts one
        // side, and when it is this one it tries again.
        for (int attempt = 1;; ++attempt) {
            auto ok = EnsureSchemaOnce(ddl);
            if (ok || ok.error().code != ErrorCode::Busy || attempt == 5) return ok;
        }
    }

private:
    Result<void> EnsureSchemaOnce(std::string_view ddl) {
        if (auto ok = Begin(); !ok) return ok;
        if (auto ok = Exec(std::string(kSchemaLock)); !ok) {
            Rollback();
            return ok;
        }
        if (auto ok = Exec(std::string(ddl)); !ok) {
            Rollback();
            return ok;
        }
        return Commit();
    }

    Result<void> Exec(const std::string& sql) {
        PGresult* result = PQexec(m_conn, sql.c_str());
        const ExecStatusType status = PQresultStatus(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failure(result);
        PQclear(result);
        return {};
    }

    std::unexpected<core::Error> Failure(PGresult* result) {
        // Copied: the field belongs to `result`, which is cleared below.
        const char* field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        const std::string sqlState = field != nullptr ? field : "";
        const char* state = field != nullptr ? sqlState.c_str() : nullptr;
        std::string message = PQresultErrorMessage(result);
        if (message.empty()) message = PQerrorMessage(m_conn);
        PQclear(result);
        while (!message.empty() && message.back() == '\n') message.pop_back();
        ErrorCode code = ErrorCode::Storage;
        if (PQstatus(m_conn) != CONNECTION_OK) {
            code = ErrorCode::Unavailable;
        } else if (state != nullptr && std::strncmp(state, "23", 2) == 0) {
            code = ErrorCode::Conflict;  // integrity constraint violation
        } else if (state != nullptr && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0 ||
                                        std::strcmp(state, "55P03") == 0)) {
            code = ErrorCode::Busy;  // serialisation failure, deadlock, lock not available
        }
        return core::Fail(code, "head-office database: " + message);
    }

    PGconn* m_conn;
};

}  // namespace

Result<SessionFactory> PostgresSessions(std::string conninfo) {
    return SessionFactory([conninfo]() -> Result<std::unique_ptr<SqlSession>> {
        PGconn* conn = PQconnectdb(conninfo.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            std::string message = PQerrorMessage(conn);
            PQfinish(conn);
            while (!message.empty() && message.back() == '\n') message.pop_back();
            return core::Fail(ErrorCode::Unavailable, "cannot connect to the head-office database: " + message);
        }
        PQclear(PQexec(conn, "SET client_min_messages = warning"));
        return std::unique_ptr<SqlSession>(std::make_unique<PgSession>(conn));
    });
}

}  // namespace kiosk::sync::headoffice
