// Parsing kiosk scripts.
#include "kiosk/app/kiosk_script.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

namespace kiosk::app {

namespace {

std::string_view Strip(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

core::Result<std::vector<ScriptStep>> ParseScript(std::string_view text, std::string_view sourceName) {
    std::vector<ScriptStep> steps;
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = Strip(text.substr(pos, end - pos));
        pos = end + 1;
        ++lineNo;
        if (line.empty() || line.front() == '#') continue;
        auto fail = [&](const std::string& what) {
            return core::Fail(core::ErrorCode::InvalidInput,
                              std::string(sourceName) + ":" + std::to_string(lineNo) + ": " + what);
        };
        const std::size_t space = line.find(' ');
        const std::string_view verb = line.substr(0, space);
        std::string_view arg = space == std::string_view::npos ? std::string_view{} : Strip(line.substr(space));
        if (arg.size() >= 2 && arg.front() == '"' && arg.back() == '"') arg = arg.substr(1, arg.size() - 2);
        if (arg.empty()) return fail("'" + std::string(verb) + "' needs an argument");
        // "2s" or "500ms".
        const auto duration = [](std::string_view given) -> std::optional<std::chrono::milliseconds> {
            const bool ms = given.ends_with("ms");
            if (!ms && !given.ends_with("s")) return std::nullopt;
            const std::string_view number = given.substr(0, given.size() - (ms ? 2 : 1));
            int value = 0;
            const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
            if (ec != std::errc{} || ptr != number.data() + number.size() || value < 0) return std::nullopt;
            return ms ? std::chrono::milliseconds{value} : std::chrono::seconds{value};
        };
        ScriptStep step;
        step.line = lineNo;
        step.argument = std::string(arg);
        if (verb == "scan") {
            step.kind = ScriptStep::Kind::Scan;
        } else if (verb == "tap") {
            step.kind = ScriptStep::Kind::Tap;
        } else if (verb == "type") {
            step.kind = ScriptStep::Kind::Type;
        } else if (verb == "screenshot") {
            step.kind = ScriptStep::Kind::Screenshot;
        } else if (verb == "expect-screen" || verb == "expect-shown") {
            step.kind = verb == "expect-screen" ? ScriptStep::Kind::ExpectScreen : ScriptStep::Kind::ExpectShown;
            // "expect-screen NAME within 300s": a longer wait than the default for a screen that follows
            // work outside the kiosk (a sync, a scan a test sends).
            if (const auto within = arg.find(" within "); within != std::string_view::npos) {
                const auto patience = duration(Strip(arg.substr(within + 8)));
                if (!patience) return fail(std::string(verb) + " NAME within takes a duration like 300s, not '" + std::string(arg.substr(within + 8)) + "'");
                step.wait = *patience;
                step.argument = std::string(Strip(arg.substr(0, within)));
            }
        } else if (verb == "printer") {
            if (arg != "fail" && arg != "stall" && arg != "ok") return fail("printer takes 'fail', 'stall' or 'ok'");
            step.kind = ScriptStep::Kind::Printer;
        } else if (verb == "stroke") {
            step.kind = ScriptStep::Kind::Stroke;
            std::string_view rest = arg;
            while (!rest.empty()) {
                const std::size_t cut = std::min(rest.find(' '), rest.size());
                const std::string_view point = rest.substr(0, cut);
                rest = Strip(rest.substr(cut));
                const std::size_t comma = point.find(',');
                float x = 0.0f;
                float y = 0.0f;
                const auto number = [](std::string_view digits, float& out) {
                    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
                    return ec == std::errc{} && ptr == digits.data() + digits.size() && !digits.empty();
                };
                if (comma == std::string_view::npos || !number(point.substr(0, comma), x) || !number(point.substr(comma + 1), y)) {
                    return fail("stroke takes points like 0.1,0.5 0.9,0.5, not '" + std::string(point) + "'");
                }
                step.points.emplace_back(x, y);
            }
        } else if (verb == "wait") {
            step.kind = ScriptStep::Kind::Wait;
            const auto wait = duration(arg);
            if (!wait) return fail("wait takes a duration like 2s or 500ms, not '" + std::string(arg) + "'");
            step.wait = *wait;
        } else {
            return fail("unknown step '" + std::string(verb) + "'");
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

core::Result<std::vector<ScriptStep>> LoadScript(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::Fail(core::ErrorCode::NotFound, "cannot read script " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return ParseScript(buffer.str(), path.string());
}

}  // namespace kiosk::app
