"""Which methodology versions exist, which is in force, and adopting a new one.

The shipped versions are the YAML files in ``scoring/methodologies/``; the bureau adopts later versions here after
a what-if. An adopted version is stored as the YAML text it was adopted with and never changes, so a cycle rated with
it can always be rated again the same way; cycles keep the version they were created with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cache
from typing import Any

import yaml
from sqlalchemy.orm import Session

from rating_service.audit import service as audit
from rating_service.db import DISCLOSURE_CHANGED
from rating_service.errors import Conflict, NotFound, RatingServiceError
from rating_service.i18n import Lang, Localized
from rating_service.i18n.validation import PAGE_TEXT
from rating_service.methodologies import repository
from rating_service.methodologies.models import MethodologyVersion
from scoring.methodology import (
    Methodology,
    MethodologyError,
    available_methodologies,
    methodology_from_text,
    parse_methodology,
    shipped_categories,
    shipped_repair_rules,
    shipped_words,
)

MAX_TEXT = 100_000
# An adopted version's id is part of public addresses (/public/methodology/{id}) and of the stored rows.
VERSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# Adopted versions are immutable: parsed once per process, keyed by id and content hash.
_parsed: dict[tuple[str, str], Methodology] = {}


class MethodologyInvalid(RatingServiceError):
    status_code = 400
    code = "methodology_invalid"
    path: str | None = None  # the key path in the methodology (for machines; the message names it in words)

    def details(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        if self.path is None:
            return []
        return [{"field": self.path, "reason": self.message(lang), "code": self.key}]


# The key paths of the fields the what-if form edits, with the indicator whose curve they hold.
CURVE_PATHS = {"inspections.breakpoints": "INSP", "complaints.rate_breakpoints": "COMPL", "fees.breakpoints": "FEE"}
# The timeliness part's curve of a version that scores late complaints per exposure (ZY-2026's ``late_rate`` rule;
# a ``share`` version has none): the form shows it, under this key, only when the version has one.
TIMELINESS_CURVE = ("complaints.timeliness.breakpoints", "COMPL_TIMELY")
TIMELINESS_RULE = "complaints.timeliness"


def curve_paths(methodology: Methodology) -> dict[str, str]:
    """The curves of ``methodology`` the what-if form edits: key path -> form key (the indicator, or
    ``COMPL_TIMELY`` for the timeliness curve when the version has one)."""
    paths = dict(CURVE_PATHS)
    if methodology.complaints.timeliness.breakpoints is not None:
        paths[TIMELINESS_CURVE[0]] = TIMELINESS_CURVE[1]
    return paths


# What a what-if compares between two versions: everything that scores, not the words, dates, lists or references.
_NOT_RULES = {"id", "title", "title_en", "effective_from", "effective_to", "references", "words", "explanation",
              "categories", "repair", "lists"}


def differences(current: Methodology, draft: Methodology) -> list[str]:
    """The key paths in which ``draft`` scores differently from ``current``, in the file's order: a weight
    (``weights.COMPL``), a curve (its path), ``bands``, the timeliness rule (``complaints.timeliness``, its curve
    apart), or any other scoring value by its own path."""
    def leaves(data: Any, prefix: str = "") -> dict[str, Any]:
        if isinstance(data, dict):
            out: dict[str, Any] = {}
            for key, value in data.items():
                out.update(leaves(value, f"{prefix}{key}."))
            return out
        return {prefix.rstrip("."): data}

    before = {k: v for k, v in current.model_dump(mode="json").items() if k not in _NOT_RULES}
    after = {k: v for k, v in draft.model_dump(mode="json").items() if k not in _NOT_RULES}
    a, b = leaves(before), leaves(after)
    curves = set(curve_paths(current)) | set(curve_paths(draft))
    changed: list[str] = []
    for path in dict.fromkeys([*a, *b]):
        if a.get(path) == b.get(path):
            continue
        if path.startswith("bands"):
            path = "bands"
        elif path.startswith(TIMELINESS_RULE + ".") and path not in curves:
            path = TIMELINESS_RULE
        if path not in changed:
            changed.append(path)
    return changed


def timeliness_words(methodology: Methodology, lang: Lang) -> str:
    """How a version scores the timeliness part of complaints, in words."""
    rule = methodology.complaints.timeliness
    if rule.late_rate:
        return PAGE_TEXT["timeliness_late_rate"][lang].format(
            per=f"{rule.rate_per_households:,g}", k=f"{rule.credibility_households:,g}")
    return PAGE_TEXT["timeliness_share"][lang]
# Rule kinds (``scoring.methodology.RuleError`` and pydantic's error types) worded by a message of their own.
_WORDED = {"weights_sum", "breakpoints_too_few", "breakpoints_first_x", "breakpoints_x_order", "breakpoints_y_order",
           "bands_order", "bands_gap", "negative"}
_NUMBER = {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"}
_RANGE = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<", "less_than_equal": "≤"}


def _words(key: str, **params: Any) -> Localized:
    return Localized({lang: PAGE_TEXT[key][lang].format(**params) for lang in ("zh", "en")})


def field_words(field: str, methodology: Methodology | None = None) -> Localized:
    """A methodology's key path in words: 「巡查检查」评分折线 for ``inspections.breakpoints.2.0``; a path the forms do
    not edit is named as it stands in the file (the YAML upload is where it was written)."""
    vocabulary = (methodology.words if methodology is not None else shipped_words())
    if field == TIMELINESS_CURVE[0] or field.startswith(TIMELINESS_CURVE[0] + "."):
        term = vocabulary.term("indicators", "COMPL")
        return Localized({lang: PAGE_TEXT["field_timeliness_curve"][lang].format(name=term.name(lang))
                          for lang in ("zh", "en")})
    if field == TIMELINESS_RULE or field.startswith(TIMELINESS_RULE + "."):
        term = vocabulary.term("indicators", "COMPL")
        return Localized({lang: PAGE_TEXT["field_timeliness_rule"][lang].format(name=term.name(lang))
                          for lang in ("zh", "en")})
    for path, code in CURVE_PATHS.items():
        if field == path or field.startswith(path + "."):
            term = vocabulary.term("indicators", code)
            return Localized({lang: PAGE_TEXT["field_curve_of"][lang].format(name=term.name(lang))
                              for lang in ("zh", "en")})
    head = field.split(".", 1)[0]
    if head == "weights":
        return _words("field_weights")
    if head == "bands":
        return _words("field_bands")
    if field == "(file)":
        return _words("field_file")
    if field.startswith("line "):
        return _words("field_line", n=field.removeprefix("line "))
    return _words("field_path", path=field[:80])


def rule_error(kind: str | None, field: Localized, params: dict[str, Any], *, zh: str, en: str) -> MethodologyInvalid:
    """The error of a broken rule, worded by its kind (never by reading the sentence ``zh``/``en``, which words a
    kind this table does not know)."""
    def number(value: Any) -> str:
        return f"{value:g}" if isinstance(value, int | float) else str(value)[:40]

    figures = {k: number(v) for k, v in params.items() if isinstance(v, int | float | str)}
    if kind in _WORDED:
        if kind == "weights_sum":
            figures["total"] = f"{100 * float(params.get('total', 0)):.6g}"
        return MethodologyInvalid(f"rule_{kind}", field=field, **figures)
    if kind in _NUMBER:
        return MethodologyInvalid("rule_not_a_number", field=field, value=figures.get("input", ""))
    if kind in _RANGE:
        bound = next((f"{_RANGE[kind]} {number(v)}" for k, v in params.items() if k in ("gt", "ge", "lt", "le")), "")
        return MethodologyInvalid("rule_out_of_range", field=field, bound=bound)
    return MethodologyInvalid("rule_other", field=field, reason=Localized({"zh": zh, "en": en}))


def _invalid(error: MethodologyError) -> MethodologyInvalid:
    invalid = rule_error(error.kind, field_words(error.field), error.params, zh=error.zh, en=error.en)
    invalid.path = error.field
    return invalid


@cache
def _shipped() -> tuple[Methodology, ...]:
    return tuple(available_methodologies())


def shipped() -> list[Methodology]:
    """The versions shipped with the code (read and validated once per process: they change only with it)."""
    return list(_shipped())


def find(session: Session | None, identifier: str) -> Methodology:
    """A version by id: shipped first, then adopted (``session`` None: shipped only)."""
    for methodology in shipped():
        if methodology.id == identifier:
            return methodology
    row = repository.version(session, identifier) if session is not None else None
    if row is None:
        raise NotFound("methodology_not_found", methodology=identifier[:64])
    key = (row.id, row.sha256)
    if key not in _parsed:
        _parsed[key] = methodology_from_text(row.text, source=row.id, stored=True)
    return _parsed[key]


def all_versions(session: Session) -> list[Methodology]:
    """Every version, shipped and adopted, by effective date."""
    adopted = [find(session, row.id) for row in repository.versions(session)]
    return sorted([*shipped(), *adopted], key=lambda m: (m.effective_from, m.id))


def adopted_rows(session: Session) -> dict[str, MethodologyVersion]:
    return {row.id: row for row in repository.versions(session)}


def in_force(session: Session, day: dt.date) -> Methodology:
    """The version in force on ``day``: of those whose dates cover it, the latest to start."""
    candidates = [m for m in all_versions(session) if m.in_force_on(day)]
    if not candidates:
        raise NotFound("methodology_none_in_force", day=day.isoformat())
    return candidates[-1]


def parse_text(text: str) -> Methodology:
    """A draft from YAML text (an upload or the what-if form's hidden copy); every rule of the file checked."""
    if len(text) > MAX_TEXT:
        raise MethodologyInvalid("methodology_invalid", field="(file)", reason_zh=f"文件过大（上限 {MAX_TEXT} 字节）",
                                 reason_en=f"the file is too large (limit {MAX_TEXT} bytes)")
    try:
        return methodology_from_text(text, source="draft")
    except MethodologyError as exc:
        raise _invalid(exc) from None


def parse_data(data: Any) -> Methodology:
    """A draft from plain data (an API body's JSON object)."""
    try:
        return parse_methodology(data, source="draft")
    except MethodologyError as exc:
        raise _invalid(exc) from None


def as_text(methodology: Methodology) -> str:
    """The YAML text of a version (the stored form of an adopted one)."""
    data = methodology.model_dump(mode="json", exclude_none=False)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def with_changes(base: Methodology, changes: dict[str, Any]) -> Methodology:
    """``base`` with some top-level or nested values replaced (the what-if form), validated as a whole."""
    data = base.model_dump(mode="json")
    for path, value in changes.items():
        target = data
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        target[last] = value
    return parse_data(data)


def adopt(*, session: Session, draft: Methodology, actor: str, reason: str, based_on: str | None,
          today: dt.date) -> MethodologyVersion:
    """A draft becomes a version under a new id, in force from its effective date (not in the past: rules are not
    made retroactive; cycles already created keep their version); validated again, stored as text, audited."""
    if draft.effective_from < today:
        raise MethodologyInvalid("methodology_invalid", field="effective_from",
                                 reason_zh=f"施行日期不得早于今天（{today.isoformat()}）",
                                 reason_en=f"the effective date may not be before today ({today.isoformat()})")
    if not VERSION_ID.fullmatch(draft.id):
        raise MethodologyInvalid("methodology_invalid", field="id",
                                 reason_zh="编号只能使用字母、数字和 . _ -，以字母或数字开头，不超过 64 个字符",
                                 reason_en="use letters, digits, '.', '_' and '-', starting with a letter or digit, "
                                           "at most 64 characters")
    if not draft.title.strip() or len(draft.title) > 200:
        raise MethodologyInvalid("methodology_invalid", field="title", reason_zh="名称不能为空，且不超过 200 个字符",
                                 reason_en="the title must be given, at most 200 characters")
    reason = reason.strip()
    if not reason:
        raise MethodologyInvalid("methodology_invalid", field="reason", reason_zh="请说明采用理由",
                                 reason_en="give the reason for adopting it")
    taken = {m.id for m in all_versions(session)}
    if draft.id in taken:
        raise Conflict("methodology_id_taken", methodology=draft.id)
    if draft.categories is None:
        # A draft without category lists (a YAML file written before they existed) adopts the shipped ones, so that
        # the version keeps the lists it was adopted with whatever later code ships.
        draft = draft.model_copy(update={"categories": shipped_categories()})
    if draft.repair is None:
        # Likewise the repair rules: the version keeps the ones in force when it was adopted.
        draft = draft.model_copy(update={"repair": shipped_repair_rules()})
    text = as_text(draft)
    checked = parse_text(text)  # what is stored must read back as the same methodology
    if checked != draft:
        raise MethodologyInvalid("methodology_invalid", field="(file)", reason_zh="无法原样保存",
                                 reason_en="does not read back as adopted")
    row = MethodologyVersion(id=draft.id, title=draft.title, effective_from=draft.effective_from, based_on=based_on,
                             text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                             adopted_at=dt.datetime.now(dt.UTC), adopted_by=actor, reason=reason[:5000])
    session.add(row)
    session.info[DISCLOSURE_CHANGED] = True  # the public methodology pages list it
    session.flush()
    audit.record(session, "methodology.adopt", actor=actor, entity_kind="methodology", entity_id=draft.id,
                 reason=reason, payload={"based_on": based_on, "effective_from": draft.effective_from.isoformat(),
                                         "sha256": row.sha256, "weights": draft.weights,
                                         "bands": [b.model_dump() for b in draft.bands]})
    return row
