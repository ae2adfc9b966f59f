// zinnia behind HandwritingEngine.
#include "kiosk/input/handwriting_engine.hpp"

#include <cstdio>

#include <zinnia.h>

namespace kiosk::input {

namespace {
constexpr int kModelSide = 1000;
}

std::filesystem::path DefaultHandwritingModel() {
    return "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model";
}

HandwritingEngine::HandwritingEngine(std::filesystem::path model, ToTraditional& traditional)
    : m_model(std::move(model)), m_traditional(traditional) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(m_model, ec)) {
        std::fprintf(stderr, "kiosk: handwriting input off, no model at %s\n", m_model.string().c_str());
        m_failed = true;
    }
}

HandwritingEngine::~HandwritingEngine() {
    if (m_recognizer != nullptr) zinnia_recognizer_destroy(static_cast<zinnia_recognizer_t*>(m_recognizer));
}

bool HandwritingEngine::Open() {
    if (m_recognizer != nullptr || m_failed) return m_recognizer != nullptr;
    zinnia_recognizer_t* recognizer = zinnia_recognizer_new();
    if (recognizer == nullptr || zinnia_recognizer_open(recognizer, m_model.string().c_str()) == 0) {
        std::fprintf(stderr, "kiosk: handwriting input off, cannot open the model %s: %s\n", m_model.string().c_str(),
                     recognizer != nullptr ? zinnia_recognizer_strerror(recognizer) : "out of memory");
        if (recognizer != nullptr) zinnia_recognizer_destroy(recognizer);
        m_failed = true;
        return false;
    }
    m_recognizer = recognizer;
    return true;
}

void HandwritingEngine::Release() {
    if (m_recognizer == nullptr) return;
    zinnia_recognizer_destroy(static_cast<zinnia_recognizer_t*>(m_recognizer));
    m_recognizer = nullptr;
}

std::vector<std::string> HandwritingEngine::Recognize(const std::vector<core::InkStroke>& strokes, std::size_t max) {
    std::vector<std::string> out;
    if (max == 0 || !Open()) return out;
    zinnia_character_t* character = zinnia_character_new();
    zinnia_character_set_width(character, kModelSide);
    zinnia_character_set_height(character, kModelSide);
    std::size_t id = 0;
    for (const core::InkStroke& stroke : strokes) {
        bool added = false;
        for (const core::InkPoint& p : stroke) {
            if (!(p.x >= 0.0f && p.x <= 1.0f && p.y >= 0.0f && p.y <= 1.0f)) continue;  // also drops NaN
            zinnia_character_add(character, id, static_cast<int>(p.x * kModelSide), static_cast<int>(p.y * kModelSide));
            added = true;
        }
        if (added) ++id;
    }
    if (id > 0) {
        if (zinnia_result_t* result = zinnia_recognizer_classify(static_cast<zinnia_recognizer_t*>(m_recognizer), character, max)) {
            for (std::size_t i = 0; i < zinnia_result_size(result); ++i) {
                std::string value = zinnia_result_value(result, i);
                out.push_back(m_script == core::Script::Traditional ? m_traditional.Convert(value) : value);
            }
            zinnia_result_destroy(result);
        }
    }
    zinnia_character_destroy(character);
    return out;
}

}  // namespace kiosk::input
