"""The `duban` command: thin shells over `tasks/`, one group per module in `duban/commands/`."""

from __future__ import annotations

import typer

from duban.commands import (
    access,
    act,
    audit,
    bulletin,
    calendar,
    db,
    links,
    listing,
    plan,
    remind,
    report,
    schedule,
    serve,
    up,
)

app = typer.Typer(
    name="duban",
    help="督办：把年度工作计划变成可跟踪、可提醒、可审计的工作。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(plan.app, name="plan")
app.add_typer(listing.units_app, name="units")
app.add_typer(listing.tasks_app, name="tasks")
app.add_typer(calendar.app, name="calendar")
app.add_typer(schedule.app, name="schedule")
app.add_typer(db.app, name="db")
app.add_typer(remind.reminders_app, name="reminders")
app.command("remind")(remind.remind)
app.command("ack")(act.ack)
app.command("submit")(act.submit)
app.command("review")(act.review)
app.add_typer(act.extension_app, name="extension")
app.add_typer(audit.app, name="audit")
app.command("report")(report.report)
app.add_typer(bulletin.app, name="bulletin")
app.command("api")(access.api)
app.add_typer(access.token_app, name="token")
app.add_typer(links.app, name="link")
app.command("serve")(serve.serve)
app.command("deploy")(serve.deploy)
app.command("up")(up.up)
app.command("demo")(up.demo)

if __name__ == "__main__":
    app()
