#!/usr/bin/env python3
"""Writes the demo data in assets/demo/: catalog.csv, sales.csv and staff.csv.

Deterministic (fixed seed), so the committed files only change when this script does. Brands are
fictional. Sales cover the year up to SALES_END with a spread of purchase dates that exercises every
warranty window when the demo checks them against that date.
"""
import csv
import datetime
import pathlib
import random

SALES_END = datetime.date(2026, 11, 22)
OUT = pathlib.Path(__file__).resolve().parent.parent / "assets" / "demo"

BRANDS = [("星河", "星河", "Xinghe"), ("青松", "青松", "Qingsong"), ("朗悦", "朗悅", "Langyue"),
          ("辰光", "辰光", "Chenguang"), ("云帆", "雲帆", "Yunfan")]

# (category, sku prefix, zh-Hans, zh-Hant, en, models, price range in yuan, serial required, components)
KINDS = [
    ("phone", "PH", "手机", "手機", "Phone", ["A1", "A2 Pro", "Note 8", "Lite 5"], (999, 6999), True, ""),
    ("phone", "FP", "折叠屏手机", "摺疊螢幕手機", "Foldable phone", ["Fold 2"], (7999, 12999), True,
     "body:12;battery:6;screen:24;charger:12"),
    ("computer", "NB", "笔记本电脑", "筆記型電腦", "Laptop", ["Book 14", "Book 16 Pro"], (3999, 12999), True, ""),
    ("computer", "PC", "台式电脑", "桌上型電腦", "Desktop PC", ["Tower S"], (2999, 8999), True, ""),
    ("computer", "TB", "平板电脑", "平板電腦", "Tablet", ["Pad 11", "Pad mini"], (1499, 5999), True, ""),
    ("computer", "MN", "显示器", "顯示器", "Monitor", ["27Q", "24F"], (799, 3999), True, "body:36"),
    ("appliance", "RF", "冰箱", "冰箱", "Refrigerator", ["BCD-450", "BCD-320"], (2499, 8999), True, ""),
    ("appliance", "WM", "洗衣机", "洗衣機", "Washing machine", ["XQG-100", "XQB-80"], (1599, 5999), True, ""),
    ("appliance", "AC", "空调", "冷氣機", "Air conditioner", ["KFR-35", "KFR-72"], (2299, 7999), True, ""),
    ("appliance", "MW", "微波炉", "微波爐", "Microwave oven", ["M20"], (399, 1299), False, ""),
    ("appliance", "RC", "电饭煲", "電鍋", "Rice cooker", ["IH-40"], (299, 1599), False, "body:12"),
    ("appliance", "WH", "热水器", "熱水器", "Water heater", ["F60"], (1299, 3999), True, ""),
    ("appliance", "VC", "吸尘器", "吸塵器", "Vacuum cleaner", ["V8", "Robot R3"], (699, 3999), True, ""),
    ("small_electronics", "EB", "蓝牙耳机", "藍牙耳機", "Bluetooth earbuds", ["Buds 3", "Buds Pro"], (199, 1499), True,
     "body:12;battery:6"),
    ("small_electronics", "PB", "充电宝", "行動電源", "Power bank", ["10K", "20K"], (99, 399), False, ""),
    ("small_electronics", "SW", "智能手表", "智慧手錶", "Smartwatch", ["Watch 5"], (599, 2999), True,
     "body:12;battery:6;strap:3"),
    ("small_electronics", "SP", "蓝牙音箱", "藍牙喇叭", "Bluetooth speaker", ["Boom"], (199, 999), False, ""),
    ("small_electronics", "TB2", "电动牙刷", "電動牙刷", "Electric toothbrush", ["Sonic"], (149, 699), False, ""),
    ("small_electronics", "HD", "吹风机", "吹風機", "Hair dryer", ["Air"], (199, 1999), False, ""),
    ("small_electronics", "KT", "电水壶", "電熱水壺", "Electric kettle", ["K17"], (99, 399), False, ""),
]

STAFF = [
    ("E1001", "王芳", "supervisor", "B-1001", "yes"),
    ("E1002", "李雷", "technician", "B-1002", "yes"),
    ("E1003", "张伟", "technician", "B-1003", "yes"),
    ("E1004", "陈静", "clerk", "B-1004", "yes"),
    ("E1005", "刘洋", "clerk", "B-1005", "yes"),
    ("E1006", "黄丽", "supervisor", "B-1006", "yes"),
    ("E1007", "周杰", "technician", "B-1007", "yes"),
    ("E1008", "吴敏", "clerk", "B-1008", "no"),
]


def gs1_check_digit(digits: str) -> int:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def gtin13(company: int, item: int) -> str:
    body = f"69{company:05d}{item:05d}"
    return body + str(gs1_check_digit(body))


def main() -> None:
    rng = random.Random(20261122)
    OUT.mkdir(parents=True, exist_ok=True)

    products = []
    for b, (brand_hans, brand_hant, brand_en) in enumerate(BRANDS):
        for k, (category, prefix, hans, hant, en, models, (low, high), serial, components) in enumerate(KINDS):
            for m, model in enumerate(models):
                for variant, (v_hans, v_hant, v_en) in enumerate([("", "", ""), (" 白色", " 白色", " White")]):
                    if variant and category not in ("phone", "small_electronics"):
                        continue
                    item = k * 100 + m * 10 + variant
                    price = rng.randrange(low, high + 1) // 10 * 10 - 1 if high > 200 else rng.randrange(low, high + 1)
                    products.append({
                        "gtin": gtin13(10000 + b * 7, item),
                        "sku": f"{prefix}-{brand_en[:2].upper()}{b}-{model.replace(' ', '')}{'-W' if variant else ''}",
                        "name_zh_hans": f"{brand_hans} {model} {hans}{v_hans}",
                        "name_zh_hant": f"{brand_hant} {model} {hant}{v_hant}",
                        "name_en": f"{brand_en} {model} {en}{v_en}",
                        "category": category,
                        "price": f"{price}.00",
                        "policy_id": "sanbao",
                        "serial_required": "yes" if serial else "no",
                        "components": components,
                    })
    with open(OUT / "catalog.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(products[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(products)

    # Purchase ages in days before SALES_END: the window edges first, then a year of ordinary sales.
    edge_ages = [0, 1, 7, 8, 14, 15, 16, 30, 90, 180, 181, 364, 365, 366]
    ages = edge_ages + [rng.randrange(0, 400) for _ in range(1200)]
    handsets = [p for p in products if p["category"] == "phone"]
    phones = [f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}" for _ in range(300)]
    sales = []
    for n, age in enumerate(ages):
        sold_on = SALES_END - datetime.timedelta(days=age)
        order = f"SO-S001-{sold_on:%Y%m%d}-{n + 1:05d}"
        phone = rng.choice(phones) if rng.random() < 0.8 else ""
        # The edge orders are one phone each, so the demo can show every window on one kind of product.
        edge = n < len(edge_ages)
        for line in range(1 if edge or rng.random() < 0.8 else 2):
            product = handsets[n % len(handsets)] if edge else products[(n * 7 + line * 13) % len(products)]
            serial = f"SN{sold_on:%y%m%d}{n + 1:05d}{line}" if product["serial_required"] == "yes" else ""
            sales.append({"order_number": order, "store_code": "S001", "sold_on": sold_on.isoformat(),
                          "customer_phone": phone, "gtin": product["gtin"], "serial": serial,
                          "price": product["price"]})
    with open(OUT / "sales.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(sales[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(sales)

    with open(OUT / "staff.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["staff_no", "name", "role", "badge", "active"])
        writer.writerows(STAFF)

    print(f"{len(products)} products, {len(ages)} orders ({len(sales)} lines), {len(STAFF)} staff")


if __name__ == "__main__":
    main()
