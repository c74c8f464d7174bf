"""No phone or ID number from a 12345 export or a push is stored or shown anywhere: numbers planted in the
联系电话 column and in the request text (mobile, full-width, landline, ID numbers with valid check digits, in
several spellings) go through the file import, the intake API, confirmation and a computed cycle; then the pages
an officer and the public see and a dump of every text column of every table are searched for each of them, in
any spacing or width."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata

from sqlalchemy import LargeBinary, String, Text, select
from sqlalchemy.types import JSON

from fixtures import hotline
from rating_service.cycles import service as cycles
from rating_service.db import Base
from rating_service.intake import service as intake
from rating_service.intake.models import IntakeItem
from rating_service.records.service import UploadedFile
from tests import factories as f


def id_number(body: str) -> str:
    """An 18-digit resident ID number with its valid check digit (GB 11643)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


MOBILES = ["13912345678", "15855501234", "18655507788", "17755512345"]
LANDLINES = ["05564412345", "05567654321"]
IDS = [id_number("34072219800101123"), id_number("34072219920315456"), id_number("34082319750620789")]
PLANTED = MOBILES + LANDLINES + IDS


def spaced(number: str) -> str:
    return f"{number[:3]} {number[3:7]} {number[7:]}"


def full_width(number: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)


def landline(number: str) -> str:
    return f"{number[:4]}-{number[4:]}"


def normal(text: str) -> str:
    """Text with widths folded and the separators people put inside numbers removed."""
    return re.sub(r"[\s\-－—_.·()（）]", "", unicodedata.normalize("NFKC", text))


def leaks(text: str) -> list[str]:
    folded = normal(text)
    return [n for n in PLANTED if n in folded or n.lower() in folded.lower()]


def export(tmp_path) -> UploadedFile:
    generated = hotline.generate(7, tickets=40, year=2026, until=dt.date(2026, 10, 31))
    rows = generated.rows
    spellings = [MOBILES[0], spaced(MOBILES[1]), full_width(MOBILES[2]), landline(LANDLINES[0]), IDS[0],
                 full_width(IDS[1])]
    for index, row in enumerate(rows[:12]):
        row["联系电话"] = spellings[index % len(spellings)]
        planted = spellings[(index + 1) % len(spellings)]
        row["诉求内容"] = f"{row['诉求内容']}联系电话{planted}，身份证号{IDS[index % 3]}。"
    path = tmp_path / "12345-2026.xlsx"
    hotline.write_xlsx(path, rows)
    return UploadedFile(path.name, path.read_bytes())


def pushed(n: int) -> dict:
    return {"idempotency_key": f"push-{n}", "ticket_no": f"API2026{n:05d}", "received_at": "2026-05-06T10:00:00+08:00",
            "address": f"枞阳县城关镇山水兰亭3栋 电话{spaced(MOBILES[3])}",
            "content": f"楼道积水无人处理，请回电{landline(LANDLINES[1])}，身份证{IDS[2]}，"
                       f"手机{full_width(MOBILES[0])}",
            "handling_unit": "县住建局", "satisfaction": "不满意"}


def dump(database) -> str:
    """Every text column (and every blob, read as text) of every table."""
    parts = []
    with database.read_session() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON | LargeBinary)]
            if not columns:
                continue
            for row in session.execute(select(*columns)):
                for value in row:
                    if isinstance(value, bytes | bytearray | memoryview):
                        parts.append(bytes(value).decode("utf-8", "ignore"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def test_no_planted_number_is_stored_or_shown(database, tmp_path):
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer1", "officer")
    f.make_user(database, "admin1", "admin")
    with database.write_session() as session:
        intake.import_file(session, kind="hotline", upload=export(tmp_path), actor="officer1")
    admin = f.api_client(database, "admin1")
    key = admin.post("/api/v1/intake/systems", json={"name": "12345平台"}).json()["key"]
    system = f.api_client(database)
    system.headers["Authorization"] = f"Bearer {key}"
    answer = system.post("/api/v1/intake/tickets", json={"tickets": [pushed(n) for n in range(3)]})
    assert answer.status_code == 200, answer.text
    assert not leaks(answer.text)

    with database.write_session() as session:
        ids = list(session.scalars(select(IntakeItem.id).order_by(IntakeItem.id)))
        intake.confirm(session, item_ids=ids[:6] + ids[-2:], actor="officer1", community_id="ZY-C001",
                       category="维修不及时")
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="test", draft=cycles.CycleDraft(
            "2026年度", dt.date(2026, 1, 1), dt.date(2026, 10, 31))).id
    cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="test")
    with database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="test", notice_date=f.TODAY)

    shown: dict[str, str] = {}
    with database.read_session() as session:
        for item_id in ids[:3] + ids[-3:]:
            shown[f"item_view {item_id}"] = repr(intake.item_view(session, item_id))
        shown["queue"] = repr(intake.queue(session, intake.QueueFilter(status="pending")))
        shown["queue confirmed"] = repr(intake.queue(session, intake.QueueFilter(status="confirmed")))
    officer = f.page_client(database, "officer1")
    pages = ["/intake", "/intake?status=confirmed", *(f"/intake/items/{i}" for i in ids[:3] + ids[-3:]),
             "/communities/ZY-C001", f"/cycles/{cycle_id}", f"/cycles/{cycle_id}/companies/{f.CODE_A}"]
    for path in pages:
        response = officer.get(path)
        assert response.status_code < 500, (path, response.status_code)
        shown[path] = response.text
    public = f.page_client(database)
    for path in ("/public", f"/public/companies/{f.CODE_A}", "/public/lists", "/public/open-data"):
        response = public.get(path)
        assert response.status_code < 500, (path, response.status_code)
        shown[path] = response.text
    for name, text in shown.items():
        assert not leaks(text), (name, leaks(text))

    everything = dump(database)
    # the texts around the planted numbers are there, with the markers of what was removed
    assert "身份证号" in everything and "楼道积水" in everything and "【已删除" in everything
    assert len(everything) > 10_000
    assert not leaks(everything), leaks(everything)


def test_the_search_sees_every_spelling():
    text = f"{spaced(MOBILES[1])} {full_width(MOBILES[2])} {landline(LANDLINES[0])} {full_width(IDS[1])}"
    assert set(leaks(text)) == {MOBILES[1], MOBILES[2], LANDLINES[0], IDS[1]}
    assert leaks(io.StringIO("nothing here 1391234567").getvalue()) == []
