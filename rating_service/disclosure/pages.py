"""Public pages (no login): ratings, a company, red and black lists, the methodology, appeal statistics, open data.

Every page is the same for every visitor (no account, no CSRF token), so each is rendered once per view of the
public data, language and query, and served from the disclosure cache with an ETag.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from rating_service.cycles.wording import EXPLAIN_TEXT
from rating_service.disclosure import service
from rating_service.disclosure.service import Cached, Preparing, PublicView, Query, company_history
from rating_service.disclosure.serving import REVALIDATE, preparing_headers, serve
from rating_service.i18n import Lang, translate
from rating_service.records.formats import KINDS
from rating_service.web.ui import base_context, request_lang, score_chart, templates
from scoring.methodology import Methodology

router = APIRouter(include_in_schema=False)

PUBLIC_TEXT: dict[str, dict[str, str]] = {
    "ratings_title": {"zh": "物业服务企业信用评价结果", "en": "Credit ratings of property companies"},
    "cycle": {"zh": "评价周期", "en": "Rating cycle"},
    "period": {"zh": "评价期间", "en": "Period"},
    "status": {"zh": "状态", "en": "Status"},
    "in_publicity": {"zh": "公示中", "en": "In publicity"},
    "final": {"zh": "已终评", "en": "Final"},
    "publicity_note": {
        "zh": "本周期评价结果正在公示，异议期至 {deadline}；异议处理后结果可能调整，以终评结果为准。",
        "en": "These ratings are in their publicity period; appeals close on {deadline}. Ratings may change after "
              "appeals are decided; the final ratings prevail.",
    },
    "final_note": {"zh": "本周期评价结果已于 {day} 终评发布。", "en": "These ratings became final on {day}."},
    "search": {"zh": "企业名称或信用代码", "en": "Company name or credit code"},
    "grade": {"zh": "信用等级", "en": "Grade"},
    "list": {"zh": "榜单", "en": "List"},
    "all": {"zh": "全部", "en": "All"},
    "red_list": {"zh": "红榜", "en": "Red list"},
    "black_list": {"zh": "黑榜", "en": "Black list"},
    "sort": {"zh": "排序", "en": "Sort by"},
    "sort_score": {"zh": "信用分", "en": "Score"},
    "sort_name": {"zh": "企业名称", "en": "Name"},
    "sort_credit_code": {"zh": "信用代码", "en": "Credit code"},
    "sort_grade": {"zh": "信用等级", "en": "Grade"},
    "order": {"zh": "顺序", "en": "Order"},
    "order_default": {"zh": "默认", "en": "Default"},
    "order_desc": {"zh": "从高到低", "en": "High to low"},
    "order_asc": {"zh": "从低到高", "en": "Low to high"},
    "apply": {"zh": "查询", "en": "Search"},
    "reset": {"zh": "清除条件", "en": "Clear"},
    "rank": {"zh": "名次", "en": "Rank"},
    "company": {"zh": "企业名称", "en": "Company"},
    "score": {"zh": "信用分", "en": "Score"},
    "marks": {"zh": "标注", "en": "Notes"},
    "provisional": {"zh": "暂定", "en": "Provisional"},
    "provisional_note": {"zh": "数据不足，评价为暂定", "en": "Too little data: provisional"},
    "found": {"zh": "共 {total} 家企业，第 {page}/{pages} 页", "en": "{total} companies, page {page} of {pages}"},
    "none_found": {"zh": "没有符合条件的企业。", "en": "No company matches."},
    "previous": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "nothing_yet": {"zh": "尚无公示或发布的评价结果。", "en": "No ratings have been publicized yet."},
    "public_cycles": {"zh": "已公示、已发布的评价周期", "en": "Publicized and final cycles"},
    "data_state": {"zh": "数据", "en": "Data"},
    "data_ready": {"zh": "可查看", "en": "ready"},
    "data_preparing": {"zh": "准备中", "en": "being prepared"},
    "grade_counts": {"zh": "等级分布", "en": "Grades"},
    "companies_n": {"zh": "{n} 家", "en": "{n}"},
    "companies_col": {"zh": "企业数", "en": "Companies"},
    "download": {"zh": "下载本周期数据：", "en": "Download this cycle:"},
    "company_title": {"zh": "企业信用档案", "en": "Company credit record"},
    "history": {"zh": "历年评价", "en": "Ratings by cycle"},
    "chart_label": {"zh": "历年信用得分", "en": "Score by cycle"},
    "chart_caption": {"zh": "历年信用得分与等级（已公示的评价周期）", "en": "Score and grade by publicized cycle"},
    "indicators": {"zh": "分项指标得分", "en": "Indicator sub-scores"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "weight": {"zh": "权重", "en": "Weight"},
    "sub_score": {"zh": "得分", "en": "Sub-score"},
    "not_assessed": {"zh": "不参评", "en": "not assessed"},
    "weights_note": {
        "zh": "不参评指标的权重按比例分配给参评指标（见评价细则）。",
        "en": "The weight of an indicator that is not assessed is shared out over the others (see the methodology).",
    },
    "counted": {"zh": "计入评价的记录", "en": "Records counted"},
    "kind": {"zh": "类别", "en": "Kind"},
    "count": {"zh": "条数", "en": "Count"},
    "by_category": {"zh": "其中", "en": "By category"},
    "no_records": {"zh": "本周期没有计入的记录。", "en": "No records counted in this cycle."},
    "in_cycle": {"zh": "所选周期：", "en": "Cycle shown:"},
    "lists_title": {"zh": "红榜与黑榜", "en": "Red and black lists"},
    "red_rule": {"zh": "红榜：信用等级为 {grades}{provisional}的企业。",
                 "en": "Red list: grade {grades}{provisional}."},
    "red_rule_provisional": {"zh": "且评价非暂定", "en": ", not provisional"},
    "black_rule": {"zh": "黑榜：信用等级为 {grades} 的企业。", "en": "Black list: grade {grades}."},
    "list_empty": {"zh": "本周期无企业列入。", "en": "No company is on this list in this cycle."},
    "appeals_title": {"zh": "异议申诉处理情况", "en": "Appeals by cycle"},
    "filed": {"zh": "提出异议", "en": "Filed"},
    "pending": {"zh": "待处理", "en": "Pending"},
    "upheld": {"zh": "异议成立", "en": "Upheld"},
    "partly_upheld": {"zh": "部分成立", "en": "Partly upheld"},
    "rejected": {"zh": "不成立", "en": "Rejected"},
    "median_days": {"zh": "处理用时中位数（日）", "en": "Median days to decision"},
    "appeals_note": {
        "zh": "只公布数量；异议理由、证据材料和处理意见不公开。",
        "en": "Only the numbers are published; grounds, evidence and decisions are not.",
    },
    "open_data_title": {"zh": "开放数据", "en": "Open data"},
    "open_data_intro": {
        "zh": "每个已公示、已发布的评价周期提供 CSV（UTF-8 带 BOM，可直接用 Excel 打开）和 JSON 两种格式，地址固定。"
              "以 =、+、-、@ 等开头的文字单元格前加了单引号，以防被电子表格当作公式执行。",
        "en": "Each publicized or final cycle is available as CSV (UTF-8 with a BOM, so Excel opens it) and JSON at "
              "fixed addresses. Text cells starting with =, +, -, @ and the like get a leading apostrophe so that a "
              "spreadsheet never runs them as formulas.",
    },
    "csv_zh": {"zh": "CSV（中文表头）", "en": "CSV (Chinese headers)"},
    "csv_en": {"zh": "CSV（英文表头）", "en": "CSV (English headers)"},
    "json": {"zh": "JSON", "en": "JSON"},
    "api_note": {"zh": "也可通过接口查询：", "en": "Also available through the API:"},
    "dictionary": {"zh": "数据字典", "en": "Data dictionary"},
    "field": {"zh": "字段", "en": "Field"},
    "type": {"zh": "类型", "en": "Type"},
    "header_zh": {"zh": "中文表头", "en": "Chinese header"},
    "meaning": {"zh": "说明", "en": "Meaning"},
    "licence": {
        "zh": "数据由枞阳县住房和城乡建设局公开发布，可自由使用，请注明来源。不含任何个人信息。",
        "en": "Published by the Zongyang County Housing Bureau; free to reuse with attribution. "
              "No personal data is included.",
    },
    "effective": {"zh": "施行日期", "en": "In force"},
    "effective_range": {"zh": "{start} 起{end}", "en": "from {start}{end}"},
    "effective_until": {"zh": "，至 {end} 止", "en": " to {end}"},
    "references": {"zh": "制定依据", "en": "References"},
    "other_versions": {"zh": "其他版本：", "en": "Other versions:"},
    "weights_title": {"zh": "指标与权重", "en": "Indicators and weights"},
    "insp_title": {"zh": "巡查检查（INSP）", "en": "Inspections (INSP)"},
    "compl_title": {"zh": "投诉处置（COMPL）", "en": "Complaints (COMPL)"},
    "fee_title": {"zh": "收费规范（FEE）", "en": "Fees (FEE)"},
    "bonus_title": {"zh": "良好行为加分", "en": "Bonus for commendations"},
    "bands_title": {"zh": "信用等级", "en": "Grades"},
    "rules_title": {"zh": "一票否决、保底、暂定与榜单", "en": "Veto, floor, provisional and lists"},
    "severity_points": {"zh": "检查发现扣分点", "en": "Finding points by severity"},
    "overdue": {"zh": "逾期未整改倍数", "en": "Overdue rectification multiplier"},
    "insp_curve": {"zh": "每次检查平均扣分点 d → 得分", "en": "Average finding points per visit d → sub-score"},
    "compl_curve": {"zh": "每千户年查实投诉数 r → 比率得分 u", "en": "Substantiated complaints per 1,000 "
                    "household-years r → rate score u"},
    "fee_curve": {"zh": "违规点数 F → 得分", "en": "Violation points F → sub-score"},
    "credibility": {"zh": "可信度常数 k（户年）", "en": "Credibility constant k (household-years)"},
    "rate_per": {"zh": "比率基数（户年）", "en": "Rate per (household-years)"},
    "rate_weight": {"zh": "比率部分权重", "en": "Rate part weight"},
    "timeliness_weight": {"zh": "及时办结部分权重", "en": "Timeliness part weight"},
    "default_due": {"zh": "未填办理时限时的默认期限（日）", "en": "Default due days when blank"},
    "type_points": {"zh": "违规类型点数", "en": "Points by violation type"},
    "amount_step": {"zh": "每涉及金额（元）加 1 点", "en": "Amount (yuan) per extra point"},
    "amount_cap": {"zh": "金额加点上限", "en": "Amount points cap"},
    "refund_factor": {"zh": "全额退还后系数", "en": "Factor when fully refunded"},
    "bonus_cap": {"zh": "加分上限", "en": "Bonus cap"},
    "min_score": {"zh": "最低分", "en": "Minimum score"},
    "veto_rule": {"zh": "一票否决（等级定为 {grade}）", "en": "Veto (grade set to {grade})"},
    "floor_rule": {"zh": "无任何不良记录的企业至少评为 {grade} 级", "en": "No adverse record: at least {grade}"},
    "provisional_rule": {"zh": "在管户年少于 {exposure} 且检查少于 {visits} 次时评价为暂定",
                         "en": "Provisional when exposure < {exposure} household-years and visits < {visits}"},
    "general_title": {"zh": "通用参数", "en": "General"},
    "days_per_year": {"zh": "户年折算天数（在管户数 × 在管天数 ÷ 该数）", "en": "Days per year (household-years = "
                      "households × days managed ÷ this)"},
    "max_reasons": {"zh": "评价说明列出的扣分原因最多（条）", "en": "Reasons listed in an explanation, at most"},
    "max_evidence": {"zh": "每条原因列出的证据记录最多（条）", "en": "Evidence records listed per reason, at most"},
    "tie_order": {"zh": "扣分相同时原因的排列顺序", "en": "Order of reasons that lost the same points"},
    "rounding": {"zh": "指标得分保留 {i} 位小数，总分保留 {s} 位小数（四舍五入）",
                 "en": "Sub-scores rounded half-up to {i} decimals, the score to {s}"},
    "breakpoint_y": {"zh": "得分", "en": "Score"},
    "curve_note": {"zh": "折线之间线性插值，超过最后一点保持不变。",
                   "en": "Linear between the points, constant beyond the last one."},
    "used_by": {"zh": "使用该细则的评价周期：", "en": "Cycles rated with it:"},
}



def _page_key(request: Request, lang: Lang) -> tuple[Any, ...]:
    params = tuple(sorted((k, v) for k, v in request.query_params.multi_items() if k != "lang"))
    return ("page", request.url.path, lang, params)


async def serve_page(request: Request, template: str, context: Any) -> Response:
    """A public page: ``context(view, lang)`` gives the template's data; the page is rendered once per view."""
    lang = request_lang(request, page=True)

    def make(view: PublicView) -> Cached:
        base = base_context(request, lang, PUBLIC_TEXT, user=None, csrf_token="")
        html = templates.get_template(template).render({**base, **context(view, lang)})
        return Cached.of(html.encode("utf-8"), "text/html; charset=utf-8",
                         {"Cache-Control": REVALIDATE, "Vary": "Cookie"})

    explicit = request.query_params.get("lang")
    return await serve(request, _page_key(request, lang), make, set_lang=lang if explicit in ("zh", "en") else None,
                       preparing=preparing_page)


def preparing_page(request: Request, preparing: Preparing) -> Cached:
    """The minimal page while the data is being prepared (right after a start): the public cycles and a notice, 503
    with Retry-After, never stored (no ETag: a crawler must not keep it in place of the page)."""
    lang = request_lang(request, page=True)
    base = base_context(request, lang, PUBLIC_TEXT, user=None, csrf_token="")
    html = templates.get_template("public_preparing.html").render(
        {**base, "message": preparing.message(lang), "cycles": preparing.cycles, "ready": preparing.ready})
    return Cached(html.encode("utf-8"), "text/html; charset=utf-8", etag="",
                  headers=(*preparing_headers().items(), ("Vary", "Cookie")))


@router.get("/public", response_class=HTMLResponse)
async def ratings_page(request: Request) -> Response:
    query = Query.of(request.query_params)
    chosen = request.query_params.get("cycle")

    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        if not chosen and view.current() is None:
            return {"disclosure": None}
        disclosure = view.chosen(chosen)
        found = service.search(disclosure, query)
        keep = {"cycle": disclosure.cycle.id} if chosen else {}

        def qs(**changes: Any) -> str:
            return urlencode({**keep, **query.params(**changes)})

        return {"disclosure": disclosure, "found": found, "query": query, "keep": keep, "qs": qs,
                "cycles": view.public_cycles(), "grades": [g for g, _n in disclosure.grades]}

    return await serve_page(request, "public_ratings.html", context)


@router.get("/public/companies/{credit_code}", response_class=HTMLResponse)
async def company_page(request: Request, credit_code: Annotated[str, Path(max_length=18)]) -> Response:
    chosen = request.query_params.get("cycle")

    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        history = company_history(view, credit_code)
        disclosure, rating = history[-1]
        if chosen:  # a cycle that is not public, or does not rate the company, is 404 as everywhere else
            disclosure = view.chosen(chosen)
            rating = disclosure.rating_or_raise(credit_code)
        words = EXPLAIN_TEXT[lang]
        indicators = [{"code": code, "label": words[code], "sub_score": rating.sub_scores.get(code),
                       "weight": rating.weights.get(code), "base_weight": disclosure.methodology.weights[code]}
                      for code in service.INDICATORS]
        counted = [{"kind": kind, "label": KINDS[kind].label(lang),
                    "count": rating.counts.get(kind, 0),
                    "categories": [(service.category_label(kind, c, lang), n)
                                   for c, n in rating.categories.get(kind, {}).items()]}
                   for kind in service.KINDS]
        chart = score_chart([(d.cycle.name, r.score, r.grade) for d, r in history])
        return {"rating": rating, "disclosure": disclosure, "history": history, "indicators": indicators,
                "counted": counted, "chart": chart, "any_counted": any(c["count"] for c in counted)}

    return await serve_page(request, "public_company.html", context)


@router.get("/public/lists", response_class=HTMLResponse)
async def lists_page(request: Request) -> Response:
    chosen = request.query_params.get("cycle")

    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        if not chosen and view.current() is None:
            return {"disclosure": None}
        disclosure = view.chosen(chosen)
        rules = disclosure.methodology.lists
        return {"disclosure": disclosure, "cycles": view.public_cycles(),
                "red": disclosure.red_list(), "black": disclosure.black_list(),
                "red_grades": translate("list_separator", lang).join(rules.red.grades),
                "red_excludes_provisional": rules.red.exclude_provisional,
                "black_grades": translate("list_separator", lang).join(rules.black.grades)}

    return await serve_page(request, "public_lists.html", context)


@router.get("/public/appeals", response_class=HTMLResponse)
async def appeals_page(request: Request) -> Response:
    return await serve_page(request, "public_appeals.html", lambda view, lang: {"disclosures": view.cycles()})


@router.get("/public/open-data", response_class=HTMLResponse)
async def open_data_page(request: Request) -> Response:
    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        fields = [{"name": n, "type": t, "zh": zh,
                   "meaning": (service.DICTIONARY_ZH.get(n, zh) if lang == "zh" else en)}
                  for n, t, zh, en in service.DICTIONARY]
        return {"disclosures": view.cycles(), "fields": fields}

    return await serve_page(request, "public_open_data.html", context)


def _curve(points: Any, *, width: int = 320, height: int = 160) -> dict[str, Any]:
    """A small chart of a breakpoint curve: x from 0 to 1.25 × the last breakpoint, y from 0 to 100."""
    left, right, top, bottom = 36, 10, 10, 26
    last_x = float(points[-1][0]) or 1.0
    span = last_x * 1.25
    pts = [(float(x), float(y)) for x, y in points] + [(span, float(points[-1][1]))]

    def sx(x: float) -> float:
        return round(left + (width - left - right) * x / span, 1)

    def sy(y: float) -> float:
        return round(top + (height - top - bottom) * (1 - y / 100), 1)

    return {"width": width, "height": height, "line": " ".join(f"{sx(x)},{sy(y)}" for x, y in pts),
            "dots": [{"x": sx(x), "y": sy(y), "label": f"({_n(x)}, {_n(y)})"} for x, y in pts[:-1]],
            "x_ticks": [{"x": sx(float(x)), "value": _n(float(x))} for x, _y in points],
            "y_ticks": [{"y": sy(v), "value": v} for v in (0, 50, 100)], "base": sy(0), "left": left,
            "right": width - right}


def _n(value: float) -> str:
    return f"{value:g}"


def methodology_context(methodology: Methodology, lang: Lang, view: PublicView) -> dict[str, Any]:
    words = EXPLAIN_TEXT[lang]
    m = methodology
    weights = [{"code": code, "label": words[code], "weight": weight} for code, weight in m.weights.items()]

    def word(column: str, code: str) -> str:
        return service.code_word(column, code, lang)

    return {
        "m": m, "weights": weights, "band_rows": [{"grade": b.grade, "min": b.min} for b in m.bands],
        "insp_curve": _curve(m.inspections.breakpoints), "compl_curve": _curve(m.complaints.rate_breakpoints),
        "fee_curve": _curve(m.fees.breakpoints),
        "severity": [(word("severity", k), k, v) for k, v in m.inspections.severity_points.items()],
        "fee_types": [(word("violation_type", k), k, v) for k, v in m.fees.type_points.items()],
        "levels": [(word("level", k), k, v) for k, v in m.bonus.level_points.items()],
        "veto_fees": [word("violation_type", k) for k in m.veto.fee_types],
        "veto_events": [word("kind", k) for k in m.veto.major_event_kinds],
        "versions": view.methodologies(),
        "used_by": [c for c in view.public_cycles() if c.methodology_id == m.id],
        "n": _n,
    }


@router.get("/public/methodology", response_class=HTMLResponse)
async def methodology_current_page(request: Request) -> Response:
    def context(view: PublicView, lang: Lang) -> dict[str, Any]:
        current = view.current()
        chosen = (view.methodology(current.cycle.methodology_id) if current is not None
                  else view.methodologies()[-1])
        return methodology_context(chosen, lang, view)

    return await serve_page(request, "public_methodology.html", context)


@router.get("/public/methodology/{identifier}", response_class=HTMLResponse)
async def methodology_page(request: Request, identifier: Annotated[str, Path(max_length=64)]) -> Response:
    return await serve_page(request, "public_methodology.html",
                            lambda view, lang: methodology_context(view.methodology(identifier), lang, view))
