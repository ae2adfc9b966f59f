// Names of the admin port's enums, session permission lookup and settings validation.
#include "kiosk/core/admin/admin_port.hpp"

#include <algorithm>
#include <cctype>

namespace kiosk::core::admin {

bool Session::Can(std::string_view action) const {
    return std::ranges::find(allowedActions, action) != allowedActions.end();
}

std::string_view ToString(SignInOutcome outcome) {
    switch (outcome) {
        case SignInOutcome::SignedIn: return "signed_in";
        case SignInOutcome::WrongPin: return "wrong_pin";
        case SignInOutcome::Locked: return "locked";
        case SignInOutcome::UnknownStaff: return "unknown_staff";
        case SignInOutcome::NoPin: return "no_pin";
    }
    return "unknown";
}

std::string_view ToString(Urgency urgency) {
    switch (urgency) {
        case Urgency::Green: return "green";
        case Urgency::Amber: return "amber";
        case Urgency::Red: return "red";
        case Urgency::Paused: return "paused";
        case Urgency::None: return "none";
    }
    return "none";
}

std::string_view ToString(ApprovalKind kind) {
    switch (kind) {
        case ApprovalKind::Refund: return "refund";
        case ApprovalKind::PolicyException: return "policy_exception";
    }
    return "refund";
}

std::optional<ApprovalKind> ParseApprovalKind(std::string_view text) {
    if (text == "refund") return ApprovalKind::Refund;
    if (text == "policy_exception") return ApprovalKind::PolicyException;
    return std::nullopt;
}

std::string_view ToString(ApprovalState state) {
    switch (state) {
        case ApprovalState::Pending: return "pending";
        case ApprovalState::Approved: return "approved";
        case ApprovalState::Refused: return "refused";
    }
    return "pending";
}

std::string_view ToString(CallOutcome outcome) {
    switch (outcome) {
        case CallOutcome::Reached: return "reached";
        case CallOutcome::NoAnswer: return "no_answer";
        case CallOutcome::CallBack: return "call_back";
        case CallOutcome::WrongNumber: return "wrong_number";
        case CallOutcome::Declined: return "declined";
    }
    return "reached";
}

std::optional<CallOutcome> ParseCallOutcome(std::string_view text) {
    for (auto outcome : {CallOutcome::Reached, CallOutcome::NoAnswer, CallOutcome::CallBack, CallOutcome::WrongNumber,
                         CallOutcome::Declined}) {
        if (ToString(outcome) == text) return outcome;
    }
    return std::nullopt;
}

bool EndsFollowUp(CallOutcome outcome) {
    return outcome == CallOutcome::Reached || outcome == CallOutcome::WrongNumber || outcome == CallOutcome::Declined;
}

std::string_view ToString(ReportPeriod period) {
    switch (period) {
        case ReportPeriod::Today: return "today";
        case ReportPeriod::Week: return "week";
        case ReportPeriod::Month: return "month";
    }
    return "today";
}

std::optional<ReportPeriod> ParseReportPeriod(std::string_view text) {
    if (text == "today") return ReportPeriod::Today;
    if (text == "week") return ReportPeriod::Week;
    if (text == "month") return ReportPeriod::Month;
    return std::nullopt;
}

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

bool IsPrinterUri(std::string_view uri) {
    for (std::string_view scheme : {"usb://", "tcp://", "lp://", "file://"}) {
        if (StartsWith(uri, scheme)) return uri.size() > scheme.size();
    }
    return false;
}

bool IsProfileName(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::ranges::all_of(name, [](char c) {
        auto u = static_cast<unsigned char>(c);
        return std::islower(u) || std::isdigit(u) || c == '-' || c == '_';
    });
}

bool IsPhoneText(std::string_view phone) {
    return std::ranges::all_of(phone, [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == '+' || c == '(' || c == ')';
    });
}

}  // namespace

std::vector<FieldError> ValidateSettings(const Settings& settings) {
    using std::chrono::minutes;
    using std::chrono::seconds;
    std::vector<FieldError> errors;
    auto add = [&](std::string field, std::string message) {
        errors.push_back({std::move(field), std::move(message)});
    };
    if (settings.storeName.empty()) add("storeName", "the store name is required");
    if (settings.storeName.size() > 80) add("storeName", "the store name is longer than 80 bytes");
    if (settings.storeAddress.size() > 200) add("storeAddress", "the address is longer than 200 bytes");
    if (!IsPhoneText(settings.storePhone) || settings.storePhone.size() > 32) {
        add("storePhone", "the phone number may hold only digits, spaces, +, - and brackets (at most 32)");
    }
    if (settings.customerIdleTimeout < seconds{15} || settings.customerIdleTimeout > seconds{600}) {
        add("customerIdleTimeout", "the customer timeout must be between 15 and 600 seconds");
    }
    if (settings.adminIdleTimeout < seconds{30} || settings.adminIdleTimeout > seconds{3600}) {
        add("adminIdleTimeout", "the admin timeout must be between 30 and 3600 seconds");
    }
    if (!IsPrinterUri(settings.printerUri)) {
        add("printerUri", "the printer URI must start with usb://, tcp://, lp:// or file:// and name a device");
    }
    if (!IsProfileName(settings.printerProfile)) {
        add("printerProfile", "the printer profile is a name of lower-case letters, digits, - and _");
    }
    if (settings.escalationThreshold < 0) add("escalationThreshold", "the escalation threshold cannot be negative");
    if (settings.approvalWindow < minutes{1} || settings.approvalWindow > minutes{24 * 60}) {
        add("approvalWindow", "the approval window must be between 1 minute and 24 hours");
    }
    return errors;
}

// A kiosk without queue numbers: nothing to show, nothing to call.
Result<NumberDesk> AdminPort::Numbers(const Actor&, Timestamp) { return NumberDesk{}; }
Result<QueueTicket> AdminPort::CallNextNumber(const Actor&, std::string_view, Timestamp) {
    return Fail(ErrorCode::Unavailable, "this kiosk hands out no queue numbers");
}
Result<QueueTicket> AdminPort::FinishNumber(const Actor&, std::string_view, QueueState, Timestamp) {
    return Fail(ErrorCode::Unavailable, "this kiosk hands out no queue numbers");
}
Result<QueueTicket> AdminPort::LinkNumber(const Actor&, std::string_view, std::string_view, Timestamp) {
    return Fail(ErrorCode::Unavailable, "this kiosk hands out no queue numbers");
}

}  // namespace kiosk::core::admin
