"""The edge of the web app: bodies bounded and left unread until the caller is known, control characters and
out-of-range numbers refused in the error shape, the browser security headers, production defaults.

Bodies are fed to the ASGI app chunk by chunk here (not through the test client, which reads a body whole
before the app sees it), so each test can say how many bytes the service read before it answered.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rating_service.accounts import service as accounts
from rating_service.settings import Settings, get_settings
from rating_service.web.app import create_app
from rating_service.web.edge import csrf_from_multipart
from tests import factories as f

MB = 1024 * 1024
BOUNDARY = "edge-test-boundary"
FILE_PART = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n"
             "Content-Type: text/csv\r\n\r\n").encode()
TEMPLATES = Path(__file__).resolve().parents[3] / "rating_service" / "web" / "templates"


class Fed:
    """A request body handed out chunk by chunk; counts what the app took."""

    def __init__(self, chunks: int, size: int = MB, head: bytes = b"") -> None:
        self.total, self.size, self.head = chunks, size, head
        self.read = 0

    def chunk(self, index: int) -> bytes:
        if index == 0 and self.head:
            return self.head + b"x" * (self.size - len(self.head))
        return b"x" * self.size


def drive(app: Any, method: str, path: str, body: Fed, *, headers: dict[str, str] | None = None,
          query: str = "") -> tuple[int, dict[str, str], bytes]:
    """One request through the app; the body is only produced as far as the app asks for it."""
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"testserver"), *raw_headers],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        if body.read >= body.total:
            return {"type": "http.disconnect"}
        chunk = body.chunk(body.read)
        body.read += 1
        return {"type": "http.request", "body": chunk, "more_body": body.read < body.total}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return answer["status"], answer["headers"], answer["body"]


@pytest.fixture
def world(database: Any) -> Any:
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    return database


def _bearer(database: Any, username: str) -> dict[str, str]:
    with database.write_session() as session:
        _principal, raw = accounts.login(session, username=username, password=f.PASSWORD, kind="api")
    return {"Authorization": f"Bearer {raw}"}


def _error(body: bytes) -> dict[str, Any]:
    shape = json.loads(body)
    assert set(shape) == {"code", "message", "details"}, shape
    return shape


# -- bodies: unread before the caller is known, bounded while streaming -------------------------------------

def test_an_anonymous_upload_is_answered_before_one_byte_of_it_is_read(world):
    body = Fed(300)  # 300 MB, sent without a length (chunked)
    status, _, answer = drive(create_app(world), "POST", "/api/v1/imports/companies", body,
                              headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert status == 401 and _error(answer)["code"] == "unauthorized"
    assert body.read == 0


def test_an_anonymous_json_body_is_answered_before_it_is_read(world):
    body = Fed(300)
    status, _, answer = drive(create_app(world), "POST", "/api/v1/users", body,
                              headers={"content-type": "application/json"})
    assert status == 401 and body.read == 0


def test_an_anonymous_page_form_is_sent_to_the_login_without_reading_it(world):
    body = Fed(50)
    status, headers, _ = drive(create_app(world), "POST", "/imports", body,
                               headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert status == 303 and headers["location"].startswith("/login") and body.read == 0


def test_a_declared_length_over_the_limit_is_refused_at_once_naming_the_limit(world):
    body = Fed(629)
    status, _, answer = drive(create_app(world), "POST", "/api/v1/imports/companies", body,
                              headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}",
                                       "content-length": str(629 * MB), **_bearer(world, "officer")})
    shape = _error(answer)
    assert status == 413 and shape["code"] == "body_too_large" and "200 MB" in shape["message"]
    assert body.read == 0


def test_a_body_without_a_length_is_cut_off_at_the_limit(world):
    body = Fed(300)
    status, _, answer = drive(create_app(world), "POST", "/api/v1/users", body,
                              headers={"content-type": "application/json", **_bearer(world, "admin")})
    shape = _error(answer)
    assert status == 413 and "1 MB" in shape["message"]
    assert body.read == 2  # the 1 MB limit is passed by the second 1 MB chunk


def test_an_import_over_the_upload_limit_is_cut_off_and_nothing_is_imported(world, monkeypatch):
    monkeypatch.setattr(get_settings(), "upload_limit_mb", 2)
    body = Fed(50, head=FILE_PART)
    status, _, answer = drive(create_app(world), "POST", "/api/v1/imports/inspections", body,
                              headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}",
                                       **_bearer(world, "officer")})
    assert status == 413 and "2 MB" in _error(answer)["message"]
    assert body.read == 3
    batches = f.api_client(world, "officer").get("/api/v1/imports").json()
    assert [b["kind"] for b in batches if b["kind"] == "inspections"] == []


def test_an_anonymous_login_body_is_bounded_too(world):
    body = Fed(20)
    status, _, _answer = drive(create_app(world), "POST", "/login", body,
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert status == 413 and body.read == 2


def test_a_cookie_session_shows_its_csrf_token_before_the_files(world):
    client = f.page_client(world, "officer")
    cookie = f"session={client.cookies.get('session')}"
    body = Fed(100, head=FILE_PART)
    status, _headers, _answer = drive(create_app(world), "POST", "/imports", body,
                                      headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}",
                                               "cookie": cookie})
    assert status == 403 and "text/html" in _headers.get("content-type", "")
    assert body.read == 1  # one chunk: enough to see that the files come first


def test_a_cookie_session_urlencoded_form_without_its_token_is_refused(world):
    client = f.page_client(world, "admin")
    response = client.post("/admin/users", data={"username": "x-user", "password": "x" * 20, "role": "officer"})
    assert response.status_code == 403
    ok = client.post("/admin/users", data={"username": "x-user", "password": "long-enough-pass-1",
                                           "role": "officer", "csrf_token": f.csrf_of(client)})
    assert ok.status_code == 303


def test_the_csrf_field_is_found_at_the_start_of_a_multipart_body():
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.csv\"\r\n\r\n").encode()
    assert csrf_from_multipart(head, BOUNDARY.encode()) == ("abc123", True)
    assert csrf_from_multipart(head[:40], BOUNDARY.encode()) == (None, False)  # not complete yet


# -- control characters and numbers out of range -----------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/companies?q=a%00b", "/api/v1/companies?q=%1b%5b2J",
                                 "/api/v1/users/a%00b/disable"])
def test_control_characters_in_a_url_are_refused_in_the_error_shape(world, url):
    client = f.api_client(world, "admin")
    response = client.post(url, json={}) if url.endswith("disable") else client.get(url)
    assert response.status_code == 422 and response.json()["code"] == "control_characters"


def test_control_characters_in_login_fields_are_refused_without_a_login(world):
    api = f.api_client(world)
    response = api.post("/api/v1/auth/token", json={"username": "offi\u0000cer", "password": f.PASSWORD})
    assert response.status_code == 422 and response.json()["code"] == "control_characters"
    page = f.page_client(world)
    response = page.post("/login", data={"username": "offi\x00cer", "password": f.PASSWORD, "next": "/"})
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    assert "控制字符" in response.text


def test_a_lone_surrogate_in_json_is_refused(world):
    api = f.api_client(world, "admin")
    response = api.post("/api/v1/users", content=b'{"username": "ab\\ud800c", "password": "x", "role": "officer"}',
                        headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "control_characters"


def test_line_breaks_and_tabs_in_text_are_kept(world):
    api = f.api_client(world, "admin")
    response = api.post("/api/v1/users/officer/disable", json={"reason": "第一行\n第二行\t备注"})
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/cycles/3000000000", "/api/v1/companies?offset=9223372036854775808",
                                 "/api/v1/audit?offset=9223372036854775808", "/api/v1/appeals/99999999999",
                                 "/api/v1/documents/3000000000"])
def test_numbers_out_of_the_database_range_are_a_422_not_a_server_error(world, url):
    response = f.api_client(world, "admin").get(url)
    assert response.status_code in (404, 422), response.text
    assert response.json()["code"] in ("payload_invalid", "not_found")


def test_a_page_id_out_of_range_is_an_error_page(world):
    response = f.page_client(world, "officer").get("/cycles/3000000000")
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]


def test_routing_misses_use_the_error_shape(world):
    api = f.api_client(world, "officer")
    missing = api.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and _error(missing.content)["code"] == "not_found"
    wrong = api.put("/api/v1/me", json={})
    assert wrong.status_code == 405 and _error(wrong.content)["code"] == "method_not_allowed"


def test_an_unexpected_failure_is_a_500_in_the_error_shape_without_a_traceback(world, monkeypatch):
    from rating_service.accounts import routes

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(routes.accounts, "list_users", broken)
    client = TestClient(create_app(world), raise_server_exceptions=False)
    client.headers.update(_bearer(world, "admin"))
    response = client.get("/api/v1/users")
    assert response.status_code == 500 and _error(response.content)["code"] == "internal_error"
    assert "secret internals" not in response.text


# -- browser security headers ----------------------------------------------------------------------------

def _csp(headers: Any) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in headers["content-security-policy"].split(";")}


def test_pages_carry_a_content_security_policy_without_inline_script(world):
    client, anonymous = f.page_client(world, "officer"), f.page_client(world)
    for path in ("/", "/imports", "/cycles", "/public", "/login"):
        response = (anonymous if path == "/login" else client).get(path)
        assert response.status_code == 200, path
        policy = _csp(response.headers)
        assert policy["script-src"] == "script-src 'self'"
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert policy["frame-ancestors"] == "frame-ancestors 'none'" and policy["object-src"] == "object-src 'none'"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "camera=()" in response.headers["permissions-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_every_answer_is_nosniff_and_not_frameable(world):
    api = f.api_client(world, "officer")
    for response in (api.get("/api/v1/me"), api.get("/static/style.css"), api.get("/api/v1/no-such-thing"),
                     api.get("/healthz"), f.api_client(world).get("/api/v1/users")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_no_template_carries_inline_script_styles_or_handlers():
    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)
    found = {p.name: pattern.findall(p.read_text(encoding="utf-8")) for p in TEMPLATES.glob("*.html")}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_hsts_is_sent_over_https_in_production(world, monkeypatch):
    monkeypatch.setattr(get_settings(), "environment", "production")
    app = create_app(world)
    over_https = TestClient(app, base_url="https://testserver").get("/healthz")
    assert over_https.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in TestClient(app).get("/healthz").headers


# -- production defaults ---------------------------------------------------------------------------------

def test_production_refuses_a_short_secret_key():
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(environment="production", secret_key="short")
    with pytest.raises(ValueError, match="must be set"):
        Settings(environment="production")
    assert Settings(environment="production", secret_key="k" * 32).cookies_secure is True
    assert Settings(environment="development").cookies_secure is False
    assert Settings(environment="production", secret_key="k" * 32, secure_cookies=False).cookies_secure is False


def test_in_production_the_session_cookie_is_secure_and_the_api_docs_need_a_login(world, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "environment", "production")
    monkeypatch.setattr(settings, "secret_key", "p" * 40)
    client = TestClient(create_app(world), follow_redirects=False, base_url="https://testserver")
    assert client.get("/openapi.json").status_code == 401
    assert client.get("/docs").headers["location"].startswith("/login")
    login = client.post("/login", data={"username": "officer", "password": f.PASSWORD, "next": "/",
                                        "login_csrf": f.login_csrf_of(client)})
    assert login.status_code == 303 and "secure" in login.headers["set-cookie"].lower()
    assert client.get("/openapi.json").status_code == 200


def test_the_api_docs_load_only_local_assets_and_can_be_turned_off(world, monkeypatch):
    client = TestClient(create_app(world))
    for url in ("/docs", "/docs/redoc"):  # Swagger UI and ReDoc, from the app's own files (an intranet has no CDN)
        page = client.get(url)
        assert page.status_code == 200
        sources = re.findall(r'(?:src|href|spec-url|data-openapi-url)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources
        assert all(client.get(s).status_code == 200 for s in sources), sources
        assert "http://" not in page.text and "https://" not in page.text
    assert "validatorUrl: null" in client.get("/static/api-docs.js").text  # no badge from validator.swagger.io
    monkeypatch.setattr(get_settings(), "api_docs", "off")
    off = TestClient(create_app(world))
    assert off.get("/docs").status_code == 404 and off.get("/openapi.json").status_code == 404
    assert off.get("/docs/redoc").status_code == 404


# -- health ----------------------------------------------------------------------------------------------

def test_ready_when_the_database_is_current_and_folders_writable(world):
    response = TestClient(create_app(world)).get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "documents": "ok", "attachments": "ok"}


def test_not_ready_when_the_documents_folder_cannot_be_written(world, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(get_settings(), "documents_dir", blocker / "documents")
    response = TestClient(create_app(world)).get("/readyz")
    assert response.status_code == 503 and response.headers["retry-after"]
    shape = _error(response.content)
    assert shape["code"] == "not_ready" and [d["check"] for d in shape["details"]] == ["documents"]
    assert str(tmp_path) not in response.text


def test_not_ready_when_the_schema_is_behind(tmp_path):
    from rating_service.db import Database

    bare = Database(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", environment="test"))
    response = TestClient(create_app(bare)).get("/readyz")
    assert response.status_code == 503
    assert [d["check"] for d in response.json()["details"]] == ["migrations"]


def _unreachable() -> Any:
    from rating_service.db import Database

    # Nothing listens on port 9 (discard) of this machine.
    return Database(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
                             environment="test"))


def test_a_database_outage_is_a_503_in_the_error_shape_and_healthz_still_answers():
    app = create_app(_unreachable())
    client = TestClient(app, raise_server_exceptions=False)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and {d["check"] for d in ready.json()["details"]} == {"database", "migrations"}
    client.headers["Authorization"] = "Bearer whatever"
    api = client.get("/api/v1/me")
    assert api.status_code == 503 and _error(api.content)["code"] == "database_unavailable"
    assert api.headers["retry-after"] == "5"
    page = TestClient(app, raise_server_exceptions=False, cookies={"session": "x"}).get("/")
    assert page.status_code == 503 and "数据库暂时无法连接" in page.text


# -- the OpenAPI document ----------------------------------------------------------------------------------

def test_every_error_answer_in_the_openapi_document_has_the_error_shape(sqlite_only):
    document = create_app(sqlite_only).openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    errors = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    errors += 1
                    if "text/html" in answer["content"] and not path.startswith("/api/"):
                        # A public link a person follows (the bulletin PDF) answers with the site's HTML page.
                        assert set(answer["content"]) == {"text/html"}, (method, path, status)
                        continue
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
            if path.startswith("/api/v1/") and not path.startswith("/api/v1/public/") and \
                    path != "/api/v1/verify/{code}":
                assert {"401", "403", "413", "422", "503"} <= set(operation["responses"]), (method, path)
    assert errors > 300
    assert "429" in document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "304" in document["paths"]["/api/v1/public/cycles"]["get"]["responses"]


def test_a_not_modified_answer_keeps_the_page_policy_of_the_cached_page(world):
    client = f.page_client(world)
    first = client.get("/public/methodology")
    assert first.status_code == 200 and "script-src 'self'" in first.headers["content-security-policy"]
    again = client.get("/public/methodology", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and "content-security-policy" not in again.headers


def test_a_csrf_token_with_non_ascii_characters_is_refused_not_a_server_error(world):
    client = f.page_client(world, "admin")
    response = client.post("/admin/users", data={"username": "x-user", "password": "long-enough-pass-1",
                                                 "role": "officer"},
                           headers={"X-CSRF-Token": "tökén".encode()})
    assert response.status_code == 403
    by_query = client.post("/admin/users?csrf_token=%E4%B8%AD", data={"username": "x-user", "role": "officer"})
    assert by_query.status_code == 403
