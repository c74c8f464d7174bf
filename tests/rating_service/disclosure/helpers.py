"""Worlds for the public-disclosure tests: cycles in every state, distinctive private data, and ways to read the
public surface (routes, links, tokens)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from rating_service.companies.credit_code import make_credit_code
from rating_service.cycles import service as cycles
from rating_service.records.formats import KINDS
from rating_service.records.service import import_files
from tests import factories as f

NOTICE_DATE = dt.date(2026, 1, 12)  # a Monday; appeals close on 2026-01-19
COMPUTED_ON = dt.date(2026, 1, 5)  # cycles are computed before their notices go out
IN_WINDOW = dt.date(2026, 1, 14)
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
PUBLIC_PREFIXES = ("/public", "/api/v1/public", "/open-data")


def import_rows(database: Any, kind: str, rows: Sequence[Sequence[Any]]) -> None:
    with database.write_session() as session:
        import_files(session, kind=KINDS[kind], files=[f.upload(kind, rows)], actor="test", today=f.TODAY)


def new_cycle(database: Any, name: str, to: str, *, notice_date: dt.date = NOTICE_DATE) -> int:
    """A cycle of the 2025 period moved on to ``to`` (draft, computed, publicized or finalized): computed on
    COMPUTED_ON (or ``notice_date`` if earlier), publicized on ``notice_date``, finalized once its window closed."""
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="setup",
                                       draft=cycles.CycleDraft(name, *PERIOD)).id
    if to in ("computed", "publicized", "finalized"):
        with f.on_day(min(COMPUTED_ON, notice_date)):
            cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="setup")
    if to in ("publicized", "finalized"):
        with f.on_day(notice_date), database.write_session() as session:
            cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="setup", notice_date=notice_date)
    if to == "finalized":
        with f.appeals_closed(database, cycle_id), database.write_session() as session:
            cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="setup")
    return cycle_id


# -- the public surface ------------------------------------------------------------------------------------------

def declared_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, path template) of the app, included routers walked (with their prefixes)."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):
                context = getattr(route, "include_context", None)
                walk(route.original_router.routes, prefix + (getattr(context, "prefix", "") or ""))
            elif getattr(route, "methods", None):
                for method in set(route.methods) - {"HEAD"}:
                    found.add((method, prefix + route.path))

    walk(app.routes, "")
    return found


def public_routes(app: Any) -> set[tuple[str, str]]:
    return {(m, p) for m, p in declared_routes(app) if p.startswith(PUBLIC_PREFIXES)}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "action") and value:
                self.links.append(value)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def text_of(html: str) -> str:
    """The page's visible text (tags stripped, entities resolved)."""
    parser = _Links()
    parser.feed(html)
    return " ".join(parser.text)


NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w])")


def number_tokens(text: str) -> set[str]:
    return set(NUMBER.findall(text))


@dataclass
class Crawl:
    """Every answer of a breadth-first walk: url → (status, content type, body text)."""

    answers: dict[str, tuple[int, str, str]] = field(default_factory=dict)

    def bodies(self) -> dict[str, str]:
        return {url: body for url, (_status, _type, body) in self.answers.items()}


def readable(kind: str, content: bytes) -> str:
    """An answer as the text a reader gets out of it: a workbook's cells, a PDF's text, else the decoded body."""
    import io

    if kind.startswith("application/vnd.openxmlformats") and content.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content))
        return "\n".join(" ".join(str(v) for v in row if v is not None)
                         for sheet in book for row in sheet.iter_rows(values_only=True))
    if kind.startswith("application/pdf") and content.startswith(b"%PDF"):
        import pypdf

        return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8-sig", errors="replace")


CRAWL_PREFIXES = ("/public", "/open-data", "/api/v1/public", "/verify", "/api/v1/verify")


def crawl(client: Any, seeds: Sequence[str], *, limit: int = 400) -> Crawl:
    """Follow every link of every HTML answer that stays on the public surface, breadth-first, at most ``limit``
    requests; links are taken as they are written (query strings kept)."""
    from urllib.parse import urljoin, urlsplit

    result = Crawl()
    queue = list(dict.fromkeys(seeds))
    seen = set(queue)
    while queue and len(result.answers) < limit:
        url = queue.pop(0)
        response = client.get(url)
        kind = response.headers.get("content-type", "")
        body = readable(kind, response.content)
        result.answers[url] = (response.status_code, kind, body)
        if "html" not in kind:
            continue
        for link in links_of(body):
            target = urljoin("http://testserver" + url, link)
            parts = urlsplit(target)
            if parts.netloc != "testserver" or not parts.path.startswith(CRAWL_PREFIXES):
                continue
            relative = parts.path + (f"?{parts.query}" if parts.query else "")
            if relative not in seen:
                seen.add(relative)
                queue.append(relative)
    return result


# -- a world with private data that must never reach the public -------------------------------------------------

PDF = f.pdf_file()
ONLY_COMPUTED_CODE = make_credit_code(region="340722", serial=77)


@dataclass(frozen=True)
class Private:
    """Strings that exist in the database but must never leave it through the public surface."""

    legal_representatives: tuple[str, ...] = ("法人甲机密77", "法人乙机密78")
    addresses: tuple[str, ...] = ("机密地址湖滨路77号", "机密地址长江路78号")
    phones: tuple[str, ...] = ("0556-7770077", "0556-7770078")
    grounds: str = "异议理由机密GROUNDS77：该投诉不属实"
    pending_grounds: str = "异议理由机密GROUNDS78：计算有误"
    attachment: str = "机密附件ATTACH77.pdf"
    reasons: str = "处理意见机密REASONS77：经复核异议成立"
    finding: str = "复核发现机密FINDING77"
    filer: str = "filer_wj77"
    filer_b: str = "filer_jn78"
    decider: str = "decider_zz88"
    inspection_note: str = "检查备注机密NOTE77"
    event_note: str = "重大事项备注机密NOTE78"

    def strings(self) -> list[str]:
        return [*self.legal_representatives, *self.addresses, *self.phones, self.grounds, self.pending_grounds,
                self.attachment, self.attachment.removesuffix(".pdf"), self.reasons, self.finding, self.filer,
                self.filer_b, self.decider, self.inspection_note, self.event_note]


@dataclass
class World:
    final: int  # finalized
    publicized: int  # publicized, with a decided and a pending appeal
    computed: int
    draft: int
    hidden_names: tuple[str, ...]  # of the draft and computed cycles, and of a company rated only in the computed one
    verification_codes: list[str]


HIDDEN_DRAFT = "草稿周期DRAFTNAME91"
HIDDEN_COMPUTED = "已计算周期COMPUTEDNAME92"
HIDDEN_COMPANY = "仅计算周期企业ONLYCOMPUTED93"


def load_private(database: Any, private: Private) -> None:
    """The factory data with distinctive personal data and record notes."""
    companies = [[code, name, rep, address, phone] for (code, name, *_), rep, address, phone in
                 zip(f.COMPANIES, private.legal_representatives, private.addresses, private.phones, strict=True)]
    import_rows(database, "companies", companies)
    f.load(database, "communities", "contracts", "complaints", "fee_violations", "commendations")
    inspections = [list(row) for row in f.INSPECTIONS]
    for row in inspections:
        row[-1] = private.inspection_note
    import_rows(database, "inspections", inspections)
    events = [list(row) for row in f.MAJOR_EVENTS]
    events[0][-1] = private.event_note
    import_rows(database, "major_events", events)


def file_appeal(client: Any, cycle_id: int, *, grounds: str, records: Sequence[tuple[str, str]] = (),
                files: Sequence[tuple[str, bytes]] = ()) -> dict[str, Any]:
    response = client.post(f"/api/v1/cycles/{cycle_id}/appeals",
                           data={"grounds": grounds, "scope": "records" if records else "calculation",
                                 "records": [f"{k}:{r}" for k, r in records]},
                           files=[("files", (name, content, "application/pdf")) for name, content in files])
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def decide(client: Any, appeal_id: int, outcome: str, items: list[dict[str, Any]], reasons: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/appeals/{appeal_id}/decision",
                           json={"outcome": outcome, "reasons": reasons, "items": items})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def private_world(database: Any, private: Private) -> World:
    """A finalized and a publicized cycle (one appeal decided with a change, one pending, with an attachment and
    private words), then a company added and rated only in a computed cycle, and a draft cycle.

    Needs "today" inside the appeal window (IN_WINDOW)."""
    from sqlalchemy import select

    from rating_service.notices.models import Document

    load_private(database, private)
    final = new_cycle(database, "2025年度（终评）", "finalized")
    publicized = new_cycle(database, "2025年度（公示）", "publicized")
    f.make_user(database, private.filer, "company", credit_code=f.CODE_A)
    f.make_user(database, private.filer_b, "company", credit_code=f.CODE_B)
    f.make_user(database, private.decider, "officer")
    filer = f.api_client(database, private.filer)
    appeal = file_appeal(filer, publicized, grounds=private.grounds, records=[("complaints", "GD-000003")],
                         files=[(private.attachment, PDF)])
    decide(f.api_client(database, private.decider), appeal["id"], "upheld",
           [{"kind": "complaints", "record_id": "GD-000003", "action": "void", "finding": private.finding}],
           private.reasons)
    file_appeal(f.api_client(database, private.filer_b), publicized, grounds=private.pending_grounds,
                files=[(private.attachment, PDF)])
    # A company imported after publicizing: rated in the computed cycle only.
    import_rows(database, "companies", [[ONLY_COMPUTED_CODE, HIDDEN_COMPANY, "法人丙机密79", "机密地址79号",
                                         "0556-7770079"]])
    import_rows(database, "communities", [["ZY-C077", "隐藏小区", "城关社区", 500, None]])
    import_rows(database, "contracts", [["ZY-C077", ONLY_COMPUTED_CODE, "2020-01-01", None]])
    computed = new_cycle(database, HIDDEN_COMPUTED, "computed")
    draft = new_cycle(database, HIDDEN_DRAFT, "draft")
    with database.read_session() as session:
        codes = list(session.scalars(select(Document.verification_code)))
    return World(final=final, publicized=publicized, computed=computed, draft=draft,
                 hidden_names=(HIDDEN_DRAFT, HIDDEN_COMPUTED, HIDDEN_COMPANY), verification_codes=codes)
