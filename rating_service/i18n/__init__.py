"""User-facing text, Chinese by default with English available: one catalogue, assembled from a module per area.

Each area module (``errors``, ``imports``, ``records``, ``accounts``, ``audit``, ``cycles``, ``notices``,
``appeals``, ``disclosure``, ``commands``, ``labels``, ``web``, ``explanations``, ``validation``, ``workdays``, ``intake``, ``repair``, ``monitor``)
holds a ``MESSAGES`` dict of ``key -> {"zh": ..., "en": ...}``; this package merges them into ``MESSAGES`` and
refuses a key defined twice. The words of the pages live here too, as tables the pages index by key
(``PAGE_TEXT`` of ``accounts``, ``appeals`` (and its ``HOME_TEXT``), ``audit``, ``cycles``, ``notices``, ``records``, ``validation``,
``workdays``; ``cycles.DASHBOARD_TEXT``, ``disclosure.PUBLIC_TEXT``, ``web.UI``, ``validation.REASON_WORDS``) and
the explanation's words (``explanations.EXPLAIN_TEXT``, worded by rating_service/cycles/wording.py). No module of
the service outside this package writes user-facing text in both languages (a test walks the source).
Area modules import nothing from the service.

Why Python modules and not gettext catalogues (Babel): the service speaks exactly two languages and every message
is written in both at once, by the same people who write the code; a key with its two spellings side by side is
what a reviewer checks. Python modules need no extraction/compile step and no binary ``.mo`` files, a missing
language or a duplicate key is caught by a plain test (tests/rating_service/test_i18n_catalogue.py), and messages
keep their named ``{placeholders}`` and ``Localized`` parameters. gettext's strengths (plural rules, translators'
tools for many languages) are not needed here.
"""

from __future__ import annotations

from enum import StrEnum
from types import ModuleType
from typing import Any, Literal

from rating_service.i18n import (
    accounts,
    appeals,
    audit,
    commands,
    cycles,
    disclosure,
    errors,
    explanations,
    imports,
    intake,
    labels,
    monitor,
    notices,
    records,
    repair,
    validation,
    web,
    workdays,
)

Lang = Literal["zh", "en"]

AREAS: tuple[ModuleType, ...] = (
    errors, imports, records, accounts, audit, cycles, notices, appeals, disclosure, commands, labels, web, explanations,
    validation, workdays, intake, repair, monitor,
)


def _assemble(areas: tuple[ModuleType, ...]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for area in areas:
        for key, entry in area.MESSAGES.items():
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice (again in {area.__name__})")
            merged[key] = entry
    return merged


MESSAGES: dict[str, dict[str, str]] = _assemble(AREAS)


class Localized(dict[str, str]):
    """A message parameter that has its own zh/en spellings (a state name, an action)."""

    def render(self, lang: Lang) -> str:
        return self.get(lang) or self.get("zh") or ""


def localized(key: str) -> Localized:
    """The catalogue entry ``key`` as a message parameter that renders in the message's language."""
    return Localized(MESSAGES[key])


class LabelledEnum(StrEnum):
    """A value with a Chinese and an English name: ``label(lang)`` reads the catalogue entry ``<type>.<value>``.

    ``<type>`` is the class name in snake case (``CycleState`` -> ``cycle_state``). Members equal their strings,
    so they compare with the values stored in the database.
    """

    @classmethod
    def _label_prefix(cls) -> str:
        name = cls.__name__
        return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))

    def label(self, lang: Lang = "zh") -> str:
        return translate(f"{self._label_prefix()}.{self.value}", lang)

    def localized(self) -> Localized:
        """The name as a message parameter (rendered in the message's language, storable as a dict)."""
        return localized(f"{self._label_prefix()}.{self.value}")


def _labels(prefix: str) -> dict[str, Localized]:
    return {key.removeprefix(prefix): Localized(entry) for key, entry in MESSAGES.items() if key.startswith(prefix)}


# The names of values as message parameters, by value (the value types' ``label`` reads the same entries).
STATE_LABELS = _labels("cycle_state.")
ACTION_LABELS = _labels("cycle_action.")
PERSONAL_DATA_LABELS = _labels("personal_data_kind.")
ROLE_LABELS = _labels("role.")


def translate(key: str, lang: Lang = "zh", /, **params: Any) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["zh"]
    params = {k: v.render(lang) if isinstance(v, Localized) else v for k, v in params.items()}
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def negotiate_lang(accept_language: str | None, explicit: str | None = None, default: Lang = "zh") -> Lang:
    """Pick zh or en from an explicit choice or an Accept-Language header."""
    for candidate in (explicit, accept_language):
        if not candidate:
            continue
        first = candidate.split(",")[0].strip().lower()
        if first.startswith("en"):
            return "en"
        if first.startswith("zh"):
            return "zh"
    return default


__all__ = [
    "ACTION_LABELS", "AREAS", "LabelledEnum", "Lang", "Localized", "MESSAGES", "PERSONAL_DATA_LABELS", "ROLE_LABELS",
    "STATE_LABELS", "localized", "negotiate_lang", "translate",
]
