// Migration steps, oldest first. A released step is never edited: a change to the schema is a new step.
#include "kiosk/storage/migrations.hpp"

#include <array>
#include <string>
#include <string_view>

namespace kiosk::storage {
namespace {

struct Migration {
    int version;
    std::string_view sql;
};

// Times are ISO-8601 UTC text ("2026-11-22T08:15:00Z"), dates "YYYY-MM-DD", money INTEGER fen.
// STRICT tables make SQLite refuse a value of the wrong type instead of storing it anyway.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    store_code  TEXT NOT NULL,
    kiosk_code  TEXT NOT NULL,
    kiosk_id    TEXT NOT NULL,
    epoch       INTEGER NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    gtin            TEXT PRIMARY KEY CHECK (length(gtin) = 14 AND gtin NOT GLOB '*[^0-9]*'),
    sku             TEXT NOT NULL,
    name_zh_hans    TEXT NOT NULL,
    name_zh_hant    TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    category        TEXT NOT NULL,
    price           INTEGER NOT NULL CHECK (price >= 0),
    policy_id       TEXT NOT NULL,
    serial_required INTEGER NOT NULL CHECK (serial_required IN (0, 1))
) STRICT, WITHOUT ROWID;

CREATE TABLE product_components (
    gtin      TEXT NOT NULL REFERENCES products (gtin) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    component TEXT NOT NULL CHECK (component <> ''),
    months    INTEGER NOT NULL CHECK (months > 0),
    PRIMARY KEY (gtin, component)
) STRICT, WITHOUT ROWID;

CREATE TABLE sales (
    order_number   TEXT PRIMARY KEY CHECK (order_number <> ''),
    store_code     TEXT NOT NULL,
    sold_on        TEXT NOT NULL,
    customer_phone TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX sales_by_customer_phone ON sales (customer_phone) WHERE customer_phone <> '';

CREATE TABLE sale_lines (
    order_number TEXT NOT NULL REFERENCES sales (order_number) ON DELETE CASCADE,
    line_no      INTEGER NOT NULL,
    gtin         TEXT NOT NULL CHECK (length(gtin) = 14),
    serial       TEXT NOT NULL DEFAULT '',
    price        INTEGER NOT NULL CHECK (price >= 0),
    PRIMARY KEY (order_number, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX sale_lines_by_serial ON sale_lines (serial) WHERE serial <> '';

CREATE TABLE staff (
    staff_no TEXT PRIMARY KEY CHECK (staff_no <> ''),
    name     TEXT NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('customer', 'clerk', 'technician', 'supervisor', 'system')),
    badge    TEXT UNIQUE,
    active   INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT, WITHOUT ROWID;

-- The current state of each ticket, projected from its events; never the source of truth.
CREATE TABLE tickets (
    number            TEXT PRIMARY KEY,
    type              TEXT NOT NULL,
    status            TEXT NOT NULL,
    gtin              TEXT NOT NULL DEFAULT '',
    serial            TEXT NOT NULL DEFAULT '',
    order_number      TEXT NOT NULL DEFAULT '',
    purchased_on      TEXT,
    proof_to_verify   INTEGER NOT NULL DEFAULT 0,
    customer_phone    TEXT NOT NULL DEFAULT '',
    customer_tier     TEXT NOT NULL,
    remedy            TEXT,
    clause_id         TEXT NOT NULL DEFAULT '',
    component         TEXT NOT NULL DEFAULT '',
    fault             TEXT NOT NULL DEFAULT '',
    problem_category  TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    language          TEXT NOT NULL,
    assignee          TEXT NOT NULL DEFAULT '',
    channel           TEXT,
    notes             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(notes)),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    first_response_at TEXT,
    resolved_at       TEXT,
    event_count       INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_by_created ON tickets (created_at);
CREATE INDEX tickets_by_status ON tickets (status);
CREATE INDEX tickets_by_customer_phone ON tickets (customer_phone);

-- Append-only and hash-chained in seq order: the source of truth for tickets.
CREATE TABLE ticket_events (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    ticket_number TEXT NOT NULL REFERENCES tickets (number) DEFERRABLE INITIALLY DEFERRED,
    kind          TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    at            TEXT NOT NULL,
    from_status   TEXT NOT NULL DEFAULT '',
    to_status     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    value         TEXT NOT NULL DEFAULT '',
    payload       TEXT CHECK (payload IS NULL OR json_valid(payload)),
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_number, seq);
-- Events are never changed once written; these stop a program bug from doing it. (They do not stop
-- someone with the file: the hash chain is what detects that.)
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;

CREATE TABLE ticket_counters (
    local_day     TEXT PRIMARY KEY,
    last_sequence INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    before     TEXT CHECK (before IS NULL OR json_valid(before)),
    after      TEXT CHECK (after IS NULL OR json_valid(after))
) STRICT;

-- Records waiting for head office, written in the same transaction as the record itself. seq is the
-- kiosk's upload order; AUTOINCREMENT keeps it from ever going back, even after rows are pruned.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    epoch       INTEGER NOT NULL,
    record_type TEXT NOT NULL,
    payload     TEXT NOT NULL CHECK (json_valid(payload)),
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    batch_key   TEXT
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL;
)sql";

// The print queue: a job is recorded before anything is sent to the printer, so a receipt survives a
// restart, and one that printed is never printed again unless staff ask for a reprint.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE print_jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_number TEXT NOT NULL REFERENCES tickets (number),
    kind          TEXT NOT NULL CHECK (kind IN ('receipt', 'intake_slip')),
    language      TEXT NOT NULL,
    reprint       INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    state         TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    printed_at    TEXT
) STRICT;
CREATE INDEX print_jobs_pending ON print_jobs (id) WHERE state <> 'printed';
)sql";

// Sync with head office: the kiosk's credentials and cursors, and which version of each published
// data set (catalog, policy, SLA, staff, sales) has been applied.
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- document: the applied text of a document data set (policy, sla); NULL for row data sets, whose
-- rows live in their own tables. Kept here so a pull is applied in one transaction with its data.
CREATE TABLE downstream_versions (
    dataset    TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    document   TEXT
) STRICT, WITHOUT ROWID;
)sql";

// Admin mode: staff PIN hashes with their lockout state, supervisor approvals, store settings, CSAT
// answers, follow-up calls and self-help (deflection) counts. Assignee and channel are already
// ticket columns, projected from the ticket's events.
constexpr std::string_view kVersion4 = R"sql(
-- pin_hash: argon2id in its encoded form (parameters and salt included). The lockout lives here too so
-- that a restart does not clear it.
CREATE TABLE staff_credentials (
    staff_no        TEXT PRIMARY KEY REFERENCES staff (staff_no),
    pin_hash        TEXT,
    pin_set_at      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until    TEXT,
    last_failure_at TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE approvals (
    id              TEXT PRIMARY KEY,
    ticket_number   TEXT NOT NULL REFERENCES tickets (number),
    kind            TEXT NOT NULL CHECK (kind IN ('refund', 'policy_exception')),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    reason          TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_at    TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TEXT,
    decision_reason TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
CREATE INDEX approvals_by_ticket ON approvals (ticket_number);
CREATE INDEX approvals_pending ON approvals (deadline) WHERE state = 'pending';

-- value: JSON, one row per setting.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE csat_answers (
    ticket_number TEXT PRIMARY KEY REFERENCES tickets (number),
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment       TEXT NOT NULL DEFAULT '',
    answered_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX csat_by_time ON csat_answers (answered_at);

CREATE TABLE followup_calls (
    id            INTEGER PRIMARY KEY,
    ticket_number TEXT NOT NULL REFERENCES tickets (number),
    staff_no      TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL
) STRICT;
CREATE INDEX followup_calls_by_ticket ON followup_calls (ticket_number, id);

-- day: the store's local date; category: the problem category whose suggestions were shown.
CREATE TABLE self_help_counts (
    day      TEXT NOT NULL,
    category TEXT NOT NULL,
    shown    INTEGER NOT NULL DEFAULT 0 CHECK (shown >= 0),
    solved   INTEGER NOT NULL DEFAULT 0 CHECK (solved >= 0),
    PRIMARY KEY (day, category)
) STRICT, WITHOUT ROWID;

CREATE INDEX tickets_by_updated ON tickets (updated_at);
CREATE INDEX tickets_by_serial ON tickets (serial) WHERE serial <> '';
)sql";

// Device health as the kiosk application last saw it, for `kioskctl sync run` to send to head office:
// one row per fact (printer, paper, last_job, software, started_at, ...), rewritten when it changes.
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE device_status (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    changed_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Which warranty policy a ticket was decided under ("published v3", "file sanbao.toml"); empty for
// tickets filed before it was recorded.
constexpr std::string_view kVersion6 = R"sql(
ALTER TABLE tickets ADD COLUMN policy_version TEXT NOT NULL DEFAULT '';
)sql";

// Whether the customer asked for messages about the ticket (head office sends them; the receipt
// promises one only then).
constexpr std::string_view kVersion7 = R"sql(
ALTER TABLE tickets ADD COLUMN notify INTEGER NOT NULL DEFAULT 0;
)sql";

// Queue numbers (取号): one row per number handed out, per local day and service. The primary key is
// what makes a number impossible to hand out twice: it is allocated as max + 1 inside the write
// transaction that inserts it, so a power cut leaves it either taken and on record, or never taken.
// called_at is the first call (waiting time ends there); finished_at is when it was served or given up.
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE queue_numbers (
    day           TEXT NOT NULL,
    service       TEXT NOT NULL,
    number        INTEGER NOT NULL CHECK (number >= 1),
    label         TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'served', 'no_show')),
    taken_at      TEXT NOT NULL,
    called_at     TEXT,
    finished_at   TEXT,
    called_by     TEXT NOT NULL DEFAULT '',
    calls         INTEGER NOT NULL DEFAULT 0 CHECK (calls >= 0),
    ticket_number TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (day, service, number)
) STRICT, WITHOUT ROWID;
CREATE INDEX queue_numbers_by_state ON queue_numbers (day, service, state, number);
)sql";

// The attached files the sync worker is done with: "sent" once head office confirmed it holds the
// blob, "failed" with what is wrong when it cannot be sent from here (the file is missing or no longer
// matches its hash, or head office refused it for good); a failed one is tried again each round.
constexpr std::string_view kVersion9 = R"sql(
CREATE TABLE blob_uploads (
    sha256     TEXT PRIMARY KEY,
    state      TEXT NOT NULL CHECK (state IN ('sent', 'failed')),
    detail     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Queue numbers' slips go through the print queue like receipts: a slip job has no ticket but the
// number's label and the slip's bytes as encoded when the number was taken (the people ahead and the
// wait it prints are the ones the screen showed). SQLite cannot relax NOT NULL or a CHECK in place,
// so the table is rebuilt with its rows and ids.
constexpr std::string_view kVersion10 = R"sql(
CREATE TABLE print_jobs_v10 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_number TEXT REFERENCES tickets (number),
    kind          TEXT NOT NULL CHECK (kind IN ('receipt', 'intake_slip', 'queue_slip')),
    language      TEXT NOT NULL,
    reprint       INTEGER NOT NULL DEFAULT 0 CHECK (reprint IN (0, 1)),
    state         TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'printed', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    printed_at    TEXT,
    slip_label    TEXT,
    slip_bytes    BLOB,
    CHECK ((kind = 'queue_slip') = (ticket_number IS NULL)),
    CHECK ((kind = 'queue_slip') = (slip_label IS NOT NULL AND slip_bytes IS NOT NULL))
) STRICT;
INSERT INTO print_jobs_v10 (id, ticket_number, kind, language, reprint, state, attempts, last_error, created_at,
                            updated_at, printed_at)
    SELECT id, ticket_number, kind, language, reprint, state, attempts, last_error, created_at, updated_at, printed_at
    FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_v10 RENAME TO print_jobs;
CREATE INDEX print_jobs_pending ON print_jobs (id) WHERE state <> 'printed';
)sql";

constexpr std::array kMigrations{
    Migration{1, kVersion1},
    Migration{2, kVersion2},
    Migration{3, kVersion3},
    Migration{4, kVersion4},
    Migration{5, kVersion5},
    Migration{6, kVersion6},
    Migration{7, kVersion7},
    Migration{8, kVersion8},
    Migration{9, kVersion9},
    Migration{10, kVersion10},
};
static_assert(kMigrations.back().version == kSchemaVersion, "kSchemaVersion names the last migration");

core::Error NewerThanProgram(int version) {
    return core::Error{core::ErrorCode::Conflict,
                       "the database has schema version " + std::to_string(version) +
                           ", newer than this program's " + std::to_string(kSchemaVersion) +
                           "; it was written by a newer release: upgrade the program, or restore a backup"};
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
    auto version = db.QueryInt("PRAGMA user_version");
    if (!version) return std::unexpected(std::move(version.error()));
    return static_cast<int>(*version);
}

Result<int> Migrate(Database& db) {
    auto current = SchemaVersion(db);
    if (!current) return current;
    if (*current > kSchemaVersion) return std::unexpected(NewerThanProgram(*current));
    for (const Migration& step : kMigrations) {
        if (step.version <= *current) continue;
        auto tx = Transaction::Begin(db);
        if (!tx) return std::unexpected(std::move(tx.error()));
        // Another process may have migrated while we waited for the write lock: read it again.
        auto now = SchemaVersion(db);
        if (!now) return now;
        if (*now > kSchemaVersion) return std::unexpected(NewerThanProgram(*now));
        if (*now >= step.version) {
            *current = *now;
            continue;
        }
        if (auto ok = db.Execute(step.sql); !ok) {
            auto error = std::move(ok.error());
            error.message = "schema migration to version " + std::to_string(step.version) + ": " + error.message;
            return std::unexpected(std::move(error));
        }
        if (auto ok = db.Execute("PRAGMA user_version = " + std::to_string(step.version)); !ok) {
            return std::unexpected(std::move(ok.error()));
        }
        if (auto ok = tx->Commit(); !ok) return std::unexpected(std::move(ok.error()));
        *current = step.version;
    }
    return *current;
}

}  // namespace kiosk::storage
