"""Thai calendar and number formats, framework-free.

* Dates are stored in the Common Era and shown in the Buddhist Era: B.E. = C.E. + 543.
* The government fiscal year runs 1 Oct - 30 Sep and is named by the B.E. year in which it
  ends: FY 2570 = 1 Oct 2026 - 30 Sep 2027. Quarters: Q1 Oct-Dec ... Q4 Jul-Sep.
* Money is ``Decimal`` rounded half-up to satang (0.01 baht); amounts in words follow the
  official style ("หนึ่งพันบาทถ้วน", "ห้าสิบบาทยี่สิบห้าสตางค์").
* Typed input may use Thai digits (๐-๙) and B.E. or C.E. years: a year above 2400 is B.E.

Nothing here reads the clock: callers pass ``today``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pythainlp.util import num_to_thaiword

BE_OFFSET = 543
BE_THRESHOLD = 2400  # a typed year above this is Buddhist Era
SATANG = Decimal("0.01")

MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_DATE_RE = re.compile(r"^\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2,4})\s*$")
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def normalize_digits(text: str) -> str:
    """Turn Thai digits into ASCII digits (``"๒๕๖๙"`` -> ``"2569"``)."""
    return text.translate(_THAI_DIGITS)


def thai_digits(text: str) -> str:
    """Turn ASCII digits into Thai digits, for documents that want them."""
    return text.translate(_ARABIC_TO_THAI)


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def ce_year(year: int) -> int:
    """A typed year in either era, as C.E. (above 2400 means B.E.)."""
    return year - BE_OFFSET if year > BE_THRESHOLD else year


def format_date(d: date | None, style: str = "short") -> str:
    """``short``: 26 พ.ย. 2569; ``long``: 26 พฤศจิกายน 2569; ``numeric``: 26/11/2569."""
    if d is None:
        return ""
    if style == "numeric":
        return f"{d.day:02d}/{d.month:02d}/{be_year(d.year)}"
    months = MONTHS_LONG if style == "long" else MONTHS_SHORT
    return f"{d.day} {months[d.month - 1]} {be_year(d.year)}"


def parse_date(text: str) -> date:
    """Parse a typed date: d/m/yyyy (B.E. or C.E.), d/m/yy (B.E., 69 -> 2569), or ISO yyyy-mm-dd.

    Raises ValueError with a Thai message for anything that is not a real calendar date.
    """
    raw = normalize_digits(str(text or "")).strip()
    if not raw:
        raise ValueError("กรุณากรอกวันที่")
    if m := _ISO_RE.match(raw):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DATE_RE.match(raw):
        day, month, year = (int(g) for g in m.groups())
        if year < 100:  # two-digit years are B.E. short forms: 69 -> 2569
            year += 2500
    else:
        raise ValueError("รูปแบบวันที่ไม่ถูกต้อง กรุณากรอกเป็น วว/ดด/ปปปป เช่น 26/11/2569")
    year = ce_year(year)
    if not 1900 <= year <= 2200:
        raise ValueError("ปีไม่ถูกต้อง กรุณากรอกปี พ.ศ. เช่น 2569")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"ไม่มีวันที่ {day}/{month}/{be_year(year)} ในปฏิทิน") from None


def fiscal_year(d: date) -> int:
    """The B.E. fiscal year containing ``d`` (1 Oct 2026 -> 2570)."""
    return be_year(d.year) + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day of B.E. fiscal year ``fy_be`` (2570 -> 2026-10-01, 2027-09-30)."""
    end_ce = fy_be - BE_OFFSET
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def fiscal_quarter(d: date) -> int:
    """Quarter 1-4 of the fiscal year: Q1 = Oct-Dec."""
    return ((d.month - 10) % 12) // 3 + 1


def fiscal_month_index(d: date) -> int:
    """1 for October ... 12 for September."""
    return (d.month - 10) % 12 + 1


def to_money(value: object) -> Decimal:
    """Parse money typed by a person or stored anywhere: Thai digits, commas, spaces, a trailing
    "บาท" are accepted; the result is rounded half-up to satang. Raises ValueError in Thai."""
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        raise ValueError("จำนวนเงินต้องไม่เป็นทศนิยมแบบ float")
    else:
        text = normalize_digits(str(value or "")).replace(",", "").replace(" ", "").replace("บาท", "")
        if not text:
            raise ValueError("กรุณากรอกจำนวนเงิน")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError("จำนวนเงินไม่ถูกต้อง") from None
    if not amount.is_finite():
        raise ValueError("จำนวนเงินไม่ถูกต้อง")
    try:
        return amount.quantize(SATANG, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # e.g. "1e400": more digits than Decimal's precision
        raise ValueError("จำนวนเงินมากเกินไป") from None


def format_money(amount: Decimal | int | None, places: int = 2) -> str:
    """``1234567.891`` -> ``"1,234,567.89"`` (half-up). ``None`` -> ``""``."""
    if amount is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return f"{Decimal(amount).quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


def baht_text(amount: Decimal | int) -> str:
    """Amount in Thai words as written on official documents.

    1000 -> หนึ่งพันบาทถ้วน; 1234.50 -> หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์; 0.25 -> ยี่สิบห้าสตางค์;
    negative amounts are prefixed with ลบ.
    """
    value = to_money(amount)
    sign = "ลบ" if value < 0 else ""
    value = abs(value)
    baht = int(value)
    satang = int((value - baht) * 100)
    words = ""
    if baht:
        words = num_to_thaiword(baht) + "บาท"
    if satang:
        words += num_to_thaiword(satang) + "สตางค์"
    elif baht:
        words += "ถ้วน"
    else:
        words = "ศูนย์บาทถ้วน"
    return sign + words
