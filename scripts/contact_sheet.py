#!/usr/bin/python3
"""One contact sheet PNG from the screenshots of every screen at several display sizes.

usage: contact_sheet.py OUT.png TITLE DIR [DIR...]
Each DIR holds shots/*.png of one display size and is named after it (e.g. 1920x1080). The sheet shows
each screen at every size side by side, scaled to one height and labelled with screen and size, a few
screens to a row. Needs Pillow (Debian: python3-pil, so run it with /usr/bin/python3).
"""
import os
import sys

from PIL import Image, ImageDraw, ImageFont

CELL_HEIGHT = 360  # pixels of a scaled screenshot
SCREENS_PER_ROW = 3
LABEL = 50  # the screen's name over its group, each size over its shot
GAP = 14
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def font(size):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, title, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    sizes = [os.path.basename(os.path.normpath(d)) for d in dirs]
    screens = {}  # screen name -> {size: path}
    for size, d in zip(sizes, dirs):
        shots = sorted(f for f in os.listdir(os.path.join(d, "shots")) if f.endswith(".png"))
        if not shots:
            sys.exit(f"contact_sheet: no screenshots in {d}/shots")
        for f in shots:
            screens.setdefault(os.path.splitext(f)[0], {})[size] = os.path.join(d, "shots", f)
    # Every screen's group is as wide as the widest sizes need, so the columns line up.
    widths = {}
    for size, d in zip(sizes, dirs):
        with Image.open(next(iter(p for s in screens.values() for k, p in s.items() if k == size))) as shot:
            widths[size] = round(shot.width * CELL_HEIGHT / shot.height)
    group_width = sum(widths.values()) + GAP * (len(sizes) - 1)
    columns = min(SCREENS_PER_ROW, len(screens))
    rows = (len(screens) + columns - 1) // columns
    header = 64
    row_height = LABEL + CELL_HEIGHT + GAP * 2
    sheet = Image.new("RGB", (GAP * 3 + columns * (group_width + GAP * 3), header + rows * row_height),
                      (40, 44, 52))
    draw = ImageDraw.Draw(sheet)
    small, medium, big = font(18), font(22), font(34)
    draw.text((GAP, 14), title, fill=(255, 255, 255), font=big)
    for index, (name, by_size) in enumerate(sorted(screens.items())):
        x = GAP * 3 + (index % columns) * (group_width + GAP * 3)
        y = header + (index // columns) * row_height
        draw.text((x, y), name, fill=(255, 255, 255), font=medium)
        for size in sizes:
            path = by_size.get(size)
            if path is not None:
                with Image.open(path) as shot:
                    image = shot.convert("RGB").resize((widths[size], CELL_HEIGHT), Image.LANCZOS)
                draw.text((x, y + LABEL - 22), size, fill=(200, 200, 200), font=small)
                sheet.paste(image, (x, y + LABEL))
                draw.rectangle((x - 1, y + LABEL - 1, x + image.width, y + LABEL + image.height), outline=(130, 130, 130))
            else:
                draw.text((x, y + LABEL - 22), f"{size}: missing", fill=(255, 120, 120), font=small)
            x += widths[size] + GAP
    sheet.save(out, optimize=True)
    print(f"{out}: {len(screens)} screens at {len(sizes)} sizes, {sheet.width}x{sheet.height}")


if __name__ == "__main__":
    main()
