"""Downloads: one PDF or a cycle's zip, hashes stored at first render, lost or damaged files rendered again;
who may have which document."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pypdf
from sqlalchemy import update

from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.notices import service as notices
from rating_service.notices.models import Document
from tests import factories as f
from tests.rating_service.notices.helpers import computed_cycle, documents


def _stored(database, document_id):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return session.get(Document, document_id)


def _audit(database, action):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action=action), limit=100)
    return [e for e in reversed(entries) if e.action == action]


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def test_a_download_renders_once_stores_the_hash_and_renders_a_lost_or_damaged_file_again(published, database):
    api = f.api_client(database, "officer")
    document_id = published.own.id
    assert _stored(database, document_id).sha256 is None
    url = f"/api/v1/documents/{document_id}/pdf"

    first = api.get(url)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert first.headers["content-disposition"].startswith("attachment;")
    assert f'filename="notice-2026-2-{f.CODE_A}.pdf"' in first.headers["content-disposition"]
    assert "no-store" in first.headers["cache-control"]
    data = first.content
    assert _is_pdf(data)
    stored = _stored(database, document_id)
    digest = hashlib.sha256(data).hexdigest()
    assert (stored.sha256, stored.size) == (digest, len(data)) and stored.rendered_at is not None
    path = notices.storage_path(document_id, published.cycle_id)
    assert path.read_bytes() == data

    # the stored file is served as it is
    assert api.get(url).content == data
    # a lost file is rendered again from the frozen payload, to the same bytes
    path.unlink()
    again = api.get(url)
    assert again.status_code == 200 and again.content == data
    assert path.read_bytes() == data
    # a damaged file is not served: it is rendered again, and replaced
    path.write_bytes(b"%PDF-1.7 garbage")
    repaired = api.get(url)
    assert repaired.status_code == 200 and repaired.content == data
    assert path.read_bytes() == data
    assert _stored(database, document_id).sha256 == digest  # the recorded hash never changes

    downloads = _audit(database, "document.download")
    assert len(downloads) == 4
    assert {(e.actor, e.entity_kind, e.entity_id) for e in downloads} == {("officer", "document", str(document_id))}
    assert json.loads(downloads[0].payload) == {"number": "枞住建信评〔2026〕2号", "kind": "notice",
                                                "credit_code": f.CODE_A}
    with database.read_session() as session:
        assert audit.verify(session).ok


def test_a_payload_that_no_longer_renders_to_its_hash_is_refused_not_served(published, database):
    api = f.api_client(database, "officer")
    url = f"/api/v1/documents/{published.own.id}/pdf"
    assert api.get(url).status_code == 200
    tampered = published.own.payload.replace(f"\"{f.CODE_A}\"", f"\"{f.CODE_B}\"")
    assert tampered != published.own.payload
    with database.write_session() as session:
        session.execute(update(Document).where(Document.id == published.own.id).values(payload=tampered))
    notices.storage_path(published.own.id, published.cycle_id).unlink()
    response = api.get(url)
    assert response.status_code == 500
    assert response.json()["code"] == "document_integrity" and "枞住建信评〔2026〕2号" in response.json()["message"]


def test_the_zip_holds_the_bulletin_and_every_notice_as_valid_pdfs(published, database):
    api = f.api_client(database, "officer")
    response = api.get(f"/api/v1/cycles/{published.cycle_id}/documents.zip")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert f"cycle-{published.cycle_id}-documents.zip" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        contents = {name: archive.read(name) for name in names}
    assert names == ["bulletin-2026-1-bulletin.pdf", f"notice-2026-2-{f.CODE_A}.pdf",
                     f"notice-2026-3-{f.CODE_B}.pdf"]
    issued = documents(database, published.cycle_id)
    for name, document in zip(names, issued, strict=True):
        assert _is_pdf(contents[name])
        assert document.sha256 == hashlib.sha256(contents[name]).hexdigest()
        text = "".join("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(contents[name])).pages).split())
        assert document.doc_number in text and "2026年1月19日" in text
        if document.kind == "notice":
            assert document.verification_code in text
    assert "安徽皖江物业服务有限公司" in "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(contents[names[1]])).pages)
    # the page link gives the same archive
    page = f.page_client(database, "officer")
    assert page.get(f"/cycles/{published.cycle_id}/documents.zip").content == response.content
    [entry, _page_entry] = _audit(database, "document.download_all")
    assert entry.entity_id == str(published.cycle_id) and json.loads(entry.payload) == {"documents": 3}


def test_a_company_lists_and_downloads_only_its_own_notices_and_the_bulletin(published, database):
    company = f.api_client(database, "company")
    listed = company.get(f"/api/v1/cycles/{published.cycle_id}/documents")
    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 2 and body["counts"] is None and body["appeal_deadline"] == "2026-01-19"
    assert [(d["kind"], d["credit_code"], d["doc_number"]) for d in body["items"]] == [
        ("bulletin", None, "枞住建信评〔2026〕1号"), ("notice", f.CODE_A, "枞住建信评〔2026〕2号")]
    assert body["items"][1]["kind_label"] == "信用评价结果告知书"
    assert body["items"][1]["download_url"] == f"/api/v1/documents/{published.own.id}/pdf"
    other_company = f.api_client(database, "company_b").get(f"/api/v1/cycles/{published.cycle_id}/documents")
    assert [d["credit_code"] for d in other_company.json()["items"]] == [None, f.CODE_B]
    officer = f.api_client(database, "officer").get(f"/api/v1/cycles/{published.cycle_id}/documents").json()
    assert officer["total"] == 3 and officer["counts"]["notice"] == 2 and officer["counts"]["bulletin"] == 1

    assert company.get(f"/api/v1/documents/{published.own.id}/pdf").status_code == 200
    assert company.get(f"/api/v1/documents/{published.bulletin.id}/pdf").status_code == 200
    # another company's notice answers exactly like a document that does not exist
    other = company.get(f"/api/v1/documents/{published.other.id}/pdf")
    missing = company.get("/api/v1/documents/999999/pdf")
    assert other.status_code == missing.status_code == 404
    assert other.json() == {"code": "not_found", "message": f"未找到文书 {published.other.id}。", "details": []}
    assert missing.json()["message"] == "未找到文书 999999。"
    page = f.page_client(database, "company")
    assert page.get(f"/documents/{published.own.id}.pdf").content.startswith(b"%PDF")
    assert page.get(f"/documents/{published.other.id}.pdf").status_code == 404
    # the zip of every company's notices is for officers only
    assert company.get(f"/api/v1/cycles/{published.cycle_id}/documents.zip").status_code == 403
    assert page.get(f"/cycles/{published.cycle_id}/documents.zip").status_code == 403
    downloads = _audit(database, "document.download")
    assert [(e.actor, e.entity_id) for e in downloads] == [
        ("company", str(published.own.id)), ("company", str(published.bulletin.id)),
        ("company", str(published.own.id))]
    assert _audit(database, "document.download_all") == []


def test_companies_get_nothing_of_a_cycle_before_it_is_publicized(published, database):
    computed = computed_cycle(database, "未公示")
    company = f.api_client(database, "company")
    response = company.get(f"/api/v1/cycles/{computed}/documents")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert company.get(f"/api/v1/cycles/{computed}/documents.zip").status_code == 403
    officer = f.api_client(database, "officer").get(f"/api/v1/cycles/{computed}/documents")
    assert officer.status_code == 200 and officer.json()["total"] == 0 and officer.json()["items"] == []


def test_a_finalized_cycle_keeps_its_documents_for_the_company(published, database):
    from rating_service.cycles import service as cycles

    with database.write_session() as session:
        cycles.finalize_cycle(session=session, cycle_id=published.cycle_id, actor="officer")
    company = f.api_client(database, "company")
    assert company.get(f"/api/v1/cycles/{published.cycle_id}/documents").json()["total"] == 2
    assert company.get(f"/api/v1/documents/{published.own.id}/pdf").status_code == 200
    assert company.get(f"/api/v1/documents/{published.other.id}/pdf").status_code == 404


def test_anonymous_callers_must_log_in(published, database):
    api = f.api_client(database)
    for url in (f"/api/v1/cycles/{published.cycle_id}/documents", f"/api/v1/documents/{published.own.id}/pdf",
                f"/api/v1/documents/{published.bulletin.id}/pdf", f"/api/v1/cycles/{published.cycle_id}/documents.zip"):
        response = api.get(url)
        assert response.status_code == 401 and response.json()["code"] == "unauthorized", url
    page = f.page_client(database)
    response = page.get(f"/documents/{published.bulletin.id}.pdf")
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fdocuments%2F{published.bulletin.id}.pdf"
    response = page.get(f"/cycles/{published.cycle_id}/documents.zip")
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    assert _audit(database, "document.download") == []
    assert all(d.sha256 is None for d in documents(database, published.cycle_id))


def test_a_download_is_named_in_chinese_with_an_ascii_fallback(published, database):
    """RFC 6266/5987: filename= an ASCII name for old clients, filename*= the Chinese name people see."""
    from urllib.parse import quote, unquote

    api = f.api_client(database, "officer")
    company = json.loads(published.own.payload)["company_name"]
    expected = {
        published.own.id: f"信用评价结果告知书_{published.own.doc_number}_{company}.pdf",
        published.bulletin.id: f"信用评价结果公示名单_{published.bulletin.doc_number}.pdf",
    }
    ascii_names = {published.own.id: f"notice-2026-2-{f.CODE_A}.pdf",
                   published.bulletin.id: "bulletin-2026-1-bulletin.pdf"}
    for document_id, name in expected.items():
        header = api.get(f"/api/v1/documents/{document_id}/pdf").headers["content-disposition"]
        assert header == f"attachment; filename=\"{ascii_names[document_id]}\"; filename*=UTF-8''{quote(name)}"
        assert header.isascii()
        assert unquote(header.split("filename*=UTF-8''")[1]) == name


def test_file_names_drop_characters_unsafe_in_file_names():
    document = Document(kind="appeal_record", doc_number="枞住建信评〔2026〕17号", credit_code="91340722927900581W",
                        doc_year=2026, doc_seq=17,
                        payload=json.dumps({"company_name": 'A/B\\C:物业*?"<有限>|公司\x01'}, ensure_ascii=False))
    assert notices.file_name(document) == "异议处理决定书_枞住建信评〔2026〕17号_ABC物业有限公司.pdf"
    assert notices.ascii_file_name(document) == "appeal_record-2026-17-91340722927900581W.pdf"
