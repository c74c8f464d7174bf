"""The community directory as matching reads it: each community's official name (communities.name) and the other
names people use for it (community_names: aliases, former names, addresses, its town). Adding and removing a name
is audited (``community.name_add`` / ``community.name_remove``); nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.audit import service as audit
from rating_service.errors import Conflict, NotFound, PayloadInvalid
from rating_service.i18n import Localized
from rating_service.intake import matching, repository
from rating_service.intake.models import NAME_KINDS, CommunityName, NameKind
from rating_service.records.personal_data import find_in_text

MAX_NAME = 300
# community_names.csv's 类型 column: the Chinese word or the code itself.
KIND_WORDS = {"别名": "alias", "曾用名": "former", "地址": "address", "所在镇街": "town", "所在镇（街道）": "town",
              "所在镇": "town", "街道": "town"}


class NameRefused(PayloadInvalid):
    """A directory name that cannot be added (its message says why)."""


class NameTaken(Conflict):
    """An alias or former name that already names another community."""


def matcher(session: Session, *, threshold: float = 90.0, margin: float = 5.0) -> matching.Matcher:
    """A matcher over every community's official name and every directory name."""
    entries = [matching.Entry(cid, name, "name") for cid, name in repository.official_names(session)]
    entries += [matching.Entry(cid, text, kind) for cid, text, kind in repository.directory_entries(session)]
    return matching.Matcher(entries, threshold=threshold, margin=margin)


def names_of(session: Session, community_id: str) -> list[CommunityName]:
    return repository.names_of(session, community_id)


def _clean(session: Session, community_id: str, kind: str, text: str) -> str:
    if repository.community(session, community_id) is None:
        raise NotFound("directory_community_unknown", community=community_id)
    if kind not in NAME_KINDS:
        raise NameRefused("directory_kind_unknown", kind=kind)
    text = " ".join((text or "").split())
    if not text:
        raise NameRefused("directory_name_empty")
    if len(text) > MAX_NAME:
        raise NameRefused("directory_name_too_long", limit=MAX_NAME)
    if find_in_text(text):
        raise NameRefused("directory_name_personal_data")
    if kind in (NameKind.ALIAS.value, NameKind.FORMER.value):
        normal = matching.normalise(text)
        rows = repository.official_names(session)
        rows += [(cid, text) for cid, text, kind in repository.directory_entries(session)
                 if kind in (NameKind.ALIAS.value, NameKind.FORMER.value)]
        for other_id, other_text in rows:
            if other_id != community_id and matching.normalise(other_text) == normal:
                other = repository.community(session, other_id)
                raise NameTaken("directory_name_taken", name=text, community=other.name if other else other_id,
                                community_id=other_id)
    return text


def _existing(session: Session, community_id: str, kind: str, text: str) -> CommunityName | None:
    return repository.directory_entry(session, community_id, kind, text)


def add_name(session: Session, *, community_id: str, kind: str, text: str, actor: str) -> CommunityName:
    """Add one name of a community (audited). The same name twice is refused."""
    text = _clean(session, community_id, kind, text)
    if _existing(session, community_id, kind, text) is not None:
        raise NameTaken("directory_name_exists", name=text)
    return _add(session, community_id=community_id, kind=kind, text=text, actor=actor)


def _add(session: Session, *, community_id: str, kind: str, text: str, actor: str) -> CommunityName:
    row = CommunityName(community_id=community_id, kind=kind, text=text, added_by=actor, added_at=clock.now())
    session.add(row)
    session.flush()
    audit.append(session, [audit.AuditDraft(action="community.name_add", actor=actor, entity_kind="community",
                                            entity_id=community_id, payload={"kind": kind, "name": text})])
    return row


def remove_name(session: Session, *, name_id: int, actor: str) -> None:
    """Remove one directory name (audited)."""
    row = repository.directory_name(session, name_id)
    if row is None:
        raise NotFound("directory_name_unknown", id=name_id)
    payload: dict[str, Any] = {"kind": row.kind, "name": row.text}
    community_id = row.community_id
    session.delete(row)
    session.flush()
    audit.append(session, [audit.AuditDraft(action="community.name_remove", actor=actor, entity_kind="community",
                                            entity_id=community_id, payload=payload)])


def import_names(session: Session, *, rows: Iterable[Mapping[str, str]], actor: str) -> int:
    """Names from community_names.csv rows (小区编号, 类型, 名称); those already there are skipped. Returns how
    many were added. A bad row is refused with its row number (the header is row 1)."""
    added = 0
    for number, row in enumerate(rows, start=2):
        community_id = (row.get("小区编号") or row.get("community_id") or "").strip()
        kind_text = (row.get("类型") or row.get("kind") or "").strip()
        kind = KIND_WORDS.get(kind_text, kind_text)
        text = row.get("名称") or row.get("text") or ""
        try:
            text = _clean(session, community_id, kind, text)
        except (NameRefused, NotFound, NameTaken) as problem:
            reason = Localized({"zh": problem.message("zh"), "en": problem.message("en")})
            raise NameRefused("directory_import_row", row=number, reason=reason) from problem
        if _existing(session, community_id, kind, text) is None:
            _add(session, community_id=community_id, kind=kind, text=text, actor=actor)
            added += 1
    return added
