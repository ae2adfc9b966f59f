// OpenCC behind ToTraditional.
#include "kiosk/input/to_traditional.hpp"

#include <cstdio>

#include <opencc.h>

namespace kiosk::input {

ToTraditional::~ToTraditional() {
    if (m_handle != nullptr) opencc_close(static_cast<opencc_t>(m_handle));
}

bool ToTraditional::Open() {
    if (m_tried) return m_handle != nullptr;
    m_tried = true;
    opencc_t handle = opencc_open(m_config.c_str());
    if (handle == reinterpret_cast<opencc_t>(-1)) {
        std::fprintf(stderr, "kiosk: Traditional characters unavailable, OpenCC cannot open %s: %s\n", m_config.c_str(),
                     opencc_error());
        return false;
    }
    m_handle = handle;
    return true;
}

std::string ToTraditional::Convert(std::string_view simplified) {
    if (simplified.empty() || !Open()) return std::string(simplified);
    char* converted = opencc_convert_utf8(static_cast<opencc_t>(m_handle), simplified.data(), simplified.size());
    if (converted == nullptr) return std::string(simplified);
    std::string out(converted);
    opencc_convert_utf8_free(converted);
    return out;
}

}  // namespace kiosk::input
