"""The audit key: loaded from settings (never from the database), and the HMACs made with it.

Each key has an id (a truncated HMAC of a fixed text under the key): stored beside every MAC, it tells verify
which key signed what, and lets it say "the configured key is not the one that signed this" instead of
"every entry was altered". The id reveals nothing that would let anyone compute a MAC.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rating_service.errors import Misconfigured
from rating_service.settings import AUDIT_KEY_MIN_BYTES, get_settings

log = logging.getLogger(__name__)

KEY_ID_LENGTH = 16  # hex characters


@dataclass(frozen=True)
class AuditKey:
    key_id: str
    secret: bytes = field(repr=False)

    def mac(self, purpose: str, *fields: str | int) -> str:
        """HMAC-SHA256 of one purpose ("entry", "head", "anchor") and its fields: a MAC made for one purpose is
        never valid for another."""
        message = "\n".join([purpose, *(str(f) for f in fields)]).encode("utf-8")
        return hmac.digest(self.secret, message, "sha256").hex()

    def check(self, mac: str | None, purpose: str, *fields: str | int) -> bool:
        return mac is not None and hmac.compare_digest(mac, self.mac(purpose, *fields))


@dataclass(frozen=True)
class Keyring:
    """The signing key and every key verify accepts (the signing key and the retired ones), by id."""

    signing: AuditKey
    by_id: Mapping[str, AuditKey]

    def get(self, key_id: str | None) -> AuditKey | None:
        return self.by_id.get(key_id or "")

    @property
    def ids(self) -> str:
        retired = [k for k in self.by_id if k != self.signing.key_id]
        return self.signing.key_id + (f" (+{', '.join(retired)})" if retired else "")


def key_from_secret(secret: bytes) -> AuditKey:
    key_id = hmac.new(secret, b"rating-service audit key id", hashlib.sha256).hexdigest()[:KEY_ID_LENGTH]
    return AuditKey(key_id=key_id, secret=secret)


def keyring() -> Keyring:
    """The configured keys (read once per process and configuration)."""
    settings = get_settings()
    text = settings.audit_key.get_secret_value() if settings.audit_key is not None else None
    return _load(text, settings.audit_key_file, tuple(settings.audit_retired_key_files),
                 settings.environment != "production")


@lru_cache(maxsize=8)
def _load(text: str | None, path: Path, retired: tuple[Path, ...], create: bool) -> Keyring:
    if text is not None:
        signing = _checked(text.strip().encode("utf-8"), "RATING_AUDIT_KEY")
    else:
        if create and not path.exists():
            _create_key_file(path)
        signing = _read_key_file(path)
    by_id = {signing.key_id: signing}
    for old in retired:
        key = _read_key_file(old)
        by_id.setdefault(key.key_id, key)
    return Keyring(signing=signing, by_id=by_id)


def _read_key_file(path: Path) -> AuditKey:
    try:
        secret = path.read_bytes().strip()
        mode = path.stat().st_mode
    except OSError as exc:
        raise Misconfigured("audit_key_unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    if mode & 0o077:
        log.warning("audit key file %s can be read by other users (mode %o): chmod 600 it", path, mode & 0o777)
    return _checked(secret, str(path))


def _checked(secret: bytes, source: str) -> AuditKey:
    if len(secret) < AUDIT_KEY_MIN_BYTES:
        raise Misconfigured("audit_key_short", source=source, minimum=AUDIT_KEY_MIN_BYTES)
    return key_from_secret(secret)


def _create_key_file(path: Path) -> None:
    """A new random key, mode 0600, published whole by a hard link so that concurrent first uses agree on one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(scratch, path)
        log.warning("created a new audit key in %s: keep it (and a copy) safe; without it the log cannot be verified",
                    path)
    except FileExistsError:
        pass  # another process made one first: use theirs
    finally:
        with contextlib.suppress(OSError):
            os.unlink(scratch)


# What each MAC covers. An entry's hash already covers its fields and the hash before it, so its MAC covers the
# whole chain up to it; the head's MAC binds its sequence number to its hash.
def entry_mac(key: AuditKey, digest: str) -> str:
    return key.mac("entry", digest)


def head_mac(key: AuditKey, seq: int, digest: str) -> str:
    return key.mac("head", seq, digest)


def entry_ok(key: AuditKey | None, mac: str | None, digest: str) -> bool:
    return key is not None and key.check(mac, "entry", digest)


def head_ok(key: AuditKey | None, mac: str | None, seq: int, digest: str) -> bool:
    return key is not None and key.check(mac, "head", seq, digest)
