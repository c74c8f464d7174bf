"""The one place that reads the environment: service settings (pydantic-settings)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-change-me"
MIN_SECRET_BYTES = 32
AUDIT_KEY_MIN_BYTES = 32
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RATING_", env_file=".env", extra="ignore")

    # DATABASE_URL is the conventional unprefixed name; RATING_DATABASE_URL works as well.
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'rating.db'}",
        validation_alias=AliasChoices("DATABASE_URL", "RATING_DATABASE_URL", "database_url"),
    )
    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEFAULT_SECRET
    default_lang: Literal["zh", "en"] = "zh"
    # Times are stored in UTC and shown in the bureau's time zone.
    timezone: str = "Asia/Shanghai"
    sqlite_busy_timeout_ms: int = 30_000
    sqlite_cache_kib: int = 65_536
    # Accounts: cookie sessions and API tokens expire.
    session_hours: int = 12
    api_token_days: int = 30
    # Passwords need this many characters at least (never fewer than 12), must not be in the shipped list of common
    # passwords (nor such a password with digits or punctuation around it, nor a keyboard or alphabet run), must not
    # contain the username, and need 5 different characters.
    password_min_length: int = Field(default=12, ge=12)
    # The bureau's telephone for account matters, shown on the login page to a company that forgot its password (an
    # administrator resets it and tells the company the temporary password); empty: no number shown.
    bureau_phone: str = Field(default="", max_length=50)
    # Login throttling, kept in the database so that every server process sees it. Per client address and username
    # as typed (known or not): after login_free_failures failures, each further one refuses that pair for
    # login_lock_seconds, doubling, at most login_lock_max_seconds; the owner logging in from another address is
    # not affected, and a successful login clears its pair.
    login_free_failures: int = 5
    login_lock_seconds: int = 30
    login_lock_max_seconds: int = 900
    # Per client address across usernames: this many failures within login_address_window_seconds refuse every
    # login from that address for the next login_address_window_seconds. The client address is the connection's
    # (behind a reverse proxy: RATING_FORWARDED_ALLOW_IPS must name the proxy).
    login_address_max_failures: int = 20
    login_address_window_seconds: int = 300
    # Throttle rows idle (and unlocked) this long are deleted, so the table stays small.
    login_throttle_keep_hours: int = 24
    # Cookies carry the Secure flag; unset, they do in production (served over HTTPS there) and not elsewhere.
    secure_cookies: bool | None = None
    upload_limit_mb: int = 200
    # Request bodies are limited while they stream in, before any work is done on them (the edge middleware,
    # rating_service/web/edge.py): imports get the upload limit, appeals their attachments, everything else this.
    body_limit_kb: int = 1024
    # The intake API (docs/intake.md, "Intake API"): at most this many tickets in one push, and the push's body
    # limit (500 tickets of 4,000 characters of Chinese each are about 6 MB).
    intake_batch_max: int = Field(default=500, ge=1, le=10_000)
    intake_body_limit_kb: int = Field(default=8192, ge=64)
    # Browser security: Strict-Transport-Security on HTTPS answers in production (0 turns it off).
    hsts_seconds: int = 31_536_000
    # Addresses of reverse proxies whose X-Forwarded-For/-Proto headers are believed (uvicorn's forwarded_allow_ips):
    # the client address (login throttling, the audit log) and https (Secure cookies, HSTS) come from them.
    forwarded_allow_ips: str = "127.0.0.1"
    # The OpenAPI document and /docs: "public", "login" (any signed-in account) or "off". Unset: public in
    # development and test, behind login in production.
    api_docs: Literal["public", "login", "off"] | None = None
    # Import limits
    # (docs/imports.md, "Limits"; the measurements behind the defaults: bench/RESULTS.md, "import limits"). The file
    # size above applies to `rating import` and `rating score --data` too. Rows: the 1,000,000-row complaints file is
    # the largest measured under 1 GiB of memory (583 MiB through the CLI, 682 MiB through HTTP); split larger files.
    # Cells: Excel itself holds at most 32,767 characters in a cell.
    import_max_rows: int = Field(default=1_000_000, ge=1)
    import_max_cell_chars: int = Field(default=32_767, ge=1)
    # An XLSX is a zip: its directory is checked before anything is inflated. That 1,000,000-row file saved as XLSX
    # unpacks to 652 MiB at a ratio of 10:1 (the demo files: 2:1 to 11:1); the probe's bombs were 230:1 and 1,000:1.
    import_xlsx_max_unpacked_mb: int = Field(default=768, ge=1)
    import_xlsx_max_ratio: int = Field(default=100, ge=1)
    import_xlsx_max_parts: int = Field(default=1_000, ge=1)
    # A rejected import keeps the first errors of each (file, column, reason) and counts the rest: all of them go
    # into its XLSX list of errors, the first 100 of each into the answer (errors.DETAILS_PER_GROUP). Echoed cell
    # values are cut to this many characters (and personal data in them masked).
    import_errors_per_reason: int = Field(default=1_000, ge=1)
    import_echo_chars: int = Field(default=100, ge=10)
    # The XLSX list of a rejected import's errors, offered on the import page: kept here under a random name, for
    # this many hours.
    import_reports_dir: Path = PROJECT_ROOT / "var" / "import-errors"
    import_report_hours: int = Field(default=24, ge=1)
    # Personal data typed into a value (a phone number in a category, an ID number in a note): "refuse" the file
    # naming the row and column, or "mask" it and store the value masked (133****0003).
    personal_data_in_values: Literal["refuse", "mask"] = "refuse"
    # Intake (docs/intake.md): remove house numbers beyond building level (…栋2单元【已删除门牌】) from tickets' text
    # and addresses before storing them; a ticket is offered for bulk confirmation when its community match is
    # proposed and its suggested category and its relevance are at least this probable (a patrol finding: the match).
    intake_remove_house_numbers: bool = True
    intake_bulk_category: float = Field(default=0.8, ge=0.0, le=1.0)
    intake_bulk_relevance: float = Field(default=0.8, ge=0.0, le=1.0)
    # Issued documents: the issuing body, the document number prefix (枞住建信评〔2025〕12号), the public address
    # printed in verification QR codes, where PDFs are kept, and how many processes render them (0: one per CPU).
    issuer_name: str = "枞阳县住房和城乡建设局"
    document_prefix: str = "枞住建信评"
    public_base_url: str = "http://127.0.0.1:8000"
    # The footer of every page: the site's owner (主办单位), an enquiry phone (咨询电话) and its ICP filing (备案号);
    # a blank one is not shown. `make run` (the demo) names the Zongyang bureau as the owner.
    site_owner: str = ""
    site_phone: str = ""
    site_icp: str = ""
    documents_dir: Path = PROJECT_ROOT / "var" / "documents"
    render_processes: int = 0
    # Render every notice in the background right after publicize (tests turn it off and render on demand).
    render_on_publicize: bool = True
    # Appeal window after the notice date, in PRC working days (a cycle keeps the value it was created with).
    appeal_window_days: int = 5
    # A notice date is never before the day of publicizing (back-dating would shorten or skip the appeal window);
    # it may be up to this many calendar days ahead: enough to date notices prepared before the longest public
    # holiday (Spring Festival: 8–9 days off) on the first working day after it, short enough that a mistyped year
    # cannot hold a cycle's window open for months.
    notice_date_max_days_ahead: int = Field(default=14, ge=0, le=60)
    # An appeal must be decided within this many working days of filing (also copied into each cycle).
    decision_days: int = 10
    # Appeal attachments: kept outside any served folder, under generated names; PDF, JPG or PNG by content.
    attachments_dir: Path = PROJECT_ROOT / "var" / "attachments"
    attachment_limit_mb: int = 10
    attachments_per_appeal: int = 5
    # Early warning (docs/monitor.md): a company whose running score is within this many points above the lower
    # edge of its band is listed as close to the next band down.
    monitor_margin_points: float = Field(default=3.0, ge=0, le=50)
    # Images are decoded and re-encoded before storage: at most this many pixels (50 million: a 600 dpi A4 scan or
    # a 50-megapixel photo; about 150 MB decoded, one file at a time). Larger ones, and decompression bombs, are
    # refused before decoding.
    attachment_max_pixels: int = Field(default=50_000_000, ge=1)
    # PDFs are inspected for scripts and other active content: at most this many pages.
    attachment_pdf_max_pages: int = Field(default=500, ge=1)
    # Public pages are served from a per-process cache; each process asks the database whether a public cycle
    # changed at most this often (the process that made a change sees it at once).
    disclosure_poll_seconds: float = 1.0
    # Right after a server starts nothing of the public data is built yet (it is built in the background): a public
    # request waits at most this long, counted from the start, and is then answered "preparing" (503, Retry-After).
    disclosure_build_wait_seconds: float = 1.0

    # Background work (docs/operations.md, "The job queue"). "procrastinate": jobs go to a queue in the PostgreSQL
    # database and `rating worker` processes (on any number of machines pointing at the same database) run them;
    # "local": threads of the serving process run them (the embedded default, no extra process or service);
    # "auto": procrastinate on PostgreSQL, local on SQLite.
    job_queue: Literal["auto", "local", "procrastinate"] = "auto"
    # A worker process runs this many jobs at once (rendering uses one CPU per job).
    worker_concurrency: int = Field(default=1, ge=1, le=64)
    # A worker writes a heartbeat this often; a job whose worker has been silent for worker_stalled_seconds (killed,
    # its machine lost) is given to another worker, which renders only what is still missing.
    worker_heartbeat_seconds: float = Field(default=10.0, gt=0)
    worker_stalled_seconds: float = Field(default=60.0, gt=0)
    # A job that fails is tried again after task_retry_seconds, doubling, at most task_max_attempts times in all;
    # an error in the data (a RatingServiceError) is not retried: it fails the job at once with its message.
    task_max_attempts: int = Field(default=5, ge=1, le=50)
    task_retry_seconds: int = Field(default=5, ge=0)
    # A cycle's documents are rendered in batches of this many, one job each, spread over the workers.
    # 50: a county of a few hundred notices makes enough batches for every worker (measured in bench/RESULTS.md,
    # "Job queue"); the nation's 150,000 make 3,000, each under a minute of one CPU.
    render_batch_size: int = Field(default=50, ge=1, le=100_000)

    # Observability (docs/operations.md, "Metrics" and "Logs"). /metrics in Prometheus' text format: off, or
    # answered only to clients whose address is in metrics_allow_ips (comma-separated addresses or networks; empty:
    # any address) and, when metrics_token is set, that send "Authorization: Bearer <token>".
    metrics_enabled: bool = True
    metrics_allow_ips: str = "127.0.0.1,::1"
    metrics_token: SecretStr | None = None
    # A worker serves its own metrics (task durations) on this port of 127.0.0.1; 0: none.
    worker_metrics_port: int = Field(default=0, ge=0, le=65_535)
    # "text" (for a terminal) or "json" (one object per line, with the request id, for a log collector).
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Memory (rating_service/allocator.py): glibc's mmap threshold in bytes, fixed at the start of every process of
    # the service, so that the large arrays an import or a cycle frees go back to the system at once; 0 leaves
    # glibc's moving default (so does MALLOC_MMAP_THRESHOLD_ in the environment). At most 32 MiB (glibc's limit).
    malloc_mmap_threshold: int = Field(default=128 * 1024, ge=0, le=32 * 1024 * 1024)
    # The mmap threshold while a cycle's engine and explanations run (allocator.engine_heap): their arrays below it
    # reuse the heap's freed memory instead of each taking fresh pages; restored (and the heap trimmed) after. 0:
    # the fixed threshold throughout. At most 32 MiB (glibc's limit). 16 MiB: a nation's engine and explanations
    # 4.4 s against 4.9 s at 0, peak +200 MiB; 32 MiB was no faster and peaked 430 MiB higher (2026-12-06).
    engine_malloc_mmap_threshold: int = Field(default=16 * 1024 * 1024, ge=0, le=32 * 1024 * 1024)
    # Whether numpy asks for transparent huge pages for its large arrays (numpy's default on Linux). Off: on the
    # VMs measured, a huge page's first touch was at times 30× slower than small pages' (allocator.py). A
    # NUMPY_MADVISE_HUGEPAGE in the environment wins.
    numpy_hugepages: bool = False
    # Arrow's allocator for its buffers (texts, snapshot tables, explanations): "jemalloc", "mimalloc" (pyarrow's
    # default), "system" (glibc's malloc), or "default" to leave pyarrow's choice. jemalloc: on the 2-core VMs
    # measured, mimalloc made the engine's Arrow steps far slower (a nation's explanations 3.3 s against 2.6 s,
    # bench/RESULTS.md). An ARROW_DEFAULT_MEMORY_POOL in the environment wins.
    arrow_memory_pool: Literal["jemalloc", "mimalloc", "system", "default"] = "jemalloc"

    # Audit log
    # Every entry, the head row and every anchor carry an HMAC-SHA256 under a key that never enters the database,
    # so whoever can write the database still cannot rewrite the log unnoticed. The key is RATING_AUDIT_KEY
    # (≥ 32 bytes of text) or else the contents of this file (surrounding whitespace ignored). In development and
    # test a missing file is created on first use (64 random hex characters, mode 0600); in production a missing,
    # unreadable or short key refuses to start.
    audit_key: SecretStr | None = None
    audit_key_file: Path = PROJECT_ROOT / "var" / "audit.key"
    # Keys replaced by a rotation (JSON list of files): they still verify the entries they signed, never sign.
    audit_retired_key_files: list[Path] = Field(default_factory=list)
    # Anchors: after a commit that appended entries, one line (time, head seq, head hash, its HMAC) is appended to
    # this file, outside the database; verify checks that the log still reaches every anchored head.
    audit_anchor_file: Path = PROJECT_ROOT / "var" / "audit-anchors.log"
    # 0 anchors every such commit (no window in which a fresh entry can be deleted unnoticed); above 0, at most
    # one anchor per this many seconds per process (`rating audit anchor` from cron then covers the rest).
    audit_anchor_seconds: float = 0.0

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> Settings:
        problem = secret_key_problem(self.secret_key) if self.environment == "production" else None
        if problem == "default":
            raise ValueError("RATING_SECRET_KEY must be set in production")
        if problem == "short":
            raise ValueError(f"RATING_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes in production "
                             "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        return self

    @model_validator(mode="after")
    def _queue_needs_postgresql(self) -> Settings:
        if self.job_queue == "procrastinate" and self.is_sqlite:
            raise ValueError("RATING_JOB_QUEUE=procrastinate needs PostgreSQL (DATABASE_URL=postgresql+psycopg://…); "
                             "with SQLite use local (or auto)")
        return self

    @model_validator(mode="after")
    def _require_audit_key_in_production(self) -> Settings:
        problem = audit_key_problem(self) if self.environment == "production" else None
        if problem is not None and problem.kind == "unreadable":
            raise ValueError(f"production needs an audit key: {problem.source} cannot be read ({problem.reason})")
        if problem is not None:
            raise ValueError(f"the audit key in {problem.source} must be at least {AUDIT_KEY_MIN_BYTES} bytes")
        return self

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies if self.secure_cookies is not None else self.environment == "production"

    @property
    def api_docs_mode(self) -> str:
        return self.api_docs or ("login" if self.environment == "production" else "public")

    @property
    def body_limit_bytes(self) -> int:
        return self.body_limit_kb * 1024

    @property
    def import_body_limit_bytes(self) -> int:
        # Several files may go in one request; together they stay within one upload's limit (plus the form's
        # own bytes: boundaries and part headers).
        return self.upload_limit_mb * 1024 * 1024 + 64 * 1024

    @property
    def intake_body_limit_bytes(self) -> int:
        return self.intake_body_limit_kb * 1024

    @property
    def appeal_body_limit_bytes(self) -> int:
        return self.attachments_per_appeal * self.attachment_limit_mb * 1024 * 1024 + self.body_limit_bytes

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def queue_backend(self) -> Literal["local", "procrastinate"]:
        """The job queue in use: `job_queue`, with "auto" resolved by the database engine."""
        if self.job_queue == "auto":
            return "local" if self.is_sqlite else "procrastinate"
        return self.job_queue

    # -- issue 20 obs: the addresses /metrics answers (docs/operations.md, "Metrics") ------------------------------
    @property
    def metrics_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """``metrics_allow_ips`` as networks (an address is a network of one); empty: any address."""
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in self.metrics_allow_ips.split(",") if part.strip())

    @model_validator(mode="after")
    def _metrics_allow_ips_are_addresses(self) -> Settings:
        for part in filter(None, (p.strip() for p in self.metrics_allow_ips.split(","))):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"RATING_METRICS_ALLOW_IPS 中的“{part}”不是 IP 地址或网段：请写逗号分隔的地址或网段，"
                                 "如 127.0.0.1,10.0.0.0/8；留空表示不限地址。/ RATING_METRICS_ALLOW_IPS: "
                                 f"'{part}' is not an address or network.") from None
        return self


def secret_key_problem(secret_key: str) -> Literal["default", "short"] | None:
    """Why a secret key is too weak for production (the shipped default, or under MIN_SECRET_BYTES); None if not."""
    if secret_key == DEFAULT_SECRET:
        return "default"
    if len(secret_key.encode("utf-8")) < MIN_SECRET_BYTES:
        return "short"
    return None


@dataclass(frozen=True)
class AuditKeyProblem:
    kind: Literal["unreadable", "short"]
    source: str  # RATING_AUDIT_KEY, or RATING_AUDIT_KEY_FILE with its path
    reason: str = ""  # why the file cannot be read


def audit_key_problem(settings: Settings) -> AuditKeyProblem | None:
    """Why the configured audit key cannot sign in production (it cannot be read, or it is too short); None if not."""
    if settings.audit_key is not None:
        key = settings.audit_key.get_secret_value().strip().encode("utf-8")
        source = "RATING_AUDIT_KEY"
    else:
        source = f"RATING_AUDIT_KEY_FILE ({settings.audit_key_file})"
        try:
            key = settings.audit_key_file.read_bytes().strip()
        except OSError as exc:
            return AuditKeyProblem("unreadable", source, exc.strerror or type(exc).__name__)
    return AuditKeyProblem("short", source) if len(key) < AUDIT_KEY_MIN_BYTES else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def to_local(value: dt.datetime) -> dt.datetime:
    """A stored time in the bureau's time zone (SQLite hands times back naive: they are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(get_settings().timezone))
