// Remedy names as they appear in data, JSON and the command line.
#include "kiosk/core/remedy.hpp"

namespace kiosk::core {

std::string_view ToString(Remedy remedy) {
    switch (remedy) {
        case Remedy::Refund: return "refund";
        case Remedy::Exchange: return "exchange";
        case Remedy::Repair: return "repair";
        case Remedy::PaidRepair: return "paid_repair";
        case Remedy::Decline: return "decline";
    }
    return "decline";
}

std::optional<Remedy> ParseRemedy(std::string_view text) {
    for (Remedy r : {Remedy::Refund, Remedy::Exchange, Remedy::Repair, Remedy::PaidRepair, Remedy::Decline}) {
        if (text == ToString(r)) return r;
    }
    return std::nullopt;
}

}  // namespace kiosk::core
