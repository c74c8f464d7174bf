"""The officers' dashboard lists companies, communities and record counts, in Chinese or English."""

from __future__ import annotations

from fastapi.testclient import TestClient

from rating_service.web.app import create_app
from tests import factories as f


def _officer(database):
    f.make_user(database, "officer", "officer")
    return f.page_client(database, "officer")


def test_anonymous_visitor_is_sent_to_the_public_ratings(database):
    response = f.page_client(database).get("/")
    assert response.status_code == 303 and response.headers["location"] == "/public"


def test_empty_database_shows_how_to_load_data(database):
    client = _officer(database)
    page = client.get("/")
    assert page.status_code == 200
    assert "尚无数据" in page.text and "rating demo" in page.text


def test_overview_lists_companies_communities_and_counts(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints")
    page = _officer(database).get("/")
    assert page.status_code == 200
    text = page.text
    assert "枞阳县物业服务企业信用评价系统" in text
    assert "安徽皖江物业服务有限公司" in text and f.CODE_A in text
    assert "山水兰亭" in text and "尚泽江南府" in text
    # Today (after the mid-2025 takeover) 尚泽江南府 is managed by 皖江; A manages 2 communities (1,200 households).
    row_a = text.split(f.CODE_A)[1].split("</tr>")[0]
    assert '<td class="num">2</td><td class="num">1200</td>' in row_a.replace("\n", "").replace("        ", "")
    assert '<span class="n">3</span><span class="k">巡查检查</span>' in text
    assert '<span class="n">3</span><span class="k">投诉工单</span>' in text


def test_pages_are_chinese_by_default_and_english_by_switch(database):
    f.load(database, "companies")
    client = _officer(database)
    by_query = client.get("/?lang=en")
    assert "Property companies" in by_query.text and 'lang="en"' in by_query.text
    assert by_query.cookies.get("lang") == "en"
    # The switch sticks through its cookie.
    assert "Property companies" in client.get("/").text
    # A browser's English Accept-Language alone does not turn the bureau's pages to English.
    fresh = f.page_client(database, "officer")
    assert "物业服务企业" in fresh.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text


def test_api_errors_follow_accept_language(database):
    client = TestClient(create_app(database))
    english = client.post("/api/v1/auth/token", json={"username": "x"}, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.status_code == 422
    assert english.json()["message"] == "The request is malformed."


def test_malformed_api_parameter_is_a_clear_422_not_a_500(database):
    response = TestClient(create_app(database)).post("/api/v1/auth/token", json={"password": "x"})
    assert response.status_code == 422
    assert response.json()["code"] == "payload_invalid"
    assert response.json()["message"] == "请求格式不正确。"


def test_health_endpoint(database):
    assert TestClient(create_app(database)).get("/healthz").json()["status"] == "ok"


def test_times_are_shown_in_beijing_time():
    import datetime as dt

    from rating_service.web.app import local_time

    assert local_time(dt.datetime(2025, 3, 5, 23, 30)) == "2025-03-06 07:30"
    assert local_time(dt.datetime(2025, 3, 5, 23, 30, tzinfo=dt.UTC)) == "2025-03-06 07:30"
    assert local_time(None) == ""
