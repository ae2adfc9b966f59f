// Ports the core defines and the outside world implements: where tickets and the catalog live.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/catalog.hpp"
#include "kiosk/core/customer.hpp"
#include "kiosk/core/error.hpp"
#include "kiosk/core/staff.hpp"
#include "kiosk/core/ticket.hpp"

namespace kiosk::core {

// Read access to what head office publishes: products, sales, staff. Lookups that find nothing return
// std::nullopt; failures of the store itself return Storage or Busy errors.
class CatalogReader {
public:
    virtual ~CatalogReader() = default;
    virtual Result<std::optional<Product>> FindProduct(const Gtin& gtin) = 0;
    virtual Result<std::optional<Sale>> FindSale(std::string_view orderNumber) = 0;
    // The most recent sale line with this serial (or IMEI), with its sale.
    virtual Result<std::optional<Sale>> FindSaleBySerial(std::string_view serial) = 0;
    virtual Result<CustomerHistory> HistoryOf(std::string_view phone) = 0;
    virtual Result<std::optional<Staff>> FindStaff(std::string_view staffNo) = 0;
};

struct TicketFilter {
    std::optional<TicketType> type;
    std::optional<std::string> status;
    std::optional<std::string> phone;
    bool openOnly = false;
    int limit = 100;
};

// The durable home of tickets. Every write appends an event, updates the ticket's projection, writes
// an audit entry and an outbox record in one transaction: all of it lands or none of it does.
class TicketStore {
public:
    virtual ~TicketStore() = default;
    // Allocates the next ticket number for this kiosk and the local day of `now`, then records the
    // ticket. Fails with InvalidInput for a malformed request, Storage/Busy if nothing could be written.
    virtual Result<Ticket> CreateTicket(const NewTicket& request, const Actor& actor, Timestamp now) = 0;
    // Fails with NotFound, or the lifecycle's InvalidInput / Conflict / Forbidden; nothing is written then.
    virtual Result<Ticket> TransitionTicket(std::string_view number, std::string_view toStatus, const Actor& actor,
                                            std::string_view note, Timestamp now) = 0;
    virtual Result<Ticket> AddNote(std::string_view number, const Actor& actor, std::string_view note,
                                   Timestamp now) = 0;
    // The customer's CSAT answer: a Rated event (score 1-5, the comment may be empty). InvalidInput for
    // another score, NotFound for an unknown ticket, Conflict when the ticket was already rated.
    virtual Result<Ticket> RateTicket(std::string_view number, int score, std::string_view comment, Timestamp now) = 0;
    virtual Result<std::optional<Ticket>> FindTicket(std::string_view number) = 0;
    virtual Result<std::vector<TicketEvent>> EventsOf(std::string_view number) = 0;
    virtual Result<std::vector<Ticket>> ListTickets(const TicketFilter& filter) = 0;
};

}  // namespace kiosk::core
