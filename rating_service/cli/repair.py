"""`rating repair list|decide`: the repair requests and an officer's decision on one (docs/repair.md)."""

from __future__ import annotations

import typer

app = typer.Typer(help="信用修复申请：查看与决定 / credit repair requests", no_args_is_help=True)
