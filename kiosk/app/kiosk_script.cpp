// Parsing kiosk scripts.
#include "kiosk/app/kiosk_script.hpp"

#include <charconv>
#include <fstream>
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
        } else if (verb == "expect-screen") {
            step.kind = ScriptStep::Kind::ExpectScreen;
        } else if (verb == "printer") {
            if (arg != "fail" && arg != "ok") return fail("printer takes 'fail' or 'ok'");
            step.kind = ScriptStep::Kind::Printer;
        } else if (verb == "wait") {
            step.kind = ScriptStep::Kind::Wait;
            const bool ms = arg.ends_with("ms");
            const std::string_view number = arg.substr(0, arg.size() - (ms ? 2 : (arg.ends_with("s") ? 1 : 0)));
            int value = 0;
            const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
            if (ec != std::errc{} || ptr != number.data() + number.size() || value < 0 || !(ms || arg.ends_with("s"))) {
                return fail("wait takes a duration like 2s or 500ms, not '" + std::string(arg) + "'");
            }
            step.wait = ms ? std::chrono::milliseconds{value} : std::chrono::seconds{value};
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
