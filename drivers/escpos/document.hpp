// A receipt as a list of elements (text, columns, separators, images, barcodes, feed, cut), built by
// the layouts and rendered to ESC/POS bytes by the encoder for one printer profile.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "drivers/escpos/raster.hpp"

namespace kiosk::drivers::escpos {

enum class Align { Left, Center, Right };
enum class Font { A, B };

struct TextStyle {
    bool bold = false;
    bool doubleWidth = false;
    bool doubleHeight = false;
    bool underline = false;
    bool inverse = false;
    Font font = Font::A;
    friend bool operator==(const TextStyle&, const TextStyle&) = default;
};

// UTF-8 text; longer than the paper is wide, it wraps (a CJK character counts two columns).
struct TextLine {
    std::string text;
    TextStyle style;
    Align align = Align::Left;
};

struct Column {
    std::string text;
    int width = 0;  // in columns of the line's font; 0 = what the other columns leave
    Align align = Align::Left;
};

// Cells side by side on one line, each cut to its width, so that mixed Chinese and Latin rows line up.
struct Columns {
    std::vector<Column> cells;
    TextStyle style;
};

struct Separator {
    char glyph = '-';
};

struct Image {
    Bitmap bitmap;  // grey; dithered when encoded; wider than the paper is cut at the right
    Align align = Align::Center;
    Dither dither = Dither::FloydSteinberg;
};

struct Code128 {
    std::string data;  // printable ASCII
    int height = 64;   // dots
    int moduleDots = 2;
    bool humanReadable = true;
};

struct QrCode {
    std::string data;
    int moduleDots = 6;
};

struct Feed {
    int lines = 1;
};

struct Cut {
    bool partial = true;
};

using Element = std::variant<TextLine, Columns, Separator, Image, Code128, QrCode, Feed, Cut>;

struct Document {
    std::vector<Element> elements;

    Document& Text(std::string text, TextStyle style = {}, Align align = Align::Left) {
        elements.emplace_back(TextLine{std::move(text), style, align});
        return *this;
    }
    Document& Row(std::vector<Column> cells, TextStyle style = {}) {
        elements.emplace_back(Columns{std::move(cells), style});
        return *this;
    }
    Document& Rule(char glyph = '-') {
        elements.emplace_back(Separator{glyph});
        return *this;
    }
    Document& Add(Element element) {
        elements.push_back(std::move(element));
        return *this;
    }
};

}  // namespace kiosk::drivers::escpos
