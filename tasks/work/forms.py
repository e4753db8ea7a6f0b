"""The forms people fill in for an occurrence: one report form per kind of task, and the
coordinator's review form — plain pydantic models, which the Prefect UI shows as typed run
inputs (`flows.inputs`) and the portal renders as HTML (`duban.portal.forms`), so the two can
never ask different questions.

Field constraints are part of the JSON schema, so the server refuses input that breaks them and
the run keeps waiting;
rules the schema cannot say (a return needs a reason, the designations must match the quota)
are checked by the domain functions, and the flow then asks again. Every field has a default,
so that a report made through the CLI or the API can wake a waiting run with an empty form: the
run reads the ledger, sees the step done, and moves on.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

Links = list[str]


class Report(BaseModel):
    """报送（通用：培训、建设、活动等）"""

    note: str = Field(default="", max_length=2000, title="说明")
    evidence: Links = Field(default_factory=list, max_length=20, title="佐证材料链接")
    count: float | None = Field(default=None, ge=0, title="累计完成数（按指标口径）")


class InspectionReport(BaseModel):
    """报送（检查、督查、排查）：自查报告与发现的问题"""

    note: str = Field(default="", max_length=2000, title="自查报告摘要")
    findings: list[str] = Field(
        default_factory=list, max_length=200, title="发现的问题（每条一项）"
    )
    evidence: Links = Field(default_factory=list, max_length=20, title="佐证材料链接")


class EvaluationReport(BaseModel):
    """报送（评估、评选、评定、验收、认定）：评定结果"""

    criteria: str = Field(default="", max_length=2000, title="评定标准")
    candidates: list[str] = Field(default_factory=list, max_length=500, title="申报或候选名单")
    scores: dict[str, float] = Field(default_factory=dict, title="评分（候选 → 分数）")
    designated: list[str] = Field(default_factory=list, max_length=500, title="评定结果（名单）")
    evidence: Links = Field(default_factory=list, max_length=20, title="佐证材料链接")


class RecruitmentReport(BaseModel):
    """报送（引进、招聘、选拔）：各环节人数"""

    posted: int = Field(default=0, ge=0, title="发布岗位数")
    applied: int = Field(default=0, ge=0, title="报名人数")
    shortlisted: int = Field(default=0, ge=0, title="入围人数")
    interviewed: int = Field(default=0, ge=0, title="面试人数")
    hired: int = Field(default=0, ge=0, title="录用（引进）人数")
    note: str = Field(default="", max_length=2000, title="说明")


class Review(BaseModel):
    """审核：通过办结，或退办并写明理由"""

    accept: bool = Field(default=False, title="通过（办结）")
    reason: str = Field(default="", max_length=2000, title="退办理由（不通过时必填）")


RECTIFICATION = "rectification"  # the form of a 整改: what was done, with evidence
COOPERATING = "cooperating"  # the form of a 协办 input: a note, evidence, numbers
REPORTS: dict[str, type[BaseModel]] = {
    "inspection": InspectionReport,
    "evaluation": EvaluationReport,
    "recruitment": RecruitmentReport,
}


def report_kind(task_kind: str, duty: str) -> str:
    """The form an occurrence reports in: a 整改's or a 协办 input's own, else its task's kind."""
    if duty == "rectification":
        return RECTIFICATION
    if duty == "cooperating":
        return COOPERATING
    return task_kind


def report_form(kind: str) -> type[BaseModel]:
    """The report form of a kind of task (a rectification, and every kind without a form of
    its own, reports like a general task: what was done, with evidence and a count)."""
    return REPORTS.get(kind, Report)


def measured_value(kind: str, data: dict[str, Any]) -> float | None:
    """The number a report gives its indicator, if any (hires, designations, a count); a 整改
    or a 协办 input measures nothing (the 主办's report does)."""
    if kind in (RECTIFICATION, COOPERATING):
        return None
    if kind == "recruitment":
        return float(data["hired"])
    if kind == "evaluation":
        return float(len(data["designated"]))
    value = data.get("count")
    return None if value is None else float(value)
