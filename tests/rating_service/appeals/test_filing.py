"""Filing an appeal: the window in working days, one pending per company, own records only, safe attachments."""

from __future__ import annotations

import datetime as dt

from rating_service.appeals import service
from rating_service.cycles import service as cycles_service
from tests import factories as f

PDF = f.pdf_file()
PNG = f.image_file("PNG")
JPG = f.image_file("JPEG")


def _evidence(database, cycle_id, code):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        cycle = cycles_service.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        return sorted(service.contestable_records(session=session, cycle=cycle, credit_code=code))


def _file(client, cycle_id, *, records=(), grounds="该投诉经核实不属于我公司管理范围。", scope="records",  # type: ignore[no-untyped-def]
          files=()):
    data = {"grounds": grounds, "scope": scope, "records": [f"{k}:{r}" for k, r in records]}
    return client.post(f"/api/v1/cycles/{cycle_id}/appeals", data=data,
                       files=[("files", (name, content, "application/octet-stream")) for name, content in files])


def test_a_company_files_against_its_own_records_with_attachments(database, published, tmp_path):
    contested = _evidence(database, published.cycle_id, f.CODE_A)[:2]
    assert contested, "the factory company has records that count against it"
    client = f.api_client(database, "company")
    response = _file(client, published.cycle_id, records=contested,
                     files=[("物业合同.pdf", PDF), ("现场照片.png", PNG), ("照片2.JPG", JPG)])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "pending" and body["credit_code"] == f.CODE_A
    assert body["filed_on"] == "2026-01-14"
    assert body["due_on"] == "2026-01-28"  # ten working days after filing
    assert [(i["kind"], i["record_id"]) for i in body["items"]] == [tuple(c) for c in contested]
    assert [(a["filename"], a["content_type"]) for a in body["attachments"]] == [
        ("物业合同.pdf", "application/pdf"), ("现场照片.png", "image/png"), ("照片2.JPG", "image/jpeg")]
    # The attachment comes back byte for byte, to the company and to officers.
    url = body["attachments"][0]["url"]
    assert client.get(url).content == PDF
    officer = f.api_client(database, "officer")
    assert officer.get(url).content == PDF
    assert officer.get(f"/api/v1/cycles/{published.cycle_id}/appeals").json()["items"][0]["id"] == body["id"]
    # Attachments are not public: both downloads are in the audit log, with who fetched them.
    from tests.rating_service.notices.test_issuing import _audit

    fetched = _audit(database, "appeal.attachment_download", str(body["id"]))
    assert sorted(e.actor for e in fetched) == ["company", "officer"]


def test_appeals_are_refused_after_the_window_closes_one_working_day_late(database, published, today):
    contested = _evidence(database, published.cycle_id, f.CODE_A)[:1]
    client = f.api_client(database, "company")
    today(dt.date(2026, 1, 20))  # the deadline was Monday 2026-01-19
    late = _file(client, published.cycle_id, records=contested)
    assert late.status_code == 409
    assert "异议申诉期已于 2026-01-19 结束" in late.json()["message"]
    today(dt.date(2026, 1, 19))  # the last day still counts
    assert _file(client, published.cycle_id, records=contested).status_code == 201


def test_one_pending_appeal_per_company_and_cycle(database, published):
    contested = _evidence(database, published.cycle_id, f.CODE_A)[:1]
    client = f.api_client(database, "company")
    first = _file(client, published.cycle_id, records=contested)
    assert first.status_code == 201
    again = _file(client, published.cycle_id, scope="calculation")
    assert again.status_code == 409 and str(first.json()["id"]) in again.json()["message"]


def test_a_company_cannot_contest_another_companys_records_or_see_its_appeal(database, published):
    other_records = _evidence(database, published.cycle_id, f.CODE_B)
    own = set(map(tuple, _evidence(database, published.cycle_id, f.CODE_A)))
    foreign = [r for r in other_records if tuple(r) not in own][:1]
    assert foreign
    company = f.api_client(database, "company")
    refused = _file(company, published.cycle_id, records=foreign)
    assert refused.status_code == 400 and "不是本期计入你单位的记录" in refused.json()["message"]

    b = f.api_client(database, "company_b")
    filed = _file(b, published.cycle_id, records=other_records[:1], files=[("a.pdf", PDF)]).json()
    assert company.get(f"/api/v1/appeals/{filed['id']}").status_code == 404
    assert company.get(filed["attachments"][0]["url"]).status_code == 404
    assert company.get(f"/api/v1/cycles/{published.cycle_id}/appeals").json()["items"] == []
    # Officers do not file.
    officer = f.api_client(database, "officer")
    assert _file(officer, published.cycle_id, scope="calculation").status_code == 403


def test_attachments_are_checked_by_content_size_and_name(database, published, tmp_path, monkeypatch):
    from rating_service.settings import get_settings

    client = f.api_client(database, "company")
    # A program renamed to .pdf is refused, and nothing is stored.
    disguised = _file(client, published.cycle_id, scope="calculation", files=[("证明.pdf", b"MZ\x90\x00binary")])
    assert disguised.status_code == 400 and "不是 PDF、JPG 或 PNG 文件" in disguised.json()["message"]
    html = _file(client, published.cycle_id, scope="calculation", files=[("x.png", b"<html><script>")])
    assert html.status_code == 400
    monkeypatch.setenv("RATING_ATTACHMENT_LIMIT_MB", "1")
    get_settings.cache_clear()
    try:
        big = _file(client, published.cycle_id, scope="calculation", files=[("big.pdf", PDF + b"0" * (1 << 20))])
        assert big.status_code == 400 and "超过 1 MB" in big.json()["message"]
    finally:
        monkeypatch.delenv("RATING_ATTACHMENT_LIMIT_MB")
        get_settings.cache_clear()
    assert client.get(f"/api/v1/cycles/{published.cycle_id}/appeals").json()["items"] == []
    # A path-like name is shown as its last part only, and the file is stored under a generated name.
    ok = _file(client, published.cycle_id, scope="calculation", files=[("../../etc/passwd.pdf", PDF),
                                                                       ("..\\..\\boot.ini.png", PNG)])
    assert ok.status_code == 201, ok.text
    names = [a["filename"] for a in ok.json()["attachments"]]
    assert names == ["passwd.pdf", "boot.ini.png"]
    stored = sorted(p.name for p in get_settings().attachments_dir.iterdir())
    assert stored and all(len(n.split(".")[0]) == 32 for n in stored)
    assert not any("passwd" in n or "boot" in n for n in stored)


def test_grounds_and_records_are_required(database, published):
    client = f.api_client(database, "company")
    assert "请填写异议理由" in _file(client, published.cycle_id, scope="calculation", grounds="  ").json()["message"]
    assert "请至少选择一条" in _file(client, published.cycle_id, scope="records").json()["message"]


def test_sniffing_and_display_names():
    assert service.sniff(PDF) == ("application/pdf", "pdf")
    assert service.sniff(b"GIF89a") is None
    assert service.display_name("C:\\docs\\a<b>.pdf") == "ab.pdf"
    assert service.display_name("\x00\x1f") == "attachment"
