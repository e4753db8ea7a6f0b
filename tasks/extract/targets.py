"""Quantified commitments in a passage: value with its scale, unit, comparator and a name.

One target per number. A number is a target only with a unit of measure after it (所, 个,
名, 人, 元, 册, 学时, %, …), outside quotation marks (“3+2”, “八个百分百” are names) and not
after 第 (第六届, 第三批 are ordinals); periods (2013-2015年, 三年) and qualifiers (1年以上)
carry no unit and so never match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from duban.tasks.extract.brackets import end_of, start_of
from duban.tasks.extract.numbers import chinese_to_int, decimal, scale
from duban.tasks.extract.tense import is_statistic

UNITS = sorted(
    [
        "个百分点",
        "万平方米",
        "平方米",
        "人次",
        "学时",
        "课时",
        "小时",
        "公里",
        "所",
        "个",
        "名",
        "人",
        "元",
        "册",
        "家",
        "项",
        "场",
        "篇",
        "门",
        "支",
        "座",
        "套",
        "台",
        "本",
        "部",
        "间",
        "亩",
        "户",
        "位",
        "条",
        "种",
        "栋",
        "辆",
        "张",
        "块",
        "年",
        "%",
    ],
    key=len,
    reverse=True,
)
UNIT = "(?P<unit>" + "|".join(map(re.escape, UNITS)) + ")"
# "7 06%", "375 49万个": a scrape that lost the decimal point (see numbers.decimal)
NUMBER = (
    r"(?P<num>\d+(?:\.\d+| \d{1,2}(?= ?[万亿千]?(?:%|个)))?|[零〇一二两三四五六七八九十百千]+)"
    r"(?:-(?P<num2>\d+(?:\.\d+)?))?"
)
QUANTITY = re.compile(NUMBER + r" ?(?P<mult>[万亿千])? ?" + UNIT)
# the text counting its own parts: 一支…队伍, 两个方面, 六个“进一步”, 8项指标, 实事3项
COUNTING_UNITS = (
    "个",
    "项",
    "支",
    "部",
    "门",
    "条",
    "种",
    "本",
    "位",
    "套",
    "台",
    "间",
    "大",
    "篇",
)
COUNTED = re.compile(
    r"[“\"‘]|实事|方面|重点|目标|任务|维度|领域|环节|问题|指标|层面|举措|工程|改革|行动"
)
AT_LEAST_AFTER = ("及以上", "以上")
AT_MOST_AFTER = ("以下", "以内")
ABOUT_AFTER = ("左右", "上下")
COMPARATOR_WORDS = {
    **dict.fromkeys(("不低于", "不少于", "至少", "达到", "超过", "力争", "确保"), ">="),
    **dict.fromkeys(
        (
            "不超过",
            "控制在",
            "不高于",
            "低于",
            "少于",
            "压缩到",
            "降至",
            "降到",
            "下降到",
            "压减到",
        ),
        "<=",
    ),
    **dict.fromkeys(("大约", "约", "大体", "接近"), "~"),
}
RELATIVE = {
    "提高": "increase",
    "增长": "increase",
    "增加": "increase",
    "提升": "increase",
    "下降": "decrease",
    "减少": "decrease",
    "降低": "decrease",
}
TRAILING = (
    "力争达到",
    "力争达",
    "保持在",
    "稳定在",
    "控制在",
    "不低于",
    "不少于",
    "不超过",
    "分别达到",
    "达到",
    "至少",
    "超过",
    "力争",
    "分别",
    "完成",
    "大约",
    "达",
    "为",
    "约",
    "在",
    "是",
)
TRAILING = (*TRAILING, "保持", "下降", "提高", "增长", "增加", "降低", "减少", "较上年", "比上年")
CUT_AT = ("不低于", "不少于", "不超过", "不高于", "控制在", "至少")
PLACE_RATE = re.compile(r"(?:城市|农村|城镇|城区|市区|县城|乡村|乡镇)\w{0,4}率")
GENERIC_NAMES = {"比例", "比重", "覆盖率", "人数", "数量", "总量", "规模", "总数", "占比"}
VERBS = (
    "新评定",
    "评估认定",
    "新增",
    "新建",
    "创建",
    "建成",
    "评定",
    "认定",
    "引进",
    "完成",
    "组织",
    "招收",
    "落实",
    "培训",
    "建设",
    "达到",
)
CLAUSE_BREAK = ",;。:!?\n"


@dataclass
class Target:
    indicator: str
    value: float
    unit: str
    comparator: str
    text: str
    start: int
    end: int
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "unit": self.unit,
            "comparator": self.comparator,
            "text": self.text,
            **self.extra,
        }


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]{0,40}”|\"[^\"]{0,40}\"", text)]


def name_spans(text: str) -> list[tuple[int, int]]:
    """Quotations that name something (“3+2”, “八个百分百”); a quoted commitment whose parts
    a comma separates (民生实事“新建成中小学、幼儿园70所,新增学位6万个”) states targets."""
    return [
        (a, b)
        for a, b in quoted_spans(text)
        if not ("," in text[a:b] and QUANTITY.search(text, a, b))
    ]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` falls in one of `spans` (sorted, not overlapping)."""
    index = bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def clause_start(text: str, position: int) -> int:
    return start_of(text, position, CLAUSE_BREAK)


def clause_end(text: str, position: int) -> int:
    return end_of(text, position, CLAUSE_BREAK)


DOUBLING = re.compile(r"翻(一|两|二|三)番")


def find_targets(text: str, *, report: bool = False, year: int | None = None) -> list[Target]:
    """The targets in `text`; `report` when it reviews the past (statistics unless marked).

    `year` is the document's, so that a sentence about an earlier year reads as a statistic.
    """
    quotes = name_spans(text)
    found: list[Target] = []
    for match in DOUBLING.finditer(text):
        start = clause_start(text, match.start())
        times = 2 ** (chinese_to_int(match.group(1)) or 1)
        name = _strip(re.sub(r"比上年$|较上年$", "", text[start : match.start()]))
        found.append(
            Target(
                name,
                times,
                "倍",
                ">=",
                text[start : match.end()],
                start,
                match.end(),
                {"relative": {"direction": "multiply", "by": times}},
            )
        )
    matches = [
        m
        for m in QUANTITY.finditer(text)
        if _is_target(text, m, quotes)
        and not is_statistic(text, m.start(), m.end(), report=report, year=year)
    ]
    for match in matches:
        target = _target(text, match, found)
        if target is not None:
            found.append(target)
    return sorted(found, key=lambda t: t.start)


def _is_target(text: str, match: re.Match[str], quotes: list[tuple[int, int]]) -> bool:
    start = match.start()
    if _inside(start, quotes):
        return False
    qualifier = re.match(r"(及?以上|以下)([\u4e00-\u9fff])", text[match.end() : match.end() + 4])
    if qualifier and qualifier.group(2) not in "的和或":
        return False  # "56人以上大班额", "1年以上代课教师": describes, does not commit
    before = text[max(0, start - 1) : start]
    if before in ("第", "+", ".") or (before.isdigit() and not match.group("num").isdigit()):
        return False
    if before.isascii() and before.isalnum():
        return False
    number = match.group("num")
    if not number[0].isdigit() and (chinese_to_int(number) is None or number in ("百", "千")):
        return False  # 千家万户, 百年大计
    if _counting(text, match) or (match.group("unit") == "年" and not _in_years(text, match)):
        return False
    if not number[0].isdigit() and match.group("unit") in ("%", "个百分点"):
        return False
    return not (match.group("unit") == "个" and text[match.end() : match.end() + 2] == "百分")


def _counting(text: str, match: re.Match[str]) -> bool:
    unit = match.group("unit")
    if unit not in COUNTING_UNITS:
        return False
    if match.group("num") == "一":
        return True  # 统一部署, 上一篇, 一个总目标: "一" is a word more often than a count
    number = match.group("num")
    if number == "一" or (not number[0].isdigit() and (chinese_to_int(number) or 0) <= 10):
        return True  # 两个维护, 一支队伍, 三项重点工程: reports count their own parts in words
    after = text[match.end() : match.end() + 4]
    return bool(COUNTED.match(after)) or (unit == "项" and text[: match.start()].endswith("实事"))


def _in_years(text: str, match: re.Match[str]) -> bool:
    """年 measures only a span of schooling (受教育年限13.5年, 15年以上), never a date."""
    number = match.group("num")
    if not number[0].isdigit() or float(number.replace(" ", ".")) >= 30 or match.group("num2"):
        return False
    return "年限" in text[max(0, match.start() - 120) : match.start()]


def _value(match: re.Match[str]) -> float:
    number = match.group("num")
    value = decimal(number) if number[0].isdigit() else float(chinese_to_int(number) or 0)
    return scale(value, match.group("mult") or "")


def _target(text: str, match: re.Match[str], earlier: list[Target]) -> Target | None:
    unit = match.group("unit")
    value = _value(match)
    start = clause_start(text, match.start())
    after = text[match.end() : match.end() + 3]
    prefix = text[start : match.start()]
    comparator = ">="
    extra: dict[str, Any] = {}
    tail = 0
    if after.startswith(AT_LEAST_AFTER):
        tail = 3 if after.startswith("及以上") else 2
    elif after.startswith(AT_MOST_AFTER):
        comparator, tail = "<=", 2
    elif after.startswith(ABOUT_AFTER):
        comparator, tail = "~", 2
    else:
        comparator = _comparator_before(prefix)
    for word, direction in RELATIVE.items():
        if prefix.endswith(word):
            extra["relative"] = {
                "direction": direction,
                "by": value,
                "unit": "百分点" if unit == "个百分点" else unit,
            }
            if not tail:  # "增长7.5%左右" stays about 7.5
                comparator = ">=" if direction == "increase" else "<="
    if match.group("num2"):
        extra["range"] = [value, scale(float(match.group("num2")), match.group("mult") or "")]
    name, name_start, name_end = _name(text, match, start, earlier)
    if unit == "个百分点":
        unit = "百分点"
    end = max(match.end() + tail, name_end)
    span_start = min(name_start, match.start())
    return Target(name, value, unit, comparator, text[span_start:end], span_start, end, extra)


def _comparator_before(prefix: str) -> str:
    """The comparator word nearest the number wins (不低于 beats the 低于 inside it)."""
    best, best_end, best_length = ">=", -1, 0
    for word, comparator in COMPARATOR_WORDS.items():
        end = prefix.rfind(word) + len(word)
        if end >= len(word) and (end, len(word)) > (best_end, best_length):
            best, best_end, best_length = comparator, end, len(word)
    return best


def _name(
    text: str, match: re.Match[str], start: int, earlier: list[Target]
) -> tuple[str, int, int]:
    """The indicator's name, complete enough to stand alone in a table; and its span."""
    name, name_start = _subject(text, match, start, earlier)
    if name is None:  # the thing counted follows the number
        after = text[match.end() : clause_end(text, match.end())]
        obj = _split_outside_brackets(after)
        verb = _verb_prefix(text, start, match.start())
        bare = re.sub(r"(建设|工作)$", "", obj) or obj
        bare += _shared_head(after[len(obj) :], obj)
        adjacent = text[match.start() - len(verb) : match.start()] == verb
        span_start = match.start() - len(verb) if adjacent else match.start()
        return (verb + bare).strip(), span_start, match.end() + len(obj)
    return name, name_start, 0


def _shared_head(rest: str, obj: str) -> str:
    """ "1个省级、2个市级德育品牌": the first item shares the last one's head noun (德育品牌)."""
    following = QUANTITY.match(rest[1:]) if rest.startswith("、") else None
    if following is None or not obj:
        return ""
    last = _split_outside_brackets(rest[1 + following.end() :])
    if len(last) <= len(obj) or _number_in(last):
        return ""
    return last[len(obj) :]


def _split_outside_brackets(text: str) -> str:
    """The first item of an enumeration: up to the first 、和及与 outside brackets."""
    return text[: end_of(text, 0, "、和及与")]


def _subject(
    text: str, match: re.Match[str], start: int, earlier: list[Target]
) -> tuple[str | None, int]:
    after = text[match.end() : clause_end(text, match.end())]
    clause = text[start : match.start()]
    # "新评定2所特色专业学校、10个市级品牌专业": no subject before, the object after
    if after and not after.startswith(
        (*AT_LEAST_AFTER, *AT_MOST_AFTER, *ABOUT_AFTER, "的", "和", "、")
    ):
        return None, start
    if "分别" in clause and not _number_in(clause[: clause.find("分别")]):
        index = sum(1 for t in earlier if t.start == start)
        return _respectively(text, start, clause, index), start
    # "…、品牌专业10个": one item of an enumeration, after 、 or 和
    segment_start = max(clause.rfind("、"), clause.rfind("和") if "分别" not in clause else -1)
    if segment_start >= 0 and _number_in(clause[:segment_start]):
        segment = clause[segment_start + 1 :]
        base = _strip(segment)
        head = clause[: _first_number(clause)]
        verb = next((head[: head.find(v) + len(v)] for v in VERBS if v in head), "")
        if earlier and not base:
            return earlier[-1].indicator, start + segment_start + 1
        return (verb + base if verb and verb not in base else base), start + segment_start + 1
    name = _strip(clause)
    share = re.fullmatch(r"(.+?)(达到|占)(.+?)的", name)
    if share:
        name = f"{share.group(1)}占{share.group(3)}的比例"
    if name.endswith(("人均", "平均")):
        name += match.group("unit")
    measured = ("率", "比例", "比重", "占比", "数", "量", "额", "经费")
    if match.group("unit") == "%" and not name.endswith(measured) and earlier:
        if earlier[-1].unit == "%" and earlier[-1].indicator.endswith(measured):
            return f"{earlier[-1].indicator}（{name}）", start
    if name.startswith("其中") and earlier and len(name) > 2:
        return f"{earlier[-1].indicator}（{name[2:].lstrip(':')}）", start  # a part of the last
    if PLACE_RATE.fullmatch(name) and start > 0:
        # "开展0-6岁儿童家长培训,城市受训率达到90%,农村受训率达到80%": of the clause before
        previous_start = clause_start(text, start - 1)
        previous = text[previous_start : start - 1]
        if previous and text[start - 1] == "," and not _number_in(previous):
            return f"{name}（{_strip(previous)}）", start
        last = PLACE_RATE.match(earlier[-1].indicator) if earlier else None
        if last and earlier[-1].indicator[last.end() :].startswith("（"):
            return name + earlier[-1].indicator[last.end() :], start
    if len(name) < 3 or name in GENERIC_NAMES:
        previous_start = clause_start(text, start - 1) if start > 0 else 0
        previous = text[previous_start : max(previous_start, start - 1)]
        if previous and not _number_in(previous):
            return f"{_strip(previous)}的{name}", previous_start
        if earlier:
            return f"{earlier[-1].indicator}（{name}）", start
    return name, start


def _respectively(text: str, start: int, clause: str, index: int) -> str:
    """小学、初中教师高一级学历比例分别达到96%和93% → one name per number, in order.

    "2020年分别达到98%、99%…" names nothing itself: the names are those of the previous
    分别 enumeration, across the sentence break.
    """
    base = re.sub(r"^(?:到)?20\d\d年(?:底|末)?", "", clause[: clause.find("分别")])
    parts = base.split("、")
    if len(parts) < 2:
        previous = text.rfind("分别", 0, start)
        if previous < 0:
            return base
        earlier = text[clause_start(text, previous) : previous]
        base = re.sub(r"^(?:到)?20\d\d年(?:底|末)?", "", earlier)
        parts = base.split("、")
        if len(parts) < 2:
            return base
    if "和" in parts[-1] and len(parts) > 2:  # …、高等教育毛入学率和新增劳动力人均受教育年限
        parts[-1:] = parts[-1].split("和", 1)
        return parts[min(index, len(parts) - 1)]
    first = parts[0]
    last = parts[-1]
    tail = last[len(first) :]
    names = [p + tail for p in parts[:-1]] + [last]
    return names[min(index, len(names) - 1)]


def _verb_prefix(text: str, start: int, number_start: int) -> str:
    head = text[start:number_start]
    cut = max((head.rfind(sep) for sep in "、和"), default=-1)
    if cut >= 0 and _number_in(head[:cut]):
        head = text[start : start + _first_number(head)]
    return head.strip()


def _strip(name: str) -> str:
    for word in CUT_AT:  # "生均公用经费标准不低于每生每年" → "生均公用经费标准"
        if (index := name.find(word)) >= 2:
            name = name[:index]
    name = re.sub(r"(?:比|较)(?:20\d\d年|上年|去年)(?=[^,]{0,4}$)", "", name)  # the baseline
    dated = re.sub(r"^(?:到|至|在)?20\d\d年(?:底|末|前)?(?:,|前)?", "", name)  # not a name
    name = dated if len(dated) >= 2 else name
    name = name.strip(" 、")
    changed = True
    while changed:
        changed = False
        for word in TRAILING:
            if name.endswith(word) and len(name) > len(word):
                name, changed = name[: -len(word)], True
    return name.strip(" 、")


def _number_in(text: str) -> bool:
    return any(m.group("unit") != "年" for m in QUANTITY.finditer(text))  # 2015年 is a date


def _first_number(text: str) -> int:
    match = next((m for m in QUANTITY.finditer(text) if m.group("unit") != "年"), None)
    return match.start() if match else len(text)
