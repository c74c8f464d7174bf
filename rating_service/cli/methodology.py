"""`rating methodology …`: methodology versions, a draft's what-if on a rated cycle, adopting a version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from rating_service import clock
from rating_service.cli.common import console, open_database, parse_lang, user_errors
from rating_service.cli.validate import migration_table
from rating_service.errors import RatingServiceError

app = typer.Typer(help="评价细则版本与修订模拟 / methodology versions and what-if", no_args_is_help=True)


def _read_draft(path: Path) -> Any:
    """A draft methodology file; a missing or undecodable file is a clear error, not a traceback."""
    from rating_service.methodologies import service as methodologies

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RatingServiceError("file_missing", path=str(path)) from None
    except UnicodeDecodeError:
        raise methodologies.MethodologyInvalid("methodology_invalid", field="(file)", reason_zh="文件应为 UTF-8 编码",
                                               reason_en="the file must be UTF-8") from None
    except OSError as exc:
        raise RatingServiceError("file_unreadable", detail=exc.strerror or str(exc)) from None
    return methodologies.parse_text(text)


@app.command("list")
def methodology_list(lang: Annotated[str, typer.Option(help="zh | en")] = "zh") -> None:
    """评价细则版本 / methodology versions."""
    from rating_service.methodologies import service as methodologies
    from rating_service.validation.wording import words

    language = parse_lang(lang)
    t = words(language)
    with user_errors(language), open_database() as session:
        today = methodologies.in_force(session, clock.local_today()).id
        adopted = methodologies.adopted_rows(session)
        table = Table(title=t["methodologies_title"])
        for head in ("ID", t["effective_from"], "", t["in_force_today"]):
            table.add_column(head)
        for m in methodologies.all_versions(session):
            table.add_row(m.id, m.effective_from.isoformat(), t["adopted"] if m.id in adopted else t["shipped"],
                          "✓" if m.id == today else "")
    console.print(table)


@app.command("what-if")
def methodology_what_if(
    draft: Annotated[Path, typer.Argument(help="评价细则草案 YAML / the draft methodology file")],
    cycle: Annotated[int, typer.Option("--cycle", help="已计算的评价周期 / a rated cycle")],
    output: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    lang: Annotated[str, typer.Option(help="zh | en")] = "zh",
) -> None:
    """用草案重新计算一个周期，列出等级变化 / the grade changes a draft methodology would make."""
    from rating_service.validation import service
    from rating_service.validation.wording import reason_text, rule_changes_text, words

    language = parse_lang(lang)
    t = words(language)
    with user_errors(language), open_database() as session:
        outcome = service.what_if(session=session, cycle_id=cycle, draft=_read_draft(draft))
        result = outcome.as_dict()
    if output == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    rules = rule_changes_text(result["rule_changes"], outcome.current, outcome.draft, language)
    if rules:
        console.print(t["rule_changes"].format(current=result["current_methodology"]), highlight=False)
        for line in rules:
            console.print(f"  · {line}", highlight=False)
    else:
        console.print(t["no_rule_change"].format(current=result["current_methodology"]), highlight=False)
    console.print(migration_table(result["migration"], f"{t['migration']}: {result['current_methodology']} → "
                                               f"{result['draft_methodology']}", t["before_after"]))
    def companies(key: str, title: str) -> None:
        """The companies of ``result[key]`` (grade changes, or score moves with the grade as it stays)."""
        table = Table(title=t[title].format(n=len(result[key])))
        for head in (t["company"], t["score"], t["grade"], t["why"]):
            table.add_column(head)
        for change in result[key]:
            grade = change["grade_after"] if change["grade_before"] == change["grade_after"] \
                else f"{change['grade_before']} → {change['grade_after']}"
            table.add_row(change["name"] or change["credit_code"],
                          f"{change['score_before']:.1f} → {change['score_after']:.1f}", grade,
                          reason_text(change["reasons"], language))
        console.print(table)

    if result["changes"]:
        companies("changes", "changed_companies")
    else:
        console.print(t["no_change"], highlight=False)
    if result["score_moves"]:
        companies("score_moves", "score_moves")


@app.command("adopt")
def methodology_adopt(
    draft: Annotated[Path, typer.Argument(help="评价细则 YAML / the methodology file to adopt")],
    reason: Annotated[str, typer.Option(help="采用理由 / why (audited)")],
    actor: Annotated[str, typer.Option(help="操作人 / who adopts it (audited)")] = "cli",
    based_on: Annotated[str | None, typer.Option(help="起草依据的版本 / the version it revises")] = None,
    lang: Annotated[str, typer.Option(help="zh | en")] = "zh",
) -> None:
    """采用新的评价细则版本（校验并记入审计日志）/ adopt a methodology version (validated, audited)."""
    from rating_service.methodologies import service as methodologies

    language = parse_lang(lang)
    with user_errors(language), open_database("write") as session:
        draft_methodology = _read_draft(draft)
        row = methodologies.adopt(session=session, draft=draft_methodology, actor=actor, reason=reason,
                                  based_on=based_on, today=clock.local_today())
        console.print(f"{row.id} · {row.effective_from.isoformat()} · sha256 {row.sha256[:16]}…")
