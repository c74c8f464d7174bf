"""`rating intake` commands of this module (see rating_service/cli/intake.py): the community directory's names and
matching a place text against it."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer

from rating_service.cli.common import LangOption, open_database, parse_lang, user_errors
from rating_service.cli.intake import app
from rating_service.i18n import translate


def _read_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", errors="replace")
    return list(csv.DictReader(io.StringIO(text)))


@app.command("names")
def names_command(
    file: Annotated[Path, typer.Argument(help="community_names.csv（小区编号, 类型, 名称）")],
    lang: LangOption = "zh",
    actor: Annotated[str, typer.Option(help="操作人 / who imports")] = "cli",
) -> None:
    """导入小区的别名、曾用名、地址与所在镇街 / import the community directory's names."""
    from rating_service.intake import directory

    language = parse_lang(lang)
    with user_errors(language):
        rows = _read_rows(file)
        with open_database("write") as session:
            added = directory.import_names(session, rows=rows, actor=actor)
    typer.echo(translate("directory_cli_imported", language, added=added, rows=len(rows)))


@app.command("match")
def match_command(
    texts: Annotated[list[str], typer.Argument(help="诉求地址 / place texts")],
    lang: LangOption = "zh",
) -> None:
    """按小区目录匹配地址 / match place texts against the community directory."""
    from rating_service.companies.models import Community
    from rating_service.intake import directory, matching
    from rating_service.intake.models import MatchStatus

    language = parse_lang(lang)
    with user_errors(language), open_database("read") as session:
        matcher = directory.matcher(session)
        for text, found in zip(texts, matcher.match_many(texts), strict=True):
            community = session.get(Community, found.community_id) if found.community_id else None
            if community is not None:
                who = f"{community.name}（{community.community_id}）"
            elif found.alternatives:
                who = " / ".join(c.community_id for c in found.alternatives)
            else:
                who = translate("directory_cli_no_community", language)
            typer.echo(translate(
                "directory_cli_match", language, text=text, status=MatchStatus(found.status).label(language),
                community=who, score="" if found.score is None else f"{found.score:.1f}",
                rule=matching.rule_label(found.rule, language) if found.rule else "—"))
