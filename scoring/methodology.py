"""Methodologies as data: load a YAML file, validate every number, find the one in force on a date."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

METHODOLOGY_DIR = Path(__file__).resolve().parent / "methodologies"
INDICATORS = ("INSP", "COMPL", "FEE")
SEVERITIES = ("none", "minor", "moderate", "serious")
FEE_TYPES = ("undisclosed", "overcharge", "unauthorized_item", "public_income", "maintenance_fund")
LEVELS = ("national", "provincial", "city", "county", "township")
EVENT_KINDS = ("refuse_to_exit", "major_safety_accident", "false_material")
REASON_CODES = ("INSP", "COMPL_RATE", "COMPL_TIMELY", "FEE")
# The sections of a methodology's vocabulary (``words``) and the keys each must name, exactly.
FLAG_KEYS = ("provisional", "veto", "floor")
LIST_KEYS = ("red", "black")
RULE_KEYS = ("attribution", "exposure", "weights", "bonus", "bands", "veto", "floor", "provisional", "rounding")
VOCABULARY_SECTIONS: dict[str, tuple[str, ...]] = {
    "indicators": INDICATORS,
    "reasons": (*REASON_CODES, "VETO"),
    "flags": FLAG_KEYS,
    "lists": LIST_KEYS,
    "rules": RULE_KEYS,
    "severities": SEVERITIES,
    "fee_types": FEE_TYPES,
    "levels": LEVELS,
    "event_kinds": EVENT_KINDS,
}


class RuleError(ValueError):
    """A rule of a methodology broken, as a ``kind`` (``weights_sum``, ``breakpoints_x_order``, …) with its figures
    in ``params``, so that a caller can word it in its own language without reading the sentence; ``str()`` stays
    the sentence in both languages (``field`` first where a cross-field check names its field)."""

    def __init__(self, kind: str, en: str, zh: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(f"{field + ': ' if field else ''}{en} / {zh}")
        self.kind, self.en, self.zh, self.params = kind, en, zh, params


class MethodologyError(ValueError):
    """A methodology file that cannot be used; ``field`` names the offending key path; ``kind`` and ``params`` say
    which rule failed (a ``RuleError``'s kind, or pydantic's error type such as ``float_parsing``), for callers
    that word the error themselves."""

    def __init__(self, source: str, field: str, zh: str, en: str, *, kind: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(f"{source}: {field}: {zh} / {en}")
        self.source, self.field, self.zh, self.en = source, field, zh, en
        self.kind, self.params = kind, dict(params or {})

    def message(self, lang: str = "zh") -> str:
        return f"{self.source}：{self.field}：{self.zh}" if lang == "zh" else f"{self.source}: {self.field}: {self.en}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Breakpoints = tuple[tuple[float, float], ...]


def _check_breakpoints(points: Breakpoints) -> Breakpoints:
    if len(points) < 2:
        raise RuleError("breakpoints_too_few", "need at least two breakpoints", "至少需要两个折点", count=len(points))
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    for row, (a, b) in enumerate(zip(xs, xs[1:], strict=False), start=2):
        if b <= a:
            raise RuleError("breakpoints_x_order", f"x must increase strictly: {xs}", f"折点横坐标必须严格递增：{xs}",
                            row=row, value=b, previous=a)
    for row, (a, b) in enumerate(zip(ys, ys[1:], strict=False), start=2):
        if b > a:
            raise RuleError("breakpoints_y_order", f"y must not increase: {ys}", f"折点纵坐标不得递增：{ys}",
                            row=row, value=b, previous=a)
    if xs[0] != 0:
        raise RuleError("breakpoints_first_x", "the first breakpoint must be at x = 0", "第一个折点横坐标应为 0",
                        value=xs[0])
    return points


def _exact_keys(value: dict[str, float], expected: tuple[str, ...], zh: str, *,
                non_negative: bool = False) -> dict[str, float]:
    """A table keyed by codes must name every code once (and, where asked, hold no negative number)."""
    if set(value) != set(expected):
        raise RuleError("keys_exact", f"keys must be exactly {list(expected)}", f"{zh}应覆盖 {list(expected)}",
                        expected=list(expected))
    if non_negative and any(v < 0 for v in value.values()):
        raise RuleError("negative", "values must not be negative", f"{zh}不得为负")
    return value


class Reference(_Strict):
    title: str
    section: str | None = None
    text: str | None = None


class InspectionRules(_Strict):
    severity_points: dict[str, float]
    overdue_multiplier: float = Field(ge=1)
    breakpoints: Breakpoints

    _bp = field_validator("breakpoints")(classmethod(lambda cls, v: _check_breakpoints(v)))

    @field_validator("severity_points")
    @classmethod
    def _all_severities(cls, value: dict[str, float]) -> dict[str, float]:
        return _exact_keys(value, SEVERITIES, "严重程度分值", non_negative=True)


TIMELINESS_RULES = ("share", "late_rate")


class TimelinessRule(_Strict):
    """How the timeliness part ``v`` of COMPL is scored.

    ``share`` (ZY-2025): ``v = 100 × t``, ``t`` the share of due complaints resolved on time (1 when none is due).
    ``late_rate`` (ZY-2026): ``l = per × L / (E + k)`` late complaints per ``per`` household-years (``L`` due and not
    resolved on time, no county prior), ``v = PL(l; breakpoints)``; an on-time complaint cannot change ``l``, so one
    more adverse record never raises ``v``. The late-rate figures are required by that rule and refused by the other.
    """

    rule: str
    credibility_households: float | None = Field(default=None, ge=0)
    rate_per_households: float | None = Field(default=None, gt=0)
    breakpoints: Breakpoints | None = None

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in TIMELINESS_RULES:
            raise RuleError("unknown_code", f"unknown rule {value!r}: one of {list(TIMELINESS_RULES)}",
                            f"未知的按时办结计分规则 {value!r}，应为 {list(TIMELINESS_RULES)} 之一")
        return value

    @field_validator("breakpoints")
    @classmethod
    def _bp(cls, value: Breakpoints | None) -> Breakpoints | None:
        return None if value is None else _check_breakpoints(value)

    @model_validator(mode="after")
    def _figures_of_the_rule(self) -> TimelinessRule:
        figures = {"credibility_households": self.credibility_households,
                   "rate_per_households": self.rate_per_households, "breakpoints": self.breakpoints}
        if self.rule == "late_rate":
            for name, value in figures.items():
                if value is None:
                    raise RuleError("timeliness_missing", f"the late-rate rule needs {name}",
                                    f"按未按时办结率计分时必须给出 {name}", field=f"complaints.timeliness.{name}")
        else:
            for name, value in figures.items():
                if value is not None:
                    raise RuleError("timeliness_extra", f"the share rule takes no {name}",
                                    f"按按时办结比例计分时不应给出 {name}", field=f"complaints.timeliness.{name}")
        return self

    @property
    def late_rate(self) -> bool:
        return self.rule == "late_rate"

    @property
    def figures(self) -> tuple[float, float, Breakpoints]:
        """(k, per, curve) of the late-rate rule (validation guarantees all three under ``late_rate``)."""
        if self.credibility_households is None or self.rate_per_households is None or self.breakpoints is None:
            raise ValueError("the share rule has no late-rate figures")
        return self.credibility_households, self.rate_per_households, self.breakpoints

    @property
    def curve(self) -> Breakpoints:
        return self.figures[2]


SHARE_RULE = TimelinessRule(rule="share")


class ComplaintRules(_Strict):
    credibility_households: float = Field(ge=0)
    rate_per_households: float = Field(gt=0)
    rate_weight: float = Field(ge=0, le=1)
    timeliness_weight: float = Field(ge=0, le=1)
    default_due_days: int = Field(ge=0)
    rate_breakpoints: Breakpoints
    # Versions written before ZY-2026 have no ``timeliness`` key: the share rule, as ZY-2025 states it.
    timeliness: TimelinessRule = SHARE_RULE

    _bp = field_validator("rate_breakpoints")(classmethod(lambda cls, v: _check_breakpoints(v)))

    @model_validator(mode="after")
    def _parts_sum_to_one(self) -> ComplaintRules:
        if abs(self.rate_weight + self.timeliness_weight - 1) > 1e-9:
            raise RuleError("parts_sum", "rate_weight + timeliness_weight must be 1", "两部分权重之和应为 1")
        return self


class FeeRules(_Strict):
    type_points: dict[str, float]
    amount_step_yuan: float = Field(gt=0)
    amount_points_cap: float = Field(ge=0)
    refund_factor: float = Field(ge=0, le=1)
    breakpoints: Breakpoints

    _bp = field_validator("breakpoints")(classmethod(lambda cls, v: _check_breakpoints(v)))

    @field_validator("type_points")
    @classmethod
    def _all_types(cls, value: dict[str, float]) -> dict[str, float]:
        return _exact_keys(value, FEE_TYPES, "违规类型分值")


class BonusRules(_Strict):
    level_points: dict[str, float]
    cap: float = Field(ge=0)

    @field_validator("level_points")
    @classmethod
    def _all_levels(cls, value: dict[str, float]) -> dict[str, float]:
        return _exact_keys(value, LEVELS, "表彰级别分值")


class Rounding(_Strict):
    indicator_decimals: int = Field(ge=0, le=6)
    score_decimals: int = Field(ge=0, le=6)


class Band(_Strict):
    grade: str
    min: float


class VetoRules(_Strict):
    grade: str
    fee_types: tuple[str, ...] = ()
    major_event_kinds: tuple[str, ...] = ()


class FloorRules(_Strict):
    grade: str


class ProvisionalRules(_Strict):
    exposure_below: float
    visits_below: float


class ListRule(_Strict):
    grades: tuple[str, ...]
    exclude_provisional: bool = False


class Lists(_Strict):
    red: ListRule
    black: ListRule


class ExplanationRules(_Strict):
    max_reasons: int = Field(ge=1)
    max_evidence: int = Field(ge=1)
    tie_order: tuple[str, ...]

    @field_validator("tie_order")
    @classmethod
    def _all_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if sorted(value) != sorted(REASON_CODES):
            raise RuleError("tie_order", f"must list each of {list(REASON_CODES)} once",
                            f"应列出 {list(REASON_CODES)} 各一次")
        return value


class Term(_Strict):
    """One thing's name and a one-sentence plain explanation, in Chinese and English; ``article`` is where the
    rule stands in the methodology's own text (e.g. 第五条), for sentences that cite it."""

    zh: str = Field(min_length=1, max_length=40)
    en: str = Field(min_length=1, max_length=80)
    explain_zh: str = Field(min_length=4, max_length=300)
    explain_en: str = Field(min_length=4, max_length=600)
    article: str | None = Field(default=None, max_length=20)

    def name(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def explain(self, lang: str = "zh") -> str:
        return self.explain_en if lang == "en" else self.explain_zh


class Vocabulary(_Strict):
    """The words people read for every code of the methodology (indicators, reasons, flags, lists, grade rules,
    severities, fee types, commendation levels, major-event kinds): pages, PDFs and downloads take names and
    explanations from here and never show the code. Each section names exactly the codes it covers."""

    indicators: dict[str, Term]
    reasons: dict[str, Term]
    flags: dict[str, Term]
    lists: dict[str, Term]
    rules: dict[str, Term]
    severities: dict[str, Term]
    fee_types: dict[str, Term]
    levels: dict[str, Term]
    event_kinds: dict[str, Term]

    @model_validator(mode="before")
    @classmethod
    def _every_code(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for section, codes in VOCABULARY_SECTIONS.items():
                table = data.get(section)
                if not isinstance(table, dict):
                    continue  # pydantic names the missing or malformed section
                missing = [c for c in codes if c not in table]
                if missing:
                    raise RuleError("words_missing", "every code needs its words (name and explanation)",
                                    "每个代码都须有名称和说明", field=f"words.{section}.{missing[0]}")
                extra = sorted(set(table) - set(codes))
                if extra:
                    raise RuleError("unknown_code", "unknown code", "未知代码", field=f"words.{section}.{extra[0]}")
        return data

    def term(self, section: str, code: str) -> Term:
        return getattr(self, section)[code]


CATEGORY_MAX_LENGTH = 30


class CategoryLists(_Strict):
    """The categories an import accepts, per record kind: inspections' 问题类别 and complaints' 诉求类别. The rating
    never reads them; they keep free text (and the personal data people type into it) out of the records."""

    inspections: tuple[str, ...]
    complaints: tuple[str, ...]

    @field_validator("inspections", "complaints")
    @classmethod
    def _listed(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise RuleError("list_empty", "the list must not be empty", "类别列表不能为空")
        for item in value:
            if not isinstance(item, str) or not item.strip() or item != item.strip():
                raise RuleError("category_blank",
                                f"{item!r}: a category is a non-blank word without surrounding spaces",
                                f"{item!r}：类别不能为空，也不能有首尾空格")
            if len(item) > CATEGORY_MAX_LENGTH:
                raise RuleError("category_long", f"{item!r}: at most {CATEGORY_MAX_LENGTH} characters",
                                f"{item!r}：类别不超过 {CATEGORY_MAX_LENGTH} 个字符")
            if any(ord(c) < 32 for c in item):
                raise RuleError("category_control", f"{item!r}: control characters are not allowed",
                                f"{item!r}：类别不能含控制字符")
        duplicates = sorted({item for item in value if value.count(item) > 1})
        if duplicates:
            raise RuleError("repeated", f"repeated: {duplicates}", f"类别重复：{duplicates}")
        return value


REPAIR_SEVERITIES = ("general", "serious")
REPAIR_MARKS = ("black_list", "veto")  # marks of a cycle's public record, besides individual records
REPAIR_RECORD_KINDS = ("fee_violations", "major_events")  # adverse records that are decisions of their own
REPAIR_CONDITIONS = ("rectified", "penalty_fulfilled", "commitment_signed", "no_new_same_kind")
REPAIR_FROM = ("publicity", "record")  # the minimum publicity counts from the cycle's notice date, or the record's
SAME_KIND_RULES = ("same_ground", "veto_grounds")
# A repair rule's fields that take one of a few codes: the codes, and the field's name in Chinese.
_REPAIR_CHOICES = {"severity": (REPAIR_SEVERITIES, "严重程度"), "counted_from": (REPAIR_FROM, "起算点")}


class PublicityPeriod(_Strict):
    """How long a mark of one severity stays public: at least ``min_months`` before a repair request is accepted;
    ``max_months`` after which it is no longer publicized in any case."""

    min_months: int = Field(ge=0, le=120)
    max_months: int = Field(ge=1, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> PublicityPeriod:
        if self.max_months < self.min_months:
            raise RuleError("publicity_order", "max_months is below min_months", "最长公示期短于最短公示期")
        return self


class RepairMarkRule(_Strict):
    """One repairable mark: its severity, when its publicity starts, and which later records are "of the same
    kind" (a new one blocks a request and, after a repair, breaches the commitment). ``same_kind``: record kinds
    (``fee_violations``, ``major_events``), ``same_ground`` (the record's own kind and type: a veto's records, or
    the repaired record) or ``veto_grounds`` (any record the methodology's veto names)."""

    severity: str
    counted_from: str
    same_kind: tuple[str, ...] = Field(min_length=1)
    repairable: bool = True

    @field_validator("severity", "counted_from")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        allowed, zh = _REPAIR_CHOICES[str(info.field_name)]
        if value not in allowed:
            raise RuleError("unknown_code", f"{info.field_name} must be one of {list(allowed)}",
                            f"{zh}应为 {list(allowed)} 之一")
        return value

    @field_validator("same_kind")
    @classmethod
    def _same_kind(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := set(value) - {*REPAIR_RECORD_KINDS, *SAME_KIND_RULES}:
            raise RuleError("unknown_code", f"unknown {sorted(unknown)}", "未知记录类型")
        return value


class RepairRecordRule(RepairMarkRule):
    """An individual adverse record (a decision of its own): its severity by type, where the type matters.
    ``serious_types``: the fee-violation types or major-event kinds that are serious whatever ``severity`` says;
    ``not_repairable``: types that can never be repaired."""

    serious_types: tuple[str, ...] = ()
    not_repairable: tuple[str, ...] = ()


class RepairRules(_Strict):
    """Credit repair (信用修复) as data: which marks may be repaired, after how long, on what conditions, within
    which working-day deadlines, and what a repair does to the next cycle. Figures follow ``basis``."""

    basis: str = Field(min_length=4, max_length=200)
    publicity: dict[str, PublicityPeriod]
    accept_working_days: int = Field(ge=1, le=60)  # from receipt: accept the request or refuse to accept it
    decide_working_days: int = Field(ge=1, le=120)  # from acceptance: repair or refuse
    commitment_months: int = Field(ge=1, le=60)  # the signed 信用承诺书 binds this long from the decision
    refile_after_days: int = Field(ge=0, le=3650)  # after a refusal (never before the minimum publicity ends)
    false_material_bar_years: int = Field(ge=0, le=10)  # false material in a request: no new request this long
    marks: dict[str, RepairMarkRule]
    records: dict[str, RepairRecordRule]
    conditions: tuple[str, ...]
    # True: a repaired record still counts in the cycle of the period it occurred in (history stays true);
    # False: a cycle computed after the repair leaves it out.
    counted_after_repair: bool = True

    @field_validator("publicity")
    @classmethod
    def _severities(cls, value: dict[str, PublicityPeriod]) -> dict[str, PublicityPeriod]:
        if set(value) != set(REPAIR_SEVERITIES):
            raise RuleError("keys_exact", f"keys must be exactly {list(REPAIR_SEVERITIES)}",
                            f"公示期应覆盖 {list(REPAIR_SEVERITIES)}", expected=list(REPAIR_SEVERITIES))
        return value

    @field_validator("marks")
    @classmethod
    def _marks(cls, value: dict[str, RepairMarkRule]) -> dict[str, RepairMarkRule]:
        if unknown := set(value) - set(REPAIR_MARKS):
            raise RuleError("unknown_code", f"unknown mark {sorted(unknown)}", "未知的失信标记")
        return value

    @field_validator("records")
    @classmethod
    def _records(cls, value: dict[str, RepairRecordRule]) -> dict[str, RepairRecordRule]:
        if unknown := set(value) - set(REPAIR_RECORD_KINDS):
            raise RuleError("unknown_code", f"unknown record kind {sorted(unknown)}", "未知的记录类型")
        for kind, rule in value.items():
            known = FEE_TYPES if kind == "fee_violations" else EVENT_KINDS
            if unknown := (set(rule.serious_types) | set(rule.not_repairable)) - set(known):
                raise RuleError("unknown_code", f"unknown type {sorted(unknown)}", "未知类型",
                                field=f"repair.records.{kind}")
        return value

    @field_validator("conditions")
    @classmethod
    def _conditions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if unknown := set(value) - set(REPAIR_CONDITIONS):
            raise RuleError("unknown_code", f"unknown condition {sorted(unknown)}", "未知的修复条件")
        if len(set(value)) != len(value):
            raise RuleError("repeated", "a condition is listed twice", "修复条件重复")
        return value

    def severity_of(self, kind: str, subtype: str | None = None) -> str:
        """The severity of a mark (``black_list``, ``veto``) or of a record kind and its type."""
        if kind in self.marks:
            return self.marks[kind].severity
        rule = self.records[kind]
        return "serious" if subtype in rule.serious_types else rule.severity

    def rule_of(self, kind: str) -> RepairMarkRule:
        return self.marks[kind] if kind in self.marks else self.records[kind]


class Methodology(_Strict):
    id: str
    title: str
    title_en: str | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    references: tuple[Reference, ...] = Field(min_length=1)
    days_per_year: float = Field(gt=0)
    weights: dict[str, float]
    inspections: InspectionRules
    complaints: ComplaintRules
    fees: FeeRules
    bonus: BonusRules
    rounding: Rounding
    bands: tuple[Band, ...]
    veto: VetoRules
    floor: FloorRules
    provisional: ProvisionalRules
    lists: Lists
    explanation: ExplanationRules
    # Versions written before the lists existed (adopted ones are stored as text and never change) have none: the
    # import then takes the shipped lists (``category_list``).
    categories: CategoryLists | None = None
    # The words people read for every code (names and one-sentence explanations), required.
    words: Vocabulary
    # Credit repair (信用修复) rules; versions adopted before repair existed take the shipped ones (``repair_rules``).
    repair: RepairRules | None = None

    @field_validator("weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        _exact_keys(value, INDICATORS, "指标权重", non_negative=True)
        total = sum(value.values())
        if abs(total - 1) > 1e-9:
            raise RuleError("weights_sum", f"weights must sum to 1, got {total:g}", f"权重之和应为 1，实际为 {total:g}",
                            total=total)
        return value

    @field_validator("bands")
    @classmethod
    def _bands(cls, value: tuple[Band, ...]) -> tuple[Band, ...]:
        if not value:
            raise RuleError("bands_none", "at least one band", "至少需要一个等级")
        mins = [b.min for b in value]
        for band, (a, b) in zip(value[1:], zip(mins, mins[1:], strict=False), strict=False):
            if b >= a:
                raise RuleError("bands_order", f"bands overlap or are out of order (min must decrease): {mins}",
                                f"等级区间重叠或顺序错误：{mins}", grade=band.grade, value=b, previous=a)
        if mins[-1] != 0:
            raise RuleError("bands_gap", f"bands leave a gap: the lowest band must start at 0, not {mins[-1]:g}",
                            "等级区间有空缺：最低等级应从 0 分起", grade=value[-1].grade, value=mins[-1])
        if len({b.grade for b in value}) != len(value):
            raise RuleError("bands_repeated", "grades must be distinct", "等级名称重复")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> Methodology:
        grades = {b.grade for b in self.bands}
        for name, grade in (("veto.grade", self.veto.grade), ("floor.grade", self.floor.grade)):
            if grade not in grades:
                raise RuleError("unknown_grade", f"unknown grade {grade!r}", f"未知等级 {grade!r}", field=name)
        for grade in (*self.lists.red.grades, *self.lists.black.grades):
            if grade not in grades:
                raise RuleError("unknown_grade", f"unknown grade {grade!r}", f"未知等级 {grade!r}", field="lists")
        if unknown := set(self.veto.fee_types) - set(FEE_TYPES):
            raise RuleError("unknown_code", f"unknown {sorted(unknown)}", "未知违规类型", field="veto.fee_types")
        if unknown := set(self.veto.major_event_kinds) - set(EVENT_KINDS):
            raise RuleError("unknown_code", f"unknown {sorted(unknown)}", "未知重大事项类型",
                            field="veto.major_event_kinds")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise RuleError("dates_order", "effective_to is before effective_from", "失效日期早于生效日期",
                            field="effective_to")
        return self

    # -- derived ---------------------------------------------------------------------------------
    @property
    def grades(self) -> list[str]:
        return [b.grade for b in self.bands]

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def term(self, section: str, code: str) -> Term:
        """The words of one code, e.g. ``term("fee_types", "maintenance_fund").name()`` -> 挪用住宅专项维修资金."""
        return self.words.term(section, code)

    def name(self, section: str, code: str, lang: str = "zh") -> str:
        return self.words.term(section, code).name(lang)

    def repair_rules(self) -> RepairRules:
        """This version's repair rules, or the latest shipped ones."""
        return self.repair or shipped_repair_rules()

    def category_list(self, kind: str) -> tuple[str, ...]:
        """The categories of ``kind`` (inspections or complaints): this version's, or the shipped ones."""
        lists = self.categories or shipped_categories()
        return tuple(getattr(lists, kind))


def _field_of(error: Any) -> str:
    loc = [str(p) for p in error.get("loc", ())]
    message = str(error.get("msg", ""))
    # Cross-field checks name their own field at the start of the message (a nested one: a key below its own).
    named = message.split(":", 1)[0].removeprefix("Value error, ") if ":" in message else ""
    if named and (not loc or named.startswith(".".join(loc) + ".")):
        return named
    return ".".join(loc) or "(file)"


NUMBER_ERRORS = ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number")


def parse_methodology(data: Any, *, source: str = "<methodology>") -> Methodology:
    if not isinstance(data, dict):
        raise MethodologyError(source, "(file)", "文件内容应为键值映射", "the file must hold a mapping")
    try:
        return Methodology.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field_of(first)
        message = str(first.get("msg", "")).removeprefix("Value error, ")
        if message.startswith(field + ": "):
            message = message[len(field) + 2:]
        cause = (first.get("ctx") or {}).get("error")
        kind, params = str(first.get("type", "")), {k: v for k, v in (first.get("ctx") or {}).items() if k != "error"}
        if isinstance(first.get("input"), str | int | float):
            params["input"] = first["input"]
        if isinstance(cause, RuleError):
            kind, params = cause.kind, cause.params
            return_msg = (cause.zh, cause.en)
        elif first.get("type") == "extra_forbidden":
            return_msg = ("未知的键（拼写错误？）", "unknown key (a typo?)")
        elif first.get("type") == "missing":
            return_msg = ("缺少必需的键", "required key is missing")
        elif kind in NUMBER_ERRORS:
            return_msg = ("应为数字", message)
        else:
            # pydantic's own sentence is English: the Chinese says what kind of value is wrong, the English says how.
            return_msg = (f"取值不符合要求：{first.get('input')!r:.40}", message)
        raise MethodologyError(source, field, *return_msg, kind=kind, params=params) from None


def load_methodology(path: str | Path) -> Methodology:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MethodologyError(str(path), "(file)", f"无法读取：{exc.strerror}",
                               f"cannot read: {exc.strerror}") from None
    return methodology_from_text(text, source=path.name, yaml_source=str(path))


def methodology_from_text(text: str, *, source: str, yaml_source: str | None = None,
                          stored: bool = False) -> Methodology:
    """A methodology from YAML text (a file's, an upload's); a YAML error names its line. ``stored``: a version
    adopted before methodologies carried their words (kept as text, never changed) takes the shipped words."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise MethodologyError(yaml_source or source, where, "YAML 格式错误", "malformed YAML") from None
    if stored and isinstance(data, dict) and "words" not in data:
        data = {**data, "words": shipped_words().model_dump()}
    return parse_methodology(data, source=source)


@cache
def shipped_words() -> Vocabulary:
    """The words of the latest shipped methodology (for versions adopted before words were required)."""
    return available_methodologies()[-1].words


@cache
def shipped_categories() -> CategoryLists:
    """The category lists of the latest shipped methodology that has them (for versions without their own)."""
    for methodology in reversed(available_methodologies()):
        if methodology.categories is not None:
            return methodology.categories
    raise MethodologyError(str(METHODOLOGY_DIR), "categories", "没有附带类别列表的评价细则",
                           "no shipped methodology lists categories")


@cache
def shipped_repair_rules() -> RepairRules:
    """The repair rules of the latest shipped methodology that has them (for versions without their own)."""
    for methodology in reversed(available_methodologies()):
        if methodology.repair is not None:
            return methodology.repair
    raise MethodologyError(str(METHODOLOGY_DIR), "repair", "没有附带信用修复规则的评价细则",
                           "no shipped methodology has repair rules")


def available_methodologies(directory: Path = METHODOLOGY_DIR) -> list[Methodology]:
    return sorted((load_methodology(p) for p in directory.glob("*.yaml")), key=lambda m: m.effective_from)


def methodology_by_id(identifier: str, directory: Path = METHODOLOGY_DIR) -> Methodology:
    for methodology in available_methodologies(directory):
        if methodology.id == identifier:
            return methodology
    raise MethodologyError(identifier, "id", "未找到该评价细则", "no such methodology")


def methodology_in_force(day: dt.date, directory: Path = METHODOLOGY_DIR) -> Methodology:
    """The methodology in force on ``day`` (the latest-starting one, if several overlap)."""
    candidates = [m for m in available_methodologies(directory) if m.in_force_on(day)]
    if not candidates:
        raise MethodologyError(day.isoformat(), "effective_from", "该日期没有生效的评价细则",
                               "no methodology is in force on this date")
    return candidates[-1]
