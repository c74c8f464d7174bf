"""The password policy: long enough, not a common password or an obvious sequence, not the username.

Checked wherever a password is set (new accounts from the API, the page, the CLI and the demo; changed
passwords); passwords stored before the policy keep working at login.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from rating_service.errors import RatingServiceError
from rating_service.settings import get_settings

MIN_DISTINCT = 5
# Keyboard rows and alphabets, forwards and backwards: any 12 characters of them is as good as a common password.
_SEQUENCES = ("1234567890" * 3, "qwertyuiopasdfghjklzxcvbnm", "qazwsxedcrfvtgbyhnujmikolp",
              "abcdefghijklmnopqrstuvwxyz")
# The stem of "Password2025!" or "!!dragon88" is what is left without leading and trailing digits and punctuation.
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list (zxcvbn's 30,000 most common passwords, lower-cased; see common_passwords.NOTICE)."""
    text = resources.files("rating_service.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _is_common(password: str) -> bool:
    lowered = password.lower()
    listed = common_passwords()
    if lowered in listed:
        return True
    stem = _EDGES.sub("", lowered)
    if stem and stem in listed:
        return True
    return any(lowered in seq or lowered in seq[::-1] for seq in _SEQUENCES)


def check_password(password: str, *, username: str) -> None:
    """Raise the error naming the first rule the password breaks (nothing when it keeps them all)."""
    minimum = get_settings().password_min_length
    if len(password) < minimum:
        raise RatingServiceError("user_password_short", minimum=minimum)
    if username and username.lower() in password.lower():
        raise RatingServiceError("user_password_has_username")
    if len(set(password)) < MIN_DISTINCT:
        raise RatingServiceError("user_password_repetitive", minimum=MIN_DISTINCT)
    if _is_common(password):
        raise RatingServiceError("user_password_common")
