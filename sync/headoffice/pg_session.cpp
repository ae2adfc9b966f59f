// SqlSession on PostgreSQL through libpq: text parameters, one connection per session, writes prepared once
// per connection, and Exec's writes sent in pipeline mode.
#include <libpq-fe.h>

#include <cstring>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

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
        return Run(sql, params, false);
    }

    Result<std::vector<SqlRow>> QueryPrepared(std::string_view sql, const std::vector<SqlValue>& params) override {
        return Run(sql, params, true);
    }

    // `prepare`: a read is prepared like a write.
    Result<std::vector<SqlRow>> Run(std::string_view sql, const std::vector<SqlValue>& params, bool prepare) {
        if (auto ok = Flush(); !ok) return std::unexpected(std::move(ok.error()));
        const Texts texts(params);
        PGresult* result = nullptr;
        if (params.empty()) {
            result = PQexec(m_conn, std::string(sql).c_str());
        } else if (!prepare && !IsWrite(sql)) {
            // Reads are planned for their values: a generic plan could read a report's range badly.
            result = PQexecParams(m_conn, std::string(sql).c_str(), static_cast<int>(params.size()), nullptr,
                                  texts.values.data(), texts.lengths.data(), texts.formats.data(), 0);
        } else {
            auto name = Prepared(sql, params.size());
            if (!name) return std::unexpected(std::move(name.error()));
            result = PQexecPrepared(m_conn, name->c_str(), static_cast<int>(params.size()), texts.values.data(),
                                    texts.lengths.data(), texts.formats.data(), 0);
        }
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
                if (PQftype(result, c) == kByteaOid && !PQgetisnull(result, r, c)) {
                    row.push_back(Unescaped(PQgetvalue(result, r, c)));
                    continue;
                }
                row.emplace_back(PQgetvalue(result, r, c), static_cast<std::size_t>(PQgetlength(result, r, c)));
            }
            rows.push_back(std::move(row));
        }
        PQclear(result);
        return rows;
    }

    // Sent in pipeline mode: prepared once per connection, then only Bind and Execute travel.
    Result<void> Exec(std::string_view sql, const std::vector<SqlValue>& params) override {
        if (m_pending == 0 && PQenterPipelineMode(m_conn) != 1) return core::Fail(ErrorCode::Unavailable, Lost());
        std::string name;
        if (auto found = m_prepared.find(sql); found != m_prepared.end()) {
            name = found->second;
        } else {
            name = "s" + std::to_string(++m_statements);
            if (PQsendPrepare(m_conn, name.c_str(), std::string(sql).c_str(), static_cast<int>(params.size()), nullptr) != 1) {
                return Abandon();
            }
            ++m_pending;
            m_prepared.emplace(std::string(sql), name);
            m_preparedInPipeline.push_back(std::string(sql));
        }
        const Texts texts(params);
        if (PQsendQueryPrepared(m_conn, name.c_str(), static_cast<int>(params.size()), texts.values.data(), texts.lengths.data(),
                                texts.formats.data(), 0) != 1) {
            return Abandon();
        }
        ++m_pending;
        // Bounded, so neither side's socket buffer fills with answers nobody reads yet.
        if (m_pending >= kMaxPipelined) return Flush();
        return {};
    }

    Result<void> Flush() override {
        if (m_pending == 0) return {};
        if (PQpipelineSync(m_conn) != 1) return Abandon();
        std::optional<core::Error> first;
        // Each statement's answer ends with a null result; the sync's answer closes the pipeline.
        for (;;) {
            PGresult* result = PQgetResult(m_conn);
            if (result == nullptr) {
                if (PQstatus(m_conn) != CONNECTION_OK) break;
                continue;
            }
            const ExecStatusType status = PQresultStatus(result);
            if (status == PGRES_PIPELINE_SYNC) {
                PQclear(result);
                break;
            }
            if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_PIPELINE_ABORTED && !first) {
                first = Failure(result).error();
            } else {
                PQclear(result);
            }
        }
        m_pending = 0;
        if (PQstatus(m_conn) != CONNECTION_OK) {
            ForgetPipelinePrepares();
            return core::Fail(ErrorCode::Unavailable, Lost());
        }
        PQexitPipelineMode(m_conn);
        if (first) {
            ForgetPipelinePrepares();
            return std::unexpected(std::move(*first));
        }
        m_preparedInPipeline.clear();
        return {};
    }
    Result<void> Begin() override {
        if (auto ok = Flush(); !ok) return ok;
        return Run("BEGIN");
    }
    Result<void> Commit() override {
        if (auto ok = Flush(); !ok) return ok;
        return Run("COMMIT");
    }
    void Rollback() override {
        (void)Flush();
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

    Result<std::int64_t> CopyOut(std::string_view sql, const std::function<Result<void>(std::string_view)>& sink) override {
        if (auto ok = Flush(); !ok) return std::unexpected(std::move(ok.error()));
        PGresult* started = PQexec(m_conn, std::string(sql).c_str());
        if (PQresultStatus(started) != PGRES_COPY_OUT) return Failure(started);
        PQclear(started);
        std::optional<core::Error> sinkFailure;
        for (;;) {
            char* buffer = nullptr;
            const int size = PQgetCopyData(m_conn, &buffer, 0);
            if (size < 0) break;  // -1: done, -2: failed (the final result says why)
            if (!sinkFailure) {
                if (auto ok = sink(std::string_view(buffer, static_cast<std::size_t>(size))); !ok) sinkFailure = std::move(ok.error());
            }
            PQfreemem(buffer);
        }
        PGresult* result = PQgetResult(m_conn);
        if (PQresultStatus(result) != PGRES_COMMAND_OK) {
            auto failed = Failure(result);
            while ((result = PQgetResult(m_conn)) != nullptr) PQclear(result);
            return failed;
        }
        const char* tuples = PQcmdTuples(result);
        const std::int64_t rows = tuples != nullptr && *tuples != '\0' ? std::stoll(tuples) : 0;
        PQclear(result);
        while ((result = PQgetResult(m_conn)) != nullptr) PQclear(result);
        if (sinkFailure) return std::unexpected(std::move(*sinkFailure));
        return rows;
    }

private:
    Result<void> EnsureSchemaOnce(std::string_view ddl) {
        if (auto ok = Begin(); !ok) return ok;
        if (auto ok = Run(std::string(kSchemaLock)); !ok) {
            Rollback();
            return ok;
        }
        if (auto ok = Run(std::string(ddl)); !ok) {
            Rollback();
            return ok;
        }
        return Commit();
    }

    static constexpr int kMaxPipelined = 512;

    // Parameters as libpq wants them: text, NULL for SqlValue's nullptr, SqlBytes in binary format.
    struct Texts {
        explicit Texts(const std::vector<SqlValue>& params)
            : texts(params.size()), values(params.size(), nullptr), lengths(params.size(), 0), formats(params.size(), 0) {
            for (std::size_t i = 0; i < params.size(); ++i) {
                if (const auto* bytes = std::get_if<SqlBytes>(&params[i])) {
                    values[i] = bytes->bytes.data();
                    lengths[i] = static_cast<int>(bytes->bytes.size());
                    formats[i] = 1;
                    continue;
                }
                if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                    texts[i] = std::to_string(*n);
                    values[i] = texts[i].c_str();
                } else if (const auto* text = std::get_if<std::string>(&params[i])) {
                    values[i] = text->c_str();
                }
            }
        }
        std::vector<std::string> texts;
        std::vector<const char*> values;
        std::vector<int> lengths;  // read for binary parameters only
        std::vector<int> formats;
    };

    // bytea's type id (pg_type.h, stable across versions): its text form is decoded back to bytes.
    static constexpr Oid kByteaOid = 17;
    static std::string Unescaped(const char* text) {
        std::size_t size = 0;
        unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
        if (bytes == nullptr) return {};
        std::string out(reinterpret_cast<const char*>(bytes), size);
        PQfreemem(bytes);
        return out;
    }
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };

    // The name `sql` is prepared under on this connection, preparing it on first use. Names are never
    // reused, so a statement forgotten after a failure cannot collide with its successor.
    Result<std::string> Prepared(std::string_view sql, std::size_t params) {
        if (auto found = m_prepared.find(sql); found != m_prepared.end()) return found->second;
        std::string name = "s" + std::to_string(++m_statements);
        PGresult* result = PQprepare(m_conn, name.c_str(), std::string(sql).c_str(), static_cast<int>(params), nullptr);
        if (PQresultStatus(result) != PGRES_COMMAND_OK) return Failure(result);
        PQclear(result);
        m_prepared.emplace(std::string(sql), name);
        return name;
    }

    void ForgetPipelinePrepares() {
        for (const std::string& sql : m_preparedInPipeline) {
            if (auto found = m_prepared.find(sql); found != m_prepared.end()) m_prepared.erase(found);
        }
        m_preparedInPipeline.clear();
    }

    static bool IsWrite(std::string_view sql) { return sql.starts_with("INSERT ") || sql.starts_with("UPDATE "); }

    // A send that failed: the connection is broken or out of step. Unavailable, so the pool closes it.
    std::unexpected<core::Error> Abandon() {
        m_pending = 0;
        m_prepared.clear();
        m_preparedInPipeline.clear();
        return core::Fail(ErrorCode::Unavailable, Lost());
    }

    std::string Lost() const {
        std::string message = PQerrorMessage(m_conn);
        while (!message.empty() && message.back() == '\n') message.pop_back();
        return "head-office database: " + (message.empty() ? std::string("connection lost") : message);
    }

    Result<void> Run(const std::string& sql) {
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
        } else if (state != nullptr && std::strcmp(state, "0A000") == 0) {
            m_prepared.clear();  // a table changed under a prepared statement: prepare afresh next time
        } else if (state != nullptr && std::strncmp(state, "23", 2) == 0) {
            code = ErrorCode::Conflict;  // integrity constraint violation
        } else if (state != nullptr && (std::strcmp(state, "40001") == 0 || std::strcmp(state, "40P01") == 0 ||
                                        std::strcmp(state, "55P03") == 0)) {
            code = ErrorCode::Busy;  // serialisation failure, deadlock, lock not available
        }
        return core::Fail(code, "head-office database: " + message);
    }

    PGconn* m_conn;
    std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> m_prepared;  // SQL -> statement name
    std::vector<std::string> m_preparedInPipeline;  // prepared by the pipeline not yet flushed
    int m_statements = 0;
    int m_pending = 0;  // answers the pipeline still owes
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
