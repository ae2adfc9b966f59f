// Handwriting recognition on zinnia with the tegaki Simplified Chinese model.
//
// - The model (27 MB) is opened on the first recognition, about 50 ms, not at start-up.
// - Strokes are scaled to the 1000 × 1000 square the model was trained on.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/core/input_method.hpp"
#include "kiosk/input/to_traditional.hpp"

namespace kiosk::input {

// Where Debian's tegaki-zinnia-simplified-chinese installs its model.
std::filesystem::path DefaultHandwritingModel();

class HandwritingEngine final : public core::HandwritingInput {
public:
    HandwritingEngine(std::filesystem::path model, ToTraditional& traditional);
    ~HandwritingEngine() override;
    HandwritingEngine(const HandwritingEngine&) = delete;
    HandwritingEngine& operator=(const HandwritingEngine&) = delete;

    // Opens the model now; false (logged once) when it cannot be opened.
    bool Open();

    bool Available() const override { return !m_failed; }
    void SetScript(core::Script script) override { m_script = script; }
    std::vector<std::string> Recognize(const std::vector<core::InkStroke>& strokes, std::size_t max) override;
    // Closes the model (26 MB resident once recognition has read it all); the next Recognize opens it
    // again in a few milliseconds from the page cache.
    void Release() override;

private:
    std::filesystem::path m_model;
    ToTraditional& m_traditional;
    core::Script m_script = core::Script::Simplified;
    void* m_recognizer = nullptr;  // zinnia_recognizer_t
    bool m_failed = false;
};

}  // namespace kiosk::input
