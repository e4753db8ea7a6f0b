"""Numbers as Chinese documents write them: 5.5万, 三十, 两, 1.2万, 5亿."""

from __future__ import annotations

import re
from decimal import Decimal

# "8 572": thousands set apart by a space
THOUSANDS = r"\d{1,3}(?: \d{3})+"
DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL = {"十": 10, "百": 100, "千": 1000}
LARGE = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMBER_CHARS = "".join(DIGITS) + "".join(SMALL) + "".join(LARGE)


def chinese_to_int(text: str) -> int | None:
    """三十 → 30, 一百二十 → 120, 两千 → 2000, 十二 → 12; None if it is not a number."""
    if not text or any(ch not in CHINESE_NUMBER_CHARS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL:
            section += (1 if digit is None else digit) * SMALL[ch]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * LARGE[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def scale(value: float, multiplier: str) -> float:
    """Apply a 万/亿/千 written after the number, in decimal: 4.4亿 is 440000000 and 80.9亿
    8090000000 (binary floating point gives 440000000.00000006 and 8090000000.000001)."""
    factor = {"万": 10_000, "亿": 100_000_000, "千": 1000, "百": 100}.get(multiplier, 1)
    result = Decimal(repr(value)) * factor
    return int(result) if result == result.to_integral_value() else float(result)


def decimal(text: str) -> float:
    """A written number, with a decimal point the scrape may have turned into a space.

    Scraped statistics lose their decimal point to a space ("7 06%" for 7.06%, "375 49万个"
    for 375.49万个) or keep it with a space after it ("1. 6万个"); the caller only passes such
    a pair where a unit follows at once. A whole number written with a leading nought ("02%")
    lost its point too.
    """
    if re.fullmatch(THOUSANDS, text):
        return float(text.replace(" ", ""))  # "8 572平方米": a space between thousands
    whole, _, fraction = text.replace(". ", ".").replace(" ", ".", 1).partition(".")
    if not fraction and re.fullmatch(r"0\d", whole):
        return float(f"0.{whole[1]}")  # "辍学率控制在02%以内": the point lost with no space
    return float(f"{whole}.{fraction}") if fraction else float(whole)
