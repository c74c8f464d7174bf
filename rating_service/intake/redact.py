"""Personal data removed from free text before it is stored: phone numbers, resident ID numbers, bank cards, e-mail
addresses, the names of callers and, when the bureau chooses, house numbers beyond building level. Each piece is
replaced by a marker saying what was removed (``【已删除电话】``); the markers are words of the catalogue
(``i18n/intake.py``, keys ``redacted.<kind>``), always stored in Chinese.

The numbers are found by the records room's exact patterns and checks (``records.personal_data.find_in_text``: ID date
and check digit, the Luhn sum of a card, mobiles with +86 or grouped 3-4-4, landlines 0562-xxxxxxx, full-width digits).
A last pass removes any digit run that could still be a phone or an ID number although it failed a check (an ID
number with a wrong check digit, a mobile written 3-8): eleven digits or more in a row, or grouped by single spaces
or hyphens, and any number of seven digits or more after a word such as 电话 or 手机. Dates and building numbers are
shorter and stay.

Pure: no database, no web.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rating_service.i18n import translate
from rating_service.records.personal_data import find_in_text

KINDS = ("phone", "id_number", "bank_card", "email", "name", "house_number")
_FINDING_KIND = {"mobile": "phone", "landline": "phone", "id_number": "id_number", "bank_card": "bank_card",
                 "email": "email"}


def marker(kind: str) -> str:
    """The stored marker of one removed kind (always the Chinese word: it is data, not a page's language)."""
    return translate(f"redacted.{kind}", "zh")


@dataclass(frozen=True)
class Redacted:
    """A text with its personal data removed, and how many pieces of each kind were removed."""

    text: str  # with markers such as 【已删除电话】 where something was removed
    removed: dict[str, int] = field(default_factory=dict)  # kind -> count (only kinds found)

    @property
    def count(self) -> int:
        return sum(self.removed.values())


# Full-width digits, separators and the ideographic space as ASCII, one character for one (positions stay).
_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)}
_FULL_WIDTH.update({0xFF0D: 0x2D, 0x3000: 0x20, 0xFF0B: 0x2B, 0x2014: 0x2D, 0x2013: 0x2D, 0xFF38: 0x58,
                    0xFF58: 0x78, 0xFF1A: 0x3A})

# The last pass over numbers: a run of digits (single spaces or hyphens between groups), perhaps ending in X.
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[ -]?\d+)*(?:[Xx](?![A-Za-z]))?")
_PHONE_WORDS = re.compile(r"(?:电话|手机|手机号|号码|联系方式|座机|微信|tel|TEL|Tel)[号码]?\s*[:：是为]?\s*$")

# Names after the words that introduce a person, and 王先生 / 张女士 forms.
_NAME_WORDS = "联系人|来电人|投诉人|反映人|举报人|求助人|诉求人|姓名"
# "本人" (I, myself) is followed by a name only sometimes ("本人郑小明，身份证号…", not "本人居住的小区"): a name there
# must be two or three Han characters ending where the sentence pauses or a phone or ID word begins.
_MYSELF = re.compile(r"本人[ \t\u3000]*[:：]?[ \t\u3000]*([\u4e00-\u9fff]{2,3})"
                     r"(?=[，,。；;、\s]|身份证|电话|手机|联系|$)")
_HAN = "\u4e00-\u9fff"
_TITLES = "先生|女士|小姐|阿姨|师傅|老师"
_AFTER_WORD = re.compile(rf"(?:{_NAME_WORDS})[ \t\u3000]*[:：]?[ \t\u3000]*([{_HAN}]{{1,4}})")
# Words that follow a name in a ticket (or stand where a name would): a name is cut before them.
_STOPS = ("反映", "反应", "来电", "表示", "投诉", "诉求", "要求", "希望", "电话", "手机", "联系", "号码", "称", "说",
          "不详", "匿名", "未知", "本人", "业主", "小区", "住在", "住", "家住", "家中", "所在", "称其", "咨询", "求助",
          "建议", "举报", "情况", "多次", "现", "于", "在", "的", "是", "因", "对", "向", "和", "及", "与", "等",
          "楼", "栋", "单元", "室")
# The most common family names (single and double): a title after one of them is a person.
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
             "章左鲁柯丰")
_DOUBLE_SURNAMES = "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|夏侯|尉迟|公孙|长孙|宇文|司徒|鲜于"
_TITLED = re.compile(rf"(?:{_DOUBLE_SURNAMES}|[{_SURNAMES}])(?:{_TITLES})")

# House numbers beyond building level: what follows the building (and the unit) is removed.
_NUM = r"[0-9一二三四五六七八九十]+"
_BUILDING = rf"{_NUM}\s*(?:号楼|栋|幢|座|#楼?|号院)"
_UNIT = rf"(?:\s*[-—]?\s*{_NUM}\s*单元)?"
_ROOM = r"\s*[-—]?\s*(?:\d+\s*[楼层]\s*)?(?:\d{1,5}\s*(?:室|号房|房|户|号)|\d{3,5}(?![\d号]))"
_HOUSE = re.compile(rf"({_BUILDING}{_UNIT})({_ROOM})")
_DASHED_HOUSE = re.compile(r"(?<![\d-])(\d{1,3}-\d{1,2}-)(\d{3,4})(?![\d-])")  # 3-2-502
_LONE_ROOM = re.compile(r"(?<!\d)\d{3,5}\s*(?:室|号房)")


def _name_span(text: str, start: int) -> int:
    """The end of a name starting at ``start`` (at most four Han characters), cut before a following word."""
    end = start
    while end < len(text) and end - start < 4 and "\u4e00" <= text[end] <= "\u9fff":
        end += 1
    for at in range(start, end):
        for stop in _STOPS:
            if text.startswith(stop, at):
                if at == start and len(stop) == 1:
                    continue  # a one-character word may be a family name (于, 向)
                return at
    return end


def _replace(text: str, spans: list[tuple[int, int, str]], removed: dict[str, int]) -> str:
    out: list[str] = []
    at = 0
    for start, end, kind in sorted(spans):
        if start < at:
            continue
        out.append(text[at:start])
        out.append(marker(kind))
        removed[kind] = removed.get(kind, 0) + 1
        at = end
    out.append(text[at:])
    return "".join(out)


def _numbers(text: str, removed: dict[str, int]) -> str:
    spans = [(start, end, _FINDING_KIND[kind]) for start, end, kind in find_in_text(text)]
    text = _replace(text, spans, removed)
    normal = text.translate(_FULL_WIDTH)
    spans = []
    for match in _DIGIT_RUN.finditer(normal):
        digits = re.sub(r"\D", "", match.group())
        after_word = _PHONE_WORDS.search(normal[max(0, match.start() - 12):match.start()]) is not None
        if len(digits) >= 11 or (after_word and len(digits) >= 7):
            kind = "id_number" if len(digits) in (15, 17, 18) and (len(digits) != 17 or
                                                                  match.group()[-1] in "Xx") else "phone"
            if len(digits) in (16, 19):
                kind = "bank_card"
            spans.append((match.start(), match.end(), kind))
    return _replace(text, spans, removed)


def _names(text: str, removed: dict[str, int]) -> str:
    spans: list[tuple[int, int, str]] = []
    for match in _AFTER_WORD.finditer(text):
        start = match.start(1)
        titled = _TITLED.match(text, start) or re.compile(rf"[{_HAN}]{{1,2}}(?:{_TITLES})").match(text, start)
        if titled:
            spans.append((start, titled.end(), "name"))
            continue
        end = _name_span(text, start)
        if end - start >= 2:
            spans.append((start, end, "name"))
    for match in _MYSELF.finditer(text):
        if _name_span(text, match.start(1)) >= match.end(1):
            spans.append((match.start(1), match.end(1), "name"))
    taken = [(s, e) for s, e, _ in spans]
    for match in _TITLED.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            spans.append((match.start(), match.end(), "name"))
    return _replace(text, spans, removed)


def _houses(text: str, removed: dict[str, int]) -> str:
    spans: list[tuple[int, int, str]] = []
    normal = text.translate(_FULL_WIDTH)
    for pattern in (_HOUSE, _DASHED_HOUSE):
        for match in pattern.finditer(normal):
            spans.append((match.start(2), match.end(2), "house_number"))
    for match in _LONE_ROOM.finditer(normal):
        if not any(s <= match.start() < e for s, e, _ in spans):
            spans.append((match.start(), match.end(), "house_number"))
    return _replace(text, spans, removed)


# What every piece of personal data above needs somewhere in the text: a digit (ASCII or full width: numbers, house
# numbers), an '@' (e-mail), a word that introduces a person, 本人, or a title. Most request texts have none of them
# and skip the passes (redaction of a 20,000-ticket export under cProfile: 2.5 s → 1.9 s).
_MAYBE = re.compile(rf"[0-9\uff10-\uff19@]|{_NAME_WORDS}|本人|{_TITLES}")


def redact(text: str, *, house_numbers: bool = True) -> Redacted:
    """``text`` with its personal data replaced by markers, and the count of each kind removed."""
    if not text or not _MAYBE.search(text):
        return Redacted(text or "", {})
    removed: dict[str, int] = {}
    text = _numbers(text, removed)
    text = _names(text, removed)
    if house_numbers:
        text = _houses(text, removed)
    return Redacted(text, {kind: removed[kind] for kind in KINDS if kind in removed})
