"""A full disk (or a folder without permission) while notices are rendered: rendering stops at the first failed
write with one line naming the cause and the folder, the publicize stands, what was written is recorded, the rest
stays "to render" with no file (whole or partial), and `rating cycle documents ID --render-missing` completes it."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.cycles import service as cycles
from rating_service.notices import service as notices
from rating_service.settings import get_settings
from tests import factories as f
from tests.rating_service.notices.helpers import COMPUTED_ON, NOTICE_DATE, computed_cycle, documents, publicize

runner = CliRunner()


@pytest.fixture(autouse=True)
def _own_documents_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A documents folder of this test's own: the suite's shared one holds files of earlier tests' documents with
    the same ids, and these tests look at which files exist."""
    monkeypatch.setenv("RATING_DOCUMENTS_DIR", str(tmp_path / "documents"))
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


class _Disk:
    """Stands in for the ``os`` module of the notices service: writes reach the disk until ``room`` files have been
    synced, then every fsync fails with ``error`` (as a full disk reports it: the data does not fit)."""

    def __init__(self, room: int, error: int = errno.ENOSPC) -> None:
        self.room, self.error, self.synced, self.failed = room, error, 0, 0

    def fsync(self, fd: int) -> None:
        if self.synced >= self.room:
            self.failed += 1
            raise OSError(self.error, os.strerror(self.error))
        self.synced += 1
        os.fsync(fd)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def _line(folder: Path, cycle_id: int, rendered: int, missing: int, cause: str = "磁盘空间不足",
          remedy: str = "释放空间") -> str:
    return (f"告知书生成中断：{cause}（{folder}），已生成 {rendered} 份，尚有 {missing} 份待生成。"
            f"{remedy}后运行：rating cycle documents {cycle_id} --render-missing")


def _check_files(database: Any, cycle_id: int) -> tuple[list[Any], list[Any]]:
    """(rendered, to render): every rendered document's file hashes as recorded; no other file, no temporary."""
    issued = documents(database, cycle_id)
    rendered = [d for d in issued if d.sha256 is not None]
    for document in rendered:
        data = notices.storage_path(document.id, cycle_id).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (document.sha256, document.size)
    waiting = [d for d in issued if d.sha256 is None]
    for document in waiting:
        assert document.size is None and document.rendered_at is None
        assert not notices.storage_path(document.id, cycle_id).exists()
    folder = notices.storage_path(0, cycle_id).parent
    assert list(folder.glob("*.tmp")) == [], "a temporary file was left behind"
    return rendered, waiting


@pytest.mark.slow
def test_a_full_disk_stops_publicize_rendering_with_one_line_and_render_missing_completes_it(database, monkeypatch):
    with f.on_day(COMPUTED_ON):
        assert runner.invoke(app, ["demo", "--no-accounts"]).exit_code == 0
    disk = _Disk(room=2)
    monkeypatch.setattr(notices, "os", disk)
    with f.on_day(NOTICE_DATE):
        result = runner.invoke(app, ["cycle", "publicize", "1", "--notice-date", "2026-01-12", "--processes", "2"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    folder = notices.storage_path(0, 1).parent
    assert _line(folder, 1, 2, 17) in result.output.splitlines()  # one line, whatever the terminal's width
    assert disk.failed == 1  # stopped at the first failure, not 17 more

    # The publicize stands (its documents were numbered in its transaction); two are rendered, 17 wait.
    with database.read_session() as session:
        assert cycles.get_cycle_or_raise(session=session, cycle_id=1).status == "publicized"
    rendered, waiting = _check_files(database, 1)
    assert (len(rendered), len(waiting)) == (2, 17)
    were_waiting = {d.id for d in waiting}

    # Space is freed: exactly the missing ones are rendered, with the hashes they must have.
    monkeypatch.setattr(notices, "os", os)
    completed = runner.invoke(app, ["cycle", "documents", "1", "--render-missing", "--processes", "2"])
    assert completed.exit_code == 0, completed.output
    assert "评价周期 1：补生成 17 份文书；全部 19 份文书均已生成。" in " ".join(completed.output.split())
    rendered, waiting = _check_files(database, 1)
    assert (len(rendered), waiting) == (19, [])
    before = {d.id: d.sha256 for d in rendered}
    # Each checks out as a download does: the stored file as recorded, and rendered again from its frozen
    # payload to the same bytes.
    for document in rendered:
        assert notices.pdf_file(document=document) == notices.PdfFile(
            data=notices.storage_path(document.id, 1).read_bytes(), sha256=document.sha256, fresh=False)
    late = next(d for d in rendered if d.id in were_waiting)
    notices.storage_path(late.id, 1).unlink()
    assert notices.pdf_file(document=late).sha256 == before[late.id]

    nothing = runner.invoke(app, ["cycle", "documents", "1", "--render-missing"])
    assert nothing.exit_code == 0 and "补生成 0 份文书" in nothing.output
    assert {d.id: d.sha256 for d in documents(database, 1)} == before


@pytest.fixture
def issued(database: Any) -> int:
    """The factory cycle publicized with its bulletin and two notices, none rendered yet."""
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = computed_cycle(database, "2025年度")
    publicize(database, cycle_id)
    return cycle_id


def test_no_permission_to_write_names_the_cause_in_both_languages_and_writes_nothing(database, issued, monkeypatch):
    def refuse(**_: Any) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(notices, "tempfile", SimpleNamespace(mkstemp=refuse))
    with pytest.raises(notices.DocumentsNotWritten) as stopped:
        notices.render_documents(database=database, cycle_id=issued, processes=1)
    folder = notices.storage_path(0, issued).parent
    assert stopped.value.message("zh") == _line(folder, issued, 0, 3, "没有写入权限", "修正文件夹权限")
    assert stopped.value.message("en") == (
        f"Rendering the notices stopped: no permission to write ({folder}); 0 rendered, 3 still to render. Fix the "
        f"folder's permissions, then run: rating cycle documents {issued} --render-missing")
    assert _check_files(database, issued)[0] == []


def test_the_background_renderer_logs_the_same_line_and_leaves_the_same_state(database, issued, monkeypatch,
                                                                              caplog):
    monkeypatch.setattr(notices, "os", _Disk(room=1))
    monkeypatch.setenv("RATING_RENDER_ON_PUBLICIZE", "true")
    get_settings.cache_clear()
    try:
        with caplog.at_level(logging.ERROR, logger="rating_service.notices.service"):
            thread = notices.render_in_background(database=database, cycle_id=issued)
            assert thread is not None
            thread.join(timeout=120)
    finally:
        get_settings.cache_clear()
    folder = notices.storage_path(0, issued).parent
    [record] = [r for r in caplog.records if r.name == "rating_service.notices.service"]
    assert record.getMessage() == _line(folder, issued, 1, 2) and record.exc_info is None
    rendered, waiting = _check_files(database, issued)
    assert (len(rendered), len(waiting)) == (1, 2)


def test_a_download_on_a_full_disk_is_served_and_the_document_stays_to_render(database, issued, monkeypatch,
                                                                            caplog):
    f.make_user(database, "officer", "officer")
    api = f.api_client(database, "officer")
    first, second, _third = documents(database, issued)
    monkeypatch.setattr(notices, "os", _Disk(room=0))
    with caplog.at_level(logging.ERROR, logger="rating_service.notices.service"):
        served = api.get(f"/api/v1/documents/{first.id}/pdf")
    assert served.status_code == 200 and served.content.startswith(b"%PDF-")
    folder = notices.storage_path(0, issued).parent
    assert (f"文书 {first.doc_number} 已即时生成并提供下载，但未能保存：磁盘空间不足（{folder}），仍为待生成。"
            f"释放空间后运行：rating cycle documents {issued} --render-missing") in caplog.messages
    assert _check_files(database, issued)[0] == []  # nothing recorded without its file

    # With room again, a download of a document not yet rendered renders, stores and records it.
    monkeypatch.setattr(notices, "os", os)
    assert api.get(f"/api/v1/documents/{second.id}/pdf").status_code == 200
    assert api.get(f"/api/v1/documents/{first.id}/pdf").content == served.content
    rendered, waiting = _check_files(database, issued)
    assert {d.id for d in rendered} == {first.id, second.id} and len(waiting) == 1
    assert notices.render_documents(database=database, cycle_id=issued, processes=1) == 1
    assert notices.render_documents(database=database, cycle_id=issued, processes=1) == 0
