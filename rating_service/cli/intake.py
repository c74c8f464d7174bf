"""`rating intake`: tickets and patrol sheets as the bureau receives them. The group is filled by its modules:
`intake_files` (import, mappings, queue numbers), `intake_directory` (the community directory), `intake_model`
(train, evaluate) and `intake_keys` (the intake API's per-system keys); `rating_service.cli` imports them."""

from __future__ import annotations

import typer

app = typer.Typer(help="12345 工单与巡查记录的接收、匹配与确认 / intake of hotline tickets and patrol sheets",
                  no_args_is_help=True)
