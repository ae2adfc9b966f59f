// Ports for writing Chinese on the kiosk's own keyboard: a pinyin composition session and a handwriting
// recogniser. The engines behind them live in kiosk/input; the keyboard (ui/) sees only these.
//
// - Text is UTF-8 everywhere; candidates come in the script the session was set to.
// - Engines open their data lazily; Available() is false once that failed (or the data is absent), and
//   the keyboard then offers Latin letters only.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace kiosk::core {

enum class Script { Simplified, Traditional };

class PinyinInput {
public:
    virtual ~PinyinInput() = default;
    virtual bool Available() const = 0;
    // The longest spelling a composition takes; further letters are refused.
    virtual std::size_t MaxLetters() const = 0;
    virtual void SetScript(Script script) = 0;
    // Forgets the composition and the predictions.
    virtual void Clear() = 0;
    // Adds a letter a-z; false when the composition is full, the letter is not a-z or the engine failed.
    virtual bool AddLetter(char letter) = 0;
    // One step back: the last choice un-chosen, else the last letter deleted. False when nothing was
    // being composed (predictions, if shown, are dropped).
    virtual bool Back() = 0;
    // Chooses candidate `index`. Returns the text to commit when the composition is complete (empty
    // while syllables remain to choose); afterwards the candidates are predictions of what follows.
    // Choosing a prediction returns it and predicts again.
    virtual std::string Choose(std::size_t index) = 0;
    virtual bool Composing() const = 0;
    virtual bool Predicting() const = 0;
    // What is being composed: chosen characters, then the spelling left with ' between syllables.
    virtual std::string Preedit() const = 0;
    virtual std::size_t CandidateCount() const = 0;
    // Candidates [first, first + count) (fewer at the end).
    virtual std::vector<std::string> Candidates(std::size_t first, std::size_t count) = 0;
};

// A point of a stroke on the handwriting pad: 0..1 from the pad's left and top edges.
struct InkPoint {
    float x = 0.0f;
    float y = 0.0f;
};
using InkStroke = std::vector<InkPoint>;

class HandwritingInput {
public:
    virtual ~HandwritingInput() = default;
    virtual bool Available() const = 0;
    virtual void SetScript(Script script) = 0;
    // The characters the strokes most likely are, best first, at most `max`. Points outside the pad are
    // dropped and strokes left empty ignored; no strokes give no characters.
    virtual std::vector<std::string> Recognize(const std::vector<InkStroke>& strokes, std::size_t max) = 0;
    // Frees what recognition holds (a model of tens of megabytes) until the next Recognize.
    virtual void Release() {}
};

// What every keyboard gets; null members: that way of writing is not offered.
struct InputMethods {
    PinyinInput* pinyin = nullptr;
    HandwritingInput* handwriting = nullptr;
};

}  // namespace kiosk::core
