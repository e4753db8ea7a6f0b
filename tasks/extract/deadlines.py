"""Deadlines: an annotation's time limit, a schedule's month, a clause's own "预计…月底前".

`parse_deadline` turns a phrase into an ISO date where the phrase fixes one (a month's end, or
the 10th and 20th for its 上旬 and 中旬), else keeps it: the words of a page without a year.
"""

from __future__ import annotations

import datetime as dt
import re

# a schedule's step opens with its months: "3-4月,…开复工", "2023年9月底前,…"
SCHEDULE = re.compile(
    r"^\s*((?:20\d\d年)?(?:\d{1,2}\s?[-—~至到]\s?)?\d{1,2}月(?:\d{1,2}日)?(?:底|末|份|中旬|下旬)?前?)\s*[,:]"
)
# a clause that names its own date: "预计7月31日前完成安装", "预计2014年10月末竣工交付使用"
# (a scrape may space a date out, "2018 年 7 月底", or type 月低 for 月底)
DATE = r"(?:20\d\d\s?年\s?|今年)?\d{1,2}\s?月(?:\d{1,2}\s?日|底|末|低(?=完成|前))?"
# the work a date closes: "2025年完成…", "年底完成…", "于2021年竣工"
DONE_BY = (
    r"(?=(?:全面|基本|全部|如期)?(?:完成(?!情况|率|值)|竣工|建成|完工|投入使用|交付使用|通过|验收))"
)
OWN = re.compile(
    rf"(?:预计|力争|确保|保证|计划|争取|将|于|在)\s?({DATE})前?"
    rf"|({DATE})(?:前|以前)"
    # "确保到2022年底顺利完成…", "力争年底前…", "年底完成…": the end of a year
    r"|(?:到|至)\s?(20\d\d年(?:底|末))|(?:力争|确保|争取|于)?((?:20\d\d)?年(?:底|末))前"
    rf"|((?:20\d\d)?年(?:底|末))前?(?:要|将|须|必须)?{DONE_BY}"
    # "2025年完成洞阳镇北园小学建设", "项目计划于2021年竣工": the year's end; "本市计划在今年完成…"
    rf"|(?:^|(?<!已)于|在|到|力争|争取|确保|计划|预计)(20\d\d|今)年内?{DONE_BY}"
    # "东港第二小学计划年内正式投入使用", "争取年内完成…", "在2020年前完成…": that year's end
    r"|(?:计划|力争|争取|确保|预计|将|要)\s?(年内)"
    r"|(?:在|于|力争|争取|确保)(20\d\d)年(?:前|以前)(?![一二三四五六后])"
    # a clause that opens with its year: "2015年前力争培养…", "2024年将…改扩建成42个班"
    r"|^(20\d\d)年(?:前(?![一二三四五六后])|(?=将|要|计划|力争))"
)


def schedule_deadline(sentence: str, year: int | None) -> str | None:
    """The deadline a schedule's sentence opens with (a range ends with its last month)."""
    match = SCHEDULE.match(sentence)
    if not match:
        return None
    phrase = re.sub(r"\d{1,2}\s?[-—~至到]\s?(?=\d{1,2}月)", "", match.group(1))
    return parse_deadline(phrase, year)


# a sentence that opens with the year its work is due by: "到2025年,…", "力争到2027年底,…"
# (or its year's end: "2020年底前,要…", "确保到2012年底,每个…", "预计到2020年,…")
BY_YEAR = re.compile(
    r"^\s*(?:力争|争取|预计|确保)?(?:(?:到|至)(20\d\d)年(?:底|末)?|(20\d\d)年(?:底|末))前?(?:[,,]|$)"
)


def by_year_deadline(sentence: str) -> str | None:
    """The end of the year a sentence, or a clause of it, opens with ("到2025年," → 2025-12-31;
    "…强调,2020年底前,要实现…")."""
    match = BY_YEAR.match(sentence)
    return f"{match.group(1) or match.group(2)}-12-31" if match else None


# a sentence that closes on its date: "…加装灯管或更换棒管,提升照明质量,保证2018年7月底完成整改"
CLOSING = re.compile(r"(?:完成|到位|完工|竣工|投入使用|交付使用|投用)")


def closing_deadline(clauses: list[str], year: int | None) -> str | None:
    """The date the last clause of a sentence sets for the whole of it, when it closes the work
    (…,确保9月底装配到位, …,10月底前完成整改任务)."""
    last = clauses[-1] if clauses else ""
    return own_deadline(last, year) if len(clauses) > 1 and CLOSING.search(last) else None


# "第三阶段(2022年5月至2023年2月)。如期完成…", "(一)动员部署阶段(4 月 12 日-4 月 26 日)": a
# phase of the work and the span it takes, heading its clause
PHASE = re.compile(r"^[^,;。]{0,20}?阶段\s?[(（]\s?([^()（）]{2,30}?)\s?[)）]")


def phase_deadline(heading: re.Match[str], year: int | None) -> str | None:
    """The end of the span a phase heading (`PHASE`) gives ("第一阶段(2022年1月至3月)" →
    2022-03-31): its work is due then, until the next phase."""
    first, *rest = re.split(r"\s?(?:至|到|—+|-|~|～|\?\?)\s?", heading.group(1))
    last = rest[-1] if rest else first
    if "年" not in last and (found := re.search(r"20\d\d年", first)):
        last = found.group() + last
    if "月" not in last and (month := re.search(r"\d{1,2}月", first)):
        last = re.sub(r"^(20\d\d年)?", lambda m: (m.group() or "") + month.group(), last)
    deadline = parse_deadline(last, year)
    return deadline if is_date(deadline) else None


def own_deadline(clause: str, year: int | None) -> str | None:
    match = OWN.search(clause)
    if not match:
        return None
    found = next(group for group in match.groups() if group)
    if re.fullmatch(r"20\d\d", found):  # a year alone
        return f"{found}-12-31"
    if found == "今":  # this year, the plan's
        return f"{year}-12-31" if year else None
    return parse_deadline(found, year)


QUARTER_ENDS = {"一": (3, 31), "二": (6, 30), "三": (9, 30), "四": (12, 31)}


def parse_deadline(phrase: str, year: int | None) -> str:
    """An ISO date where the phrase fixes one (2023年6月底前 → 2023-06-30), else the phrase."""
    text = re.sub(r"\s+", "", phrase).rstrip("前").replace("月低", "月底")
    if m := re.fullmatch(
        r"(20\d\d)\s?[./-]\s?(\d{1,2})(?:\s?[./-]\s?(\d{1,2}))?(?:前|底前)?", text
    ):
        text = f"{m.group(1)}年{m.group(2)}月" + (f"{m.group(3)}日" if m.group(3) else "")
    found_year = re.search(r"(20\d\d)年", text)
    y = int(found_year.group(1)) if found_year else year
    if y is None or len(re.findall(r"\d{1,2}月", text)) > 1:
        return phrase.strip()  # no year, or several dates: keep the words
    if m := re.search(r"(\d{1,2})月(\d{1,2})日", text):
        return _iso(y, int(m.group(1)), int(m.group(2)), phrase)
    if m := re.search(r"(\d{1,2})月(上旬|初|中旬)?", text):
        month = int(m.group(1))
        if 1 <= month <= 12:
            last = (dt.date(y + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
            # the first ten days of a month end on its 10th, the middle ten on its 20th
            day = {"上旬": 10, "初": 10, "中旬": 20}.get(m.group(2) or "", last)
            return _iso(y, month, day, phrase)
    if m := re.search(r"第?([一二三四])季度", text):
        month, day = QUARTER_ENDS[m.group(1)]
        return _iso(y, month, day, phrase)
    if "上半年" in text:
        return _iso(y, 6, 30, phrase)
    if re.search(r"年底|年末|年内|下半年|全年", text) and not re.search(r"长期|持续", text):
        return _iso(y, 12, 31, phrase)
    return phrase.strip()


def is_date(deadline: str | None) -> bool:
    """Whether `parse_deadline` fixed a date, rather than keeping the page's words."""
    return deadline is not None and re.fullmatch(r"\d{4}-\d\d-\d\d", deadline) is not None


def _iso(year: int, month: int, day: int, phrase: str) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return phrase.strip()
