"""What a credit repair changes in the public disclosure (issue 19): the cycle's stored rating stays as it is, but
the public record says 「已修复（日期，决定书文号）」 on the company's page, in the search rows, on the lists page and
in its history; a repaired black list or veto takes the company off the black list (pages, filter, open data); the
repaired records' details (the veto statement: fee type, amount, decision number) are no longer shown; open data
carries repair_status, repair_date and repair_document_no; a confirmed breach of the commitment shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rating_service.companies.credit_code import make_credit_code
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle, Rating
from rating_service.notices.models import Document
from rating_service.repair.models import CommitmentBreach, RepairItem, RepairRequest
from tests import factories as f
from tests.rating_service.disclosure import helpers as h

CODE_V = make_credit_code(region="340722", serial=61)  # vetoed for misusing the maintenance fund: repaired here
NAME_V = "枞阳县鑫盛物业服务有限公司"
VETO_DOC = "枞住建罚〔2025〕14号"
VETO_AMOUNT = "48,600"
REPAIR_DOC = "枞住建信评〔2026〕5号"
REPAIRED_ON = dt.date(2026, 3, 2)
B_VETO_DOC = "枞住建〔2025〕9号"  # 江南 (f.CODE_B): vetoed for refusing to leave, black list; not repaired


@pytest.fixture
def world(database: Any) -> tuple[Any, int]:
    """The factory data plus a company vetoed for a maintenance-fund fee violation; the 2025 cycle finalized."""
    f.load(database, *f.REFERENCE)
    h.import_rows(database, "companies", [[CODE_V, NAME_V, None, None, None]])
    h.import_rows(database, "communities", [["ZY-V001", "鑫盛花园", "城关社区", 500, None]])
    h.import_rows(database, "contracts", [["ZY-V001", CODE_V, "2020-01-01", None]])
    f.load(database, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    h.import_rows(database, "fee_violations", [["SF-061", "2025-05-01", CODE_V, "ZY-V001", "挪用住宅专项维修资金",
                                                "48600", "否", VETO_DOC]])
    cycle_id = h.new_cycle(database, "2025年度", "finalized")
    return database, cycle_id


def repair(database: Any, cycle_id: int, code: str, *, mark: str, records: list[tuple[str, str]],
           number: str = REPAIR_DOC, repaired_on: dt.date = REPAIRED_ON) -> int:
    """A decided repair (status repaired, its decision document numbered), written as the core lane's ``decide``
    leaves it, and the cycle's disclosure version moved on."""
    at = dt.datetime.combine(repaired_on, dt.time(9), tzinfo=dt.UTC)
    with database.write_session() as session:
        document = Document(kind="repair_decision", cycle_id=cycle_id, credit_code=code, doc_year=repaired_on.year,
                            doc_seq=int(number.split("〕")[1].rstrip("号")), doc_number=number,
                            verification_code=f"RP{repaired_on:%m%d}{code[-4:]}", issue_date=repaired_on,
                            payload="{}", created_at=at, created_by="officer")
        session.add(document)
        session.flush()
        request = RepairRequest(
            cycle_id=cycle_id, credit_code=code, mark=mark, severity="serious", methodology_id="ZY-2025",
            status="repaired", statement="已整改", conditions="{}", eligibility="{}",
            publicity_from=dt.date(2026, 1, 12), earliest_on=dt.date(2026, 1, 12), filed_at=at, filed_by="company",
            filed_on=repaired_on, accept_due_on=repaired_on, accepted_on=repaired_on, accepted_by="officer",
            decided_at=at, decided_on=repaired_on, decided_by="officer", reasons="同意", verification_note="已核实",
            repaired_on=repaired_on, commitment_until=repaired_on + dt.timedelta(days=365), commitment_signed_at=at,
            commitment_payload="{}", decision_document_id=document.id)
        session.add(request)
        session.flush()
        for kind, record_id in records:
            session.add(RepairItem(request_id=request.id, kind=kind, record_id=record_id))
        cycles.disclosure_changed(session=session, cycle=session.get(Cycle, cycle_id))
        return request.id


def confirm_breach(database: Any, request_id: int, code: str, cycle_id: int, on: dt.date) -> None:
    at = dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC)
    with database.write_session() as session:
        session.add(CommitmentBreach(request_id=request_id, credit_code=code, kind="fee_violations",
                                     record_id="SF-099", record_date=on, status="confirmed", detected_at=at,
                                     decided_at=at, decided_on=on, decided_by="officer", note="核实"))
        cycles.disclosure_changed(session=session, cycle=session.get(Cycle, cycle_id))


def stored_ratings(database: Any, cycle_id: int) -> dict[str, tuple[Any, ...]]:
    with database.read_session() as session:
        return {r.credit_code: (r.score, r.grade, r.black_list, r.red_list, r.veto, r.explanation)
                for r in session.scalars(select(Rating).where(Rating.cycle_id == cycle_id))}


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return h.text_of(response.text)


def open_data(client: Any, cycle_id: int) -> dict[str, Any]:
    """Every open-data file of the cycle, read: the CSVs as rows by header, the workbook's sheets, the JSON."""
    def rows(url: str) -> list[dict[str, str]]:
        text = client.get(url).content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    book = load_workbook(io.BytesIO(client.get(f"/open-data/cycles/{cycle_id}/ratings.xlsx").content))
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}
    return {"zh": rows(f"/open-data/cycles/{cycle_id}/ratings.csv"),
            "en": rows(f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en"),
            "xlsx": sheets, "json": client.get(f"/open-data/cycles/{cycle_id}/ratings.json").json(),
            "raw": "\n".join(client.get(u).content.decode("utf-8-sig") for u in (
                f"/open-data/cycles/{cycle_id}/ratings.csv", f"/open-data/cycles/{cycle_id}/ratings.csv?lang=en",
                f"/open-data/cycles/{cycle_id}/ratings.json"))
            + "\n" + "\n".join(" ".join(str(v) for v in row if v is not None)
                               for sheet in sheets.values() for row in sheet)}


def by_code(rows: list[dict[str, str]], header: str) -> dict[str, dict[str, str]]:
    return {row[header]: row for row in rows}


def test_before_any_repair_the_vetoed_company_is_black_listed_with_its_veto_stated(world):
    database, cycle_id = world
    client = f.api_client(database)
    text = page(client, f"/public/companies/{CODE_V}?cycle={cycle_id}")
    assert VETO_DOC in text and VETO_AMOUNT in text and "已修复" not in text
    data = open_data(client, cycle_id)
    assert by_code(data["en"], "credit_code")[CODE_V]["black_list"] == "yes"
    assert by_code(data["en"], "credit_code")[CODE_V]["repair_status"] == ""
    assert VETO_DOC in data["raw"]  # the workbook's lists sheet states the veto


def test_a_repaired_veto_takes_the_company_off_the_black_list_and_hides_the_veto_details(world):
    database, cycle_id = world
    before = stored_ratings(database, cycle_id)
    assert before[CODE_V][1] == "C" and before[CODE_V][2] and before[CODE_V][4]  # vetoed, black list
    repair(database, cycle_id, CODE_V, mark="veto", records=[("fee_violations", "SF-061")])
    client = f.api_client(database)
    note = f"已修复（2026年3月2日，{REPAIR_DOC}）"

    # The company's page: the note, no veto details, no black-list mark; the score and grade as rated.
    company = client.get(f"/public/companies/{CODE_V}?cycle={cycle_id}").text
    text = h.text_of(company)
    assert note in text and 'id="repair"' in company
    assert VETO_DOC not in text and VETO_AMOUNT not in text and "48600" not in text
    main = h.text_of(company.split("<main")[1].split("</main>")[0])
    assert 'class="tag black-list"' not in company and "黑榜" not in main.replace("移出黑榜", "")
    assert 'id="grade">C<' in company

    # The search rows: badge and note; the black-list filter no longer finds it.
    listing = client.get(f"/public?cycle={cycle_id}&q={CODE_V}")
    assert 'class="tag repaired"' in listing.text and note in h.text_of(listing.text)
    black = client.get(f"/api/v1/public/cycles/{cycle_id}/ratings?list=black&per_page=100").json()
    assert [r["credit_code"] for r in black["items"]] == [f.CODE_B]
    item = client.get(f"/api/v1/public/cycles/{cycle_id}/ratings?q={CODE_V}").json()["items"][0]
    assert item["black_list"] is False and item["grade"] == "C"
    assert (item["repair_status"], item["repair_date"], item["repair_document_no"]) == (
        "repaired", "2026-03-02", REPAIR_DOC)
    assert item["repairs"] == [{"repaired_on": "2026-03-02", "document_no": REPAIR_DOC, "left_black_list": True,
                                "breach_confirmed_on": None}]

    # The lists page: off the black list (its count), in the section of companies repaired off it, with the note.
    lists = client.get(f"/public/lists?cycle={cycle_id}").text
    black_table = lists.split('id="black-list"')[1].split("</table>")[0]
    assert CODE_V not in black_table and f.CODE_B in black_table
    assert "黑榜（1）" in h.text_of(lists)
    repaired_table = lists.split('id="repaired-list"')[1].split("</table>")[0]
    assert CODE_V in repaired_table and note in h.text_of(repaired_table)

    # The company's history across cycles shows the note.
    history = company.split('id="history"')[1].split("</table>")[0]
    assert note in h.text_of(history)

    # Open data: black_list false, the repair columns, no veto details anywhere.
    data = open_data(client, cycle_id)
    en = by_code(data["en"], "credit_code")[CODE_V]
    assert (en["black_list"], en["grade"], en["repair_status"], en["repair_date"], en["repair_document_no"]) == (
        "no", "C", "repaired", "2026-03-02", REPAIR_DOC)
    zh = by_code(data["zh"], "统一社会信用代码")[CODE_V]
    assert (zh["黑榜"], zh["修复状态"], zh["修复日期"], zh["修复决定书文号"]) == (
        "否", "已修复", "2026-03-02", REPAIR_DOC)
    ratings_sheet = data["xlsx"]["评价结果"]
    header = list(ratings_sheet[0])
    row = next(dict(zip(header, r, strict=True)) for r in ratings_sheet[1:] if CODE_V in r)
    assert (row["黑榜"], row["修复状态"], row["修复日期"], row["修复决定书文号"]) == ("否", "已修复", "2026-03-02",
                                                                           REPAIR_DOC)
    lists_sheet = data["xlsx"]["红榜与黑榜"]
    mine = [r for r in lists_sheet if CODE_V in r]
    assert [r[0] for r in mine] == ["经信用修复移出黑榜"] and note in mine[0][4]
    dictionary = [r[1] for r in data["xlsx"]["数据字典"]]
    assert {"repair_status", "repair_date", "repair_document_no"} <= set(dictionary)
    rated = {r["credit_code"]: r for r in data["json"]["ratings"]}[CODE_V]
    assert rated["black_list"] is False and rated["repair_status"] == "repaired"
    assert {"repair_status", "repair_date", "repair_document_no"} <= {x["name"] for x in data["json"]["fields"]}
    assert VETO_DOC not in data["raw"] and VETO_AMOUNT not in data["raw"]
    # The counts stay: counts, not details.
    assert rated["counted_records"]["fee_violations"] == 1

    # The stored ratings are untouched, and the other vetoed company's public record too.
    assert stored_ratings(database, cycle_id) == before
    other = page(client, f"/public/companies/{f.CODE_B}?cycle={cycle_id}")
    assert B_VETO_DOC in other and "已修复" not in other
    assert by_code(data["en"], "credit_code")[f.CODE_B]["black_list"] == "yes"
    assert by_code(data["en"], "credit_code")[f.CODE_B]["repair_status"] == ""
    assert B_VETO_DOC in data["raw"]

    # In English too (the language sticks to the client from here on).
    english = page(client, f"/public/companies/{CODE_V}?cycle={cycle_id}&lang=en")
    assert f"Repaired (2026-03-02, {REPAIR_DOC})" in english and VETO_DOC not in english


def test_a_repaired_record_loses_its_details_but_the_black_list_stays(world):
    """Repairing the veto record itself (mark records) hides the veto statement that names it; the black list is a
    separate mark and stays until it is repaired."""
    database, cycle_id = world
    repair(database, cycle_id, f.CODE_B, mark="records", records=[("major_events", "ZD-001")],
           number="枞住建信评〔2026〕6号")
    client = f.api_client(database)
    text = page(client, f"/public/companies/{f.CODE_B}?cycle={cycle_id}")
    assert "已修复（2026年3月2日，枞住建信评〔2026〕6号）" in text and B_VETO_DOC not in text
    lists = client.get(f"/public/lists?cycle={cycle_id}").text
    black_table = lists.split('id="black-list"')[1].split("</table>")[0]
    assert f.CODE_B in black_table and "枞住建信评〔2026〕6号" in black_table and B_VETO_DOC not in black_table
    assert 'id="repaired-list"' not in lists.replace(CODE_V, "")  # nobody left the black list
    data = open_data(client, cycle_id)
    row = by_code(data["en"], "credit_code")[f.CODE_B]
    assert (row["black_list"], row["repair_status"]) == ("yes", "repaired")
    assert B_VETO_DOC not in data["raw"]
    assert VETO_DOC in data["raw"]  # the other vetoed company still stated in full


def test_a_confirmed_breach_of_the_commitment_shows_everywhere(world):
    database, cycle_id = world
    request_id = repair(database, cycle_id, CODE_V, mark="veto", records=[("fee_violations", "SF-061")])
    confirm_breach(database, request_id, CODE_V, cycle_id, dt.date(2026, 9, 1))
    client = f.api_client(database)
    note = f"已修复（2026年3月2日，{REPAIR_DOC}）；2026年9月1日经核实违反信用承诺"
    assert note in page(client, f"/public/companies/{CODE_V}?cycle={cycle_id}")
    assert note in page(client, f"/public/lists?cycle={cycle_id}")
    assert note in page(client, f"/public?cycle={cycle_id}&q={CODE_V}")
    data = open_data(client, cycle_id)
    assert by_code(data["en"], "credit_code")[CODE_V]["repair_status"] == "repaired_breached"
    assert by_code(data["zh"], "统一社会信用代码")[CODE_V]["修复状态"] == "已修复（违反承诺）"
    assert {r["credit_code"]: r for r in data["json"]["ratings"]}[CODE_V]["repairs"][0]["breach_confirmed_on"] == \
        "2026-09-01"


def test_the_public_json_answers_match_their_schema(world):
    database, cycle_id = world
    repair(database, cycle_id, CODE_V, mark="veto", records=[("fee_violations", "SF-061")])
    client = f.api_client(database)
    from rating_service.disclosure.schemas import OpenDataOut, PublicCompanyOut, PublicRatingPageOut

    PublicRatingPageOut.model_validate(client.get(f"/api/v1/public/cycles/{cycle_id}/ratings").json())
    company = PublicCompanyOut.model_validate(client.get(f"/api/v1/public/companies/{CODE_V}").json())
    assert company.ratings[-1].repair_document_no == REPAIR_DOC and company.ratings[-1].black_list is False
    OpenDataOut.model_validate(json.loads(client.get(f"/open-data/cycles/{cycle_id}/ratings.json").content))
