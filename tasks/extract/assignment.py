"""Who is responsible and by when, where the text assigns a task.

Plans and task tables annotate a task: "(责任单位: 县教育局; 完成时限: 2024年6月底前)",
"牵头处室: 基教处;", "(县教育局牵头, 县财政局配合)", "由县教育局负责". The lead unit comes
first, then those that help.
"""

from __future__ import annotations

import re
from typing import Any

from duban.tasks.extract.deadlines import parse_deadline
from duban.tasks.extract.kinds import ARTICLE

# a unit's name may hold brackets of its own: "(牵头单位:区、县(市)教育局)"
INNER = r"(?:[^()]|\([^()]*\))*"
ANNOTATION = re.compile(
    rf"\(({INNER}(?:责任|牵头|配合|协助|负责|时限|期限|完成时间|时间节点){INNER})\)"
)
VALUE = re.compile(
    r"(?:[^;。()〔〕\[\]【】\n]|(?<=[\u4e00-\u9fff])\((?!牵头|配合|协助|负责)"
    # a unit's second name is its own too: "人事处(人才工作处)"
    r"(?:[\u4e00-\u9fff]{1,3}\)(?=[\u4e00-\u9fff、,/)]|$)"
    r"|[\u4e00-\u9fff]{2,8}(?:处|科|室|局|办|委|中心)\)(?=[\u4e00-\u9fff、,/);。\s]|$)))*"
)
UNIT_KEYS = (
    "责任单位",
    "责任处室",
    "责任部门",
    "责任科室",
    "责任股室",
    "负责单位",
    "负责部门",
    "负责处室",
    "负责科室",
    "牵头单位",
    "牵头处室",
    "牵头部门",
    "主责单位",
    "主办单位",
    "实施单位",
    "责任主体",
    "牵头",
)
LEAD_KEYS = ("牵头", "主责")
COOP_KEYS = (
    "配合单位",
    "配合处室",
    "配合部门",
    "协办单位",
    "协助单位",
    "协同单位",
    "参与单位",
    "配合",
)
# "责任处室、单位(按处室、单位顺序排列,下同):": a key may name two kinds of unit and say how
# its list is ordered
KEY = re.compile(
    rf"({'|'.join(UNIT_KEYS + COOP_KEYS)}|完成时限|完成时间|完成期限|时间节点|时限)"
    r"(?:、(?:单位|处室|部门|科室))?(?:\([^()]{0,20}\))?\s*:\s*"
)
# "(县教育局牵头, 县财政局、县人社局配合)", "由县教育局负责", "县卫健委牵头负责"
LEAD = re.compile(r"^由?([^,;:()。]{2,40}?)(?:牵头负责|牵头|负责|主责)$")
COOP = re.compile(r"^([^,;:()。]{2,40}?)(?:配合|协助|参与|协同)$")
# outside brackets a clause assigns only with 由 or a unit's name: "县教育局负责", not "对安全负责"
UNIT_NAME = re.compile(
    r"^由|(?:局|委|办|院|厅|部|处|科|室|中心|政府|街道|乡镇|公司)(?:牵头负责|牵头|负责)$"
)
# a clause that says when: "年底前完成", "7月底前报攻坚专班办公室"
DATE = re.compile(
    r"^((?:20\d\d年)?(?:\d{1,2}月(?:\d{1,2}日)?(?:底|末|初|上旬|中旬|下旬)?|年底|年内|上半年|下半年)前?)"
    r"(?:完成|完工|办结|(?<=前)[^,;。]{1,14})?$"
)


def assigned(sentence: str, year: int | None, *, clauses: bool = True) -> dict[str, Any]:
    """Units (lead first) and deadline that `sentence` assigns, if it does.

    With `clauses`, its own clauses count too ("县教育局负责", "年底前完成"): only for one
    sentence, not for a whole item whose sentences have their own dates.
    """
    result: dict[str, Any] = {}
    keys = list(KEY.finditer(sentence))
    # beside a 牵头单位 the 责任单位 are those that help: "(牵头单位:市教育局;责任单位:各区人民政府)"
    led = any(k.group(1).startswith(LEAD_KEYS) for k in keys)
    for index, match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(sentence)
        value = _value(sentence[match.end() : end])
        key = match.group(1)
        if not value:
            continue
        if key.startswith(UNIT_KEYS) and led and not key.startswith(LEAD_KEYS):
            result.setdefault("units", []).extend(_names(value))
        elif key.startswith(UNIT_KEYS):
            result.setdefault("units", [])[:0] = _names(value)
        elif key.startswith(COOP_KEYS):
            result.setdefault("units", []).extend(_names(value))
        else:
            result["deadline"] = parse_deadline(value, year)
    if "units" not in result:
        notes = ANNOTATION.findall(sentence)
        phrases = [p.strip() for note in notes for p in re.split(r"[,;]", note)]
        own = (
            [c.strip() for c in re.split(r"[,;。]", ANNOTATION.sub("", sentence))]
            if clauses
            else []
        )
        leading = any(UNIT_NAME.search(c) for c in own)
        phrases += [
            c for c in own if UNIT_NAME.search(c) or DATE.match(c) or (leading and COOP.match(c))
        ]
        lead = [n for p in phrases if (m := LEAD.match(p)) for n in _names(m.group(1))]
        coop = [n for p in phrases if (m := COOP.match(p)) for n in _names(m.group(1))]
        if lead:
            result["units"] = lead + coop
        dates = [m.group(1) for p in phrases if (m := DATE.match(p))]
        if dates and "deadline" not in result:
            result["deadline"] = parse_deadline(dates[0], year)
    if "units" in result:
        result["units"] = list(dict.fromkeys(result["units"]))  # a unit named twice is one
    return result


def _value(text: str) -> str:
    """What a key names: up to the next ;, 。 or bracket, but a short bracket inside a unit's
    name is the name's own (区、县(市)教育局)."""
    found = VALUE.match(text)
    return found.group().strip(" ,、") if found else ""


def only_assigns(sentence: str) -> bool:
    """Whether `sentence` does nothing but assign: "市卫健委牵头,市教育局配合,年底前完成"."""
    clauses = [c.strip() for c in re.split(r"[,;。]", sentence) if c.strip()]
    return (
        bool(clauses)
        and any(UNIT_NAME.search(c) for c in clauses)
        and all(UNIT_NAME.search(c) or COOP.match(c) or DATE.match(c) for c in clauses)
    )


# "各学校按职责分工": how the units share the work, not a part of their name
DIVIDED = re.compile(r"(?:按照?|根据)?(?:职责分工|职能分工|职责)(?:负责|落实)?$")


# a unit's part named after it: "就业科、能建科分别牵头", "法规科牵头"
ROLE = re.compile(r"(?:分别|共同)?(?:牵头负责|牵头|负责|主责|配合|协助)$")
# the next item's number after the last name: "责任科室:组织科、思政科等2 .夯实基层党组织建设"
NEXT_ITEM = re.compile(r"等?\s*\d{1,2}\s*[.、]?$")
# a cell that names no unit: a figure (72%), or the verb a cut-off line ends on (…县住建局、实施)
NO_UNIT = re.compile(r"[\d.%]+|实施|落实|推进|负责|完成")


def _names(value: str) -> list[str]:
    """The units a list names; a level named alone shares the name after it: "区、县(市)教育局"
    (every district's and county's bureau) is one unit, not 区 and 县(市)教育局."""
    names: list[str] = []
    pieces = re.split(r"([、,，/\s]|(?<=[局委办院厅部处科室])(?:和|及|与|会同))", value)
    glued = ""
    for piece, separator in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
        if len(piece.strip()) == 1 and separator == "、":
            glued += piece.strip() + separator
            continue
        name = ROLE.sub("", DIVIDED.sub("", glued + piece.strip()))
        key, colon, named = name.partition(":")
        if colon and not KEY.fullmatch(f"{key}:"):
            break  # another field of a page's footer: "主办单位:…办公室 地址:…"
        name = named if colon else name  # "…,协助单位:县教育局": the key of the next list
        numbered = NEXT_ITEM.search(name)
        name = name[: numbered.start()] if numbered else name.removesuffix("等")
        if len(name) > 24:
            break  # the text after the list: "办公室牵头,局办公室将攻坚举措列入…管理范围"
        if name and not NO_UNIT.fullmatch(name):
            names.append(name)
        if numbered:
            break  # the rest is the next item
        glued = ""
    return names


# a body whose own name joins two fields with 和: 人力资源和社会保障局, 住房和城乡建设局
FIELDS_JOINED = ("人力资源", "人力資源", "住房", "文化", "工业", "工業")
JOINED_NAME = rf"(?:[^,;:。()、和及与\d\s的由“”]{{0,6}}?(?:{'|'.join(FIELDS_JOINED)})和)?"
# the levels a body stands for, in brackets: 各县(市、区)教育局, 各县(区)教育部门
LEVELS = r"(?:\([^()]{1,8}\)[^,;:。()、和及与\d\s的由“”]{0,8}?)?"
# whom an instruction addresses: "各综合单位和机关股室应…", "教育主管部门应…", "各校区要…" — a
# subject of units' names (each ends as a body does) before 要/应/须/需/将 or acting 根据/按照/
# 结合/对照 what is asked, or made responsible for the work that follows (由…负责…)
BODY = (
    rf"(?!要求|完成|督促|请|由|对|实行|建立|健全){JOINED_NAME}[^,;:。()、和及与\d\s的由“”]{{0,14}}?{LEVELS}"
    r"(?:局|委|办|辦|院|厅|廳|处|處|科|室|股|中心|中心校|政府|街道|乡镇|鄉鎮|镇|鎮"
    r"|学校|學校|各校|校区|校區|幼儿园|幼兒園|单位|單位|部门|部門|中队|中隊|大队|大隊|片区|片區|小组|小組|公司|各地"
    r"|各(?:初中|小学|中学|高中))"
)
BODIES_JOINED = r"、|和|及|与|以及"
# the joins between bodies, not the 和 inside one's own name
BODIES_SPLIT = re.compile(
    "".join(f"(?<!{field})" for field in FIELDS_JOINED) + f"(?:{BODIES_JOINED})"
)
BODIES = rf"({BODY}(?:(?:{BODIES_JOINED}){BODY})*)"
# the bodies that work beside the subject: "各地教育行政部门要会同有关部门制定…"
PARTNERS = rf"(?:会同|联合|协同|与){BODIES}(?![室局委办厅部处科心])"  # not 相关科 of 相关科室
ADDRESSED = re.compile(
    rf"^(?:\d{{1,2}}[、.]\s?|[一二三四五六七八九十]是要?|{ARTICLE}\s?)?{BODIES}(?:要|应当|应|须|需|务必|将|必须|根据|按照|结合|对照)(?!求)(?:{PARTNERS})?"
    # "由县级机构编制部门负责核定编制总量", "由县局安全科会同县公安交警大队负责…"
    rf"|^由?{BODIES}(?:会同{BODIES})?负责(?!人|同志|[,。;]|$)"
)


# an audit's or an inspection's finding and what it asks of whom: "对…的问题,要求教育局、教育
# 融创公司强化配送管理"
ASKED = re.compile(rf"(?:^|[,:])(?:要求|请){BODIES}(?!各)")  # 请各地各校…: one addressee


def addressed(sentence: str) -> list[str]:
    """The units a sentence's instruction addresses as its subject, or asks to act, if it
    names any."""
    # a scrape may space a name out: "各 县 ( 区 ) 教育 部门 和市直学校要…"
    sentence = SPACED.sub("", sentence.strip())
    found = ADDRESSED.match(sentence) or ASKED.search(sentence)
    if not found:
        return []
    return [n for group in found.groups() if group for n in split_bodies(group)]


SPACED = re.compile(r"(?<=[\u4e00-\u9fff()])\s+(?=[\u4e00-\u9fff()])")


# what a subject's first words may say before the body's name: "今年教育局将…", "会议要求招就处…"
OPENING_WORDS = "今年|明年|年内|同时|此外|另外|如|并|明确"
BEFORE_NAME = re.compile(rf"^(?:(?:{OPENING_WORDS}|会议)?要求|{OPENING_WORDS})")


def split_bodies(group: str) -> list[str]:
    """The bodies a subject joins, not split inside the levels one stands for (县(市、区)教育局)."""
    group = BEFORE_NAME.sub("", group)
    names, start = [], 0
    for join in BODIES_SPLIT.finditer(group):
        if group.count("(", 0, join.start()) == group.count(")", 0, join.start()):
            names.append(group[start : join.start()])
            start = join.end()
    return [*names, group[start:]]


# a plan split by office: a line that is only the office's name ("【安保科】", "民幼科",
# "党建科 工会") gives the items under it to that office
OFFICE = r"[^\s【】\[\]:,。;、()]{0,12}?(?:科|室|处|股|办|中心|站|组|工会|团委|妇委会)"
OFFICE_LINE = re.compile(
    rf"^\s*(?:【({OFFICE}(?:[\s、/]+{OFFICE})*)】|({OFFICE}(?:[\s、/]+{OFFICE})*)[::]?)\s*$",
    re.MULTILINE,
)


# a notice's signature: the issuing office's name with the date under it ("汕尾市人民政府办公室\n
# 2025年6月4日"), which gives the text after it to nobody
SIGNED = re.compile(r"\s*20\d\d\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s*$", re.MULTILINE)


def office_headers(text: str) -> list[tuple[int, list[str]]]:
    """Where each office's part of a plan starts, and the offices it names."""
    return [
        (m.start(), re.split(r"[\s、/]+", (m.group(1) or m.group(2)).strip()))
        for m in OFFICE_LINE.finditer(text)
        if not SIGNED.match(text, m.end())
    ]
