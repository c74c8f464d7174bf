"""A community as the officers' community page shows it: the register's facts, who manages it today and the
contract history, its directory names, what matching makes of a text typed as a caller would, and the intake items
matched to it. Reads only (service level: the pages call it, never the repositories of other rooms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from rating_service.errors import NotFound
from rating_service.i18n import Lang
from rating_service.intake import directory, matching, repository
from rating_service.intake.models import (
    NAME_KINDS,
    CommunityName,
    ItemKind,
    ItemStatus,
    MatchStatus,
    NameKind,
)

RECENT_ITEMS = 8
TRY_MAX_LENGTH = 300


@dataclass(frozen=True)
class ContractView:
    credit_code: str
    company_name: str
    start_date: dt.date
    end_date: dt.date | None
    current: bool


@dataclass(frozen=True)
class CommunityProfile:
    community_id: str
    name: str
    neighborhood: str | None
    households: int
    floor_area_m2: Decimal | None
    manager: ContractView | None
    contracts: list[ContractView]  # newest first


@dataclass(frozen=True)
class NameView:
    id: int
    kind: str
    kind_label: str
    text: str
    added_by: str
    added_at: dt.datetime


@dataclass(frozen=True)
class CandidateView:
    community_id: str
    name: str
    score: float
    rule_label: str


@dataclass(frozen=True)
class TryResult:
    text: str
    status: str
    status_label: str
    best: CandidateView | None  # the proposed or best-guess community (None for a tie or nothing)
    alternatives: list[CandidateView]
    this_community: bool  # the best guess is the community of the page


@dataclass(frozen=True)
class RecentItem:
    id: int
    kind_label: str
    external_no: str
    received_on: dt.date
    place_text: str
    status_label: str
    confirmed: bool  # decided for this community (else only matched to it)


def community_profile(session: Session, community_id: str, *, today: dt.date) -> CommunityProfile:
    """The community's register entry with its contracts; NotFound for an unknown id."""
    community = repository.community(session, community_id)
    if community is None:
        raise NotFound("not_found", what=community_id)
    rows = repository.contracts_of(session, community_id)
    contracts = [ContractView(code, name, start, end, start <= today and (end is None or end >= today))
                 for code, name, start, end in rows]
    manager = next((c for c in contracts if c.current), None)
    return CommunityProfile(community.community_id, community.name, community.neighborhood, community.households,
                            community.floor_area_m2, manager, contracts)


def names(session: Session, community_id: str, lang: Lang = "zh") -> list[NameView]:
    """The community's directory names, by kind (aliases, former names, addresses, town), oldest first."""
    rows: list[CommunityName] = directory.names_of(session, community_id)
    order = {kind: i for i, kind in enumerate(NAME_KINDS)}
    rows = sorted(rows, key=lambda r: (order.get(r.kind, len(order)), r.added_at, r.id))
    return [NameView(r.id, r.kind, _name_kind_label(r.kind, lang), r.text, r.added_by, r.added_at) for r in rows]


def name_owner(session: Session, name_id: int) -> str | None:
    """The community a directory name belongs to (None when there is no such name)."""
    row = repository.directory_name(session, name_id)
    return None if row is None else row.community_id


def _name_kind_label(kind: str, lang: Lang) -> str:
    try:
        return NameKind(kind).label(lang)
    except ValueError:
        return kind


def try_match(session: Session, text: str, *, community_id: str, lang: Lang = "zh") -> TryResult:
    """What matching makes of ``text`` (an address or a name as a caller writes it), with the directory as it
    stands now."""
    text = text.strip()[:TRY_MAX_LENGTH]
    found = directory.matcher(session).match(text)
    ids = {c.community_id for c in found.alternatives}
    if found.community_id:
        ids.add(found.community_id)
    known = repository.community_names(session, ids)
    alternatives = [CandidateView(c.community_id, known.get(c.community_id, c.community_id), float(c.score),
                                  matching.rule_label(c.rule, lang)) for c in found.alternatives]
    best = None
    if found.community_id is not None and found.status != MatchStatus.TIE.value:
        best = CandidateView(found.community_id, known.get(found.community_id, found.community_id),
                             float(found.score or 0.0), matching.rule_label(found.rule, lang) if found.rule else "")
    return TryResult(text=text, status=found.status, status_label=MatchStatus(found.status).label(lang), best=best,
                     alternatives=alternatives,
                     this_community=best is not None and best.community_id == community_id)


def recent_items(session: Session, community_id: str, lang: Lang = "zh", *, limit: int = RECENT_ITEMS
                 ) -> list[RecentItem]:
    """The latest intake items decided for the community or matched to it, newest first."""
    rows = repository.recent_items_of(session, community_id, limit=limit)
    return [RecentItem(r.id, ItemKind(r.kind).label(lang), r.external_no, r.received_on, r.place_text,
                       ItemStatus(r.status).label(lang), r.community_id == community_id) for r in rows]
