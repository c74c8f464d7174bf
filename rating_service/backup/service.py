"""Backups that restore (docs/operations.md, "Backup and restore").

A backup is a folder: the database (PostgreSQL: ``pg_dump`` custom format; SQLite: the online backup API, a
consistent copy while the service runs), the issued documents and the attachments (the folders of the settings),
the audit log's anchors, and ``manifest.json`` naming every file with its size and SHA-256, the schema revision and
the audit head. Restoring checks every hash first, refuses a database that is not empty, then loads the dump and
copies the folders back. The audit key is never in a backup: the restored site needs the same key configured.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from rating_service import migrate
from rating_service.audit import service as audit
from rating_service.db import Database
from rating_service.errors import RatingServiceError

MANIFEST = "manifest.json"
FORMAT = 1
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite"
ANCHORS = "audit-anchors.log"
FOLDERS = {"documents": "documents_dir", "attachments": "attachments_dir"}


class BackupFailed(RatingServiceError):
    status_code = 500
    code = "backup_failed"


class RestoreRefused(RatingServiceError):
    status_code = 400
    code = "restore_refused"


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    revision: str | None
    audit_head: tuple[int, str]  # the head as printed on bulletins: its seq and the start of its hash
    files: dict[str, dict[str, Any]]  # relative path -> {"size", "sha256"}

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "created_at": self.created_at, "engine": self.engine, "revision": self.revision,
                "audit_head": {"seq": self.audit_head[0], "hash": self.audit_head[1]}, "files": self.files}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq_url(database: Database) -> str:
    """The database's URL as pg_dump and pg_restore read it (no SQLAlchemy driver suffix)."""
    url = make_url(database.settings.database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:  # the PostgreSQL client tools are not installed
        raise BackupFailed("backup_command_failed", command=what, detail="command not found / 未找到该命令") from None
    if done.returncode != 0:
        raise BackupFailed("backup_command_failed", command=what, detail=(done.stderr or done.stdout)[-500:])


def backup(database: Database, target: Path) -> Manifest:
    """Write a backup of ``database`` and the settings' folders into ``target`` (created; must be empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise RestoreRefused("backup_target_not_empty", path=str(target))
    target.mkdir(parents=True, exist_ok=True)
    with database.read_session() as session:
        head = audit.printed_head(session)
    revision = migrate.current(database)
    if database.is_sqlite:
        source = sqlite3.connect(make_url(database.settings.database_url).database or "")
        copy = sqlite3.connect(target / SQLITE_COPY)
        try:
            source.backup(copy)  # the online backup API: a consistent copy while others write
        finally:
            copy.close()
            source.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target / PG_DUMP}",
              _libpq_url(database)], "pg_dump")
    settings = database.settings
    for name, setting in FOLDERS.items():
        folder = Path(getattr(settings, setting))
        if folder.is_dir():
            shutil.copytree(folder, target / name)
    if settings.audit_anchor_file.is_file():
        shutil.copy2(settings.audit_anchor_file, target / ANCHORS)
    files = {str(p.relative_to(target)): {"size": p.stat().st_size, "sha256": _sha256(p)}
             for p in sorted(target.rglob("*")) if p.is_file()}
    manifest = Manifest(created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                        engine="sqlite" if database.is_sqlite else "postgresql", revision=revision,
                        audit_head=head, files=files)
    (target / MANIFEST).write_text(json.dumps(manifest.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise RestoreRefused("restore_no_manifest", path=str(path)) from None
    if data.get("format") != FORMAT:
        raise RestoreRefused("restore_unknown_format", path=str(path))
    return data


def check(source: Path) -> dict[str, Any]:
    """The manifest, once every file it names is there with its size and hash (else refused, naming the file)."""
    source = Path(source)
    data = read_manifest(source)
    for name, facts in data["files"].items():
        path = source / name
        if not path.is_file() or path.stat().st_size != facts["size"] or _sha256(path) != facts["sha256"]:
            raise RestoreRefused("restore_file_damaged", file=name)
    return data


def _empty(database: Database) -> bool:
    with database.engine.connect() as connection:
        return not inspect(connection).get_table_names()


def _empty_folder(path: Path) -> bool:
    return not path.exists() or (path.is_dir() and not any(path.iterdir()))


def restore(database: Database, source: Path) -> dict[str, Any]:
    """Restore the backup in ``source`` onto ``database`` (empty) and the settings' folders (empty or missing)."""
    source = Path(source)
    data = check(source)
    settings = database.settings
    engine = "sqlite" if database.is_sqlite else "postgresql"
    if data["engine"] != engine:
        raise RestoreRefused("restore_engine_differs", backup=data["engine"], target=engine)
    if not _empty(database):
        raise RestoreRefused("restore_database_not_empty")
    for name, setting in FOLDERS.items():
        if (source / name).is_dir() and not _empty_folder(Path(getattr(settings, setting))):
            raise RestoreRefused("restore_folder_not_empty", path=str(getattr(settings, setting)))
    anchors = settings.audit_anchor_file
    if (source / ANCHORS).is_file() and anchors.is_file() and anchors.stat().st_size \
            and anchors.read_bytes() != (source / ANCHORS).read_bytes():
        raise RestoreRefused("restore_anchors_differ", path=str(anchors))
    if database.is_sqlite:
        database.dispose()
        path = Path(make_url(settings.database_url).database or "")
        copy = sqlite3.connect(source / SQLITE_COPY)
        into = sqlite3.connect(path)
        try:
            copy.backup(into)
        finally:
            into.close()
            copy.close()
    else:
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              f"--dbname={_libpq_url(database)}", str(source / PG_DUMP)], "pg_restore")
    for name, setting in FOLDERS.items():
        if (source / name).is_dir():
            shutil.copytree(source / name, Path(getattr(settings, setting)), dirs_exist_ok=True)
    if (source / ANCHORS).is_file():
        anchors.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / ANCHORS, anchors)
    return data
