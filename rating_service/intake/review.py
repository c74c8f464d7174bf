"""What the review pages offer an officer to choose from (service level, reads only, never commits): the
communities (the matcher's alternatives first, then every other community), the categories of the methodology in
force on the item's day, and the number of items waiting (the navigation's badge: one COUNT query)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.companies import repository as companies_repo
from rating_service.intake import repository, service
from rating_service.intake.models import IntakeItem, ItemKind, ItemStatus

# What a confirmed item becomes, per item kind: the methodology's category list of that record kind.
CATEGORY_LISTS = {ItemKind.HOTLINE.value: "complaints", ItemKind.PATROL.value: "inspections"}


@dataclass(frozen=True)
class CommunityChoice:
    community_id: str
    name: str


def community_choices(session: Session, *, first: Sequence[str] = ()) -> list[CommunityChoice]:
    """Every community, those named in ``first`` (the alternatives, best first) at the top, the others by code."""
    rows = {row.community_id: row.name for row in companies_repo.list_communities(session, on=clock.local_today())}
    ordered = [c for c in dict.fromkeys(first) if c in rows]
    ordered += [c for c in rows if c not in set(ordered)]
    return [CommunityChoice(c, rows[c]) for c in ordered]


def categories(session: Session, *, kind: str, day: dt.date) -> tuple[str, ...]:
    """The categories an item of ``kind`` may take: those an import on ``day`` accepts (the methodology in force,
    or the latest before the first takes force)."""
    return service.categories_for(session, CATEGORY_LISTS.get(kind, "complaints"), day)


def pending_count(session: Session) -> int:
    """How many items wait for an officer (the navigation's badge)."""
    return repository.count_items(session, [IntakeItem.status == ItemStatus.PENDING.value])
