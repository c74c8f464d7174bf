"""The triage model's page: the version in use with its held-out evaluation in people's numbers, earlier versions,
and retraining on the confirmed tickets (officers and administrators), refused with a message when too few."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from rating_service import clock
from rating_service.audit.models import AuditEntry
from rating_service.intake.models import IntakeItem, TriageModel
from rating_service.jobs import service as jobs
from tests import factories as f

TOPICS = {
    "电梯故障": ["电梯又坏了困人", "电梯停运一周没人修", "电梯异响不敢坐", "电梯按钮失灵"],
    "环境卫生": ["楼道垃圾没人清理", "小区卫生很差到处是垃圾", "垃圾桶满了发臭", "绿化带里堆满垃圾"],
    "停车管理": ["小区停车乱收费", "消防通道被车堵住", "外来车辆随便停", "车位被占没人管"],
}
NOT_PROPERTY = ["市政道路坑洼", "公交线路调整", "医院挂号难", "邻居吵架纠纷", "路灯不亮在主干道"]


@pytest.fixture
def world(database: Any) -> Any:
    f.load(database, "companies")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    return database


def _decided(database: Any, copies: int) -> None:
    """Hotline tickets an officer decided: ``copies`` rounds of every topic's texts plus the non-property ones."""
    with database.write_session() as session:
        n = 0
        for round_ in range(copies):
            for category, texts in [*TOPICS.items(), (None, NOT_PROPERTY)]:
                for text in texts:
                    n += 1
                    session.add(IntakeItem(
                        kind="hotline", external_no=f"GD-{n:05d}", content_sha=f"{n:064d}", received_on=f.TODAY,
                        place_text="山水兰亭", text=f"{text}（第{round_}次反映）", fields="{}", created_at=clock.now(),
                        status="confirmed" if category else "not_property", category=category,
                        decided_by="officer", decided_at=clock.now()))


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))


def _train(client: Any, database: Any = None) -> Any:
    """Post "retrain"; with ``database``, wait for the queued training to finish."""
    answer = client.post("/intake/model/train", data={"csrf_token": f.csrf_of(client)})
    if database is not None and answer.status_code == 303:
        job_id = int(answer.headers["location"].rsplit("=", 1)[1])
        assert jobs.Submitted(job_id, database).join(timeout=120)
    return answer


def test_without_a_model_the_page_says_so_and_offers_training(world):
    page = f.page_client(world, "officer").get("/intake/model")
    assert page.status_code == 200
    assert 'id="no-model"' in page.text and "还没有训练过模型" in page.text
    assert "用已确认工单重新训练" in page.text and 'action="/intake/model/train"' in page.text


def test_too_few_confirmed_tickets_is_a_clear_message_and_nothing_is_stored(world):
    _decided(world, 1)  # 17 tickets
    answer = _train(f.page_client(world, "officer"))
    assert answer.status_code == 400
    error = re.search(r'class="flash error"[^>]*>(.*?)</p>', answer.text, re.S).group(1)
    assert "太少" in error and "17" in error
    with world.read_session() as session:
        assert session.scalars(select(TriageModel)).all() == []


def test_an_officer_retrains_and_sees_the_evaluation_in_percentages_with_earlier_versions(world):
    _decided(world, 3)
    client = f.page_client(world, "officer")
    first = _train(client, world)
    assert first.status_code == 303 and first.headers["location"].startswith("/intake/model?job=")
    page = client.get(first.headers["location"])
    text = _visible(page.text)
    assert "已训练第 1 版模型" in text and "第 1 版" in text and "officer" in text and "51 张" in text
    assert "类别平均 F1" in text and "物业服务类判断的精确率" in text and "物业服务类判断的召回率" in text
    assert re.search(r"\d{1,3}\.\d%", text)  # percentages for people, not 0.8333
    assert not re.search(r"\b0\.\d{3,}\b", text)
    table = re.search(r'<table class="model-categories">.*?</table>', page.text, re.S).group(0)
    assert "电梯故障" in table and "环境卫生" in table
    assert "__not_property__" not in page.text and "macro_f1" not in text
    second = _train(f.page_client(world, "admin"), world)
    assert second.status_code == 303
    page = client.get("/intake/model")
    history = re.search(r'<section id="history">.*?</section>', page.text, re.S).group(0)
    assert "第 1 版" in history and "已停用" in history
    assert "第 2 版" in _visible(page.text.split('<section id="history">')[0])
    with world.read_session() as session:
        trained = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "intake.model_train")).all()
    assert sorted(trained) == ["admin", "officer"]


def test_companies_and_the_public_cannot_see_or_train(world):
    assert f.page_client(world, "company").get("/intake/model").status_code == 403
    assert f.page_client(world).get("/intake/model").status_code == 303
    _decided(world, 3)
    assert _train(f.page_client(world, "company")).status_code == 403
    with world.read_session() as session:
        assert session.scalars(select(TriageModel)).all() == []


def _training_row(database: Any, **values: Any) -> int:
    """A training job's row as a worker leaves it (not queued here)."""
    with database.write_session() as session:
        job = jobs.new_job(session, kind="intake_train", cycle_id=None, actor="officer")
        for name, value in values.items():
            setattr(job, name, value)
        return job.id


def test_a_training_in_progress_shows_its_stage_and_one_that_failed_says_why(world):
    client = f.page_client(world, "officer")
    running = client.get(f"/intake/model?job={_training_row(world, stage='training')}")
    box = re.search(r'<section id="job-progress".*?</section>', running.text, re.S).group(0)
    assert "正在训练新版本" in box and "训练并评估" in box and "/api/v1/jobs/" in box
    failed = _training_row(world, status="failed", error=json.dumps(
        {"code": "error", "key": "intake_triage.too_few", "params": {"count": 3, "needed": 20}}))
    page = client.get(f"/intake/model?job={failed}")
    error = re.search(r'class="flash error"[^>]*>(.*?)</p>', page.text, re.S).group(1)
    assert error.startswith("没有训练") and "3" in error and 'id="job-progress"' not in page.text
    assert "intake_triage" not in page.text


def test_a_training_cut_short_by_a_restart_says_so_in_words_that_fit_a_training(world):
    from rating_service.cycles import service as cycles

    job_id = _training_row(world, stage="training")
    with world.write_session() as session:
        assert cycles.fail_interrupted_jobs(session=session) == 1
    page = f.page_client(world, "officer").get(f"/intake/model?job={job_id}")
    error = re.search(r'class="flash error"[^>]*>(.*?)</p>', page.text, re.S).group(1)
    assert "服务重启而中断" in error and "计算" not in error
