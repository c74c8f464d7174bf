"""Personal data typed into a value: mainland phone numbers, resident ID numbers, e-mail addresses, bank cards.

A rating never needs them (PIPL minimum necessity), so an import refuses a value carrying one, or stores it masked
(``151****1325``), as the bureau chooses. ``scan_values`` looks at many values at once: a C-speed prefilter over all
of them (the values joined, their characters reduced to a few classes by ``bytes.translate``, then searched for
literal shapes such as ten digits in a row) picks the few values that could hold a number, and only those go through
the exact patterns and checks (ID date and check digit, the Luhn sum of a card). Masked numbers hold ``*`` and are
not personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rating_service.i18n import LabelledEnum, Localized

# Full-width digits and separators (a Chinese input method types them) read as their ASCII twins, one for one.
_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)}
# Their UTF-8 lead bytes: text without any of them needs no translation (which is slow on Chinese text).
_FULL_WIDTH_MARKERS = (b"\xef\xbc", b"\xe3\x80\x80", b"\xe2\x80\x93", b"\xe2\x80\x94")
_FULL_WIDTH.update({0xFF0D: 0x2D, 0xFF08: 0x28, 0xFF09: 0x29, 0x3000: 0x20, 0xFF0B: 0x2B, 0x2014: 0x2D, 0x2013: 0x2D})

_D = r"(?<!\d)"  # no digit before
_E = r"(?!\d)"  # no digit after
_PROVINCES = "1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12]"
_MONTH_DAY = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 18 digits (the last may be X): province, area, birth date 18xx-20xx, sequence, check digit (checked below).
    ("id_number", re.compile(rf"{_D}(?:{_PROVINCES})\d{{4}}(?:18|19|20)\d\d{_MONTH_DAY}\d{{3}}[\dXx]{_E}")),
    # The old 15-digit form: birth date YYMMDD (checked below).
    ("id_number", re.compile(rf"{_D}(?:{_PROVINCES})\d{{4}}\d\d{_MONTH_DAY}\d{{3}}{_E}")),
    # UnionPay (62), Visa (4), Mastercard (51-55): 16-19 digits, whole or in groups of four; Luhn checked below.
    ("bank_card", re.compile(rf"{_D}(?:62\d{{14,17}}|4\d{{15}}|5[1-5]\d{{14}}){_E}")),
    ("bank_card", re.compile(rf"{_D}(?:62\d\d|4\d{{3}}|5[1-5]\d\d)(?:[ -]\d{{4}}){{3}}(?:[ -]\d{{1,3}})?{_E}")),
    # Mobile: 1[3-9] and 9 digits, whole or 3-4-4, optionally after +86 / 0086.
    ("mobile", re.compile(rf"{_D}(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:\d{{8}}|([ -])\d{{4}}\1\d{{4}}){_E}")),
    # Landline: area code 0[1-9]x(x) and a local number of 7-8 digits starting 2-9, whole or separated.
    ("landline", re.compile(rf"{_D}(?:0[1-9]\d{{1,2}}[ -]?|\(0[1-9]\d{{1,2}}\) ?)[2-9]\d{{6,7}}{_E}")),
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
)

# The prefilter's character classes (bytes of the UTF-8 text): digits, separators, '@'; everything else '.'.
_CLASSES = bytearray(b"." * 256)
for _byte in b"0123456789":
    _CLASSES[_byte] = ord("d")
for _byte in b" -()":
    _CLASSES[_byte] = ord("-")
_CLASSES[ord("@")] = ord("@")
_CLASSES_T1 = bytes(_CLASSES)
# A second reduction that tells 0, 1 and 2-9 apart: a separated landline's local number starts with 2-9.
_CLASSES[ord("0")] = ord("z")
_CLASSES[ord("1")] = ord("o")
_CLASSES_T2 = bytes(_CLASSES)
# Every pattern above needs one of these shapes: ten digits in a row (a whole number of any kind), 3-4-4 digits
# (a grouped mobile or card), a separator then 2-9 and six more digits (a separated landline), or an '@'.
_SHAPES_T1 = (b"dddddddddd", b"ddd-dddd-dddd", b"@")
_LANDLINE_T2 = re.compile(rb"-d[zod]{6}")


@dataclass(frozen=True)
class Finding:
    """Personal data found in one value: the kinds (in order of appearance) and the value with each masked."""

    kinds: tuple[str, ...]
    masked: str

    def label(self) -> Localized:
        """The kinds found, as an error message names them (each once)."""
        kinds = dict.fromkeys(self.kinds)
        return Localized(zh="、".join(PersonalDataKind(k).label("zh") for k in kinds),
                         en=", ".join(PersonalDataKind(k).label("en") for k in kinds))


class PersonalDataKind(LabelledEnum):
    """A kind of personal data found in a value (``Finding.kinds``)."""

    MOBILE = "mobile"
    LANDLINE = "landline"
    ID_NUMBER = "id_number"
    EMAIL = "email"
    BANK_CARD = "bank_card"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _valid_id(number: str) -> bool:
    if len(number) == 18:
        if not _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            return False
        total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == number[17].upper()
    return _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))


def _luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask(kind: str, text: str) -> str:
    """One finding masked: enough left to tell entries apart on a page, never the number."""
    digits = re.sub(r"\D", "", text)
    if kind == "mobile":
        core = digits[-11:]
        return f"{core[:3]}****{core[-4:]}"
    if kind == "landline":
        area = re.match(r"\(?(0[1-9]\d{1,2})", text)
        head = area.group(1) if area else ""
        return f"{head}-{'*' * (len(digits) - len(head) - 2)}{digits[-2:]}"
    if kind == "id_number":
        return f"{text[0]}{'*' * (len(text) - 2)}{text[-1]}"
    if kind == "bank_card":
        return f"{digits[:4]} **** **** {digits[-4:]}"
    local, _, domain = text.partition("@")
    return f"{local[:1]}***@{domain}"


def find_in_text(text: str) -> list[tuple[int, int, str]]:
    """Every personal-data finding in one string: (start, end, kind), by position, without overlaps."""
    normal = text.translate(_FULL_WIDTH)
    found: list[tuple[int, int, str]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(normal):
            if kind == "id_number" and not _valid_id(match.group()):
                continue
            if kind == "bank_card" and not _luhn(re.sub(r"\D", "", match.group())):
                continue
            found.append((match.start(), match.end(), kind))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if merged and start < merged[-1][1]:
            continue  # an ID number that also reads as a card, say: the first pattern names it
        merged.append((start, end, kind))
    return merged


def mask_text(text: str) -> str:
    """``text`` with every finding masked (the form a masked value is stored in, and every echo of a value)."""
    found = find_in_text(text)
    if not found:
        return text
    normal = text.translate(_FULL_WIDTH)
    out: list[str] = []
    at = 0
    for start, end, kind in found:
        out.append(text[at:start])
        out.append(_mask(kind, normal[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out)


def _candidates(values: Sequence[str | None]) -> np.ndarray:
    """Positions of the values that may hold personal data (a superset of the true ones, usually tiny)."""
    joined = "\x00".join(["" if v is None else v for v in values])
    data = joined.encode("utf-8", errors="replace")
    if not joined.isascii() and any(marker in data for marker in _FULL_WIDTH_MARKERS):
        data = joined.translate(_FULL_WIDTH).encode("utf-8", errors="replace")
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
    if ends.size != len(values) - 1:  # a value holding NUL itself: look at each value
        return np.arange(len(values))
    reduced = data.translate(_CLASSES_T1)
    hits = [match.start() for shape in _SHAPES_T1 for match in re.finditer(re.escape(shape), reduced)]
    hits.extend(match.start() for match in _LANDLINE_T2.finditer(data.translate(_CLASSES_T2)))
    if not hits:
        return np.array([], dtype=np.int64)
    return np.unique(np.searchsorted(ends, np.array(hits, dtype=np.int64)))


def scan_values(values: Sequence[str | None]) -> dict[int, Finding]:
    """Personal data in any of ``values``: position -> what was found and the value masked."""
    candidates = [p for p in _candidates(values).tolist() if values[p]]
    if not candidates:
        return {}
    texts = [str(values[p]) for p in candidates]
    # The exact patterns run once over the candidates joined (a column of long numeric ids may make every value a
    # candidate); a match is mapped back to its value by its offset.
    joined = "\x00".join(texts).translate(_FULL_WIDTH)
    starts = np.concatenate(([0], np.cumsum([len(t) + 1 for t in texts])[:-1]))
    kinds: dict[int, list[str]] = {}
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(joined):
            if kind == "id_number" and not _valid_id(match.group()):
                continue
            if kind == "bank_card" and not _luhn(re.sub(r"\D", "", match.group())):
                continue
            kinds.setdefault(int(np.searchsorted(starts, match.start(), side="right")) - 1, []).append(kind)
    found: dict[int, Finding] = {}
    for index in sorted(kinds):
        text = texts[index]
        spans = find_in_text(text)  # the kinds in order of appearance, overlaps resolved
        found[candidates[index]] = Finding(tuple(kind for _, _, kind in spans), mask_text(text))
    return found
