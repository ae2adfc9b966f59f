// Storage timings: durable ticket commits and catalog lookups, each beside bare SQLite doing comparable work.
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/config/lifecycle_loader.hpp"
#include "kiosk/core/gtin.hpp"
#include "kiosk/storage/database.hpp"
#include "kiosk/storage/kiosk_store.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace kiosk;
using SteadyClock = std::chrono::steady_clock;

constexpr int kDefaultTickets = 2000;
constexpr int kTransitions = 1000;
constexpr int kProducts = 50'000;
constexpr int kOrdersPerDay = 300;
constexpr int kDays = 365;
constexpr int kLookups = 20'000;
constexpr double kCommitTargetUs = 10'000;
constexpr double kLookupTargetUs = 1'000;

[[noreturn]] void Die(const std::string& message) {
    std::fprintf(stderr, "store_bench: %s\n", message.c_str());
    std::exit(1);
}

template <class T>
T Must(core::Result<T> result, std::string_view what) {
    if (!result) Die(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

double MicrosSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::micro>(SteadyClock::now() - start).count();
}

struct Stats {
    std::size_t n = 0;
    double p50 = 0;
    double p99 = 0;
    double max = 0;
};

Stats Summarize(std::vector<double> samples) {
    if (samples.empty()) return {};
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        const auto index = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
        return samples[index];
    };
    return Stats{samples.size(), at(0.50), at(0.99), samples.back()};
}

void PrintHeader(const char* title) {
    std::printf("\n%-52s %7s %10s %10s %10s  %s\n", title, "n", "p50 us", "p99 us", "max us", "target (p99)");
}

void PrintRow(const char* name, const Stats& s, double targetUs) {
    std::string target = "-";
    if (targetUs > 0) {
        target = (s.p99 < targetUs ? "< " : "MISSED < ") + std::to_string(static_cast<int>(targetUs)) + " us";
    }
    std::printf("  %-50s %7zu %10.1f %10.1f %10.1f  %s\n", name, s.n, s.p50, s.p99, s.max, target.c_str());
}

// The baseline: SQLite's C API with the kiosk's pragmas and nothing of ours in between.
class BareSqlite {
public:
    explicit BareSqlite(const std::filesystem::path& file) {
        if (sqlite3_open(file.string().c_str(), &m_db) != SQLITE_OK) Die("bare open: " + Message());
        Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
        sqlite3_busy_timeout(m_db, 5000);
    }
    ~BareSqlite() {
        for (sqlite3_stmt* stmt : m_statements) sqlite3_finalize(stmt);
        sqlite3_close(m_db);
    }
    BareSqlite(const BareSqlite&) = delete;
    BareSqlite& operator=(const BareSqlite&) = delete;

    void Exec(const char* sql) {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Die(std::string(sql) + ": " + Message());
    }
    sqlite3_stmt* Prepare(const char* sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) != SQLITE_OK) Die(std::string(sql) + ": " + Message());
        m_statements.push_back(stmt);
        return stmt;
    }
    // Steps to the end, reading every column as a caller would, then resets.
    void RunAndRead(sqlite3_stmt* stmt) {
        int rc = 0;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const unsigned char* text = sqlite3_column_text(stmt, c);
                if (text != nullptr) m_sink += static_cast<std::size_t>(text[0]);
            }
        }
        if (rc != SQLITE_DONE) Die(std::string(sqlite3_sql(stmt)) + ": " + Message());
        sqlite3_reset(stmt);
    }
    void BindText(sqlite3_stmt* stmt, int index, const std::string& text) {
        sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }

private:
    std::string Message() const { return m_db != nullptr ? sqlite3_errmsg(m_db) : "out of memory"; }
    sqlite3* m_db = nullptr;
    std::vector<sqlite3_stmt*> m_statements;
    std::size_t m_sink = 0;
};

using kiosk::testing::TempDir;

core::Gtin BenchGtin(int index) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "690%09d", index);
    return Must(core::Gtin::Parse(std::string(digits) + std::to_string(core::Gs1CheckDigit(digits))), "gtin");
}

std::string Phone(int customer) {
    char text[16];
    std::snprintf(text, sizeof text, "139%08d", customer);
    return text;
}

core::NewTicket Request(int i) {
    core::NewTicket request;
    request.type = core::TicketType::Repair;
    request.gtin = BenchGtin(i % kProducts).Digits14();
    request.serial = "SN" + std::to_string(100000 + i);
    request.orderNumber = "SO-S012-" + std::to_string(i);
    request.purchasedOn = core::Date{std::chrono::year{2026}, std::chrono::November, std::chrono::day{2}};
    request.customerPhone = Phone(i);
    request.customerTier = core::Tier::Returning;
    request.remedy = core::Remedy::Repair;
    request.clauseId = "sanbao-repair";
    request.component = "battery";
    request.fault = "performance";
    request.problemCategory = "battery";
    request.description = "电池一小时就没电了，充电时发烫";
    return request;
}

void BenchCommits(const std::filesystem::path& dir, const core::Lifecycle& lifecycle, int tickets) {
    const core::Actor customer{core::Role::Customer, "customer"};
    const core::Actor clerk{core::Role::Clerk, "E1004"};
    auto store = Must(storage::KioskStore::Open(Must(storage::Database::Open(dir / "tickets.db"), "open"), lifecycle,
                                                storage::StoreOptions{"S012", "K1", std::chrono::minutes{480}}),
                      "open store");
    const core::Timestamp start = Must(core::ParseTimestamp("2026-11-22T00:30:00Z"), "time");
    Must(store.Initialize("S012", "K1", start), "init");

    // The baseline row carries the same bytes as a real event's outbox payload.
    const auto first = Must(store.CreateTicket(Request(0), customer, start), "warm-up ticket");
    const std::string payload = Must(store.PendingOutbox(1), "outbox").at(0).payload;

    BareSqlite bare(dir / "bare.db");
    bare.Exec("CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL)");
    sqlite3_stmt* begin = bare.Prepare("BEGIN IMMEDIATE");
    sqlite3_stmt* insert = bare.Prepare("INSERT INTO events (id, payload) VALUES (?1, ?2)");
    sqlite3_stmt* commit = bare.Prepare("COMMIT");

    std::vector<double> storeUs;
    std::vector<double> bareUs;
    std::vector<std::string> numbers{first.number};
    // Alternating the two keeps them under the same disk conditions.
    for (int i = 1; i <= tickets; ++i) {
        auto t0 = SteadyClock::now();
        auto ticket = Must(store.CreateTicket(Request(i), customer, start + std::chrono::seconds{i}), "create");
        storeUs.push_back(MicrosSince(t0));
        numbers.push_back(ticket.number);

        t0 = SteadyClock::now();
        bare.RunAndRead(begin);
        bare.BindText(insert, 1, "bench-" + std::to_string(i));
        bare.BindText(insert, 2, payload);
        bare.RunAndRead(insert);
        bare.RunAndRead(commit);
        bareUs.push_back(MicrosSince(t0));
    }
    std::vector<double> transitionUs;
    for (int i = 0; i < std::min(kTransitions, tickets); ++i) {
        const auto t0 = SteadyClock::now();
        Must(store.TransitionTicket(numbers[static_cast<std::size_t>(i)], "received", clerk, "taken in",
                                    start + std::chrono::seconds{tickets + i}),
             "transition");
        transitionUs.push_back(MicrosSince(t0));
    }

    const Stats ours = Summarize(storeUs);
    const Stats baseline = Summarize(bareUs);
    PrintHeader("Durable commit, one transaction each");
    PrintRow("CreateTicket (counter+event+ticket+audit+outbox)", ours, kCommitTargetUs);
    PrintRow("bare SQLite: BEGIN; one prepared INSERT; COMMIT", baseline, 0);
    std::printf("  %-50s %7s %9.2fx %9.2fx %9.2fx\n", "ratio CreateTicket / bare", "", ours.p50 / baseline.p50,
                ours.p99 / baseline.p99, ours.max / baseline.max);
    PrintRow("TransitionTicket (load+check+event+ticket+audit+outbox)", Summarize(transitionUs), kCommitTargetUs);
    const auto verifyStart = SteadyClock::now();
    const auto report = Must(store.Verify(), "verify");
    std::printf("  verify: %s, %lld events and %lld tickets in %.1f ms; event payload %zu bytes\n",
                report.ok ? "ok" : "BROKEN", static_cast<long long>(report.eventsChecked),
                static_cast<long long>(report.ticketsChecked), MicrosSince(verifyStart) / 1000.0, payload.size());
}

void BenchLookups(const std::filesystem::path& dir, const core::Lifecycle& lifecycle) {
    const core::Actor importer{core::Role::System, "store_bench"};
    auto store = Must(storage::KioskStore::Open(Must(storage::Database::Open(dir / "catalog.db"), "open"), lifecycle,
                                                storage::StoreOptions{}),
                      "open store");
    const core::Timestamp now = Must(core::ParseTimestamp("2026-11-22T00:00:00Z"), "time");
    std::mt19937_64 random(20261122);

    std::vector<core::Product> products;
    products.reserve(kProducts);
    for (int i = 0; i < kProducts; ++i) {
        core::Product p{BenchGtin(i), "SKU-" + std::to_string(i),
                        core::LocalizedText{"星河手机 " + std::to_string(i), "星河手機 " + std::to_string(i),
                                            "Xinghe phone " + std::to_string(i)},
                        "phone", 100000 + (i % 5000) * 100, "sanbao", i % 3 != 0, {}};
        p.components = {{"body", 12}, {"battery", 6}};
        products.push_back(std::move(p));
    }
    auto t0 = SteadyClock::now();
    Must(store.ImportProducts(products, importer, now), "import products");
    const double productImportMs = MicrosSince(t0) / 1000.0;

    std::vector<core::Sale> sales;
    sales.reserve(static_cast<std::size_t>(kOrdersPerDay * kDays));
    std::vector<std::string> serials;
    std::uniform_int_distribution<int> anyProduct(0, kProducts - 1);
    std::uniform_int_distribution<int> lineCount(1, 2);
    std::uniform_int_distribution<int> anyCustomer(0, 40'000);
    const core::Date firstDay{std::chrono::year{2025}, std::chrono::November, std::chrono::day{22}};
    std::size_t lines = 0;
    for (int day = 0; day < kDays; ++day) {
        const core::Date soldOn = core::AddDays(firstDay, day);
        for (int n = 0; n < kOrdersPerDay; ++n) {
            core::Sale sale{"SO-" + std::to_string(day) + "-" + std::to_string(n), "S012", soldOn,
                            n % 4 == 0 ? std::string() : Phone(anyCustomer(random)), {}};
            for (int l = lineCount(random); l > 0; --l) {
                const int p = anyProduct(random);
                std::string serial = products[static_cast<std::size_t>(p)].serialRequired
                                         ? "SN" + std::to_string(serials.size() + 1'000'000)
                                         : std::string();
                if (!serial.empty()) serials.push_back(serial);
                sale.lines.push_back({products[static_cast<std::size_t>(p)].gtin, serial,
                                      products[static_cast<std::size_t>(p)].price});
                ++lines;
            }
            sales.push_back(std::move(sale));
        }
    }
    t0 = SteadyClock::now();
    Must(store.ImportSales(sales, importer, now), "import sales");
    const double salesImportMs = MicrosSince(t0) / 1000.0;

    auto pick = [&](std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size - 1)(random); };
    auto time = [&](auto&& operation) {
        std::vector<double> samples;
        samples.reserve(kLookups);
        for (int i = 0; i < kLookups; ++i) {
            const auto start = SteadyClock::now();
            operation();
            samples.push_back(MicrosSince(start));
        }
        return Summarize(std::move(samples));
    };

    const Stats findProduct = time([&] {
        const auto& gtin = products[pick(products.size())].gtin;
        if (!Must(store.FindProduct(gtin), "find product")) Die("a product went missing");
    });
    const Stats findSale = time([&] {
        if (!Must(store.FindSale(sales[pick(sales.size())].orderNumber), "find sale")) Die("a sale went missing");
    });
    const Stats findSerial = time([&] {
        if (!Must(store.FindSaleBySerial(serials[pick(serials.size())]), "find serial")) Die("a serial went missing");
    });
    const Stats history = time([&] { Must(store.HistoryOf(Phone(anyCustomer(random))), "history"); });

    BareSqlite bare(dir / "catalog.db");
    sqlite3_stmt* productQuery = bare.Prepare(
        "SELECT sku, name_zh_hans, name_zh_hant, name_en, category, price, policy_id, serial_required "
        "FROM products WHERE gtin = ?1");
    const Stats bareProduct = time([&] {
        bare.BindText(productQuery, 1, products[pick(products.size())].gtin.Digits14());
        bare.RunAndRead(productQuery);
    });
    sqlite3_stmt* saleQuery =
        bare.Prepare("SELECT store_code, sold_on, customer_phone FROM sales WHERE order_number = ?1");
    sqlite3_stmt* linesQuery =
        bare.Prepare("SELECT gtin, serial, price FROM sale_lines WHERE order_number = ?1 ORDER BY line_no");
    const Stats bareSale = time([&] {
        const std::string& order = sales[pick(sales.size())].orderNumber;
        bare.BindText(saleQuery, 1, order);
        bare.RunAndRead(saleQuery);
        bare.BindText(linesQuery, 1, order);
        bare.RunAndRead(linesQuery);
    });

    std::printf("\nCatalog: %d products imported in %.0f ms; %zu sales (%zu lines, %d days x %d) in %.0f ms\n",
                kProducts, productImportMs, sales.size(), lines, kDays, kOrdersPerDay, salesImportMs);
    PrintHeader("Lookups (random keys, warm cache)");
    PrintRow("FindProduct (by GTIN, with components)", findProduct, kLookupTargetUs);
    PrintRow("bare SQLite: SELECT ... FROM products WHERE gtin=?", bareProduct, 0);
    PrintRow("FindSale (by order number, with lines)", findSale, kLookupTargetUs);
    PrintRow("bare SQLite: sales + sale_lines by order number", bareSale, 0);
    PrintRow("FindSaleBySerial", findSerial, kLookupTargetUs);
    PrintRow("HistoryOf (phone)", history, kLookupTargetUs);
}

}  // namespace

int main(int argc, char** argv) {
    int tickets = kDefaultTickets;
    if (argc > 1) {
        const std::string_view arg = argv[1];
        auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), tickets);
        if (ec != std::errc{} || ptr != arg.data() + arg.size() || tickets < 1 || tickets > 9000) {
            Die("usage: store_bench [TICKETS (1-9000, default 2000)]");
        }
    }
    const auto lifecycle =
        Must(config::LoadLifecycleFile(std::filesystem::path(KIOSK_BENCH_ASSET_DIR) / "lifecycle.toml"), "lifecycle");
    TempDir dir{"kiosk-store-bench"};
    std::printf("store_bench: SQLite %s, journal_mode=WAL, synchronous=FULL; databases in %s\n", sqlite3_libversion(),
                dir.Path().c_str());
    BenchCommits(dir.Path(), lifecycle, tickets);
    BenchLookups(dir.Path(), lifecycle);
    return 0;
}
