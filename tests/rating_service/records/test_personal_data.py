"""The personal-data scanner: what it finds in a value, what it leaves alone, how it masks."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rating_service.records.personal_data import find_in_text, mask_text, scan_values

# Valid by construction: the ID's check digit and the card's Luhn sum are right.
ID_18 = "110101199003074514"
ID_15 = "340722900307123"
CARD = "6222021234567890128"


@pytest.mark.parametrize("text,kind,number", [
    ("噪音扰民 联系人电话13322220003", "mobile", "13322220003"),
    ("回访 133-2222-0003", "mobile", "133-2222-0003"),
    ("回访 133 2222 0003", "mobile", "133 2222 0003"),
    ("+86 13322220003", "mobile", "13322220003"),
    # full-width digits, as an input method types them
    ("电话１３３２２２２０００３", "mobile", "１３３２２２２０００３"),
    ("家里 0556-3210001", "landline", "0556-3210001"),
    ("(0556)3210001", "landline", "(0556)3210001"),
    ("（０５５６）３２１０００１", "landline", "３２１０００１"),
    ("05563210001", "landline", "05563210001"),
    ("010-22345678", "landline", "010-22345678"),
    (f"身份证{ID_18}", "id_number", ID_18),
    (f"老证{ID_15}", "id_number", ID_15),
    ("邮箱 zhang.san@example.com", "email", "zhang.san@example.com"),
    (f"卡号{CARD}", "bank_card", CARD),
    ("卡号 4111 1111 1111 1111", "bank_card", "4111 1111 1111 1111"),
])
def test_personal_data_is_found_and_masked(text, kind, number):
    assert [k for _, _, k in find_in_text(text)] == [kind]
    (finding,) = scan_values([text]).values()
    assert finding.kinds == (kind,)
    assert number not in finding.masked and "*" in finding.masked
    assert finding.masked == mask_text(text)


@pytest.mark.parametrize("text", [
    "151****1325",  # already masked
    "张**",
    "GD2025-0000001", "XC2025-00001", "GD-000001", "ZY-C001", "C0034661",  # record and community ids
    "20250305123456", "202503051234567890",  # long numeric ticket numbers (no ID date, no province)
    "110101199003074515",  # an ID-shaped number whose check digit is wrong
    "6222021234567890123",  # a card-shaped number failing the Luhn check
    "2025-03-05 14:30", "2025年3月5日", "枞住建罚〔2025〕1号", "23,000元", "12345",
    "1332222 0003",  # not a way phone numbers are written
    "010-12345678",  # a local number never starts with 1
    "", "物业服务", "检查未发现问题",
])
def test_ordinary_values_are_left_alone(text):
    assert find_in_text(text) == []
    assert scan_values([text]) == {}
    assert mask_text(text) == text


def test_scan_values_names_the_positions_among_many():
    values = [f"GD2025-{i:07d}" for i in range(50_000)]
    values[7] = "13322220003"
    values[31_000] = f"x{ID_18}"
    values[49_999] = None  # type: ignore[call-overload]
    values[12] = "a@b.cn"
    found = scan_values(values)
    assert sorted(found) == [7, 12, 31_000]
    assert found[31_000].kinds == ("id_number",)


def test_a_value_holding_nul_is_still_scanned():
    assert list(scan_values(["ok", "a\x00b 13322220003", "fine"])) == [1]


def test_a_column_of_long_numeric_ids_is_scanned_whole():
    rng = random.Random(7)
    values = [str(rng.randrange(10**17, 10**18)) for _ in range(20_000)]
    found = scan_values(values)
    # Random 18-digit numbers rarely pass for an ID (province, birth date, check digit) or a UnionPay card (62…,
    # Luhn); each hit really does.
    assert len(found) < len(values) / 100
    for position, finding in found.items():
        assert finding.kinds in {("id_number",), ("bank_card",)}
        assert finding.kinds[0] == find_in_text(values[position])[0][2]


@settings(max_examples=200, deadline=None)
@given(prefix=st.text(max_size=10), suffix=st.text(max_size=10),
       number=st.sampled_from(["13322220003", ID_18, "zhang@example.com", "0556-3210001", CARD]))
def test_a_masked_value_never_holds_the_number(prefix, suffix, number):
    text = f"{prefix} {number} {suffix}"
    assert number not in mask_text(text)
    assert number not in next(iter(scan_values([text]).values())).masked
