"""Unified social credit codes (统一社会信用代码) after GB 32100-2015.

Pure functions, no I/O, so the generator, the importers and the scoring CLI share them.
"""

from __future__ import annotations

# GB 32100-2015 code alphabet: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 organisation code (positions 9-17) weights; used only to generate realistic codes.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_character(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise ValueError("a credit code body has 17 characters")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, as a message key, or None when it is valid."""
    if len(code) != 18:
        return "credit_code_length"
    if any(ch not in _VALUE for ch in code):
        return "credit_code_charset"
    if check_character(code[:17]) != code[17]:
        return "credit_code_check_digit"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def organisation_code(body8: str) -> str:
    """A GB 11714 organisation code (8 characters + check character) for ``body8``."""
    total = sum(_ORG_ALPHABET.index(ch) * w for ch, w in zip(body8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    check = "X" if c9 == 10 else "0" if c9 == 11 else str(c9)
    return body8 + check


def make_credit_code(*, region: str, serial: int, registration: str = "9", org_type: str = "1") -> str:
    """A valid credit code for a company registered in ``region`` (6-digit division code).

    ``serial`` is turned into the 8-digit body of the organisation code, so distinct serials
    give distinct codes.
    """
    body8 = f"{serial % 100_000_000:08d}"
    first17 = registration + org_type + region + organisation_code(body8)
    return first17 + check_character(first17)
