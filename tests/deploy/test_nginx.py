"""deploy/nginx/rating.conf: nginx accepts it (`nginx -t` with a self-signed certificate in place of the
placeholders), and its request-size limits are the service's own (rating_service/web/edge.py) for every kind of
request the service limits differently."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rating_service.settings import Settings
from rating_service.web import edge
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "rating.conf"
STATIC = ROOT / "rating_service" / "web" / "static"
# One path of each kind the service limits on its own (edge.body_limit), and one it does not.
PATHS = ["/api/v1/imports/complaints", "/imports", "/cycles/7/appeals", "/api/v1/cycles/7/appeals",
         "/repair/requests", "/api/v1/repair/requests", "/api/v1/intake/tickets", "/login", "/api/v1/cycles",
         "/public"]
MiB = 1024 * 1024


def _nginx() -> str:
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if found is None:
        if IN_CI:
            pytest.fail("nginx is missing: `make test` installs nginx-light through scripts/system-deps.sh")
        pytest.skip("nginx is not installed (bash scripts/system-deps.sh nginx-light)")
    return found


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                           "-subj", "/CN=rating.example.gov.cn", "-keyout", str(key), "-out", str(cert)],
                          capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    return cert, key


def test_nginx_accepts_the_site(tmp_path):
    nginx = _nginx()
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make the test certificate")
    cert, key = _self_signed(tmp_path)
    site = SITE.read_text(encoding="utf-8")
    for placeholder in ("/etc/ssl/rating/fullchain.pem", "/etc/ssl/rating/privkey.pem",
                        "/srv/rating/app/rating_service/web/static/", "/var/cache/nginx/rating"):
        assert placeholder in site, placeholder
    site = (site.replace("/etc/ssl/rating/fullchain.pem", str(cert))
            .replace("/etc/ssl/rating/privkey.pem", str(key))
            .replace("/srv/rating/app/rating_service/web/static/", f"{STATIC}/")
            .replace("/var/cache/nginx/rating", str(tmp_path / "cache")))
    (tmp_path / "rating.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {tmp_path / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}\n    include {tmp_path / 'rating.conf'};\n}}\n", encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                              "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def _size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": MiB, "g": 1024 * MiB}[unit.lower()]


def _https_server() -> str:
    text = SITE.read_text(encoding="utf-8")
    return text[text.index("listen 443"):]


def _locations(server: str) -> list[tuple[str, str, str]]:
    """(modifier, pattern, body) of each location block, in order (the site's locations do not nest)."""
    return re.findall(r"location\s+(=|~)?\s*(\S+)\s*\{(.*?)\n    \}", server, re.S)


def _nginx_body_limit(path: str) -> int:
    """client_max_body_size for `path` as nginx chooses the location: an exact match, else the first regular
    expression that matches, else the server's own."""
    server = _https_server()
    locations = _locations(server)
    chosen = next((body for modifier, pattern, body in locations if modifier == "=" and pattern == path), None)
    if chosen is None:
        chosen = next((body for modifier, pattern, body in locations
                       if modifier == "~" and re.search(pattern, path)), None)
    in_location = re.search(r"client_max_body_size\s+(\S+);", chosen or "")
    found = in_location or re.search(r"^    client_max_body_size\s+(\S+);", server, re.M)
    assert found is not None, path
    return _size(found.group(1))


@pytest.mark.parametrize("path", PATHS)
def test_nginx_takes_what_the_service_takes_and_not_a_megabyte_more(path):
    service = edge.body_limit(path, Settings())
    assert service <= _nginx_body_limit(path) <= service + MiB, path


def test_the_outside_cannot_read_metrics_and_http_goes_to_https():
    text = SITE.read_text(encoding="utf-8")
    metrics = [body for modifier, pattern, body in _locations(_https_server()) if pattern == "/metrics"]
    assert metrics and "deny all;" in metrics[0]
    assert "return 301 https://$host$request_uri;" in text[:text.index("listen 443")]
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
