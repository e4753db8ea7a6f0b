"""The forms the Prefect UI shows when an occurrence's run waits for people: the domain's
report and review forms (`tasks.work.forms`) as Prefect's typed `RunInput`, whose JSON schema
the UI turns into a form and the server validates input against."""

from __future__ import annotations

from prefect.input import RunInput
from pydantic import BaseModel

from duban.tasks.work import forms


def run_input(form: type[BaseModel]) -> type[RunInput]:
    """The form as a run input of the same name and description."""
    return type(form.__name__, (RunInput, form), {"__doc__": form.__doc__, "__module__": __name__})


Review = run_input(forms.Review)
REPORTS = {kind: run_input(form) for kind, form in forms.REPORTS.items()}
GENERAL = run_input(forms.Report)


def report_form(kind: str) -> type[RunInput]:
    """What a run of this kind of task waits for (`forms.report_form`, as a run input)."""
    return REPORTS.get(kind, GENERAL)
