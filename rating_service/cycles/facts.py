"""Evidence as facts: every record that counts for a company, whole, in words.

A record of the rating (an inspection, a complaint, a fee violation, a commendation, a major event) is shown as
what it is: the kind, the date, the community by name, the category, the severity or the amount, the deadline and
the rectification or resolution, the decision number, and its points; with how it came to count for the company
(it names the company, or the contract that covered its community that day) and the reasons it feeds.

The records are read as the cycle's snapshot holds them (every imported column, not only the engine's), with the
cycle's appeal decisions applied (voided records gone, amended fields changed). Two ways in:

- ``standing.company_facts`` / ``standing.counted_records``: every counted record of one company (the cycle
  rated once as it stands), for the records page, the appeal form and the record page;
- ``evidence_facts`` / ``cycle_facts``: only the records the stored ratings name as evidence (no re-rating), for
  one company's page or for a whole cycle in one pass (a notice run): one read per record kind for every company.

The wording (``fact_line``, ``evidence_lines``, ``veto_statement``, ``list_statements``) takes its words from the
catalogue (``i18n/records.py``, keys ``fact.*``) and the methodology's ``words:``; no code is shown. Free text
(``note``) goes through ``records.personal_data.mask_text`` before it is shown.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session, object_session

from rating_service.appeals import repository as appeals_repo
from rating_service.cycles import repository
from rating_service.cycles.models import Cycle, Rating
from rating_service.i18n import Lang, translate
from rating_service.methodologies import service as methodologies
from rating_service.records.formats import KINDS
from rating_service.records.personal_data import mask_text
from scoring.amend import RecordDecision
from scoring.engine import EVENT_DATE
from scoring.methodology import Methodology

Key = tuple[str, str]  # (kind, record_id)
EVENT_KINDS = ("inspections", "complaints", "fee_violations", "commendations", "major_events")
# Fields whose value is a code of the methodology's words (section of ``words:``).
WORD_SECTIONS = {"severity": "severities", "violation_type": "fee_types", "level": "levels", "kind": "event_kinds"}
FREE_TEXT = {"note"}


@dataclass(frozen=True)
class ContractRef:
    community_id: str
    community_name: str | None
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class RecordFact:
    """One counted record, whole: ``fields`` are its imported columns (codes as stored, decisions applied)."""

    kind: str
    record_id: str
    credit_code: str  # the company it counts for
    date: dt.date | None
    community_id: str | None
    community_name: str | None
    fields: dict[str, Any]
    points: float
    attribution: str  # named | contract
    contract: ContractRef | None
    reasons: tuple[str, ...]  # the reason codes it feeds (INSP, COMPL_RATE, COMPL_TIMELY, FEE, VETO)
    overdue_days: int | None  # inspections: rectification late; complaints: resolution late
    deadline: dt.date | None  # rectify_by, or the complaint's due day (blank: received + the default days)

    @property
    def key(self) -> Key:
        return (self.kind, self.record_id)

    @property
    def url_path(self) -> str:
        return f"records/{self.kind}/{self.record_id}"


@dataclass
class CompanyFacts:
    """A company's facts: the records by key, and the evidence of each reason in its order."""

    credit_code: str
    records: dict[Key, RecordFact] = field(default_factory=dict)
    evidence: dict[str, list[Key]] = field(default_factory=dict)

    def of_reason(self, reason: str) -> list[RecordFact]:
        return [self.records[k] for k in self.evidence.get(reason, []) if k in self.records]


# -- reading -------------------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A frame cell as a plain value: None for missing, date for timestamps, str for categories and text."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool | int | float | dt.date):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _columns(kind: str) -> list[str]:
    return [c.name for c in KINDS[kind].columns]


def _apply_decisions(rows: dict[Key, dict[str, Any]], decisions: Sequence[RecordDecision]) -> None:
    for d in decisions:
        key = (d.kind, d.record_id)
        if key not in rows:
            continue
        if d.action == "void":
            del rows[key]
        elif d.action == "amend":
            for name, value in d.changes.items():
                if name in rows[key]:
                    if isinstance(value, str) and KINDS[d.kind].column(name).type == "date":
                        value = dt.date.fromisoformat(value) if value else None
                    rows[key][name] = value


def _read_rows(session: Session, cycle: Cycle, wanted: Mapping[str, set[str] | None],
               decisions: Sequence[RecordDecision]) -> dict[Key, dict[str, Any]]:
    """Whole rows of the wanted records (kind -> record ids, None: every record of the kind), decisions applied."""
    assert cycle.snapshot_batch is not None
    rows: dict[Key, dict[str, Any]] = {}
    for kind, ids in wanted.items():
        if ids is not None and not ids:
            continue
        columns = _columns(kind)
        frame = repository.record_rows(session, kind, columns=columns, watermark=cycle.snapshot_batch,
                                       period_start=cycle.period_start, period_end=cycle.period_end,
                                       only=None if ids is None else ("record_id", sorted(ids)))
        for values in frame.itertuples(index=False, name=None):
            row = {name: _plain(v) for name, v in zip(columns, values, strict=True)}
            rows[(kind, str(row["record_id"]))] = row
    _apply_decisions(rows, decisions)
    return rows


def _methodology(cycle: Cycle) -> Methodology:
    return methodologies.find(object_session(cycle), cycle.methodology_id)


def decided_items(session: Session, cycle_id: int) -> list[RecordDecision]:
    """Every record decision already taken in the cycle (they stay applied when another appeal re-scores)."""
    out = []
    for item in appeals_repo.decided_items(session, cycle_id=cycle_id):
        out.append(RecordDecision(item.kind, item.record_id, item.action or "keep",
                                  json.loads(item.amendment) if item.amendment else {}))
    return out


def community_names(session: Session, cycle: Cycle, ids: Collection[str] | None = None) -> dict[str, str]:
    """Community id -> name, as the cycle's snapshot holds them (of ``ids`` only, when given)."""
    assert cycle.snapshot_batch is not None
    frame = repository.record_rows(session, "communities", columns=["community_id", "name"],
                                   watermark=cycle.snapshot_batch, period_start=cycle.period_start,
                                   period_end=cycle.period_end,
                                   only=None if ids is None else ("community_id", sorted(ids)))
    return {str(k): str(v) for k, v in zip(frame["community_id"], frame["name"], strict=True)
            if _plain(v) is not None}


def _contracts(session: Session, cycle: Cycle, communities: Collection[str] | None = None
               ) -> dict[tuple[str, str], list[tuple[dt.date, dt.date | None]]]:
    assert cycle.snapshot_batch is not None
    columns = repository.SNAPSHOT_COLUMNS["contracts"]
    frame = repository.record_rows(session, "contracts", columns=columns, watermark=cycle.snapshot_batch,
                                   period_start=cycle.period_start, period_end=cycle.period_end,
                                   only=None if communities is None else ("community_id", sorted(communities)))
    out: dict[tuple[str, str], list[tuple[dt.date, dt.date | None]]] = {}
    for community, code, start, end in frame.itertuples(index=False, name=None):
        out.setdefault((str(code), str(community)), []).append((_plain(start), _plain(end)))
    for spans in out.values():
        spans.sort(key=lambda span: span[0])
    return out


def _feeds(kind: str, row: dict[str, Any], points: float, m: Methodology, as_of: dt.date
           ) -> tuple[tuple[str, ...], int | None, dt.date | None]:
    """The reasons a record feeds, its days overdue and its deadline (the engine's rules, on one record)."""
    reasons: list[str] = []
    overdue: int | None = None
    deadline: dt.date | None = None
    if kind == "inspections":
        deadline = row.get("rectify_by")
        done = row.get("rectified_on")
        if deadline is not None:
            if done is not None and done > deadline:
                overdue = (done - deadline).days
            elif done is None and deadline < as_of:
                overdue = (as_of - deadline).days
        if points > 0:
            reasons.append("INSP")
    elif kind == "complaints":
        received = row.get("received_on")
        deadline = row.get("due_on") or (received + dt.timedelta(days=m.complaints.default_due_days)
                                         if received else None)
        done = row.get("resolved_on")
        if row.get("substantiated"):
            reasons.append("COMPL_RATE")
        if deadline is not None and deadline <= as_of and (done is None or done > deadline):
            overdue = ((done or as_of) - deadline).days
            reasons.append("COMPL_TIMELY")
    elif kind == "fee_violations":
        if points > 0:
            reasons.append("FEE")
        if row.get("violation_type") in m.veto.fee_types:
            reasons.append("VETO")
    elif kind == "major_events":
        if row.get("kind") in m.veto.major_event_kinds:
            reasons.append("VETO")
    return tuple(reasons), overdue, deadline


def _contract_on(spans: list[tuple[dt.date, dt.date | None]] | None, day: dt.date | None
                 ) -> tuple[dt.date, dt.date | None] | None:
    if not spans or day is None:
        return None
    hits = [s for s in spans if s[0] <= day and (s[1] is None or s[1] >= day)]
    if not hits:
        hits = [s for s in spans if s[0] <= day]
    return hits[-1] if hits else None


class _Builder:
    """Turns whole rows into facts; holds what every fact of a cycle shares (names, contracts, methodology)."""

    def __init__(self, session: Session, cycle: Cycle, rows: Iterable[dict[str, Any]]) -> None:
        """Names and contracts of the communities of ``rows`` only (a page reads a few, a notice run many)."""
        communities = {str(r["community_id"]) for r in rows if r.get("community_id") is not None}
        # The cycle's own session when it has one; a cycle-shaped view never stored (the early warning's running
        # period) finds its methodology, shipped or adopted, through the session it is read in.
        self.methodology = methodologies.find(object_session(cycle) or session, cycle.methodology_id)
        self.communities = community_names(session, cycle, communities) if communities else {}
        self.contracts = _contracts(session, cycle, communities) if communities else {}
        self.as_of = cycle.period_end

    def fact(self, key: Key, row: dict[str, Any], credit_code: str, points: float) -> RecordFact:
        kind, record_id = key
        community = row.get("community_id")
        community = None if community is None else str(community)
        day = row.get(EVENT_DATE[kind]) if kind in EVENT_DATE else None
        named = row.get("credit_code")
        attribution = "named" if named is not None and str(named) == credit_code else "contract"
        contract = None
        if attribution == "contract" and community is not None:
            span = _contract_on(self.contracts.get((credit_code, community)), day)
            if span is not None:
                contract = ContractRef(community, self.communities.get(community), span[0], span[1])
        reasons, overdue, deadline = _feeds(kind, row, points, self.methodology, self.as_of)
        return RecordFact(kind=kind, record_id=record_id, credit_code=credit_code, date=day,
                          community_id=community, community_name=self.communities.get(community or ""),
                          fields=row, points=points, attribution=attribution, contract=contract, reasons=reasons,
                          overdue_days=overdue, deadline=deadline)


def imported_records(*, session: Session, cycle: Cycle, credit_code: str, keys: Sequence[Key],
                     points: Mapping[Key, float]) -> dict[Key, RecordFact]:
    """Records of the company named by key as imported (no decision applied), with the given points."""
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in set(keys):
        if kind in EVENT_KINDS:
            by_kind.setdefault(kind, set()).add(record_id)
    rows = _read_rows(session, cycle, by_kind, ())
    builder = _Builder(session, cycle, rows.values())
    return {key: builder.fact(key, rows[key], credit_code, points.get(key, 0.0)) for key in keys if key in rows}


def stored_evidence(session: Session, cycle: Cycle, codes: Iterable[str] | None
                     ) -> dict[str, dict[str, list[tuple[Key, float]]]]:
    """credit code -> reason -> [(key, points)] in the stored ratings' evidence order."""
    out: dict[str, dict[str, list[tuple[Key, float]]]] = {}
    pairs: Iterable[tuple[str, str]]
    if codes is None:
        pairs = repository.rating_explanations(session, cycle.id)
    else:
        ratings = [repository.rating(session, cycle_id=cycle.id, credit_code=c) for c in codes]
        pairs = [(r.credit_code, r.explanation) for r in ratings if r is not None]
    for code, explanation in pairs:
        out[code] = evidence_of(json.loads(explanation))
    return out


def evidence_of(exp: Mapping[str, Any]) -> dict[str, list[tuple[Key, float]]]:
    """reason -> [(key, points)] of a stored explanation's evidence."""
    out: dict[str, list[tuple[Key, float]]] = {}
    for reason in exp.get("reasons") or []:
        out[reason["code"]] = [((e["kind"], str(e["record_id"])), float(e.get("points") or 0))
                               for e in reason.get("evidence") or []]
    return out


def facts_of(session: Session, cycle: Cycle, points: Mapping[str, Mapping[Key, float]],
              evidence: Mapping[str, Mapping[str, list[tuple[Key, float]]]]) -> dict[str, CompanyFacts]:
    """Facts of the given records (company -> key -> points) and of the evidence, read in one pass per kind."""
    wanted: dict[str, set[str]] = {}
    every: dict[str, dict[Key, float]] = {}
    for code, keys in points.items():
        every.setdefault(code, {}).update(keys)
    for code, by_reason in evidence.items():
        for items in by_reason.values():
            for key, p in items:
                every.setdefault(code, {}).setdefault(key, p)
    for keys in every.values():
        for kind, record_id in keys:
            wanted.setdefault(kind, set()).add(record_id)
    rows = _read_rows(session, cycle, {k: v for k, v in wanted.items() if k in EVENT_KINDS},
                      decided_items(session, cycle.id))
    builder = _Builder(session, cycle, rows.values())
    out = {}
    for code, keys in every.items():
        company = CompanyFacts(code)
        for key, p in keys.items():
            if key in rows:
                company.records[key] = builder.fact(key, rows[key], code, p)
        company.evidence = {reason: [k for k, _p in items]
                            for reason, items in evidence.get(code, {}).items()}
        out[code] = company
    return out


def evidence_facts(*, session: Session, cycle: Cycle, rating: Rating) -> CompanyFacts:
    """The facts of the records the company's stored rating names as evidence (no re-rating)."""
    evidence = {rating.credit_code: evidence_of(json.loads(rating.explanation))}
    return facts_of(session, cycle, {}, evidence).get(rating.credit_code, CompanyFacts(rating.credit_code))


def explained_facts(*, session: Session, cycle: Cycle, explanations: Mapping[str, Mapping[str, Any]],
                    reasons: Collection[str] | None = None) -> dict[str, CompanyFacts]:
    """Companies (credit code -> stored explanation) -> the facts of their evidence (of ``reasons`` only, when
    given: e.g. only the veto records, for the public record), read in one pass per record kind."""
    evidence = {code: {r: items for r, items in evidence_of(exp).items() if reasons is None or r in reasons}
                for code, exp in explanations.items()}
    out = facts_of(session, cycle, {}, evidence)
    for code in explanations:
        out.setdefault(code, CompanyFacts(code))
    return out


def cycle_facts(session: Session, cycle: Cycle) -> dict[str, CompanyFacts]:
    """Every company of the cycle -> the facts of its stored evidence: one read per record kind for the whole
    cycle (a notice run renders every company; nothing is re-rated)."""
    evidence = stored_evidence(session, cycle, None)
    out = facts_of(session, cycle, {}, evidence)
    for code in evidence:
        out.setdefault(code, CompanyFacts(code))
    return out


# -- wording -------------------------------------------------------------------------------------------------------

def _t(key: str, lang: Lang, **params: Any) -> str:
    return translate(f"fact.{key}", lang, **params)


def day_text(day: dt.date | None, lang: Lang, *, year: bool = True) -> str:
    if day is None:
        return ""
    return _t("date_full" if year else "date_short", lang, y=day.year, m=day.month, d=day.day,
              mon=day.strftime("%b"))


def _short(day: dt.date | None, ref: dt.date | None, lang: Lang) -> str:
    return day_text(day, lang, year=day is None or ref is None or day.year != ref.year)


def amount_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def points_text(value: float) -> str:
    return f"{value:g}"


def value_text(kind: str, name: str, value: Any, m: Methodology, lang: Lang) -> str:
    """A field's value in words: codes by the methodology's words, yes/no, dates, amounts; free text masked."""
    if value is None or value == "":
        return ""
    if name in WORD_SECTIONS and (name != "kind" or kind == "major_events"):
        try:
            return m.name(WORD_SECTIONS[name], str(value), lang)
        except (KeyError, ValueError, AttributeError):
            return str(value)
    if name == "satisfaction":
        return _t(f"satisfaction_{value}", lang)
    if isinstance(value, bool):
        return _t("yes" if value else "no", lang)
    if isinstance(value, dt.date):
        return day_text(value, lang)
    if name == "amount_yuan":
        return _t("amount", lang, amount=amount_text(float(value)))
    if name in FREE_TEXT:
        return mask_text(str(value))
    return str(value)


def _rectification(f: RecordFact, lang: Lang) -> str:
    done = f.fields.get("rectified_on")
    if f.deadline is None:
        return _t("rectified_no_deadline", lang, done=_short(done, f.date, lang)) if done else ""
    deadline = _short(f.deadline, f.date, lang)
    if done is None:
        key = "not_rectified_overdue" if f.overdue_days else "not_rectified"
        return _t(key, lang, deadline=deadline, days=f.overdue_days or 0)
    key = "rectified_late" if f.overdue_days else "rectified"
    return _t(key, lang, deadline=deadline, done=_short(done, f.date, lang), days=f.overdue_days or 0)


def _resolution(f: RecordFact, lang: Lang) -> str:
    done = f.fields.get("resolved_on")
    deadline = _short(f.deadline, f.date, lang)
    if f.deadline is None:
        return ""
    if done is None:
        key = "unresolved_overdue" if f.overdue_days else "unresolved"
        return _t(key, lang, deadline=deadline, days=f.overdue_days or 0)
    key = "resolved_late" if f.overdue_days else "resolved"
    return _t(key, lang, deadline=deadline, done=_short(done, f.date, lang), days=f.overdue_days or 0)


def fact_parts(f: RecordFact, m: Methodology, lang: Lang) -> list[str]:
    """The pieces of a fact line after the kind and number: date, community, category, …, points."""
    row = f.fields
    parts = [day_text(f.date, lang)]
    if f.community_name or f.community_id:
        parts.append(f.community_name or f.community_id or "")
    if f.kind == "inspections":
        parts += [str(row.get("category") or ""), value_text(f.kind, "severity", row.get("severity"), m, lang),
                  _rectification(f, lang)]
        if f.points:
            parts.append(_t("points_lost", lang, points=points_text(f.points)))
    elif f.kind == "complaints":
        parts += [str(row.get("category") or ""), _t("substantiated" if row.get("substantiated")
                                                     else "not_substantiated", lang), _resolution(f, lang)]
    elif f.kind == "fee_violations":
        parts.append(value_text(f.kind, "violation_type", row.get("violation_type"), m, lang))
        if row.get("amount_yuan"):  # a blank or zero amount is not worth a word
            parts.append(_t("amount_involved", lang, amount=amount_text(float(row["amount_yuan"]))))
        if row.get("refunded"):
            parts.append(_t("refunded", lang))
        parts.append(str(row.get("document_no") or ""))
        if f.points:
            parts.append(_t("points_lost", lang, points=points_text(f.points)))
        if "VETO" in f.reasons:
            parts.append(_t("veto", lang))
    elif f.kind == "major_events":
        parts += [value_text(f.kind, "kind", row.get("kind"), m, lang), str(row.get("document_no") or "")]
        if "VETO" in f.reasons:
            parts.append(_t("veto", lang))
    elif f.kind == "commendations":
        parts += [value_text(f.kind, "level", row.get("level"), m, lang), str(row.get("title") or "")]
        if f.points:
            parts.append(_t("points_added", lang, points=points_text(f.points)))
    return [p for p in parts if p]


def fact_line(f: RecordFact, m: Methodology, lang: Lang = "zh") -> str:
    """One record in a line: "投诉工单 GD2025-000981 · 2025年10月19日 · 山水兰亭 · 维修不及时 · 查实 ·
    办理时限 10月26日，11月3日办结（逾期 8 天）"."""
    return " · ".join([f"{KINDS[f.kind].label(lang)} {f.record_id}", *fact_parts(f, m, lang)])


def evidence_lines(facts: CompanyFacts, reason: str, methodology: Methodology, lang: Lang = "zh") -> list[str]:
    """The full fact lines of a reason's evidence, in the rating's order (for ``ReasonRow.evidence``)."""
    return [fact_line(f, methodology, lang) for f in facts.of_reason(reason)]


def _get(rating: Any, name: str) -> Any:
    return rating.get(name) if isinstance(rating, Mapping) else getattr(rating, name, None)


def _article(m: Methodology, section: str, code: str) -> str:
    try:
        return m.term(section, code).article or ""
    except (KeyError, ValueError, AttributeError):
        return ""


def _act(f: RecordFact, m: Methodology, lang: Lang) -> str:
    """A veto record as an act: "挪用住宅专项维修资金行为（枞住建罚〔2025〕14号，涉及金额 48,600 元）"."""
    row = f.fields
    if f.kind == "fee_violations":
        name = value_text(f.kind, "violation_type", row.get("violation_type"), m, lang)
        details = [str(row.get("document_no") or "")]
        if row.get("amount_yuan"):
            details.append(_t("amount_involved", lang, amount=amount_text(float(row["amount_yuan"]))))
    else:
        name = value_text(f.kind, "kind", row.get("kind"), m, lang)
        details = [str(row.get("document_no") or "")]
    details.append(_t("record_ref", lang, kind=KINDS[f.kind].label(lang), record=f.record_id,
                      date=day_text(f.date, lang)))
    return _t("act", lang, act=name, details=_t("detail_sep", lang).join(d for d in details if d))


def veto_statement(facts: CompanyFacts, rating: Any, methodology: Methodology, lang: Lang = "zh") -> str | None:
    """The veto in full, or None when the rating is not vetoed: "因存在挪用住宅专项维修资金行为（枞住建罚〔2025〕14号，
    涉及金额 48,600 元），依评价细则第五条一票否决，信用等级评定为 C 级，列入黑榜。" ``rating``: a stored Rating or
    an explanation dict (``veto``, ``grade``, ``black_list``)."""
    if not _get(rating, "veto"):
        return None
    records = facts.of_reason("VETO") or [f for f in facts.records.values() if "VETO" in f.reasons]
    acts = _t("act_sep", lang).join(_act(f, methodology, lang) for f in records) or _t("act_unknown", lang)
    listed = _t("and_black", lang, black=methodology.name("lists", "black", lang)) \
        if _get(rating, "black_list") else ""
    return _t("veto_statement", lang, acts=acts, article=_article(methodology, "reasons", "VETO"),
              grade=_get(rating, "grade") or methodology.veto.grade, listed=listed)


def list_statements(rating: Any, methodology: Methodology, lang: Lang = "zh") -> list[str]:
    """Why the company is on the red or the black list (one sentence per list it is on)."""
    out = []
    for name, flag in (("red", "red_list"), ("black", "black_list")):
        if not _get(rating, flag):
            continue
        term = methodology.term("lists", name)
        why = _t("why_veto" if name == "black" and _get(rating, "veto") else "why_grade", lang,
                 grade=_get(rating, "grade") or "")
        out.append(_t("list_statement", lang, list=term.name(lang), why=why, article=term.article or "",
                      rule=term.explain(lang)))
    return out


def attribution_text(f: RecordFact, company_name: str | None, m: Methodology, lang: Lang = "zh") -> str:
    """How the record came to count for the company, in a sentence."""
    company = company_name or f.credit_code
    if f.attribution == "named":
        return _t("attributed_named", lang, company=company)
    if f.contract is None:
        return _t("attributed_contract_unknown", lang, company=company)
    c = f.contract
    end = _t("contract_end", lang, end=day_text(c.end, lang)) if c.end else _t("contract_open", lang)
    return _t("attributed_contract", lang, company=company, community=c.community_name or c.community_id,
              start=day_text(c.start, lang), end=end, date=day_text(f.date, lang),
              article=_article(m, "rules", "attribution"))


def reason_name(code: str, m: Methodology, lang: Lang) -> str:
    try:
        return m.name("reasons", code, lang)
    except (KeyError, ValueError, AttributeError):
        return code


def effect_text(f: RecordFact, m: Methodology, lang: Lang = "zh") -> list[str]:
    """What the record does to the score: its points, the reasons it feeds and the indicator whose 扣分 it is in."""
    out = []
    indicator = {"INSP": "INSP", "COMPL_RATE": "COMPL", "COMPL_TIMELY": "COMPL", "FEE": "FEE"}
    for code in f.reasons:
        if code == "VETO":
            out.append(_t("effect_veto", lang, article=_article(m, "reasons", "VETO"), grade=m.veto.grade))
            continue
        ind = m.name("indicators", indicator[code], lang)
        if code in ("INSP", "FEE"):
            out.append(_t("effect_points", lang, points=points_text(f.points), reason=reason_name(code, m, lang),
                          indicator=ind))
        elif code == "COMPL_RATE":
            out.append(_t("effect_rate", lang, reason=reason_name(code, m, lang), indicator=ind))
        else:
            out.append(_t("effect_timely", lang, reason=reason_name(code, m, lang), indicator=ind,
                          days=f.overdue_days or 0))
    if f.kind == "commendations" and f.points:
        out.append(_t("effect_bonus", lang, points=points_text(f.points)))
    if not out:
        out.append(_t("effect_none", lang, kind=KINDS[f.kind].label(lang)))
    return out


def record_fields(f: RecordFact, m: Methodology, lang: Lang = "zh") -> list[tuple[str, str]]:
    """The whole record as imported: (column label, value in words) for every column with a value."""
    out = []
    for col in KINDS[f.kind].columns:
        value = f.fields.get(col.name)
        if value is None or value == "":
            continue
        if col.name == "community_id":
            text = _t("named_code", lang, name=f.community_name, code=value) if f.community_name else str(value)
        else:
            text = value_text(f.kind, col.name, value, m, lang)
        out.append((col.label(lang), text))
    return out


def page_evidence(*, session: Session, cycle: Cycle, rating: Rating, lang: Lang = "zh") -> dict[str, Any]:
    """What a company's rating page shows of its evidence: per reason code the evidence as fact lines with their
    record pages, the veto statement and the list statements (the page's template context)."""
    m = _methodology(cycle)
    company = evidence_facts(session=session, cycle=cycle, rating=rating)
    exp = json.loads(rating.explanation)
    return {
        "evidence_facts": {reason: [{"line": fact_line(f, m, lang), "url": f"/cycles/{cycle.id}/{f.url_path}",
                                     "kind": KINDS[f.kind].label(lang), "record_id": f.record_id,
                                     "rest": fact_parts(f, m, lang)} for f in company.of_reason(reason)]
                           for reason in company.evidence},
        "veto_statement": veto_statement(company, exp, m, lang),
        "list_statements": list_statements(exp, m, lang),
        "evidence_words": {"record": _t("col_record", lang), "facts": _t("col_facts", lang)},
    }


@dataclass(frozen=True)
class NoticeWords:
    """What a notice states of a company's evidence: per reason code its full fact lines, the veto in full, the
    lists and why (``reports.model``: ``ReasonRow.evidence``, ``Notice.veto_statement``, ``Notice.list_statements``)."""

    evidence: dict[str, list[str]]
    veto_statement: str | None
    list_statements: list[str]


def notice_words(company: CompanyFacts, exp: Mapping[str, Any], methodology: Methodology,
                 lang: Lang = "zh") -> NoticeWords:
    """The notice's words of one company, from ``cycle_facts(session, cycle)[credit_code]`` and its stored
    explanation (a notice run calls ``cycle_facts`` once for the cycle, then this per company)."""
    return NoticeWords(
        evidence={reason: evidence_lines(company, reason, methodology, lang) for reason in company.evidence},
        veto_statement=veto_statement(company, exp, methodology, lang),
        list_statements=list_statements(exp, methodology, lang))
