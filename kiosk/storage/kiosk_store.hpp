// The kiosk's durable store: tickets as hash-chained events with their projection, the local copy of
// the catalog, sales and staff, the audit log and the sync outbox, all in one SQLite database.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/lifecycle.hpp"
#include "kiosk/core/ports.hpp"
#include "kiosk/core/staff.hpp"
#include "kiosk/core/ticket.hpp"
#include "kiosk/storage/database.hpp"

namespace kiosk::storage {

struct StoreOptions {
    // The identity this installation expects (from its configuration). Empty: take whatever the
    // database was initialised with.
    std::string storeCode;
    std::string kioskCode;
    // The store's offset from UTC; ticket numbers carry the local date and restart at 1 each local day.
    std::chrono::minutes utcOffset{8 * 60};
};

// Who this kiosk is, written once by `kioskctl init`.
struct KioskIdentity {
    std::string storeCode;
    std::string kioskCode;
    std::string kioskId;  // random UUID of this database: tells a re-initialised kiosk from the old one
    std::int64_t epoch = 1;  // stamped on outbox records with their sequence
    core::Timestamp createdAt;
};

struct ImportCounts {
    int inserted = 0;
    int updated = 0;
};

// One broken link of the event hash chain.
struct ChainBreak {
    std::int64_t seq = 0;
    std::string eventId;
    std::string ticketNumber;
    std::string reason;  // "hash mismatch", "prev_hash does not match previous event", ...
};

// A ticket whose stored row differs from the projection of its events.
struct ProjectionMismatch {
    std::string ticketNumber;
    std::string reason;  // the fields that differ, or why the events do not project
};

// A file an attached event names that is not as the event says.
struct AttachmentProblem {
    std::string ticketNumber;
    std::string kind;    // "photo", "signature", "signature_strokes"
    std::string sha256;
    std::string path;
    std::string reason;  // missing, changed (what its bytes hash to now), another size
};

struct VerifyReport {
    bool ok = true;
    std::int64_t eventsChecked = 0;
    std::int64_t ticketsChecked = 0;
    std::int64_t filesChecked = 0;
    std::optional<ChainBreak> firstBreak;
    std::vector<ProjectionMismatch> mismatches;
    std::vector<AttachmentProblem> attachmentProblems;
};

class BlobStore;

// A record waiting for head office.
struct OutboxRecord {
    std::int64_t seq = 0;
    std::string id;
    std::int64_t epoch = 1;
    std::string recordType;  // "ticket_event"
    std::string payload;     // JSON
    core::Timestamp createdAt;
};

// Every row of a statement that selects `seq, id, epoch, record_type, payload, created_at` from the
// outbox. Corrupt when a stored time does not parse; the statement's errors otherwise.
Result<std::vector<OutboxRecord>> ReadOutboxRecords(Statement& stmt);

// Not thread-safe: one KioskStore per thread, each with its own Database. Several processes (the
// kiosk and kioskctl) may use one file at once; every write takes the database's write lock.
class KioskStore final : public core::CatalogReader, public core::TicketStore {
public:
    // Brings the schema up to date and reads the kiosk identity. `lifecycle` must outlive the store.
    // Fails with the errors of Migrate, Corrupt when the stored identity does not parse, or Conflict
    // when `options` names a store or kiosk code other than the database's.
    static Result<KioskStore> Open(Database db, const core::Lifecycle& lifecycle, StoreOptions options);

    KioskStore(KioskStore&&) noexcept = default;
    KioskStore& operator=(KioskStore&&) = delete;
    KioskStore(const KioskStore&) = delete;
    KioskStore& operator=(const KioskStore&) = delete;
    ~KioskStore() override = default;

    // Writes the kiosk identity (`kioskctl init`). Initialising again with the same codes returns the
    // identity on record; with other codes it fails with Conflict. Fails with InvalidInput for a bad
    // store or kiosk code, Busy/Storage when nothing could be written.
    Result<KioskIdentity> Initialize(std::string_view storeCode, std::string_view kioskCode, core::Timestamp now);
    // std::nullopt before Initialize.
    const std::optional<KioskIdentity>& Identity() const { return m_identity; }
    // The store's offset from UTC, which decides a ticket number's local day: a newly published
    // business calendar may change it between customer sessions.
    void SetUtcOffset(std::chrono::minutes offset) { m_options.utcOffset = offset; }

    // --- core::TicketStore, failing as its port says. Writes also fail with InvalidInput for an actor
    // without an id, Conflict before Initialize or once the local day's 9999 numbers are used up,
    // Busy/Storage when the database fails; nothing at all is written then.
    Result<core::Ticket> CreateTicket(const core::NewTicket& request, const core::Actor& actor,
                                      core::Timestamp now) override;
    Result<core::Ticket> TransitionTicket(std::string_view number, std::string_view toStatus, const core::Actor& actor,
                                          std::string_view note, core::Timestamp now) override;
    // Fails with InvalidInput for an empty note, NotFound for an unknown ticket.
    // Also records the answer for the kiosk's reports (csat_answers) and queues a csat_answer record
    // naming the staff member who handed the ticket back, in the same transaction.
    Result<core::Ticket> RateTicket(std::string_view number, int score, std::string_view comment,
                                    core::Timestamp now) override;
    Result<core::Ticket> AddNote(std::string_view number, const core::Actor& actor, std::string_view note,
                                 core::Timestamp now) override;
    // std::nullopt for an unknown number; Corrupt when the stored row does not parse.
    Result<std::optional<core::Ticket>> FindTicket(std::string_view number) override;
    // In the order they happened; empty for an unknown number. Corrupt when a row does not parse.
    Result<std::vector<core::TicketEvent>> EventsOf(std::string_view number) override;
    // Newest first. A limit of 0 or less means no limit. Corrupt when a row does not parse.
    Result<std::vector<core::Ticket>> ListTickets(const core::TicketFilter& filter) override;

    // Recomputes the event hash chain in order and each ticket's projection from its events; with
    // `files`, also rehashes every file an attached event names. The report says what is broken; the
    // call itself fails only when the database cannot be read.
    Result<VerifyReport> Verify(const BlobStore* files = nullptr);

    // --- core::CatalogReader, plus the lookups and counts staff screens need. Lookups that find
    // nothing give std::nullopt; all fail with Corrupt when a stored row does not parse, Busy/Storage
    // when the database fails.
    Result<std::optional<core::Product>> FindProduct(const core::Gtin& gtin) override;
    Result<std::optional<core::Sale>> FindSale(std::string_view orderNumber) override;
    Result<std::optional<core::Sale>> FindSaleBySerial(std::string_view serial) override;
    // The customer's orders on record and their total; zero for an unknown or empty phone number.
    Result<core::CustomerHistory> HistoryOf(std::string_view phone) override;
    Result<std::optional<core::Staff>> FindStaff(std::string_view staffNo) override;
    Result<std::optional<core::Staff>> FindStaffByBadge(std::string_view badge);
    Result<std::int64_t> CountProducts();
    Result<std::int64_t> CountSales();

    // --- Catalog imports (`kioskctl import`), each one transaction: every record lands or none does.
    // Records are upserted by key; a product's components and a sale's lines are replaced. Fail with
    // InvalidInput naming the record for a malformed record or a key repeated within the batch,
    // Conflict when a record clashes with stored data (a staff badge held by someone else), Busy or
    // Storage when the database fails.
    Result<ImportCounts> ImportProducts(std::span<const core::Product> products, const core::Actor& actor,
                                        core::Timestamp now);
    Result<ImportCounts> ImportSales(std::span<const core::Sale> sales, const core::Actor& actor,
                                     core::Timestamp now);
    Result<ImportCounts> ImportStaff(std::span<const core::Staff> staff, const core::Actor& actor,
                                     core::Timestamp now);

    // --- Outbox, for the sync worker: records not yet sent, oldest first (all of them when `limit` is
    // 0 or less), and how many there are. Fail with Busy/Storage when the database fails, Corrupt when
    // a stored time does not parse.
    Result<std::vector<OutboxRecord>> PendingOutbox(int limit);
    Result<std::int64_t> OutboxBacklog();

private:
    KioskStore(Database db, const core::Lifecycle& lifecycle, StoreOptions options)
        : m_db(std::move(db)), m_lifecycle(&lifecycle), m_options(std::move(options)) {}

    Result<void> LoadIdentity();
    Result<const KioskIdentity*> RequireIdentity();
    // What else a change writes in its transaction, given the ticket after the event; a failure undoes it all.
    using AlsoWrite = std::function<Result<void>(const core::Ticket& after)>;
    // The shared path of every change to an existing ticket.
    Result<core::Ticket> AppendToTicket(std::string_view number, core::TicketEvent event, std::string_view action,
                                        const AlsoWrite& also = {});
    Result<void> CheckActor(const core::Actor& actor) const;

    Database m_db;
    const core::Lifecycle* m_lifecycle;
    StoreOptions m_options;
    std::optional<KioskIdentity> m_identity;
};

}  // namespace kiosk::storage
