"""A bulletin as Markdown: what DingTalk, WeCom and Feishu robots render (headings, bold,
lists — no tables, which their Markdown lacks) and what an e-mail shows as it is. A unit's
overdue items are listed up to `PER_UNIT`, the rest counted: the attachments list them all."""

from __future__ import annotations

from duban.tasks.bulletin.compose import BulletinContent, Overdue

PER_UNIT = 5  # overdue items listed per unit: a robot's message has a size limit


def _rate(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def _number(value: float | None, unit: str) -> str:
    return "无数据" if value is None else f"{round(value, 1):g}{unit}"


def markdown(c: BulletinContent, link: str | None = None) -> str:
    lines = [
        f"## {c.title}",
        f"{c.plan_title}　截至 {c.as_of_text}",
        "",
        "### 红黄绿灯",
    ]
    lines += [f"- {x.name}：红灯 {x.red} · 黄灯 {x.yellow} · 绿灯 {x.green}" for x in c.lights] or [
        "- 暂无在办事项"
    ]
    lines += ["", f"### 逾期未办（{len(c.overdue)} 项）"]
    by_unit: dict[str, list[Overdue]] = {}
    for o in c.overdue:
        by_unit.setdefault(o.name, []).append(o)
    for name, items in sorted(by_unit.items(), key=lambda i: -len(i[1])):
        lines.append(f"- **{name}**（{len(items)} 项）")
        lines += [
            f"  - {o.task} {o.title}：截止 {o.due}，逾期 {o.workdays} 个工作日"
            for o in items[:PER_UNIT]
        ]
        if len(items) > PER_UNIT:
            lines.append(f"  - 另有 {len(items) - PER_UNIT} 项，见附件报表“当前逾期”")
    if not c.overdue:
        lines.append("- 无")
    lines += ["", "### 按时排名（考核得分）"]
    lines += [
        f"{r.rank}. {r.name}：{r.score:g} 分，按时 {r.on_time}/{r.judged}（{_rate(r.on_time_rate)}）"
        for r in c.ranking
    ] or ["- 暂无应办事项"]
    if c.bottom:
        lines += ["", "### 排名靠后", "、".join(f"**{r.name}**" for r in c.bottom)]
    lines += ["", "### 序时进度滞后的指标"]
    lines += [
        f"- {b.code} {b.name}{'（' + b.unit + '）' if b.unit else ''}：最新 "
        f"{_number(b.latest, b.target_unit)}，序时应达 {_number(b.expected, b.target_unit)}"
        for b in c.behind
    ] or ["- 无"]
    lines += ["", "### 与上期相比"]
    if c.changes.first:
        lines.append("- 本期为首期通报")
    else:
        ch = c.changes
        lines += [f"- 新增逾期：{label}" for label in ch.newly_overdue]
        lines += [f"- 不再逾期：{label}" for label in ch.no_longer_overdue]
        lines += [f"- 名次变化：{name} 第 {a} 名 → 第 {b} 名" for name, a, b in ch.moved]
        if not (ch.newly_overdue or ch.no_longer_overdue or ch.moved):
            lines.append("- 无变化")
    if link:
        lines += ["", f"[查看详情]({link})"]
    return "\n".join(lines)  # no trailing newline: the channels strip it, and it is kept as sent
