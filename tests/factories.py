"""Build import files (CSV in any encoding, or XLSX) and valid reference data for tests."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook

from rating_service.companies.credit_code import make_credit_code
from rating_service.records.formats import KINDS
from rating_service.records.service import UploadedFile

CODE_A = make_credit_code(region="340722", serial=1)  # 皖江物业
CODE_B = make_credit_code(region="340722", serial=2)  # 江南物业
CODE_C = make_credit_code(region="340722", serial=3)  # not imported unless asked


def headers(kind: str, lang: str = "zh") -> list[str]:
    return [c.zh if lang == "zh" else c.name for c in KINDS[kind].columns]


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(kind: str, rows: Sequence[Sequence[Any]], *, lang: str = "zh", fmt: str = "csv",
           encoding: str = "utf-8", header: Sequence[str] | None = None, name: str | None = None) -> UploadedFile:
    head = list(header) if header is not None else headers(kind, lang)
    data = xlsx_bytes(head, rows) if fmt == "xlsx" else csv_bytes(head, rows, encoding)
    return UploadedFile(name or f"{kind}.{fmt}", data)


COMPANIES = [
    [CODE_A, "安徽皖江物业服务有限公司", "张三", "枞阳县枞阳镇湖滨路1号", "0556-3210001"],
    [CODE_B, "枞阳县江南物业管理有限公司", "李四", "枞阳县枞阳镇长江路8号", "0556-3210002"],
]
COMMUNITIES = [
    ["ZY-C001", "山水兰亭", "城关社区", 800, 88000],
    ["ZY-C002", "尚泽江南府", "城关社区", 400, 46000.5],
    ["ZY-C003", "金山花园", "金山社区", 300, None],
]
CONTRACTS = [
    ["ZY-C001", CODE_A, "2020-01-01", None],
    ["ZY-C002", CODE_B, "2019-05-01", "2025-06-30"],
    ["ZY-C002", CODE_A, "2025-07-01", None],
    ["ZY-C003", CODE_B, "2021-01-01", None],
]
INSPECTIONS = [
    ["XC-0001", "2025-03-05", "ZY-C001", None, "城管", "乱堆乱放", "一般", "2025-03-12", "2025-03-15", "楼道堆物"],
    ["XC-0002", "2025/4/8", "ZY-C002", CODE_B, "消防", "消防通道", "严重", "2025/4/15", None, None],
    ["XC-0003", "2025年5月9日", "ZY-C003", None, "住建", "设施维护", "合格", None, None, None],
]
COMPLAINTS = [
    ["GD-000001", "2025-03-05", "12345", "ZY-C001", None, "环境卫生", "是", "2025-03-12", "2025-03-10", "满意"],
    ["GD-000002", "2025-03-06 14:30", "微信公众号", "ZY-C002", None, "噪音扰民", "否", None, None, None],
    ["GD-000003", "2025/8/1", "来电", "ZY-C002", CODE_A, "停车管理", "Y", "2025/8/8", "2025/8/20", "不满意"],
]
FEE_VIOLATIONS = [
    ["SF-001", "2025-06-01", CODE_A, "ZY-C001", "超标准收费", "23000", "是", "枞住建罚〔2025〕1号"],
    ["SF-002", "2025-09-01", CODE_B, None, "未按规定公示收费", None, None, None],
]
COMMENDATIONS = [["BZ-001", "2025-12-01", CODE_A, "县级", "2025年度枞阳县物业服务示范项目"]]
MAJOR_EVENTS = [["ZD-001", "2025-07-15", CODE_B, "合同终止后拒不退出", "枞住建〔2025〕9号", "拒不移交"]]

ROWS = {
    "companies": COMPANIES,
    "communities": COMMUNITIES,
    "contracts": CONTRACTS,
    "inspections": INSPECTIONS,
    "complaints": COMPLAINTS,
    "fee_violations": FEE_VIOLATIONS,
    "commendations": COMMENDATIONS,
    "major_events": MAJOR_EVENTS,
}

TODAY = dt.date(2026, 11, 28)


def load(database: Any, *kinds: str, lang: str = "zh") -> None:
    """Import the standard rows of ``kinds`` (in the order given) into ``database``."""
    from rating_service.records.service import import_files

    for kind in kinds:
        with database.write_session() as session:
            import_files(session, kind=KINDS[kind], files=[upload(kind, ROWS[kind], lang=lang)], actor="test",
                         today=TODAY)


REFERENCE = ("companies", "communities", "contracts")


# -- accounts and clients --------------------------------------------------------------------------

PASSWORD = "correct-horse-9"


def make_user(database: Any, username: str, role: str, *, credit_code: str | None = None,
              password: str = PASSWORD) -> None:
    from rating_service.accounts import service as accounts

    with database.write_session() as session:
        accounts.create_user(session, username=username, password=password, role=role, actor="test",
                             credit_code=credit_code)


def page_client(database: Any, username: str | None = None, password: str = PASSWORD, *, app: Any = None) -> Any:
    """A browser-like client (cookie session); logged in when a username is given. ``app``: an app several clients
    share (its per-process caches built once), else a new one."""
    from fastapi.testclient import TestClient

    from rating_service.web.app import create_app

    client = TestClient(app or create_app(database), follow_redirects=False)
    if username is not None:
        response = client.post("/login", data={"username": username, "password": password, "next": "/",
                                               "login_csrf": login_csrf_of(client)})
        assert response.status_code == 303, response.text
    return client


def login_csrf_of(client: Any) -> str:
    """The login form's token, as a browser gets it: fetching the form sets the cookie the token is bound to."""
    import re

    page = client.get("/login")
    found = re.search(r'name="login_csrf" value="([0-9a-f]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def csrf_of(client: Any) -> str:
    """The CSRF token a logged-in page client's forms carry."""
    from rating_service.accounts.service import csrf_token_for

    return csrf_token_for(client.cookies.get("session"))


def api_client(database: Any, username: str | None = None, password: str = PASSWORD, *, app: Any = None) -> Any:
    """An API client holding a bearer token (anonymous when no username is given); ``app`` as for page_client."""
    from fastapi.testclient import TestClient

    from rating_service.web.app import create_app

    client = TestClient(app or create_app(database), follow_redirects=False)
    if username is not None:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


# -- evidence files (appeal attachments) --------------------------------------------------------------

def pdf_file(pages: int = 1) -> bytes:
    """A plain PDF of blank A4 pages, as pypdf writes it."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_file(fmt: str = "PNG", size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    """A small picture (a gradient, so that it is not all one colour) in PNG or JPEG; ``save`` goes to Pillow."""
    from PIL import Image

    image = Image.new("RGB", size)
    image.putdata([(x * 4 % 256, y * 5 % 256, (x + y) % 256) for y in range(size[1]) for x in range(size[0])])
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save)
    return buffer.getvalue()


# -- the service's clock ----------------------------------------------------------------------------

def on_day(day: dt.date) -> contextlib.AbstractContextManager[dt.date]:
    """Inside the block the service's clock says ``day`` (a step taken that day: computed, publicized on its notice
    date, an appeal filed); afterwards it says what it said before."""
    from rating_service import clock

    return clock.simulated(day)


def pin_today(monkeypatch: Any, day: dt.date) -> None:
    """From now on in this test, the service's clock says ``day`` (undone with the test's monkeypatch)."""
    from rating_service import clock

    monkeypatch.setattr(clock, "_simulated_day", day)


@contextlib.contextmanager
def appeals_closed(database: Any, cycle_id: int) -> Iterator[dt.date]:
    """Time passes: inside the block "today" is the day after the cycle's appeal deadline (a cycle can only be
    finalized once its appeal window has closed)."""
    from rating_service.cycles import service as cycles

    with database.read_session() as session:
        deadline = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).appeal_deadline
    assert deadline is not None, "the cycle is not publicized"
    later = deadline + dt.timedelta(days=1)
    with on_day(later):
        yield later


# -- the Zongyang demo county, publicized ------------------------------------------------------------------------

def zongyang_register(path: Any, *, today: dt.date | None = None, **settings: Any) -> Any:
    """A fresh SQLite file at ``path`` with the Zongyang data (fixtures/zongyang) imported (on ``today`` when
    given); ``settings``: more Settings fields (e.g. documents_dir)."""
    from rating_service import migrate
    from rating_service.db import Database
    from rating_service.records.service import import_folder
    from rating_service.settings import PROJECT_ROOT, Settings, get_settings

    database = Database(Settings(database_url=f"sqlite:///{path}", environment="test", **settings))
    # A fresh database starts a new audit chain: the anchors another test's database left no longer apply.
    get_settings().audit_anchor_file.unlink(missing_ok=True)
    migrate.upgrade(database)
    with database.write_session() as session:
        import_folder(session, folder=PROJECT_ROOT / "fixtures" / "zongyang", actor="test",
                      **({"today": today} if today is not None else {}))
    return database


def zongyang_publicized(path: Any, notice_date: dt.date | None = None, **settings: Any) -> tuple[Any, int]:
    """(database, cycle id): a fresh SQLite file at ``path`` with the Zongyang data (fixtures/zongyang) and its 2025
    cycle computed and publicized, both on ``notice_date`` when given (the appeal window runs from it), else today.
    ``settings``: more Settings fields (e.g. documents_dir)."""
    from rating_service.cycles import service as cycles

    database = zongyang_register(path, **settings)
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    with contextlib.ExitStack() as stack:
        if notice_date is not None:
            stack.enter_context(on_day(notice_date))
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
        with database.write_session() as session:
            cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="test", notice_date=notice_date)
    return database, cycle_id
