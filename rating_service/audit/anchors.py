"""Anchors: the audit head (sequence number and hash) written outside the database, one MAC'd line each.

A line reads ``2026-11-28T02:00:00.123456Z seq=123 hash=<64 hex> key=<key id> mac=<64 hex>``. Lines are
appended with one ``write`` on an ``O_APPEND`` descriptor, so several processes can share the file. Because the
log is a hash chain, an anchor that still matches proves every entry up to its sequence number unchanged; one
that the log no longer reaches shows that entries after it were deleted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rating_service.audit.keys import AuditKey, Keyring
from rating_service.errors import Misconfigured

PURPOSE = "anchor"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_LINE = re.compile(
    r"(?P<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z) seq=(?P<seq>\d{1,18}) hash=(?P<hash>[0-9a-f]{64})"
    r" key=(?P<key>[0-9a-f]{16})(?: mac=(?P<mac>[0-9a-f]{64}))?$")


@dataclass(frozen=True, slots=True)
class Anchor:
    at: str
    seq: int
    hash: str
    key_id: str
    mac: str | None = None
    line: int = 0  # 1-based line number in the file it was read from

    @property
    def text(self) -> str:
        return f"{self.at} seq={self.seq} hash={self.hash} key={self.key_id} mac={self.mac}"


def make(*, key: AuditKey, seq: int, digest: str, at: dt.datetime | None = None) -> Anchor:
    stamp = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime(TIME_FORMAT)
    return Anchor(at=stamp, seq=seq, hash=digest, key_id=key.key_id, mac=key.mac(PURPOSE, stamp, seq, digest))


def write(path: Path, anchor: Anchor) -> None:
    """Append one line in a single write (O_APPEND: concurrent writers never interleave within a line)."""
    data = (anchor.text + "\n").encode("ascii")
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o644)
    try:
        written = os.write(fd, data)
    finally:
        os.close(fd)
    if written != len(data):
        raise OSError(f"short write to {path}: {written} of {len(data)} bytes")


@dataclass(frozen=True, slots=True)
class BadLine:
    line: int
    problem: str  # "unreadable", "unsigned", "unknown_key", "forged"
    key_id: str | None = None


def read(path: Path, ring: Keyring) -> Iterator[Anchor | BadLine]:
    """Every line of the file, checked: an anchor whose MAC is right under a known key, or what is wrong with it.

    A last line without its newline is a write cut short (a crash, or a writer still at it) and is passed over;
    a complete line that is not an anchor is reported. A torn line followed by a complete one is read by its
    complete part (the pattern is anchored at the end of the line).
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise Misconfigured("audit_anchor_file_unusable", path=str(path), reason=exc.strerror or str(exc)) from None
    with handle:
        number = 0
        for raw in handle:
            number += 1
            if not raw.endswith(b"\n"):
                return
            text = raw.decode("ascii", errors="replace").rstrip("\r\n")
            if not text.strip():
                continue
            found = _LINE.search(text)
            if found is None:
                yield BadLine(number, "unreadable")
                continue
            anchor = Anchor(at=found["at"], seq=int(found["seq"]), hash=found["hash"], key_id=found["key"],
                            mac=found["mac"], line=number)
            if anchor.mac is None:
                yield BadLine(number, "unsigned")
                continue
            key = ring.get(anchor.key_id)
            if key is None:
                yield BadLine(number, "unknown_key", anchor.key_id)
            elif not key.check(anchor.mac, PURPOSE, anchor.at, anchor.seq, anchor.hash):
                yield BadLine(number, "forged")
            else:
                yield anchor
