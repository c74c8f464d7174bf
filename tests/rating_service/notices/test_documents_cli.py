"""`rating cycle publicize ID --notice-date` renders every document; `rating cycle documents --out` exports."""

from __future__ import annotations

import datetime as dt
import hashlib

from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.notices import service as notices
from rating_service.workdays.holiday_calendar import known_years
from tests import factories as f
from tests.rating_service.notices.helpers import COMPUTED_ON, NOTICE_DATE, computed_cycle, counters, documents

runner = CliRunner()


def test_publicize_renders_every_document_and_documents_exports_them(database, tmp_path):
    with f.on_day(COMPUTED_ON):
        assert runner.invoke(app, ["demo", "--no-accounts"]).exit_code == 0
    with f.on_day(NOTICE_DATE):
        result = runner.invoke(app, ["cycle", "publicize", "1", "--notice-date", "2026-01-12", "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "已生成 19 份文书（告知书和公示名单）；异议截止日期：2026-01-19。" in " ".join(result.output.split())
    assert "公示中" in result.output

    issued = documents(database, 1)
    assert len(issued) == 19 and [d.kind for d in issued].count("bulletin") == 1
    for document in issued:
        assert document.sha256 is not None and document.rendered_at is not None, document.doc_number
        data = notices.storage_path(document.id, 1).read_bytes()
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == document.sha256
        assert document.size == len(data)
    # what the worker processes rendered, this process renders to the same bytes
    lost = notices.storage_path(issued[5].id, 1)
    lost.unlink()
    with database.write_session() as session:
        again = notices.pdf_bytes(session=session, document=session.merge(issued[5]))
    assert hashlib.sha256(again).hexdigest() == issued[5].sha256

    out = tmp_path / "export"
    exported = runner.invoke(app, ["cycle", "documents", "1", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 19
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs}
    assert hashes == {d.sha256 for d in issued}
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    for document in issued:
        assert document.doc_number in exported.output and document.verification_code in exported.output

    listed = runner.invoke(app, ["cycle", "documents", "1"])
    assert listed.exit_code == 0 and listed.output.count("枞住建信评〔2026〕") == 19


def test_publicize_refuses_a_bad_or_unservable_notice_date_with_a_message(database):
    f.load(database, *f.REFERENCE, "complaints")
    cycle_id = computed_cycle(database, "一")
    bad = runner.invoke(app, ["cycle", "publicize", str(cycle_id), "--notice-date", "2026-13-01"])
    assert bad.exit_code == 2 and "告知日期“2026-13-01”无效" in bad.output
    year = max(known_years())
    with f.on_day(dt.date(year, 12, 28)):
        refused = runner.invoke(app, ["cycle", "publicize", str(cycle_id), "--notice-date", f"{year}-12-28",
                                      "--processes", "1"])
    assert refused.exit_code == 2 and f"{year + 1} 年的节假日安排" in " ".join(refused.output.split())
    assert documents(database, cycle_id) == [] and counters(database) == {}
    shown = runner.invoke(app, ["cycle", "show", str(cycle_id), "--lang", "en"])
    assert "computed" in shown.output
