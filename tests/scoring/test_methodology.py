"""Methodology files: ZY-2025 carries every number of its document; bad files are refused naming the field;
the methodology in force is picked by date."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.methodology import (
    METHODOLOGY_DIR,
    VOCABULARY_SECTIONS,
    MethodologyError,
    load_methodology,
    methodology_by_id,
    methodology_from_text,
    methodology_in_force,
    parse_methodology,
)

ZY2025_PATH = METHODOLOGY_DIR / "ZY-2025.yaml"
DOCUMENT = Path("/work/shared/docs/methodology-ZY-2025.md")  # the bureau's text, when this machine has it
RAW: dict[str, Any] = yaml.safe_load(ZY2025_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def zy2025():  # type: ignore[no-untyped-def]
    return load_methodology(ZY2025_PATH)


# -- every number of the document ---------------------------------------------------------------------

def test_identity_dates_and_legal_basis(zy2025) -> None:  # type: ignore[no-untyped-def]
    assert zy2025.id == "ZY-2025"
    assert zy2025.title == "枞阳县物业服务企业信用评价细则（2025版）"
    assert (zy2025.effective_from, zy2025.effective_to) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    first, second = zy2025.references
    assert "枞政办秘〔2025〕23号" in first.title and first.section == "四（三）"
    assert first.text == "县住建局要建立和完善物业服务企业信用评价制度"
    assert "安徽省物业服务企业信用信息管理暂行办法" in second.title and "2019" in second.title
    assert zy2025.days_per_year == 365


def test_section_4_1_inspections(zy2025) -> None:  # type: ignore[no-untyped-def]
    assert zy2025.weights["INSP"] == 0.40
    assert zy2025.inspections.severity_points == {"none": 0, "minor": 1, "moderate": 3, "serious": 6}
    assert zy2025.inspections.overdue_multiplier == 2
    assert zy2025.inspections.breakpoints == ((0, 100), (1, 90), (3, 70), (6, 40), (10, 0))


def test_section_4_2_complaints(zy2025) -> None:  # type: ignore[no-untyped-def]
    c = zy2025.complaints
    assert zy2025.weights["COMPL"] == 0.35
    assert (c.credibility_households, c.rate_per_households) == (300, 1000)
    assert (c.rate_weight, c.timeliness_weight) == (0.8, 0.2)
    assert c.default_due_days == 7
    assert c.rate_breakpoints == ((0, 100), (2, 90), (5, 75), (10, 50), (20, 0))


def test_section_4_3_fees(zy2025) -> None:  # type: ignore[no-untyped-def]
    f = zy2025.fees
    assert zy2025.weights["FEE"] == 0.25
    assert f.type_points == {"undisclosed": 2, "overcharge": 4, "unauthorized_item": 4, "public_income": 6,
                             "maintenance_fund": 10}
    assert (f.amount_step_yuan, f.amount_points_cap, f.refund_factor) == (10000, 5, 0.5)
    assert f.breakpoints == ((0, 100), (4, 75), (10, 40), (20, 0))


def test_section_5_composite_grades_veto_floor_provisional_lists(zy2025) -> None:  # type: ignore[no-untyped-def]
    assert zy2025.weights == {"INSP": 0.40, "COMPL": 0.35, "FEE": 0.25}
    assert zy2025.bonus.level_points == {"national": 5, "provincial": 4, "city": 3, "county": 2, "township": 1}
    assert zy2025.bonus.cap == 5
    assert (zy2025.rounding.indicator_decimals, zy2025.rounding.score_decimals) == (2, 1)
    assert [(b.grade, b.min) for b in zy2025.bands] == [("AAA", 90), ("AA", 80), ("A", 70), ("B", 60), ("C", 0)]
    assert zy2025.veto.grade == "C"
    assert zy2025.veto.fee_types == ("maintenance_fund",)
    assert zy2025.veto.major_event_kinds == ("refuse_to_exit", "major_safety_accident", "false_material")
    assert zy2025.floor.grade == "B"
    assert (zy2025.provisional.exposure_below, zy2025.provisional.visits_below) == (100, 2)
    assert zy2025.lists.red.grades == ("AAA",) and zy2025.lists.red.exclude_provisional
    assert zy2025.lists.black.grades == ("C",) and not zy2025.lists.black.exclude_provisional


def test_repair_rules_follow_the_ndrc_order(zy2025) -> None:  # type: ignore[no-untyped-def]
    rules = zy2025.repair_rules()
    assert "国家发展改革委令2023年第58号" in rules.basis
    assert (rules.publicity["general"].min_months, rules.publicity["general"].max_months) == (3, 12)
    assert (rules.publicity["serious"].min_months, rules.publicity["serious"].max_months) == (12, 36)
    assert (rules.accept_working_days, rules.decide_working_days, rules.commitment_months) == (2, 5, 12)
    assert rules.severity_of("black_list") == rules.severity_of("veto") == "serious"
    assert rules.severity_of("fee_violations", "overcharge") == "general"
    assert rules.severity_of("fee_violations", "maintenance_fund") == "serious"
    assert rules.severity_of("major_events", "refuse_to_exit") == "serious"
    assert rules.conditions == ("rectified", "penalty_fulfilled", "commitment_signed", "no_new_same_kind")
    assert rules.counted_after_repair  # a repaired record still counts in the period it occurred in


def test_a_version_without_repair_rules_takes_the_shipped_ones(zy2025) -> None:  # type: ignore[no-untyped-def]
    older = parse_methodology(_mutated(_delete("repair")))
    assert older.repair is None and older.repair_rules() == zy2025.repair


def test_section_6_explanation(zy2025) -> None:  # type: ignore[no-untyped-def]
    e = zy2025.explanation
    assert (e.max_reasons, e.max_evidence) == (4, 5)
    assert e.tie_order == ("INSP", "COMPL_RATE", "COMPL_TIMELY", "FEE")


@pytest.mark.skipif(not DOCUMENT.exists(), reason="the methodology document is not on this machine")
def test_curves_and_weights_match_the_document_text(zy2025) -> None:  # type: ignore[no-untyped-def]
    """Read the PL curves and weights straight out of the document, so a typo in either is caught."""
    text = DOCUMENT.read_text(encoding="utf-8")

    def curve(prefix: str) -> tuple[tuple[float, float], ...]:
        match = re.search(re.escape(prefix) + r" = PL\(\w; ((?:\(\d+,\d+\)(?:, )?)+)\)", text)
        assert match, prefix
        return tuple((float(x), float(y)) for x, y in re.findall(r"\((\d+),(\d+)\)", match.group(1)))

    assert curve("s_INSP") == zy2025.inspections.breakpoints
    assert curve("u") == zy2025.complaints.rate_breakpoints
    assert curve("s_FEE") == zy2025.fees.breakpoints
    weights = dict(re.findall(r"### 4\.\d (\w+) — .*\(weight ([\d.]+)\)", text))
    assert {k: float(v) for k, v in weights.items()} == zy2025.weights
    bands = re.findall(r"(AAA|AA|A|B) ≥ (\d+)", text)
    assert [(g, float(m)) for g, m in bands] == [(b.grade, b.min) for b in zy2025.bands[:-1]]


# -- refusals, naming the field ------------------------------------------------------------------------

def _mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    change(data)
    return data


def _set(path: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        data[last] = value
    return change


def _delete(path: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        del data[last]
    return change


REFUSALS = {
    "weights_do_not_sum_to_1": (_set("weights.INSP", 0.5), "weights"),
    "negative_weight": (_set("weights", {"INSP": 1.1, "COMPL": -0.35, "FEE": 0.25}), "weights"),
    "weights_miss_an_indicator": (_set("weights", {"INSP": 0.65, "COMPL": 0.35}), "weights"),
    "breakpoints_x_not_increasing": (_set("inspections.breakpoints", [[0, 100], [3, 90], [3, 70], [10, 0]]),
                                     "inspections.breakpoints"),
    "breakpoints_x_decreasing": (_set("complaints.rate_breakpoints", [[0, 100], [5, 75], [2, 90], [20, 0]]),
                                 "complaints.rate_breakpoints"),
    "breakpoints_y_increasing": (_set("fees.breakpoints", [[0, 100], [4, 75], [10, 80], [20, 0]]),
                                 "fees.breakpoints"),
    "breakpoints_not_from_0": (_set("fees.breakpoints", [[1, 100], [20, 0]]), "fees.breakpoints"),
    "bands_with_a_gap_at_the_bottom": (_set("bands", [{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 80},
                                                      {"grade": "C", "min": 10}]), "bands"),
    "bands_overlapping": (_set("bands", [{"grade": "AAA", "min": 90}, {"grade": "AA", "min": 90},
                                         {"grade": "C", "min": 0}]), "bands"),
    "bands_out_of_order": (_set("bands", [{"grade": "AA", "min": 80}, {"grade": "AAA", "min": 90},
                                          {"grade": "C", "min": 0}]), "bands"),
    "bands_repeat_a_grade": (_set("bands", [{"grade": "AAA", "min": 90}, {"grade": "AAA", "min": 0}]), "bands"),
    "unknown_top_level_key": (_set("weigths", {"INSP": 1}), "weigths"),
    "unknown_nested_key": (_set("inspections.overdue_multipler", 2), "inspections.overdue_multipler"),
    "unknown_key_in_a_list_item": (_set("bands", [{"grade": "AAA", "min": 90, "max": 100},
                                                  {"grade": "C", "min": 0}]), "bands.0.max"),
    "missing_top_level_key": (_delete("floor"), "floor"),
    "missing_nested_key": (_delete("complaints.credibility_households"), "complaints.credibility_households"),
    "unknown_veto_event_kind": (_set("veto.major_event_kinds", ["refuse_to_exit", "arson"]),
                                "veto.major_event_kinds"),
    "unknown_veto_fee_type": (_set("veto.fee_types", ["maintenance_fnd"]), "veto.fee_types"),
    "unknown_veto_grade": (_set("veto.grade", "D"), "veto.grade"),
    "unknown_floor_grade": (_set("floor.grade", "BB"), "floor.grade"),
    "severity_points_incomplete": (_set("inspections.severity_points", {"none": 0, "minor": 1, "moderate": 3}),
                                   "inspections.severity_points"),
    "complaint_parts_do_not_sum_to_1": (_set("complaints.timeliness_weight", 0.3), "complaints"),
    "overdue_multiplier_below_1": (_set("inspections.overdue_multiplier", 0.5), "inspections.overdue_multiplier"),
    "tie_order_incomplete": (_set("explanation.tie_order", ["INSP", "FEE"]), "explanation.tie_order"),
    "not_a_date": (_set("effective_from", "soon"), "effective_from"),
    # Every code needs its words: a name and a plain sentence, in both languages.
    "words_missing": (_delete("words"), "words"),
    "words_section_missing": (_delete("words.flags"), "words.flags"),
    "words_fee_type_missing": (_delete("words.fee_types.maintenance_fund"), "words.fee_types.maintenance_fund"),
    "words_reason_missing": (_delete("words.reasons.COMPL_TIMELY"), "words.reasons.COMPL_TIMELY"),
    "words_unknown_code": (_set("words.severities.grave", {"zh": "极重", "en": "Grave", "explain_zh": "极重的问题。",
                                                           "explain_en": "A grave problem."}),
                           "words.severities.grave"),
    "words_explanation_missing": (_delete("words.indicators.INSP.explain_zh"), "words.indicators.INSP.explain_zh"),
    "words_english_name_missing": (_delete("words.lists.red.en"), "words.lists.red.en"),
    "words_blank_name": (_set("words.levels.city.zh", ""), "words.levels.city.zh"),
    # The timeliness rule (ZY-2026): share or late_rate, the late rate's constant and curve required by it alone.
    "timeliness_unknown_rule": (_set("complaints.timeliness", {"rule": "fraction"}), "complaints.timeliness.rule"),
    "timeliness_share_with_a_curve": (
        _set("complaints.timeliness", {"rule": "share", "breakpoints": [[0, 100], [20, 0]]}),
        "complaints.timeliness.breakpoints"),
    "timeliness_late_rate_without_a_curve": (_set("complaints.timeliness", {
        "rule": "late_rate", "credibility_households": 300, "rate_per_households": 1000}),
        "complaints.timeliness.breakpoints"),
    "timeliness_late_rate_without_k": (_set("complaints.timeliness", {
        "rule": "late_rate", "rate_per_households": 1000, "breakpoints": [[0, 100], [20, 0]]}),
        "complaints.timeliness.credibility_households"),
    "timeliness_curve_x_decreasing": (_set("complaints.timeliness", {
        "rule": "late_rate", "credibility_households": 300, "rate_per_households": 1000,
        "breakpoints": [[0, 100], [5, 75], [2, 90], [20, 0]]}), "complaints.timeliness.breakpoints"),
    "timeliness_negative_k": (_set("complaints.timeliness", {
        "rule": "late_rate", "credibility_households": -1, "rate_per_households": 1000,
        "breakpoints": [[0, 100], [20, 0]]}), "complaints.timeliness.credibility_households"),
    "timeliness_unknown_key": (_set("complaints.timeliness.late_weight", 0.5), "complaints.timeliness.late_weight"),
    # Credit repair (信用修复) rules are data like the rest.
    "repair_publicity_max_below_min": (_set("repair.publicity.serious", {"min_months": 12, "max_months": 6}),
                                       "repair.publicity.serious"),
    "repair_publicity_severity_missing": (_set("repair.publicity", {"general": {"min_months": 3, "max_months": 12}}),
                                          "repair.publicity"),
    "repair_unknown_mark": (_set("repair.marks.red_list", {"severity": "general", "counted_from": "publicity",
                                                           "same_kind": ["same_ground"]}), "repair.marks"),
    "repair_unknown_severity": (_set("repair.marks.veto.severity", "grave"), "repair.marks.veto.severity"),
    "repair_unknown_start": (_set("repair.marks.veto.counted_from", "filing"), "repair.marks.veto.counted_from"),
    "repair_unknown_same_kind": (_set("repair.marks.black_list.same_kind", ["inspections"]),
                                 "repair.marks.black_list.same_kind"),
    "repair_unknown_fee_type": (_set("repair.records.fee_violations.serious_types", ["maintenance_fnd"]),
                                "repair.records.fee_violations"),
    "repair_unknown_condition": (_set("repair.conditions", ["rectified", "apologised"]), "repair.conditions"),
    "repair_no_working_days": (_set("repair.accept_working_days", 0), "repair.accept_working_days"),
    "repair_unknown_key": (_set("repair.appeal_days", 5), "repair.appeal_days"),
}


@pytest.mark.parametrize("change, field", list(REFUSALS.values()), ids=list(REFUSALS))
def test_refusals_name_the_field(change: Any, field: str) -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(_mutated(change), source="bad.yaml")
    error = caught.value
    assert error.field == field, str(error)
    assert error.source == "bad.yaml" and error.zh and error.en
    assert field in error.message("en") and field in error.message("zh")


def test_the_unchanged_copy_is_accepted() -> None:
    assert parse_methodology(_mutated(lambda data: None)).id == "ZY-2025"


def test_a_version_without_a_timeliness_rule_takes_the_share() -> None:
    """Versions written (or adopted) before ZY-2026 have no ``complaints.timeliness``: ZY-2025's share rule."""
    older = parse_methodology(_mutated(_delete("complaints.timeliness")))
    assert older.complaints.timeliness.rule == "share" and not older.complaints.timeliness.late_rate
    assert older == load_methodology(ZY2025_PATH)


def test_zy2026_is_zy2025_with_the_timeliness_rule_and_its_dates_changed() -> None:
    """ZY-2026 changes one rule (and its words, dates and title): every other number is ZY-2025's."""
    zy2026 = yaml.safe_load((METHODOLOGY_DIR / "ZY-2026.yaml").read_text(encoding="utf-8"))
    changed = {key for key in RAW if RAW[key] != zy2026[key]}
    assert changed == {"id", "title", "title_en", "effective_from", "effective_to", "complaints", "words"}
    assert {k for k in RAW["complaints"] if RAW["complaints"][k] != zy2026["complaints"][k]} == {"timeliness"}
    assert zy2026["complaints"]["timeliness"] == {
        "rule": "late_rate", "credibility_households": 300, "rate_per_households": 1000,
        "breakpoints": RAW["complaints"]["rate_breakpoints"]}
    assert {(section, code) for section in RAW["words"] for code in RAW["words"][section]
            if RAW["words"][section][code] != zy2026["words"][section][code]} == {
        ("indicators", "COMPL"), ("reasons", "COMPL_TIMELY")}


def test_malformed_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: ZY-X\nweights: {INSP: 0.4, COMPL: 0.35\nfees: [\n", encoding="utf-8")
    with pytest.raises(MethodologyError) as caught:
        load_methodology(path)
    assert caught.value.field.startswith("line ") and caught.value.en == "malformed YAML"


@pytest.mark.parametrize("text", ["- id: ZY-2025\n- weights: {}\n", "just a sentence\n", "", "42\n"],
                         ids=["list", "string", "empty", "number"])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "not-a-mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MethodologyError) as caught:
        load_methodology(path)
    assert caught.value.field == "(file)" and caught.value.source == "not-a-mapping.yaml"


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MethodologyError) as caught:
        load_methodology(tmp_path / "nowhere.yaml")
    assert caught.value.field == "(file)"


# -- the methodology in force on a date ------------------------------------------------------------------

def _write(directory: Path, data: dict[str, Any], name: str) -> None:
    (directory / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")


@pytest.fixture
def two_versions(tmp_path: Path) -> Path:
    """ZY-2025 closed on 2025-12-31 and a ZY-2026 (other weights) from 2026-01-01."""
    old = copy.deepcopy(RAW)
    old["effective_to"] = dt.date(2025, 12, 31)
    new = copy.deepcopy(RAW)
    new.update(id="ZY-2026", title="枞阳县物业服务企业信用评价细则（2026版）", effective_from=dt.date(2026, 1, 1),
               effective_to=None, weights={"INSP": 0.30, "COMPL": 0.45, "FEE": 0.25})
    _write(tmp_path, old, "ZY-2025")
    _write(tmp_path, new, "ZY-2026")
    return tmp_path


@pytest.mark.parametrize("day, expected", [
    (dt.date(2025, 1, 1), "ZY-2025"),
    (dt.date(2025, 6, 30), "ZY-2025"),
    (dt.date(2025, 12, 31), "ZY-2025"),
    (dt.date(2026, 1, 1), "ZY-2026"),
    (dt.date(2026, 1, 2), "ZY-2026"),
    (dt.date(2040, 1, 1), "ZY-2026"),
])
def test_methodology_in_force_picks_by_date(two_versions: Path, day: dt.date, expected: str) -> None:
    chosen = methodology_in_force(day, directory=two_versions)
    assert chosen.id == expected
    assert chosen.weights["INSP"] == (0.40 if expected == "ZY-2025" else 0.30)


def test_no_methodology_before_the_first_is_an_error(two_versions: Path) -> None:
    with pytest.raises(MethodologyError) as caught:
        methodology_in_force(dt.date(2024, 12, 31), directory=two_versions)
    assert caught.value.field == "effective_from" and caught.value.source == "2024-12-31"


def test_when_two_overlap_the_latest_starting_is_in_force(tmp_path: Path) -> None:
    open_ended = copy.deepcopy(RAW)
    open_ended["effective_to"] = None  # ZY-2025 with no end date
    new = copy.deepcopy(RAW)
    new.update(id="ZY-2026", effective_from=dt.date(2026, 1, 1), effective_to=None)
    _write(tmp_path, open_ended, "ZY-2025")
    _write(tmp_path, new, "ZY-2026")
    assert methodology_in_force(dt.date(2025, 12, 31), directory=tmp_path).id == "ZY-2025"
    assert methodology_in_force(dt.date(2026, 1, 1), directory=tmp_path).id == "ZY-2026"


def test_methodology_by_id(two_versions: Path) -> None:
    assert methodology_by_id("ZY-2026", directory=two_versions).effective_from == dt.date(2026, 1, 1)
    assert methodology_by_id("ZY-2025", directory=two_versions).effective_to == dt.date(2025, 12, 31)
    with pytest.raises(MethodologyError) as caught:
        methodology_by_id("ZY-1999", directory=two_versions)
    assert caught.value.field == "id"


def test_a_bad_file_in_the_directory_is_reported_not_skipped(two_versions: Path) -> None:
    (two_versions / "ZY-typo.yaml").write_text("id: ZY-typo\n", encoding="utf-8")
    with pytest.raises(MethodologyError) as caught:
        methodology_in_force(dt.date(2025, 6, 1), directory=two_versions)
    assert caught.value.source == "ZY-typo.yaml"


def test_effective_to_before_effective_from_is_refused() -> None:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(_mutated(_set("effective_to", dt.date(2024, 1, 1))))
    assert caught.value.field == "effective_to"


def test_the_shipped_directory_has_zy2025_in_2025_and_zy2026_from_2026() -> None:
    assert methodology_in_force(dt.date(2025, 1, 1)).id == "ZY-2025"
    assert methodology_in_force(dt.date(2025, 12, 31)).id == "ZY-2025"
    assert methodology_in_force(dt.date(2026, 1, 1)).id == "ZY-2026"
    assert methodology_in_force(dt.date(2027, 6, 1)).id == "ZY-2026"  # no end date
    with pytest.raises(MethodologyError):
        methodology_in_force(dt.date(2024, 12, 31))


def test_numbers_come_from_the_file_not_the_code(two_versions: Path) -> None:
    """The same inputs rated under ZY-2026's weights give the score those weights imply (no code change)."""
    from scoring.engine import Constants, Period, rate_companies
    from tests.scoring.builders import inputs

    code = "913407220000000195"
    world = inputs(
        companies=[{"credit_code": code, "name": "甲"}],
        communities=[{"community_id": "N1", "name": "一", "households": 500}],
        contracts=[{"community_id": "N1", "credit_code": code, "start_date": "2020-01-01"}],
        inspections=[{"record_id": "I1", "inspected_on": "2025-03-01", "community_id": "N1", "severity": "serious"},
                     {"record_id": "I2", "inspected_on": "2025-04-01", "community_id": "N1", "severity": "none"}],
    )
    scores = {}
    for methodology_id in ("ZY-2025", "ZY-2026"):
        methodology = methodology_by_id(methodology_id, directory=two_versions)
        result = rate_companies(inputs=world, period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                                methodology=methodology, constants=Constants(r0=0.0))
        scores[methodology_id] = float(result.companies["score"].iloc[0])
    # d = 6/2 = 3, s_INSP = 70, s_COMPL = s_FEE = 100: 0.40*70 + 60 = 88.0 and 0.30*70 + 70 = 91.0
    assert scores == {"ZY-2025": 88.0, "ZY-2026": 91.0}


def test_every_code_has_its_words_in_both_languages() -> None:
    """Pages and documents show these instead of codes: each names a thing in plain words and explains it."""
    methodology = load_methodology(METHODOLOGY_DIR / "ZY-2025.yaml")
    assert methodology.name("fee_types", "maintenance_fund") == "挪用住宅专项维修资金"
    assert methodology.name("indicators", "COMPL") == "投诉处置"
    assert methodology.term("reasons", "VETO").article == "第五条"
    for section, codes in VOCABULARY_SECTIONS.items():
        for code in codes:
            term = methodology.term(section, code)
            assert term.zh and term.en and term.explain("zh") and term.explain("en"), (section, code)
            # No code inside the words meant for people (e.g. "INSP", "maintenance_fund").
            for text in (term.zh, term.explain_zh):
                assert not re.search(r"[A-Za-z_]{3,}", text.replace("AAA", "").replace("AA", "")), (section, code, text)


def test_a_version_adopted_before_words_existed_takes_the_shipped_words() -> None:
    text = yaml.safe_dump({k: v for k, v in RAW.items() if k != "words"}, allow_unicode=True)
    with pytest.raises(MethodologyError) as caught:
        methodology_from_text(text, source="upload")
    assert caught.value.field == "words"
    stored = methodology_from_text(text, source="ZY-2025", stored=True)
    assert stored.name("levels", "county") == "县级"
