"""deploy/systemd/*.service and deploy/rating.env.example: every command a unit starts is a `rating` command with
options the command line accepts, and every setting named is one the service reads, with a value it accepts."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest
import typer

from rating_service.cli import app
from rating_service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
ENV_EXAMPLE = ROOT / "deploy" / "rating.env.example"
RATING = "/srv/rating/venv/bin/rating"


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser


def _rating_arguments(exec_start: str) -> list[str]:
    """The arguments given to `rating` in an ExecStart line, directly or through `sh -c '… rating …'`."""
    words = shlex.split(exec_start)
    if Path(words[0]).name == "sh" and words[1] == "-c":
        words = shlex.split(words[2].replace("%%", "%"))
        words = words[words.index("exec") + 1:] if "exec" in words else words
    assert words[0] == RATING, exec_start
    return words[1:]


def _settings_names() -> set[str]:
    names = {f"RATING_{name.upper()}" for name in Settings.model_fields}
    return names | {"DATABASE_URL"}


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_there_are_units_for_the_web_the_workers_and_backups():
    assert {p.name for p in UNITS} >= {"rating-web.service", "rating-worker@.service", "rating-backup.service"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_every_unit_starts_a_rating_command_the_cli_accepts(unit):
    service = _unit(unit)["Service"]
    assert service["User"] == "rating" and service["EnvironmentFile"] == "/etc/rating/rating.env"
    assert service["NoNewPrivileges"] == "yes" and service["ProtectSystem"] == "strict"
    arguments = _rating_arguments(service["ExecStart"])
    group = typer.main.get_command(app)
    assert hasattr(group, "commands")  # a group of commands (typer's own click)
    assert arguments[0] in group.commands, f"{unit.name}: no command `rating {arguments[0]}`"
    # The command line parses the arguments as it would at start (options and their types), without running it.
    with group.make_context("rating", list(arguments), resilient_parsing=False) as context:
        name, command, rest = group.resolve_command(context, list(arguments))
        assert command is not None
        command.make_context(name, rest, parent=context)


def test_web_serves_on_the_address_nginx_proxies_to():
    arguments = _rating_arguments(_unit(ROOT / "deploy" / "systemd" / "rating-web.service")["Service"]["ExecStart"])
    site = (ROOT / "deploy" / "nginx" / "rating.conf").read_text(encoding="utf-8")
    host, port = arguments[arguments.index("--host") + 1], arguments[arguments.index("--port") + 1]
    assert f"server {host}:{port};" in site


def test_every_setting_in_the_units_and_the_example_is_a_setting_of_the_service():
    named = set(_env_example())
    for unit in UNITS:
        environment = _unit(unit)["Service"].get("Environment", "")
        named |= {m.group(1) for m in re.finditer(r"(\w+)=", environment)}
    unknown = sorted(named - _settings_names())
    assert not unknown, f"not settings of the service (rating_service/settings.py): {unknown}"


def test_the_example_names_what_production_needs():
    values = _env_example()
    assert values["RATING_ENVIRONMENT"] == "production"
    assert values["RATING_PUBLIC_BASE_URL"].startswith("https://")
    assert values["DATABASE_URL"].startswith("postgresql+psycopg://")
    for name in ("RATING_SECRET_KEY", "RATING_AUDIT_KEY_FILE", "RATING_ISSUER_NAME", "RATING_DOCUMENT_PREFIX",
                 "RATING_DOCUMENTS_DIR", "RATING_ATTACHMENTS_DIR", "RATING_FORWARDED_ALLOW_IPS", "RATING_JOB_QUEUE",
                 "RATING_LOG_FORMAT", "RATING_METRICS_ALLOW_IPS", "RATING_METRICS_TOKEN"):
        assert values.get(name), name


def test_the_examples_values_are_accepted_by_the_settings(tmp_path):
    key = tmp_path / "audit.key"
    key.write_text("k" * 64, encoding="utf-8")
    fields = {("database_url" if name == "DATABASE_URL" else name.removeprefix("RATING_").lower()): value
              for name, value in _env_example().items()}
    settings = Settings(**{**fields, "audit_key_file": key})  # the example's key file does not exist here
    assert settings.environment == "production" and settings.queue_backend == "procrastinate"
    assert settings.log_format == "json" and settings.cookies_secure
