"""Amounts of money in Chinese capital numerals (人民币大写), as printed on purchase orders.

1234.50 → 壹仟贰佰叁拾肆元伍角整; 1000000 → 壹佰万元整; 0.05 → 伍分.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
BIG_UNITS = ("", "万", "亿", "万亿")


def _group(number: int) -> str:
    """0 < number < 10000, with zeros inside the group spoken once (1001 → 壹仟零壹)."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def _integer(number: int) -> str:
    if number == 0:
        return ""
    groups: list[int] = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(text)
            continue
        if text and (need_zero or group < 1000):
            text += "零"
        text += _group(group) + BIG_UNITS[index]
        need_zero = False
    return text


def yuan_in_words(amount: Decimal | int | str) -> str:
    """``amount`` yuan in capital numerals; negative amounts are prefixed with 负."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if value < 0 else ""
    value = abs(value)
    fen_total = int(value * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    words = _integer(yuan)
    if yuan:
        words += "元"
    if jiao == 0 and fen == 0:
        return sign + (words + "整" if words else "零元整")
    if jiao:
        words += DIGITS[jiao] + "角"
    elif yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    else:
        words += "整"
    return sign + words
