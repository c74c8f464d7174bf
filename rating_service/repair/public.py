"""What a credit repair changes in the public record (read by disclosure/ and notices/): the repairs in force,
each with the note the public sees. Imports only the room's repository and the catalogue, so a room the repair
workflow itself needs (notices: the decision document) can read it without an import cycle; ``repair.service``
re-exports both names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from rating_service.i18n import Lang, translate
from rating_service.repair import repository


@dataclass(frozen=True)
class PublicRepair:
    """A repair in force, as the public record shows it: no person, no evidence, the decision's number only."""

    request_id: int
    cycle_id: int
    credit_code: str
    mark: str  # black_list, veto or records
    repaired_on: dt.date
    doc_number: str  # the 信用修复决定书's number
    records: tuple[tuple[str, str], ...]  # (kind, record_id) of the repaired records
    breach_confirmed_on: dt.date | None  # the commitment was breached (an officer confirmed it) on this day

    @property
    def leaves_black_list(self) -> bool:
        """A repaired black list or veto takes the company off the cycle's black list from ``repaired_on``."""
        return self.mark in ("black_list", "veto")

    def note(self, lang: Lang = "zh") -> str:
        """「已修复（2026年12月3日，枞住建信评〔2026〕5号）」, and the breach when one is confirmed."""
        day = day_text(self.repaired_on, lang)
        text = translate("repair_public_note", lang, date=day, number=self.doc_number)
        if self.breach_confirmed_on is not None:
            text += translate("repair_public_breach", lang, date=day_text(self.breach_confirmed_on, lang))
        return text


def day_text(value: dt.date, lang: Lang) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if lang == "zh" else value.isoformat()


def public_repairs(session: Session, *, cycle_id: int | None = None, credit_code: str | None = None,
                   on: dt.date | None = None) -> dict[str, list[PublicRepair]]:
    """credit code -> the repairs in force by ``on`` (every decided one when None), of one cycle or of all."""
    rows = repository.repaired(session, cycle_id=cycle_id, credit_code=credit_code, on=on)
    ids = [request.id for request, _number in rows]
    items = repository.items_of(session, ids)
    breaches = repository.confirmed_breaches(session, ids)
    out: dict[str, list[PublicRepair]] = {}
    for request, number in rows:
        assert request.repaired_on is not None
        breach = breaches.get(request.id)
        out.setdefault(request.credit_code, []).append(PublicRepair(
            request_id=request.id, cycle_id=request.cycle_id, credit_code=request.credit_code, mark=request.mark,
            repaired_on=request.repaired_on, doc_number=number or "",
            records=tuple((item.kind, item.record_id) for item in items[request.id]),
            breach_confirmed_on=breach.decided_on if breach else None))
    return out
