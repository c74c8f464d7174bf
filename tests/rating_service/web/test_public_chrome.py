"""What frames every public page: the "page not found" page in the site's style (JSON for the API) and the footer's
site fields from the settings (RATING_SITE_OWNER, RATING_SITE_PHONE, RATING_SITE_ICP), hidden when blank."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rating_service.settings import get_settings
from tests import factories as f
from tests.rating_service.disclosure import helpers as h


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_an_unknown_public_url_answers_a_chinese_page_with_the_way_home(database: Any):
    client = f.page_client(database)
    for url in ("/public/no-such-page", "/no-such-page", "/public/companies/91340000000000000X"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html"), url
        text = h.text_of(response.text)
        assert "页面不存在" in text and "返回首页" in text, url
        links = h.links_of(response.text)
        assert "/public" in links and "/static/style.css" in links, url  # the public site's look and nav
        assert '"detail"' not in response.text
    english = client.get("/public/no-such-page?lang=en")
    assert english.status_code == 404 and "Page not found" in h.text_of(english.text)


def test_an_unknown_api_url_keeps_the_json_error_shape(database: Any):
    client = f.api_client(database)
    for url in ("/api/v1/no-such-thing", "/api/v1/public/no-such-thing", "/open-data/no-such-file.csv"):
        response = client.get(url)
        assert response.status_code == 404 and response.headers["content-type"] == "application/json", url
        assert set(response.json()) == {"code", "message", "details"} and response.json()["code"] == "not_found"


def test_the_footer_shows_the_site_fields_that_are_set(database: Any, monkeypatch, fresh_settings):
    monkeypatch.setenv("RATING_SITE_OWNER", "枞阳县住房和城乡建设局")
    monkeypatch.setenv("RATING_SITE_PHONE", "0562-3210000")
    monkeypatch.setenv("RATING_SITE_ICP", "皖ICP备00000000号")
    get_settings.cache_clear()
    client = f.page_client(database)
    for url in ("/public", "/public/open-data", "/verify", "/public/no-such-page"):
        footer = client.get(url).text.split("<footer")[1].split("</footer>")[0]
        text = "".join(h.text_of(footer).split())
        assert "主办单位：枞阳县住房和城乡建设局" in text, url
        assert "咨询电话：0562-3210000" in text and "备案号：皖ICP备00000000号" in text, url


def test_blank_site_fields_are_hidden(database: Any, monkeypatch, fresh_settings):
    monkeypatch.setenv("RATING_SITE_OWNER", "枞阳县住房和城乡建设局")
    monkeypatch.setenv("RATING_SITE_PHONE", "  ")
    monkeypatch.delenv("RATING_SITE_ICP", raising=False)
    get_settings.cache_clear()
    footer = f.page_client(database).get("/public").text.split("<footer")[1].split("</footer>")[0]
    assert "主办单位" in footer and "咨询电话" not in footer and "备案号" not in footer
    monkeypatch.delenv("RATING_SITE_OWNER")
    get_settings.cache_clear()
    footer = f.page_client(database).get("/public/open-data").text.split("<footer")[1].split("</footer>")[0]
    assert "site-fields" not in footer and "主办单位" not in footer
