// Receipt layouts (the customer's ticket receipt and the staff intake slip) composed from the store,
// and the print queue in the kiosk database offered to the print worker.
#pragma once

#include <cstdint>
#include <vector>

#include "drivers/escpos/document.hpp"
#include "drivers/escpos/profile.hpp"
#include "drivers/printer/print_worker.hpp"
#include "kiosk/app/app_context.hpp"
#include "kiosk/core/clock.hpp"
#include "kiosk/storage/print_queue.hpp"

namespace kiosk::app {

// The layout of `request` (its ticket, kind and language) at `now`. NotFound for an unknown ticket,
// Corrupt when the stored ticket does not read back. A product missing from the catalog prints its GTIN.
core::Result<drivers::escpos::Document> ComposeReceipt(AppContext& ctx, const core::PrintRequest& request,
                                                       core::Timestamp now);
// The same, encoded for `profile`. A queue slip's job carries its bytes: they are returned as they
// are, unless the slip is too old to hand out (storage::CheckQueueSlipAge: the print worker gives it up).
core::Result<std::vector<std::uint8_t>> ComposeReceiptBytes(AppContext& ctx, const core::PrintRequest& request,
                                                            const drivers::escpos::PrinterProfile& profile,
                                                            core::Timestamp now);

// The small slip a customer takes away with their queue number (取号): the number large, the service,
// when it was taken, the people ahead and the estimated wait, in `language`.
drivers::escpos::Document ComposeQueueSlip(AppContext& ctx, const core::TakenNumber& taken, core::Language language);

// The print job for `taken`'s slip in `language`, encoded for `profile` now.
core::Result<core::PrintRequest> QueueSlipRequest(AppContext& ctx, const core::TakenNumber& taken,
                                                  core::Language language,
                                                  const drivers::escpos::PrinterProfile& profile);

// The print worker's job store over storage::PrintQueue; `db` and `clock` must outlive it.
class QueueJobStore final : public drivers::printer::PrintJobStore {
public:
    QueueJobStore(storage::Database& db, const core::Clock& clock) : m_queue(db), m_clock(&clock) {}

    core::Result<std::int64_t> Add(const core::PrintRequest& request) override;
    core::Result<std::optional<drivers::printer::PendingJob>> NextPending() override;
    core::Result<void> MarkPrinting(std::int64_t id) override;
    core::Result<void> MarkPrinted(std::int64_t id) override;
    core::Result<void> MarkRetry(std::int64_t id, std::string_view error) override;
    core::Result<void> MarkFailed(std::int64_t id, std::string_view error) override;
    core::Result<std::vector<std::int64_t>> RecoverInterrupted() override;

    storage::PrintQueue& Queue() { return m_queue; }

private:
    storage::PrintQueue m_queue;
    const core::Clock* m_clock;
};

}  // namespace kiosk::app
