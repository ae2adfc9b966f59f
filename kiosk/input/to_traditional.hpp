// Simplified to Traditional Chinese (Taiwan standard characters, OpenCC's s2tw) for customers who
// chose 繁體中文. s2tw rather than s2twp: the latter also swaps mainland words for Taiwanese ones
// (屏幕 → 螢幕), which changes what the customer picked instead of only how it is written.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::input {

class ToTraditional {
public:
    // `config`: an OpenCC configuration name or path. Opened on first use.
    explicit ToTraditional(std::string config = "s2tw.json") : m_config(std::move(config)) {}
    ~ToTraditional();
    ToTraditional(const ToTraditional&) = delete;
    ToTraditional& operator=(const ToTraditional&) = delete;

    // The text in Traditional characters; unchanged when OpenCC cannot be opened (logged once).
    std::string Convert(std::string_view simplified);

private:
    bool Open();

    std::string m_config;
    void* m_handle = nullptr;  // opencc_t
    bool m_tried = false;
};

}  // namespace kiosk::input
