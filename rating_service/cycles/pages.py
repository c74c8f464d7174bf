"""Officers' cycle pages (list, create, compute with progress, publicize, finalize) and the company drill-down."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.cycles import repository, service, wording
from rating_service.cycles.models import CYCLE_STATES, Cycle, Job, Rating
from rating_service.cycles.service import visible_rating
from rating_service.cycles.wording import EXPLAIN_TEXT, fixed, num
from rating_service.i18n import Lang, Localized, translate
from rating_service.methodologies import service as methodologies
from rating_service.notices import service as notices
from rating_service.records.formats import KINDS
from rating_service.settings import get_settings
from rating_service.web.deps import (
    CurrentUser,
    DatabaseDep,
    DbId,
    OfficerUser,
    OptionalQueryId,
    SessionDep,
    WriteSessionDep,
)
from rating_service.web.ui import redirect, render, request_lang
from scoring.methodology import MethodologyError

router = APIRouter(include_in_schema=False)

# A page lists this many ratings (best first); the API pages through the rest.
RATINGS_SHOWN = 500
COMPUTE_STAGES = ("queued", *service.COMPUTE_STAGES)

TEXT = {
    "documents": {"zh": "告知书与公示名单", "en": "Notices and public list"},
    "appeal_window_days": {"zh": "异议期（告知后工作日数）", "en": "Appeal window (working days after notice)"},
    "decision_days": {"zh": "异议处理期限（工作日数）", "en": "Decision deadline (working days)"},
    "appeal_deadline": {"zh": "异议截止日期", "en": "Appeals close"},
    "issued_on": {"zh": "告知日期", "en": "Notice date"},
    "working_days": {"zh": "告知后 {days} 个工作日", "en": "{days} working days after the notice"},
    "notices_issued": {"zh": "已编号告知书", "en": "Notices numbered"},
    "notices_rendered": {"zh": "已生成 PDF", "en": "PDFs rendered"},
    "rendering_note": {"zh": "PDF 正在后台生成；尚未生成的文书在下载时即时生成。",
                       "en": "PDFs are being rendered in the background; any not yet rendered is made on download."},
    "bulletin_pdf": {"zh": "公示名单 PDF", "en": "Public list (PDF)"},
    "documents_zip": {"zh": "打包下载全部文书（zip）", "en": "Download all documents (zip)"},
    "notice": {"zh": "告知书", "en": "Notice"},
    "notice_pdf": {"zh": "下载告知书 PDF", "en": "Download the notice (PDF)"},
    "appeal_until": {"zh": "异议截止日期：{date}。", "en": "Appeals close on {date}."},
    "file_appeal": {"zh": "提出异议申诉", "en": "File an appeal"},
    "my_appeals": {"zh": "我的异议", "en": "My appeals"},
    "all_records": {"zh": "查看本期计分的全部记录及其归属", "en": "Every counted record and its attribution"},
    "appeal_queue": {"zh": "异议处理", "en": "Appeals"},
    "verification_code": {"zh": "核验码", "en": "Verification code"},
    "cycles_title": {"zh": "评价周期", "en": "Rating cycles"},
    "cycle_name": {"zh": "名称", "en": "Name"},
    "period": {"zh": "评价期间", "en": "Period"},
    "period_start": {"zh": "期间开始", "en": "Period start"},
    "period_end": {"zh": "期间结束", "en": "Period end"},
    "methodology": {"zh": "评价细则", "en": "Methodology"},
    "methodology_default": {"zh": "默认：期末生效的细则", "en": "default: the one in force at the period's end"},
    "status": {"zh": "状态", "en": "Status"},
    "rated": {"zh": "参评企业", "en": "Rated"},
    "computed_at": {"zh": "计算时间", "en": "Computed"},
    "no_cycles": {"zh": "尚无评价周期，请在下方新建。", "en": "No rating cycles yet; create one below."},
    "new_cycle": {"zh": "新建评价周期", "en": "New rating cycle"},
    "name_placeholder": {"zh": "如 2025年度", "en": "e.g. 2025年度"},
    "create": {"zh": "创建", "en": "Create"},
    "back_to_cycles": {"zh": "返回评价周期列表", "en": "Back to the cycles"},
    # one cycle
    "actions": {"zh": "操作", "en": "Actions"},
    "compute": {"zh": "计算", "en": "Compute"},
    "recompute": {"zh": "重新计算", "en": "Recompute"},
    "publicize": {"zh": "公示", "en": "Publicize"},
    "finalize_after": {"zh": "异议期至 {deadline} 止，期满且全部异议处理完毕后方可定稿。",
                       "en": "Appeals are open until {deadline}; finalize once it has passed and every appeal is "
                             "decided."},
    "finalize": {"zh": "定稿", "en": "Finalize"},
    "reason": {"zh": "事由（可选）", "en": "Reason (optional)"},
    "notice_date": {"zh": "告知日期（{earliest} 至 {latest}，不能倒签）",
                    "en": "Notice date ({earliest} to {latest}; never back-dated)"},
    "confirm_compute": {
        "zh": "确定按当前数据计算该评价周期？将冻结数据快照并替换已有的计算结果。",
        "en": "Compute this cycle from the current data? The snapshot is frozen and earlier results are replaced.",
    },
    "confirm_publicize": {
        "zh": "确定公示初评结果？公示后企业可查看本企业评价并提出异议，不能再重新计算。",
        "en": "Publicize the preliminary ratings? Companies will see their own and may appeal; no more recomputing.",
    },
    "confirm_finalize": {
        "zh": "确定定稿？定稿后评价结果不可更改。",
        "en": "Finalize? The ratings become final and the cycle can no longer change.",
    },
    "no_actions": {"zh": "该评价周期已定稿，不可再更改。", "en": "This cycle is final and can no longer change."},
    "actions_wait": {"zh": "计算进行中，完成后页面将自动刷新。", "en": "Computing; the page reloads when it is done."},
    "progress_title": {"zh": "正在计算", "en": "Computing"},
    "job_done": {"zh": "计算完成。", "en": "Computation finished."},
    "job_failed": {"zh": "计算失败：", "en": "Computation failed: "},
    "stage_queued": {"zh": "排队中", "en": "queued"},
    "stage_snapshot": {"zh": "冻结数据快照", "en": "freezing the snapshot"},
    "stage_selecting": {"zh": "读取期间记录", "en": "reading the period's records"},
    "stage_scoring": {"zh": "评分", "en": "scoring"},
    "stage_explaining": {"zh": "生成评价说明", "en": "writing explanations"},
    "stage_storing": {"zh": "保存结果", "en": "storing the results"},
    "snapshot": {"zh": "数据快照", "en": "Snapshot"},
    "snapshot_batch": {"zh": "截至导入批次", "en": "Up to import batch"},
    "snapshot_hash": {"zh": "快照哈希", "en": "Snapshot hash"},
    "r0_label": {"zh": "县域先验 R0", "en": "County prior R0"},
    "r0_unit": {"zh": "件/千户年", "en": "per 1,000 household-years"},
    "compute_count": {"zh": "计算次数", "en": "Times computed"},
    "computed_by": {"zh": "计算人", "en": "Computed by"},
    "publicized_at": {"zh": "公示时间", "en": "Publicized"},
    "public_pages": {"zh": "公开页面", "en": "Public pages"},
    "finalized_at": {"zh": "定稿时间", "en": "Finalized"},
    "not_computed": {"zh": "尚未计算。点击“计算”按当前数据生成评价结果。",
                     "en": "Not computed yet. Use Compute to rate from the current data."},
    "distribution": {"zh": "等级分布", "en": "Grade distribution"},
    "companies_unit": {"zh": "家", "en": "companies"},
    "quality": {"zh": "数据质量报告", "en": "Data-quality report"},
    "records_in_snapshot": {"zh": "快照中的记录", "en": "Records in the snapshot"},
    "companies_in_snapshot": {"zh": "快照中的企业", "en": "Companies in the snapshot"},
    "unattributed": {"zh": "未归属记录", "en": "Unattributed records"},
    "unattributed_hint": {"zh": "以下记录发生时没有物业服务合同覆盖该小区，未计入任何企业。",
                          "en": "No contract covered these records' communities on their dates; no company was "
                                "charged with them."},
    "no_exposure": {"zh": "无服务规模企业", "en": "Companies with no exposure"},
    "provisional_list": {"zh": "暂定评价", "en": "Provisional ratings"},
    "veto_count": {"zh": "一票否决", "en": "Vetoed"},
    "none_found": {"zh": "无。", "en": "None."},
    "kind": {"zh": "类型", "en": "Kind"},
    "record_id": {"zh": "记录编号", "en": "Record"},
    "community_id": {"zh": "小区编号", "en": "Community"},
    "event_date": {"zh": "日期", "en": "Date"},
    "exposure_hy": {"zh": "服务规模（户年）", "en": "Exposure (household-years)"},
    "list_capped": {"zh": "仅显示前 {shown} 条，共 {total} 条。", "en": "Showing the first {shown} of {total}."},
    "ratings": {"zh": "评价结果", "en": "Ratings"},
    "ratings_capped": {"zh": "按得分显示前 {shown} 家，共 {total} 家；完整结果请用 API 或命令行导出。",
                       "en": "The best {shown} of {total} by score; use the API or the CLI for all of them."},
    "sort_hint": {"zh": "点击表头可排序。", "en": "Click a column heading to sort."},
    # drill-down
    "drill_title": {"zh": "信用评价说明", "en": "Credit rating explanation"},
    "score_label": {"zh": "综合得分", "en": "Score"},
    "grade_label": {"zh": "等级", "en": "Grade"},
    "band_note": {"zh": "按得分为 {band}", "en": "by score: {band}"},
    "flags_label": {"zh": "标识", "en": "Flags"},
    "exposure_label": {"zh": "服务规模", "en": "Exposure"},
    "hy": {"zh": "户年", "en": "household-years"},
    "visits_label": {"zh": "巡查次数", "en": "Inspection visits"},
    "bonus_row": {"zh": "良好行为加分 B", "en": "Bonus B"},
    "total_row": {"zh": "综合得分 S", "en": "Score S"},
    "evidence_kind": {"zh": "记录类型", "en": "Kind"},
    "evidence_points": {"zh": "扣分", "en": "Points"},
    "evidence_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "basis": {"zh": "计算依据", "en": "Basis"},
    "methodology_id": {"zh": "评价细则", "en": "Methodology"},
    "status_publicized_note": {"zh": "本结果为初评结果，公示期内可提出异议。",
                               "en": "Preliminary rating, open to appeal during the publicity period."},
    "back_to_cycle": {"zh": "返回评价周期", "en": "Back to the cycle"},
    "back_home": {"zh": "返回", "en": "Back"},
}

# The officers' dashboard (rendered by ``home`` in web/app.py) shows the cycles with these words.
DASHBOARD_TEXT = {
    **{key: TEXT[key] for key in ("cycles_title", "cycle_name", "period", "methodology", "status", "rated",
                                  "computed_at")},
    "dashboard_no_cycles": {"zh": "尚无评价周期。", "en": "No rating cycles yet."},
    "quick_links": {"zh": "常用操作", "en": "Quick links"},
    "go_import": {"zh": "导入数据", "en": "Import records"},
    "go_new_cycle": {"zh": "新建评价周期", "en": "New rating cycle"},
    "all_cycles": {"zh": "全部评价周期", "en": "All cycles"},
}


def _lookup_methodologies(session: Session) -> list[Any]:
    try:
        return methodologies.all_versions(session)
    except MethodologyError:
        # A broken methodology file must not take the cycle list down; creating a cycle reports it.
        return []


# -- list and create ---------------------------------------------------------------------------------------

@router.get("/cycles", response_class=HTMLResponse)
def cycles_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    last_year = clock.local_today().year - 1
    return render(request, "cycles.html", {
        "cycles": service.list_cycles(session=session),
        "methodologies": _lookup_methodologies(session),
        "default_start": dt.date(last_year, 1, 1).isoformat(),
        "default_end": dt.date(last_year, 12, 31).isoformat(),
        "default_window": get_settings().appeal_window_days,
        "default_decision": get_settings().decision_days,
    }, catalogue=TEXT)


@router.post("/cycles")
def create_cycle(principal: OfficerUser, session: WriteSessionDep, name: Annotated[str, Form(max_length=100)],
                 period_start: Annotated[dt.date, Form()], period_end: Annotated[dt.date, Form()],
                 methodology_id: Annotated[str, Form(max_length=64)] = "",
                 appeal_window_days: Annotated[int | None, Form(ge=1, le=60)] = None,
                 decision_days: Annotated[int | None, Form(ge=1, le=120)] = None) -> Response:
    draft = service.CycleDraft(name, period_start, period_end, methodology_id.strip() or None, appeal_window_days,
                               decision_days)
    cycle = service.create_cycle(session=session, draft=draft, actor=principal.username)
    return redirect(f"/cycles/{cycle.id}")


# -- one cycle ---------------------------------------------------------------------------------------------

def _job_of_page(session: Session, cycle: Cycle, job_id: int | None) -> Job | None:
    """The job named in the URL (just started here), else any compute still running for this cycle."""
    if job_id is not None:
        job = repository.job(session, job_id)
        if job is not None and job.cycle_id == cycle.id:
            return job
    return repository.running_job(session, cycle_id=cycle.id)


def _job_error(job: Job, lang: Lang) -> str:
    stored = json.loads(job.error) if job.error else {}
    params = {k: Localized(**v) if isinstance(v, dict) else v for k, v in (stored.get("params") or {}).items()}
    return translate(stored.get("key") or "internal_error", lang, **params)


def _ranked(ratings: list[Rating]) -> list[tuple[int, Rating]]:
    """Competition ranks (1, 2, 2, 4) over ratings sorted best first."""
    out = []
    rank = 0
    previous: float | None = None
    for position, rating in enumerate(ratings, start=1):
        if rating.score != previous:
            rank, previous = position, rating.score
        out.append((rank, rating))
    return out


def _bars(grades: list[tuple[str, int]]) -> dict[str, Any]:
    """Geometry of the grade chart (horizontal bars in a 640-wide viewBox), computed here to keep SVG simple."""
    row, label_w, bar_max = 34, 56, 440
    top = max((count for _, count in grades), default=0) or 1
    bars = [{"grade": grade, "count": count, "y": i * row + 6, "width": round(bar_max * count / top, 1),
             "x": label_w} for i, (grade, count) in enumerate(grades)]
    return {"bars": bars, "height": len(grades) * row + 8, "bar_h": row - 12, "label_w": label_w}


@router.get("/cycles/{cycle_id}", response_class=HTMLResponse)
def cycle_page(request: Request, cycle_id: DbId, principal: OfficerUser, session: SessionDep,
               job: OptionalQueryId = None) -> Response:
    lang = request_lang(request, page=True)
    cycle = service.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    current = _job_of_page(session, cycle, job)
    computed = cycle.quality is not None
    context: dict[str, Any] = {
        "cycle": cycle,
        "steps": CYCLE_STATES,
        "step_index": CYCLE_STATES.index(cycle.status),
        "allowed": {action: cycle.status in states for action, states in service.ALLOWED_FROM.items()},
        "window_open": service.window_open_on(cycle, clock.local_today()),
        # The publicize form offers only the notice dates the service accepts today (the default: today).
        "notice_dates": service.notice_dates(cycle, today=clock.local_today()),
        "job": current,
        "job_error": _job_error(current, lang) if current is not None and current.status == "failed" else None,
        # A list, not a dict: the page's script takes the stages' order from it (tojson sorts dict keys).
        "stages": [[stage, TEXT[f"stage_{stage}"][lang]] for stage in COMPUTE_STAGES],
        "constants": json.loads(cycle.constants) if cycle.constants else {},
        "computed": computed,
        "kind_labels": {k: v.label(lang) for k, v in KINDS.items()},
        "flag_text": EXPLAIN_TEXT[lang],
    }
    if computed:
        grades = service.grade_distribution(session=session, cycle=cycle)
        ratings, total = repository.list_ratings(session, cycle_id=cycle.id, sort="-score", limit=RATINGS_SHOWN)
        context |= {
            "chart": _bars(grades),
            # Sorting the table by grade follows the methodology's order, not the alphabet (AAA > AA > A > B).
            "grade_order": {grade: i for i, (grade, _count) in enumerate(grades)},
            "quality": service.quality_report(session=session, cycle=cycle),
            "ratings": _ranked(ratings),
            "ratings_total": total,
        }
    counts = notices.document_counts(session=session, cycle_id=cycle.id)
    if counts:
        kinds = [k for k in counts if not k.endswith("_rendered")]
        context |= {
            "documents": {"notice": counts.get("notice", 0), "total": sum(counts[k] for k in kinds),
                          "rendered": sum(counts.get(f"{k}_rendered", 0) for k in kinds)},
            "bulletin": notices.bulletin(session=session, cycle_id=cycle.id),
            "notice_links": notices.notice_numbers(session=session, cycle_id=cycle.id),
        }
    return render(request, "cycle.html", context, catalogue=TEXT)


@router.post("/cycles/{cycle_id}/compute")
def compute_cycle(cycle_id: DbId, principal: OfficerUser, database: DatabaseDep,
                  reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    # In the background: a large county takes longer than a browser is willing to wait for a response.
    job = service.start_background_compute(database=database, cycle_id=cycle_id, actor=principal.username,
                                           reason=reason.strip() or None)
    return redirect(f"/cycles/{cycle_id}?job={job.id}")


@router.post("/cycles/{cycle_id}/publicize")
def publicize_cycle(cycle_id: DbId, principal: OfficerUser, session: WriteSessionDep, database: DatabaseDep,
                    reason: Annotated[str, Form(max_length=1000)] = "",
                    notice_date: Annotated[dt.date | None, Form()] = None) -> Response:
    service.publicize_cycle(session=session, cycle_id=cycle_id, actor=principal.username, notice_date=notice_date,
                            reason=reason.strip() or None)
    notices.render_in_background(database=database, cycle_id=cycle_id, session=session, actor=principal.username)
    return redirect(f"/cycles/{cycle_id}")


@router.post("/cycles/{cycle_id}/finalize")
def finalize_cycle(cycle_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                   reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    service.finalize_cycle(session=session, cycle_id=cycle_id, actor=principal.username,
                           reason=reason.strip() or None)
    return redirect(f"/cycles/{cycle_id}")


# -- one company's explanation -------------------------------------------------------------------------------

@router.get("/cycles/{cycle_id}/companies/{credit_code}", response_class=HTMLResponse)
def company_page(request: Request, cycle_id: DbId, credit_code: str, principal: CurrentUser,
                 session: SessionDep) -> Response:
    lang = request_lang(request, page=True)
    cycle, rating = visible_rating(session, principal, cycle_id, credit_code)
    exp = json.loads(rating.explanation)
    words = EXPLAIN_TEXT[lang]
    flags = wording.flags(exp, lang)
    r0 = (exp.get("constants") or {}).get("R0")
    notice = notices.latest_notice(session=session, cycle_id=cycle.id, credit_code=credit_code)
    return render(request, "company_rating.html", {
        "notice": notice,
        "appeal_open": service.window_open_on(cycle, clock.local_today()),
        "cycle": cycle, "rating": rating, "exp": exp, "flags": flags,
        "score": fixed(exp["score"], 1), "exposure": fixed(exp["exposure"], 2), "bonus": num(exp["bonus"]),
        "indicators": wording.indicator_rows(exp, lang), "reasons": wording.reasons(exp, lang),
        "upgrade": wording.path(exp, lang),
        "r0_line": None if r0 is None else words["r0"].format(r0=f"{r0:.6f}", r0_k=f"{r0 * 1000:.2f}"),
        "words": words,
    }, catalogue=TEXT)
