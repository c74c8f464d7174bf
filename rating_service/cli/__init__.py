"""The `rating` command line: database, imports, cycles, audit, accounts, demo data and the web server.

One module per command group, registered here; what they share (language, consoles, error rendering, progress
bars, the database at the current schema) is in `common`. Nothing outside this package imports from it.
A command imports the service rooms it drives inside its function, so that one group does not load them all.
"""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from rating_service.allocator import tune_from_settings
from rating_service.cli import (
    audit,
    backup,
    cycles,
    db,
    demo,
    doctor,
    imports,
    intake,
    intake_directory,
    intake_files,
    intake_keys,
    intake_model,
    methodology,
    monitor,
    repair,
    score,
    serve,
    users,
    validate,
    workdays,
    worker,
)
from rating_service.cli.demo import DEMO_DIR

__all__ = ["DEMO_DIR", "app", "main"]

app = typer.Typer(help="枞阳县物业服务企业信用评价系统 / property-company credit rating", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
# Commands, then groups, in the order `rating --help` lists them.
app.command("validate")(validate.validate_command)
app.command("import")(imports.import_command)
app.command("demo")(demo.demo_command)
app.command("score")(score.score_command)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker_command)
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)
app.command("monitor")(monitor.monitor_command)
app.command("doctor")(doctor.doctor_command)
app.add_typer(db.app, name="db")
app.add_typer(audit.app, name="audit")
app.add_typer(users.app, name="users")
app.add_typer(cycles.app, name="cycle")
app.add_typer(workdays.app, name="calendar")
app.add_typer(methodology.app, name="methodology")
app.add_typer(intake.app, name="intake")
app.add_typer(repair.app, name="repair")
# the intake group's commands, registered by importing their modules
_INTAKE_MODULES = (intake_directory, intake_files, intake_keys, intake_model)


def main() -> None:
    try:
        tune_from_settings()
    except ValidationError:  # a setting that does not validate: the command itself reports it, in its own words
        pass
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
