"""Exports of the auditors' views: CSV (UTF-8 with BOM for Excel), an Excel workbook, and one
self-contained HTML page with its charts drawn as inline SVG — no script, no CDN, no network."""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from duban.tasks.audit.views import View

COLOURS = {"on_time": "#2e7d32", "late": "#f9a825", "overdue": "#c62828", "grid": "#dddddd"}


def write_csv(view: View, stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(view.headers)
    writer.writerows(view.rows)


def save_csv(view: View, path: Path) -> None:
    """UTF-8 with a BOM, so that Excel on a Chinese Windows opens it without mojibake."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        write_csv(view, stream)


def save_xlsx(views: Sequence[View], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for view in views:
        sheet = book.create_sheet(view.title[:31].replace("/", "-").replace(":", "-"))
        sheet.append(view.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in view.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(view.headers, start=1):
            cells = [header, *(row[index - 1] for row in view.rows)]
            width = max(_display_width(str(v)) for v in cells)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 6), 60)
    book.save(path)


def _display_width(text: str) -> int:
    """Columns a string takes in Excel: CJK characters are two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@dataclass
class Bar:
    label: str
    parts: dict[str, float]  # series → value, stacked left to right
    note: str | None = None  # the text after the bar (default: the stacked total)


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    unit: str = ""
    maximum: float | None = None  # default: the largest stacked total


def svg_bars(chart: Chart, width: int = 640) -> str:
    """A horizontal stacked bar chart as inline SVG."""
    label_width, row, top = 150, 26, 10
    scale_max = chart.maximum or max((sum(b.parts.values()) for b in chart.bars), default=1) or 1
    plot = width - label_width - 60
    height = top + row * len(chart.bars) + 10
    out = [
        f'<svg class="chart" width="{width}" '
        f'height="{height}" role="img" aria-label="{html.escape(chart.title)}">'
    ]
    for i, bar in enumerate(chart.bars):
        y = top + i * row
        out.append(
            f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end" font-size="12">'
            f"{html.escape(bar.label[:14])}</text>"
        )
        x = float(label_width)
        for series, value in bar.parts.items():
            w = plot * min(value, scale_max) / scale_max
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="16" '
                    f'fill="{COLOURS.get(series, "#1565c0")}"><title>{html.escape(series)}: '
                    f"{value:g}</title></rect>"
                )
                x += w
        note = bar.note or f"{sum(bar.parts.values()):g}{chart.unit}"
        out.append(f'<text x="{x + 4:.1f}" y="{y + 16}" font-size="11">{html.escape(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def _table(view: View) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in view.headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in view.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3;position:sticky;top:0}.legend span{display:inline-block;margin-right:14px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
"""


def save_html(title: str, charts: Sequence[Chart], views: Sequence[View], path: Path) -> None:
    legend = "".join(
        f'<span><i style="background:{COLOURS[k]}"></i>{label}</span>'
        for k, label in (("on_time", "按时"), ("late", "逾期办结"), ("overdue", "当前逾期"))
    )
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p class='legend'>{legend}</p>",
    ]
    for chart in charts:
        parts.append(f"<h2>{html.escape(chart.title)}</h2>{svg_bars(chart)}")
    for view in views:
        parts.append(f"<h2>{html.escape(view.title)}</h2>{_table(view)}")
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def charts_for(
    by_unit: Sequence[Any], by_month: Sequence[tuple[str, float | None]], indicators: Sequence[Any]
) -> list[Chart]:
    """完成情况（按单位）, 按时率（按月）, 指标达成（最新值/目标）."""
    completion = Chart(
        "完成情况（按单位）",
        [
            Bar(r.name, {"on_time": r.on_time, "late": r.late, "overdue": r.overdue})
            for r in by_unit
        ],
        unit="项",
    )
    trend = Chart(
        "按时率（按截止月份）",
        [
            Bar(
                month,
                {
                    "on_time": round((rate or 0) * 100, 1),
                    "overdue": round((1 - (rate or 0)) * 100, 1),
                },
                note=f"按时 {(rate or 0) * 100:.0f}%",
            )
            for month, rate in by_month
        ],
        unit="%",
        maximum=100,
    )
    attained = Chart(
        "指标达成（最新值占目标的百分比）",
        [
            Bar(
                f"{r.code} {r.name}",
                {
                    ("on_time" if r.attainment == "met" else "overdue"): round(
                        100 * r.latest / r.target, 1
                    )
                    if r.target
                    else 0
                },
            )
            for r in indicators
            if r.latest is not None
        ],
        unit="%",
        maximum=150,
    )
    return [completion, trend, attained]
