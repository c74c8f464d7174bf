"""Personal data removed from ticket text before it is stored, with a marker where it was."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rating_service.i18n.intake import MESSAGES
from rating_service.intake.redact import redact
from rating_service.records.personal_data import find_in_text

PHONE = MESSAGES["redacted.phone"]["zh"]
ID = MESSAGES["redacted.id_number"]["zh"]
CARD = MESSAGES["redacted.bank_card"]["zh"]
EMAIL = MESSAGES["redacted.email"]["zh"]
NAME = MESSAGES["redacted.name"]["zh"]
HOUSE = MESSAGES["redacted.house_number"]["zh"]


def _id_number(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights, strict=True)) % 11]


def _luhn(body: str) -> str:
    for last in "0123456789":
        digits = [int(c) for c in reversed(body + last)]
        if sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)) % 10 == 0:
            return body + last
    raise AssertionError


VALID_ID = _id_number("34082319900101123")


def test_the_markers_are_the_catalogue_words() -> None:
    assert PHONE == "【已删除电话】" and ID == "【已删除身份证号】" and NAME == "【已删除姓名】"


@pytest.mark.parametrize("text", [
    "电话13812345678反映漏水", "电话+8613812345678反映漏水", "电话 +86 138 1234 5678 反映漏水",
    "电话138-1234-5678反映漏水", "电话１３８１２３４５６７８反映漏水", "电话0562-3216547反映漏水",
    "电话 0086-13812345678 反映漏水",
])
def test_phones_of_every_shape_are_removed(text: str) -> None:
    result = redact(text)
    assert result.text.replace(" ", "") == f"电话{PHONE}反映漏水"
    assert result.removed == {"phone": 1} and result.count == 1
    assert not re.search(r"\d{5}", result.text.translate({0xFF10 + i: 0x30 + i for i in range(10)}))


def test_id_numbers_cards_and_emails() -> None:
    card = _luhn("622202100011223344")
    result = redact(f"身份证{VALID_ID}，卡号{card}，邮箱 wang.li@example.com 请回电")
    assert result.text == f"身份证{ID}，卡号{CARD}，邮箱 {EMAIL} 请回电"
    assert result.removed == {"id_number": 1, "bank_card": 1, "email": 1}


def test_a_number_that_fails_a_check_but_could_still_be_one_is_removed() -> None:
    wrong_check = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    result = redact(f"身份证号{wrong_check}，手机138 12345678")
    assert VALID_ID[:10] not in result.text and "12345678" not in result.text
    assert result.count == 2


def test_dates_building_numbers_and_short_numbers_stay() -> None:
    text = "2026-03-05 起3栋电梯停运，已投诉2次，等了45分钟"
    assert redact(text, house_numbers=False).text == text


@pytest.mark.parametrize(("text", "expected"), [
    ("联系人：张三，反映楼道灯坏了", f"联系人：{NAME}，反映楼道灯坏了"),
    ("联系人张三反映楼道灯坏了", f"联系人{NAME}反映楼道灯坏了"),
    ("来电人: 欧阳娜娜称电梯困人", f"来电人: {NAME}称电梯困人"),
    ("投诉人王先生反映噪音", f"投诉人{NAME}反映噪音"),
    ("反映人 李女士 来电", f"反映人 {NAME} 来电"),
    ("姓名：刘德华", f"姓名：{NAME}"),
    ("业主张女士多次反映垃圾未清运", f"业主{NAME}多次反映垃圾未清运"),
    ("于先生说楼上漏水", f"{NAME}说楼上漏水"),
])
def test_names_after_the_introducing_words_and_titled_names(text: str, expected: str) -> None:
    result = redact(text)
    assert result.text == expected and result.removed == {"name": 1}


@pytest.mark.parametrize("text", ["投诉人称小区垃圾无人清运", "来电人反映物业费过高", "姓名不详，反映路灯不亮",
                                  "物业服务中心未处理"])
def test_words_that_only_look_like_a_name_place_stay(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(("text", "expected"), [
    ("山水兰亭3栋2单元502室漏水", f"山水兰亭3栋2单元{HOUSE}漏水"),
    ("江南府5号楼1203楼上装修", f"江南府5号楼{HOUSE}楼上装修"),
    ("枞川花园12幢301室", f"枞川花园12幢{HOUSE}"),
    ("住3-2-502的业主", f"住3-2-{HOUSE}的业主"),
    ("家住1101室", f"家住{HOUSE}"),
])
def test_house_numbers_beyond_the_building_when_asked(text: str, expected: str) -> None:
    assert redact(text).text == expected
    assert redact(text).removed == {"house_number": 1}
    assert redact(text, house_numbers=False).text == text


def test_building_and_unit_without_a_room_stay() -> None:
    text = "山水兰亭3栋2单元门口堆满垃圾"
    assert redact(text).text == text


def test_empty_text() -> None:
    assert redact("").text == "" and redact("").count == 0


# -- property: planted numbers never survive -----------------------------------------------------------------

_ASCII = {0xFF10 + i: 0x30 + i for i in range(10)}
_mobile = st.builds(lambda p, d: f"1{p}{d}", st.sampled_from("3456789"), st.from_regex(r"\A[0-9]{9}\Z"))
_landline = st.builds(lambda a, d: f"0562-{a}{d}", st.sampled_from("2345678"), st.from_regex(r"\A[0-9]{6}\Z"))
_id = st.builds(lambda area, year, day, seq: _id_number(f"{area}{year}{day}{seq}"),
                st.sampled_from(["340823", "110101", "440305"]), st.integers(1950, 2010).map(str),
                st.sampled_from(["0101", "0615", "1231", "0229"]), st.from_regex(r"\A[0-9]{3}\Z"))
_spaced = _mobile.map(lambda m: f"{m[:3]} {m[3:7]} {m[7:]}")
_full_width = _mobile.map(lambda m: m.translate({0x30 + i: 0xFF10 + i for i in range(10)}))
_plus = _mobile.map(lambda m: f"+86{m}")
_planted = st.one_of(_mobile, _landline, _id, _spaced, _full_width, _plus)
_FILLER = "小区电梯漏水反映联系人张三女士先生号楼栋单元室，。：: -0123456789abc@"
_filler = st.text(alphabet=st.sampled_from(list(_FILLER)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_filler, _planted), min_size=1, max_size=4), _filler, st.booleans())
def test_no_planted_phone_or_id_number_survives(pieces: list[tuple[str, str]], tail: str, houses: bool) -> None:
    text = "".join(f"{filler}{number}" for filler, number in pieces) + tail
    result = redact(text, house_numbers=houses)
    left = [(s, e, kind) for s, e, kind in find_in_text(result.text) if kind in ("mobile", "landline", "id_number")]
    assert not left, (text, result.text)
    joined = re.sub(r"[ -]", "", result.text.translate(_ASCII))
    for _, number in pieces:
        digits = re.sub(r"\D", "", number.translate(_ASCII))
        assert digits[-11:] not in joined, (text, result.text)
    assert result.count >= 1
