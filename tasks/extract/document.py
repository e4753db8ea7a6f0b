"""`duban plan extract`: a report's text → items with their targets and actionable tasks."""

from __future__ import annotations

import re
from typing import Any

from duban.tasks.extract.actions import find_actions
from duban.tasks.extract.assignment import ANNOTATION, office_headers
from duban.tasks.extract.clean import clean
from duban.tasks.extract.outline import CHAPTER, SECTION, outline
from duban.tasks.extract.reading import reading_copy, restore
from duban.tasks.extract.targets import find_targets
from duban.tasks.extract.tense import (
    COMMITMENTS,
    REPORTED,
    is_plan,
    is_report,
    named_document,
    start_of_sentence,
    tells_the_past,
)

YEAR = re.compile(r"(20\d\d)\s*年?")
YEAR_OF = re.compile(r"(20\d\d)\s*年?(?!\s*年?(?:前|底前|末前|以前|\d|〕|\]|\)))")
# a sentence that opens with a year and plans it (2023年我市规划…, 2024年,全县将…)
PLANNED_YEAR = re.compile(r"(?:^|[。!?\n])\s*(20\d\d) ?年,?[^。,;]{0,8}?(?:将|规划|计划|力争|拟)")
# a notice's title, its issuer before 关于 or not (…办公厅关于印发…方案的通知), that is no report
INSTRUCTION_TITLE = re.compile(
    r"^(?:[^,。!?:]{2,20}?)?关于(?!.*(?:情况|通报|报告|总结|回复|答复|复函|批复))"
)
# an approval sets out what is to be built: "经研究同意立项。现批复如下:…建筑面积约为2469.3㎡"
APPROVES = re.compile(r"批复如下|同意立项")
PUBLISHED = re.compile(r"(?<![\d-])(20\d\d)-\d{2}-\d{2}(?![\d-])")
LIST_ITEM = re.compile(
    r"\d{1,2}\s?[.、]|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)"
)
# a sentence that says what is to be done (各地要…, 应当…, 必须…)
OBLIGED = re.compile(r"要(?![求点])|应当|必须|务必")
# a check to be made on what a report would tell: "…完成情况进行绩效考核", "…进展情况开展督查"
CHECK_TO_MAKE = re.compile(
    r"[^,;。了]{0,4}?(?:进行|开展|实施)(?!了)[^,;。了]{0,6}?(?:考核|督查|检查|评估)"
)
# "请于3月15日前将…工作总结、…工作计划报送市教科所邮箱": a summary still to be sent in
TO_SEND = re.compile(r"[^。;\n]{0,30}?(?:报送|上报|报至|提交|发送至|发至)")
# a reply to a proposal that answers with what it will do: "现答复如下:…我们将通过以下方式…"
REPLY_PLANS = re.compile(
    r"我们将|将(?:通过|从|采取)以下|拟(?:通过|从|采取)以下"
    # "…区政府拟在…建设一所九年一贯制学校": a reply that answers with what is to be built
    r"|拟(?:在[^,。;]{0,40}?)?(?:新建|建设|改扩建|扩建|投资)"
)
# a headline announcing what is done: 阜阳2019年教育民生工程完成, …超额提前完成既定任务
DONE = re.compile(
    r"(?:完成|完工|建成|竣工|见效|成就|成绩单|办了这\S{0,4}件实事)$|超额|圆满完成"
    r"|(?<!确保)(?<!力争)(?<!要)全面完成\d+项"  # 吉林:全面完成50项民生实事
)


def extract(raw: bytes) -> dict[str, Any]:
    """The structure of one document (see the JSON shape in the README)."""
    original, filename = clean(raw)
    text, index = reading_copy(original)  # simplified characters, no pinyin between them
    return restore(_extract(text, filename), original, text, index)


def _year(text: str) -> int | None:
    """The latest year a title speaks of: "2022年工作总结和2023年工作计划" and a report given
    on 2022年12月31日 about 2023 are 2023's; a deadline (到2025年) is not the year.
    """
    years = [
        int(m.group(1))
        for m in YEAR_OF.finditer(text)
        if not re.search(r"[到至〔\[(]\s*$", text[: m.start()])
    ]
    return max(years, default=None)


def _extract(text: str, filename: str | None) -> dict[str, Any]:
    headings = outline(text)
    preamble = text[: headings[0].start] if headings else text
    title = _title(filename, preamble, text)
    # a document number's year (教财〔2016〕6号) is when a rule was made, not the page's year
    first = next(
        (
            m
            for m in YEAR.finditer(text[:300])
            if text[max(0, m.start() - 1) : m.start()] not in ("〔", "[", "［", "【")
        ),
        None,
    )
    year = _year(filename or "") or _year(title) or (int(first.group(1)) if first else None)
    if year is not None:
        # "2022年,我市新建…100所。2023年我市规划投资…": the year the text plans is its own, and
        # a page dated 2012-02-23 tells of 2011 as the past
        published = PUBLISHED.search(text[:400])
        year = max(
            [
                year,
                *(int(m.group(1)) for m in PLANNED_YEAR.finditer(text)),
                *([int(published.group(1))] if published else []),
            ]
        )

    # a title cut from a paragraph's opening clause ("2011年以来,我市先后实施了…") is the start
    # of a sentence, no heading; a long line with no break in its first 60 characters is a title
    # glued to its text
    first_line = _first_line(preamble, text)
    opening_clause = (
        not filename and len(first_line) > 60 and bool(re.match(r"[^。,;]{0,59}[。,;]", first_line))
    )
    # a summary, review or statistics bulletin reports; a plan's own "回顾" section does too
    report = (
        (is_report(title) and not opening_clause)
        or any(
            is_report(line) or DONE.search(line)
            for line in _title_lines(text)
            if line not in {h.title for h in headings}
        )
        or any(
            not re.search(
                r"(?:做好|抓好|开展|撰写|认真|组织|上半年|季度|上报|报送|填报|提交|梳理|(?<!现)[将把])\S{0,12}$",
                text[: m.start()],
            )
            for m in REPORTED.finditer(text[:300])
            if not any(
                h.body_start <= m.start() < h.body_start + len(h.title) + 4 for h in headings
            )
            # "要完善招生激励机制,把…与…招生任务完成情况有机结合": what is to be done names it
            and not OBLIGED.search(text, start_of_sentence(text, m.start()), m.start())
            # "对民生实事项目完成情况进行绩效考核": a check still to make (not "进行了")
            and not CHECK_TO_MAKE.match(text, m.end())
            and not TO_SEND.match(text, m.end())
            # "现答复如下:…我们将通过以下方式…": a reply that answers with what it will do
            and not (
                m.group().endswith("复如下") and REPLY_PLANS.search(text, m.end(), m.end() + 600)
            )
            # "根据…发布的《2021年工作总结和2022年工作要点》,…将…": a plan that names the review too
            and not _also_plans(named_document(text, m.start(), m.start()) or "")
        )
    )
    commitments = bool(COMMITMENTS.search(title))
    # a page that tells the past far more than the future reports its figures, though no
    # heading says so (a report on commitments restates them: its figures keep the sections')
    # …but a notice that sets work out (关于评选…的通知, 关于做好…的通知) tells the past only to
    # give its reasons
    # (the title, or a line of the page's head: a site's headline may stand above the notice's
    # title, "…办公厅关于印发…方案的通知", whose words may run on to the next line)
    lines = _title_lines(text)
    instruction = any(
        INSTRUCTION_TITLE.match(line) and not is_report(line)
        for line in (title, *("".join(lines[n:]) for n in range(len(lines))))
    ) or bool(APPROVES.search(text, 0, 600))
    # …nor does a page cut from a plan's own section ("三、实施步骤\n2008年:投入资金2.53亿元,…")
    plan_section = bool(CHAPTER.match(title) or SECTION.match(title)) and is_plan(title)
    figures_report = report or (
        tells_the_past(text) and not commitments and not instruction and not plan_section
    )
    titles: dict[tuple[str, ...], str] = {}
    items: list[dict[str, Any]] = []
    if not headings or (preamble.strip() and preamble.strip() != title):
        own = preamble if headings else text
        items.append(
            _item(
                [],
                title,
                own,
                year,
                report=report,
                figures_report=figures_report,
                commitments=commitments,
                page=title,
            )
        )
    for heading in headings:
        own = text[heading.body_start : heading.end]
        titles[tuple(heading.path)] = heading.title
        # a heading glued to its text ("四、做好体质检测认真做好…,并将测试成绩及时录入系统")
        # is read by its first clause
        above = [
            re.split(r"[,;]", titles.get(tuple(heading.path[:n]), ""), maxsplit=1)[0]
            for n in range(1, len(heading.path) + 1)
        ]
        section = next((is_report(t) for t in reversed(above) if is_report(t) or is_plan(t)), None)
        items.append(
            _item(
                heading.path,
                heading.title,
                own,
                year,
                heading.text,
                report=report if section is None else section,
                figures_report=figures_report if section is None else section,
                commitments=commitments,
                page=title,
            )
        )
    offices = office_headers(text)
    if offices:
        starts = [0] if len(items) > len(headings) else []
        for item, start in zip(items, starts + [h.start for h in headings], strict=True):
            for task in item["tasks"]:
                at = max(text.find(task["text"], start), start)
                named = [units for position, units in offices if position < at]
                if named and not task.get("units"):  # an annotation on the task itself wins
                    task["units"] = named[-1]
    if headings and not items[0]["path"] and not (items[0]["targets"] or items[0]["tasks"]):
        items.pop(0)
    return {"title": title, "year": year, "items": items}


def _item(
    path: list[str],
    title: str,
    own: str,
    year: int | None,
    text: str | None = None,
    *,
    report: bool,
    figures_report: bool,
    commitments: bool,
    page: str,
) -> dict[str, Any]:
    """An item; `report` when its part of the page tells what was done (its tasks are only
    clauses with a kind's word), `figures_report` when its figures are statistics (whenever
    `report` is, and on a page that tells the past); `page` is the page's title."""
    return {
        "path": path,
        "title": title,
        "text": (text if text is not None else own).strip(),
        # an annotation "(牵头单位: …)" names units, never what a number counts
        "targets": [
            t.as_dict()
            for t in find_targets(
                ANNOTATION.sub("", own),
                report=figures_report,
                year=year,
                commitments=commitments,
                title=page,
            )
        ],
        "tasks": [a.as_dict() for a in find_actions(own, year, report=report)],
    }


def _also_plans(title: str) -> bool:
    """ "2021年工作总结和2022年工作要点": a document that sums one year up and plans the next
    (a page titled so may still hold only its review: "上半年工作总结及下半年工作打算")."""
    return bool(
        re.search(r"总结[^,;。]{0,6}(?:和|及|与|暨)[^,;。]{0,10}(?:要点|计划|打算|安排)", title)
    )


def _title_lines(text: str) -> list[str]:
    """The short lines a page opens with (its title, a site's header): not its sentences."""
    lines = [line.strip() for line in text[:400].split("\n") if line.strip()]
    return [
        line
        for line in lines[:4]
        if len(line) <= 60 and not line.endswith(("。", ";")) and not LIST_ITEM.match(line)
    ]


def _first_line(preamble: str, text: str) -> str:
    """The line a page opens with: its preamble's, or its text's when it has none."""
    return (preamble.strip() or text.strip()).split("\n", 1)[0].strip()


def _title(filename: str | None, preamble: str, text: str) -> str:
    if filename:
        return re.sub(r"\s*\(\d+\)\s*$", "", filename).strip()
    first = _first_line(preamble, text)
    return re.split(r"[。,;]", first, maxsplit=1)[0][:60].strip()
