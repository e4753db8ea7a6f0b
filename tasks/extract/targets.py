"""Quantified commitments in a passage: value with its scale, unit, comparator and a name.

One target per number. A number is a target only with a unit of measure after it (所, 个,
名, 人, 元, 册, 学时, %, …), outside quotation marks (“3+2”, “八个百分百” are names) and not
after 第 (第六届, 第三批 are ordinals); periods (2013-2015年, 三年) and qualifiers (1年以上)
carry no unit and so never match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from duban.tasks.extract import learned
from duban.tasks.extract.names import name_of, strip_name
from duban.tasks.extract.numbers import chinese_to_int, decimal, scale
from duban.tasks.extract.quantity import (
    ABOUT_AFTER,
    AT_LEAST_AFTER,
    AT_MOST_AFTER,
    FALLS_TO,
    QUANTITY,
    clause_end,
    clause_start,
    quoted_spans,
)
from duban.tasks.extract.tense import CHANGES, is_statistic, start_of_sentence

# the text counting its own parts: 一支…队伍, 两个方面, 六个“进一步”, 8项指标, 实事3项
COUNTING_UNITS = (
    "片",  # 共享一片蓝天
    "村",  # 一村一辅警
    "幅",  # 一幅…图景
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
    "处",
)
# a Chinese character: "新建+12所" joins two counts, "1+3" names a model
HAN = re.compile(r"[\u4e00-\u9fff]")
COUNTED = re.compile(
    r"[“\"‘]|(?:具体|重点|重大|专项|主要|分领域|分项)?(?:[省市县区]级(?=民生|民心|为民办|惠民|实事))?(?:民生|民心|为民办|惠民)?"
    r"(?:实事|事项|名目|子项目|候选项目|方面|重点|目标|任务|维度|领域|环节"
    r"|问题|指标|层面|举措|措施|工程|改革|行动|规划|原则|工作)"
    r"|部门|部委|省份|省\(区|省区市"  # the bodies that issue or report: 31个省份, 8个部门
    r"|(?:牵头|责任|配合|协办|成员)单位"  # the bodies a task list assigns: 涉及34个牵头单位
)
CHOSEN_AS = re.compile(r"(?:项目)?(?:作为|为)[^,;。]{0,16}(?:实事|项目|决议)")
# what minutes name after them: a service's reach (15分钟…服务圈), a rule (课间15分钟制度)
MINUTES_NAMED = re.compile(r"[^,;。]{0,12}?圈|制度|的?(?:路程|车程|步行)")
# the people a count after 名/位 is of who met or voted: 242名区人大代表, 200余名代表参会
DEPUTIES = re.compile(r"[^,;。\d]{0,4}代表(?!性)")
# the items a vote chose: "票决确定2025年10项…", "从13个候选项目中票决出最终10项"
VOTED = re.compile(r"票决(?:确定|出|产生)?[^,;。\d]{0,8}$")
PRODUCED = re.compile(
    r"(?:新建|扩建|续建|组建|[再将拟要]建|扩充|惠及|确定|建设|建成|改造|开设|开办|打造|培育|创建|设立|新增|增加|招聘|培训"
    r"|完成|选派|选聘|招募|招收|资助|扶持|引导|推动|吸引|带动|安置|开放|开建|创办|扩岗|安装|配备|购置|实施|提供|引进|培养|聚集|集聚|汇聚|造就|举办|开展|组织|竣工|开工|投用|聘请|聘用|配齐|配足)$"
)
COMPARATOR_WORDS = {
    **dict.fromkeys(
        (
            "不低于",
            "不少于",
            "不得低于",
            "不得少于",
            "不能低于",  # not the 低于 inside it: 合格率不能低于90%
            "上限增至",  # 资助上限增至每人两万元: the cap raised to a new level, not capping it
            "上限提高到",
            "上限提高至",
            "不能少于",
            "至少",
            "达到",
            "超过",
            "超",  # 预计新增学位超200万个: more than it (不超, 严禁超 cap)
            "力争",
            "确保",
            "≥",
            ">=",  # a performance goal table's "<=6962人", ">=95%"
        ),
        ">=",
    ),
    **dict.fromkeys(
        (
            "不超过",
            "不超",
            "不得超过",
            "不能超过",
            "不应超过",
            "不宜超过",
            "控制在",
            "不高于",
            "不能高于",
            "严禁超过",
            "严禁超",
            "禁止超过",
            "不得高于",
            "不应高于",
            "最多",
            "不大于",
            "不得大于",
            "不多于",
            "不得多于",
            "不突破",
            "不得突破",
            "上限",  # 资助上限为800万元, 提供上限3000个名额: a ceiling
            "控制数",  # 招生计划控制数为37900人, …规划资金控制额度3.4亿元: a cap handed down
            "控制额度",
            "低于",
            "少于",
            *FALLS_TO,
            "≤",
            "<=",
        ),
        "<=",
    ),
    **dict.fromkeys(
        ("大约", "约", "大概", "大体", "接近", "预计", "预期达到", "概算", "估算"), "~"
    ),
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


# a quotation that opens with what is to be done: “新增城镇公办中小学学位3.2万个”
COMMITMENT = re.compile(
    r"\s*(?:全市|全县|全区|全省)?(?:新增|新建|新\(?[改扩]|改扩建|改造|建设|建成|完成|实现|增加)"
)


# a document's title: 《…实施方案》, 《…意见》 (《新增园位1000个以上》 in a list of 实事 is an item)
DOCUMENT_TITLE = re.compile(
    r"《[^《》\n]{1,80}(?:方案|意见|通知|计划|规划|办法|纲要|决定|报告|要点|条例|标准|规定|细则|法)》"
)


# a score to reach: 评估得分在90分以上, 综合得分达到70分以上, 平均分提高5分
SCORED = re.compile(r"(?:得分|评分|平均分|分数|分之和)[^,;。\d分]{0,8}$")


# a film's or a book's title without a figure in digits (《城镇新增就业2000人以上》 in a list of
# 实事 is an item)
BOOK_TITLE = re.compile(r"《[^《》\n\d]{1,40}》")


# a least or most amount a quoted rule requires
REQUIRED = re.compile(r"(?:不低于|不少于|不得低于|不得少于|不超过|不得超过|不高于|至少)\s?\d")


def quotations(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The quotations that name something (“3+2”, “八个百分百”), and those that state a
    commitment: whose parts a comma separates (民生实事“新建成中小学、幼儿园70所,新增学位6万个”)
    or that open with what is to be done (“新增城镇公办中小学学位3.2万个”)."""
    names: list[tuple[int, int]] = []
    stated: list[tuple[int, int]] = []
    for a, b in quoted_spans(text):
        commits = (
            "," in text[a:b]
            or COMMITMENT.match(text, a + 1, b)
            or REQUIRED.search(text, a + 1, b)  # “…每天综合体育活动时间不低于2小时”要求
        )
        (stated if commits and QUANTITY.search(text, a, b) else names).append((a, b))
    # a document's title names it: 《17个省级贫困县…营养改善计划提标扩面实施方案》; so does a
    # film's or a book's (《守法一家》公益宣传片)
    titles = [
        (m.start(), m.end())
        for pattern in (DOCUMENT_TITLE, BOOK_TITLE)
        for m in pattern.finditer(text)
    ]
    return _outermost(names + titles) if titles else names, stated


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans, sorted, without those inside another (a quotation inside a title)."""
    kept: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or b > kept[-1][1]:
            kept.append((a, b))
    return kept


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` falls in one of `spans` (sorted, not overlapping)."""
    index = bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


SCOPE_OF = re.compile(
    r"[^,;。\d]{0,4}?(?:\([^()]{0,8}\))?的(?!目标|任务)[^,;。]{0,12}?\d"
    # "支援…等5个城市新建11个公办幼儿园": the places where the counted work is done
    r"|(?:城市|县|区|县区|市州|地市|乡镇|街道|村|镇|乡)(?:\([^()]{0,8}\))?"
    r"(?:新建|改扩建|建设|建成|增加|新增|开展|实施)[^,;。\d]{0,10}\d"
)
# a decision that names its list: 确定…等16所学校为…, …等3所学校被教育部确定为…, 拟推荐…等
# 49人为…, 表彰…等40名同志为… (those made into something, 将…等10所学校建设为…, are counted)
DESIGNATED_AFTER = re.compile(
    r"[^,;。\d]{0,10}?(?:(?<!建设|打造|建成|创建|培育|发展|改造|转型|提升)为|被)"
)
# "8个课题被教育部…立项": what others did to them (a sentence that aims keeps it, see _is_target)
PASSIVE_AFTER = re.compile(r"[^,;。\d]{0,10}?被")
AWARDED = re.compile(r"(?:[一二三特]等|优秀|[金银铜]|组织)奖(?:单位|作品|获得者)?\s?$")
# …and the places a list names (涉及棠香街道、龙水镇等19个镇街): where the work is, not a count
PLACES_LISTED = re.compile(
    r"(?:镇街|乡镇|街道|县\(市、区\)|县市区|县区|社区|村)"
    r"(?![^,;。]{0,2}\d)(?!卫生|服务|学校|医院|中心|幼儿园|教育|养老|文化|书屋|图书|卫生室)"
)
# "选派159人到8个市(州)", "向54个贫困县投入…", "面向12个…县": the places the work goes to
# ("在3个区开展试点" is labelled a target as often as not: it stays one)
PLACES_REACHED_BEFORE = re.compile(
    r"(?:(?<![达大展加增至高广伸盖])到|向|面向|锁定|涉及|深入|赴)(?:[^,;。\d]{0,4}?全[国省市区县])?$"
)
PLACES_REACHED_AFTER = re.compile(
    r"[^,;。\d]{0,8}?(?:县|市|州|省|乡镇|街道|镇|乡|村|区|盟|旗)(?![^,;。]{0,2}(?:学校|幼儿园|中心|书房|学位))"
)
# "在全省13个市州61个县区…新建", "除主城区外的29个区县": the counties or prefectures the work
# is done in, not a count of them to reach (in N个乡镇/村/区 is labelled a target often: it stays one)
IN_PLACES_BEFORE = re.compile(
    r"(?:(?<![存现实正所])在|除[^,;。\d]{0,12}(?:外|以外)的)(?:[^,;。\d]|\d+\s?个){0,14}$"
)
IN_PLACES_AFTER = re.compile(r"(?:县|市州|市\(州\)|州\(市\)|区县|市县|县市|地市)")
# "全国50个…试点县之一": a set it belongs to ("…列入十大民生实事之一" names what is done)
ONE_OF = re.compile(r"(?:(?!列入|纳入|作为|成为|为)[^,;。\d]){0,16}之一")
# "其他10个市每市…": the places each of which does the work
EACH_OF = re.compile(r"(?P<place>[省市县区校所园])[^,;。\d]{0,2}每(?P=place)")
CASUALTIES = re.compile(r"[^,;。\d]{0,6}(?:死亡|受伤|遇难|伤亡|失踪|溺亡|中毒)")
DOUBLING = re.compile(r"翻(一|两|二|三)番")
# 校园重大安全责任事故为零, 辍学率为零, 重大安全事故“零发生”: none at all is a ceiling
ZERO = re.compile(r"为(?:零|“零”)(?![星散售碎])|“零”?发生”?|零发生")
# "三分之二以上的乡镇", "三分之一左右的县", "百分之百": a share written out, in per cent (千分之,
# 万分之 in per mille and per ten thousand)
FRACTION = re.compile(
    r"(?P<den>[二三四五六七八九十]|百|千|万)分之(?P<num>[一二三四五六七八九十]{1,3}|百)"
    # "九成学校", "不少于五成", "七成以上": tenths (建成, 形成, 一成不变 are words)
    r"|(?<![建形完达组构促变养做合生集现落制造竣赞改结修写练铸长酿筑打转编看当换分收拆加拼搭连普第])"
    r"(?P<tenths>[一二三四五六七八九])成(?![为立功效果绩本熟长员就都型套品了交不])"
)
# "教师教学空间应用率达到 90以上": a rate whose per cent sign the scrape lost (not 0, not a
# number a unit or a decimal follows)
LOST_PERCENT = re.compile(
    r"(?<=率)(?:(?:要|将|应)?(?:达到|达|提高到|提升到|保持在|稳定在))?\s?"
    r"(?P<num>(?!0(?!\.))(?:100|\d{1,2}(?:\.\d{1,2})?))\s?(?=以上|以下|左右|[,;。、\n])"
)
# "由每生每年300元提高到400元", "从60%提高到70%": the level a change starts from is the present one
# (…由原来的18%—25%提升至最高35%: a range it starts from, both ends)
BASELINE_BEFORE = re.compile(r"[由从][^,;。由从\d]{0,12}(?:\d+(?:\.\d+)?\s?%?\s?[—\-~～])?$")
BASELINE_CHANGE = re.compile(
    r"[由从]([^,;。由从]{0,16}?)(?:调整|压缩|缩减|降低|下降|减少|控制)(?:到|至|为)\s?$"
)
BASELINE_AFTER = re.compile(
    rf"(?:\s?[—\-~～]\s?\d+(?:\.\d+)?\s?%?)?[^,;。\d]{{0,6}}?(?:{CHANGES}|增长|调)(?:到|至|为)"
)


def find_targets(
    text: str,
    *,
    report: bool = False,
    year: int | None = None,
    commitments: bool = False,
    title: str = "",
    second_opinion: bool = True,
) -> list[Target]:
    """The targets in `text`; `report` when it reviews the past (statistics unless marked).

    `year` is the document's, so that a sentence about an earlier year reads as a statistic;
    `commitments` when the report is on commitments (see `tense.is_statistic`); `title` the
    page's. With `second_opinion`, a figure of a part that plans whose sentence reads as a
    statistic is a target still when the learned model is sure of it (`learned`); what the text
    counts of itself, names or quotes stays no target whatever the model says.
    """
    quotes, stated = quotations(text)
    found: list[Target] = []
    for match in DOUBLING.finditer(text):
        start = clause_start(text, match.start())
        times = 2 ** (chinese_to_int(match.group(1)) or 1)
        name = strip_name(re.sub(r"比上年$|较上年$", "", text[start : match.start()]))
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

    for match in ZERO.finditer(text):
        start = clause_start(text, match.start())
        name = strip_name(text[start : match.start()])
        if name and not is_statistic(
            text, match.start(), match.end(), report=report, year=year, commitments=commitments
        ):
            unit = "%" if name.endswith("率") else ""
            found.append(Target(name, 0, unit, "<=", text[start : match.end()], start, match.end()))

    def statistic(m: re.Match[str]) -> bool:
        return _statistic(text, m, stated, report=report, year=year, commitments=commitments)

    for match in FRACTION.finditer(text):
        share = _share(text, match, quotes, statistic)
        if share is not None:
            found.append(share)
    for match in LOST_PERCENT.finditer(text):
        rate = _lost_percent(text, match, quotes, statistic)
        if rate is not None:
            found.append(rate)

    matches = [
        m
        for m in QUANTITY.finditer(text)
        if _counted(text, m, quotes, stated, statistic)
        and (
            not statistic(m)
            # the words of a planning part's sentence say "was"; the model may still say "is to be"
            or (second_opinion and not report and _sure(text, m, title=title, year=year))
        )
    ]
    for match in matches:
        target = _target(text, match, found)
        if target is not None:
            found.append(target)
    return sorted(found, key=lambda t: t.start)


def _lost_percent(
    text: str,
    match: re.Match[str],
    quotes: list[tuple[int, int]],
    statistic: Callable[[re.Match[str]], bool],
) -> Target | None:
    """A rate whose per cent sign the page lost ("空间应用率达到 90以上"): a percentage."""
    if _inside(match.start(), quotes) or statistic(match):
        return None
    start = clause_start(text, match.start())
    # the pattern took the space before 以上 already
    comparator, tail = _qualified(text[match.end() : match.end() + 3]) or (
        _comparator_before(text[start : match.start()]),
        0,
    )
    name = strip_name(text[start : match.start("num")])
    end = match.end() + tail
    return Target(
        name,
        scale(decimal(match.group("num")), ""),
        "%",
        comparator,
        text[start:end],
        start,
        end,
    )


def _share(
    text: str,
    match: re.Match[str],
    quotes: list[tuple[int, int]],
    statistic: Callable[[re.Match[str]], bool],
) -> Target | None:
    """A share written out (三分之二以上 → ≥ 66.7 %), named by the words before it in its
    clause or, where it opens the clause (…,三分之一左右的县通过认定), by the words after it."""
    tenths = match.group("tenths")
    numerator = chinese_to_int(tenths or match.group("num"))
    denominator = 10 if tenths else chinese_to_int(match.group("den"))
    if (
        not numerator
        or not denominator
        or numerator > denominator
        or _inside(match.start(), quotes)
        or statistic(match)
    ):
        return None
    comparator, tail = _qualified(text[match.end() : match.end() + 3]) or (">=", 0)
    start = clause_start(text, match.start())
    before = re.sub(r"(?:要|应|须)?(?:达到|达|为|占|超过)?$", "", text[start : match.start()])
    name = strip_name(
        re.sub(r"^(?:力争|确保|争取|实现)?(?:全[省市县区州]|各[省市县区地])?", "", before)
    )
    end = match.end() + tail
    if not name:
        following = text[end : clause_end(text, end)]
        name = strip_name(re.sub(r"^的", "", following))
    # 千分之三 is 3 ‰, 万分之二 2 ‱ (校园食物中毒事故控制在万分之二以内): per mille, per ten thousand
    unit = {1000: "‰", 10000: "‱"}.get(denominator, "%")
    value = numerator if unit != "%" else round(numerator / denominator * 100, 1)
    return Target(
        name,
        scale(value, ""),
        unit,
        comparator,
        text[start:end],
        start,
        end,
    )


def _statistic(
    text: str,
    match: re.Match[str],
    stated: list[tuple[int, int]],
    *,
    report: bool,
    year: int | None,
    commitments: bool,
) -> bool:
    """A quoted commitment (“全市新(扩)建幼儿园80所”) is read on its own: a report that quotes
    it restates what was committed."""
    quoted = next(((a, b) for a, b in stated if a < match.start() < b), None)
    if quoted is None:
        return is_statistic(
            text, match.start(), match.end(), report=report, year=year, commitments=commitments
        )
    inner = text[quoted[0] + 1 : quoted[1] - 1]
    offset = quoted[0] + 1
    return is_statistic(inner, match.start() - offset, match.end() - offset, report=False)


# a figure that marks out the class a rule is for: "就业率在90%以上的专业可适当增加招生计划",
# "就业率未达到70%的专业"
CLASS_MARKED_BEFORE = re.compile(r"(?:率在|率未达到?|率低于|率高于)$")
CLASS_MARKED_AFTER = re.compile(
    r"(?:及?以上|以下|以内)?的(?:专业|学校|县|地区|学生|班级|单位|幼儿园|企业|人员|教师|家庭)"
)
SIZED_PLACE = re.compile(r"(?:及?以上|以下)?(?:或[^,;。]{0,16}?)?的(?:县|市|区|乡|镇|地区|城市|村)")


def _made_too(text: str, start: int) -> bool:
    """ "建成2所以上高职学校和12个以上专业群": a second count joined to one made counts too."""
    if text[start - 1 : start] not in ("和", "及", "、"):
        return False
    opening = text[clause_start(text, start) : start]
    return any(PRODUCED.search(opening, 0, m.start()) for m in QUANTITY.finditer(opening))


def _is_target(
    text: str,
    match: re.Match[str],
    quotes: list[tuple[int, int]],
    stated: list[tuple[int, int]],
) -> bool:
    start = match.start()
    unit = match.group("unit")
    if _inside(start, quotes):
        return False
    qualifier = re.match(r"(及?以上|以下)“?([\u4e00-\u9fff])", text[match.end() : match.end() + 5])
    if (
        qualifier
        and unit != "%"
        and qualifier.group(2) not in "的和或"
        and not PRODUCED.search(text, max(0, start - 4), start)
        and not re.search(r"(?:达|达到|为|不低于)$", text[max(0, start - 3) : start])
        and not _made_too(text, start)
    ):
        return False  # "56人以上大班额", "1年以上代课教师": describes ("新增100个以上托位" counts,
        # and so does "合格率达95%以上" when the page lost the comma after it)
    if (
        qualifier
        and qualifier.group(2) == "的"
        and re.search(r"\d\s?[所个家][^\d,;。]{1,8}$", text[max(0, start - 14) : start])
    ):
        return False  # 100所在校生规模3500人以上的示范性…学校: the size of what is counted
    if CLASS_MARKED_BEFORE.search(text, max(0, start - 4), start) and CLASS_MARKED_AFTER.match(
        text, match.end()
    ):
        return False  # 就业率在90%以上的专业, 未达到70%的专业: the class of those a rule is for
    before = text[max(0, start - 1) : start]
    if match.group("num") == "一" and (
        before == "同" or text[max(0, start - 3) : start].endswith(("不漏", "遗漏", "不落", "无"))
    ):
        return False  # 在同一所学校任教, 不漏一所学校: the same school, every school
    if (
        match.group("num") == "24"
        and unit in ("小时", "小時")
        and not re.search(r"(?:不少于|至少|不低于|达到|超过)$", text[max(0, start - 4) : start])
    ):
        return False  # 24小时值班, 24小时书房: round the clock, no hours to reach
    if unit in ("小时", "小時", "个小时") and text[match.end() : match.end() + 1] == "内":
        return False  # 返校前48小时内核酸检测: a window of time, nothing to reach
    if unit == "分" and not SCORED.search(text, max(0, start - 14), start):
        return False  # 09时31分, 项目立项8分: a time, a rubric's points, no score to reach
    if re.search(r"不足\s?$", text[max(0, start - 3) : start]):
        return False  # 人数不足30人的小规模学校, 不足50人全部检测: a threshold a rule applies to
    if match.group("num").startswith("一") and re.search(
        r"唯(?:一的?)?$", text[max(0, start - 3) : start]
    ):
        return False  # 唯一一所高中, 唯一的一所: the only one, nothing to reach
    if re.fullmatch(r"0+(?:\.0+)?|零|〇", match.group("num")):
        return False  # 0-3公里: the start of a range of distance, nothing to reach
    after = text[match.end() : match.end() + 1]
    if (unit, after) in (("人", "口"), ("人", "制"), ("个", "月"), ("个小时", "的")):
        return False  # 20万人口以上的县, 3人制篮球场, 整改期限为6个月, 在一个小时的交流中
    if unit == "人" and SIZED_PLACE.match(text, match.end()):
        return False  # 常住人口5万人以上或初中毕业生2000人以上的县: the size of a place
    if match.group("num") == "一" and (before == "每" or after == "一"):
        return False  # 安置每一名残疾儿童: every one; 一人一案, 一校一策: a motto
    if unit not in ("%", "个百分点") and SCOPE_OF.match(text, match.end()):
        return False  # 覆盖111个县(市、区)的9765所学校: where the figure after it lies
    if (
        unit == "个"
        and PLACES_REACHED_BEFORE.search(text, max(0, start - 10), start)
        and PLACES_REACHED_AFTER.match(text, match.end())
    ):
        return False  # 选派159人到8个市(州): the places the work goes to, nothing to reach
    if (
        unit == "个"
        and (places := IN_PLACES_BEFORE.search(text, max(0, start - 16), start))
        and not re.search(r"选|确定", places.group())
        and IN_PLACES_AFTER.match(text, match.end())
    ):
        return False  # 在全省13个市州61个县区新建…: where the work is done (在选择2-3个县 counts)
    if ONE_OF.match(text, match.end()):
        return False  # 全国50个建设试点县(市、区)之一: a set it belongs to, nothing to reach
    if EACH_OF.match(text, match.end()):
        return False  # 其他10个市每市要推出1个县: the places each of which does the work
    if unit == "%" and re.search(r"(?:资金|承担|分担|负担|出资)$", text[max(0, start - 4) : start]):
        return False  # 中央资金50%、自治区资金40%: who pays which share, nothing to reach
    if re.search(r"[一二两三四五六七八九十]个$", text[max(0, start - 2) : start]) and _inside(
        start, stated
    ):
        return False  # 实现“三个100%”: a slogan that counts its own parts
    # the clause before the number, read only for the units whose checks need it
    in_clause = text[clause_start(text, start) : start] if unit in ("元", "次") else ""
    if unit == "元" and RATE.search(in_clause):
        return False  # 按每生每课时2元, 补助标准为每生每天4元: the rate a payment follows
    if unit == "元" and PER_HEAD.search(text, max(0, start - 10), start):
        return False  # 每人奖励5000元, 每生奖励1万元: what each one gets, a rate
    if unit == "元" and FEE.search(text, max(0, start - 8), start):
        return False  # 保教费:780元, 伙食费18元: a price charged, nothing to reach
    if PAGE_COUNTER.match(text, match.end()):
        return False  # 有1906位读者读过: the page's own counter
    if BASELINE_YEAR.search(text, max(0, start - 8), start):
        return False  # 力争达到60%以上(2022年为54%): the level in the year the plan starts from
    if unit != "%" and re.search(r"保留[^,;。\d的]{0,8}$", text[max(0, start - 10) : start]):
        return False  # 保留学校120所, 现状保留2190处: the schools kept are there already (what
        # is done to 保留的45所 counts)
    if re.search(r"缺口(?:将|预计|或将?)?(?:约|达|为|达到)?$", text[max(0, start - 6) : start]):
        return False  # 学位预计缺口7000个: a shortfall foreseen, not a figure to reach
    if unit == "天" and not (
        DAYS_AT_LEAST.search(text, max(0, start - 12), start)
        or text.startswith(AT_LEAST_AFTER, match.end())
    ):
        return False  # 3天内完成, 连续3天: a span of time; 每周5天, 不少于200天 are targets
    if unit == "篇" and (
        re.search(r"(?:精选|实用|通用|范文|[(（\-—])$", text[max(0, start - 2) : start])
        or text[match.end() : match.end() + 1] in ")）"
    ):
        return False  # 工作计划(精选11篇), 园务工作计划实用5篇: a sharing site counts its versions
    if unit == "次" and not (
        re.search(r"每[^,;。]{0,20}$", in_clause)
        or (
            match.group("num").isdigit()
            and (
                re.search(r"(?:至少|不少于|不超过|不得超过|不多于)[^,;。\d]{0,8}$", in_clause)
                or text.startswith(AT_LEAST_AFTER, match.end())  # 演练1次以上, 2次及以上
                or re.search(r"[≥≤><]\s?$", in_clause)  # 开放功能室 | ≥80次
                or re.search(r"(?:开展|召开|举办|举行)$", in_clause)  # 开展30次家教指导巡讲
            )
        )
    ):
        return False  # 每学期至少组织1次…, 暑期前至少开展3次…: how often is a target; 第十二次,
        # 多次, 开展一次… are not
    if unit == "次" and match.group("num") in ("一", "1") and CYCLE.search(in_clause):
        return False  # 每三年组织一次复评, 每两周一次: how long a cycle is, no count to reach
    # 15分钟公共文化服务圈, 课间15分钟制度, 课前一分钟: a name, not a time to reach
    if unit == "分钟" and (
        not match.group("num")[0].isdigit() or MINUTES_NAMED.match(text, match.end())
    ):
        return False
    if unit in ("名", "位") and DEPUTIES.match(text, match.end()):
        return False  # 242名区人大代表现场投票表决: who voted or met, nothing to reach
    if before == "等" and (
        DESIGNATED_AFTER.match(text, match.end()) or PLACES_LISTED.match(text, match.end())
    ):
        return False  # 认定和平区等188个县为…, 确定…等16所学校为…: the ones a decision named
    if re.search(r"[(（]含$", text[max(0, start - 2) : start]) and re.search(
        r"\d\s?[万千亿]?" + re.escape(unit) + r"(?:及?以上|以下)?$",
        text[max(0, start - 12) : start - 2],
    ):
        return False  # 新增3所以上(含3所): the bracket restates the figure before it
    if PASSIVE_AFTER.match(text, match.end()) and not re.search(
        r"力争|争取|确保|目标|将|要|预计|預計|到20\d\d年|展望",
        text[start_of_sentence(text, start) : start],
    ):
        return False  # 8个课题被教育部…立项: what others did to them, reported
    if AWARDED.search(text, max(0, start - 6), start) and not re.search(
        r"力争|争取|确保|目标", text[start_of_sentence(text, start) : start]
    ):
        return False  # 一等奖35项, 优秀组织奖单位19个: a contest's results (力争…获一等奖1所 aims)
    if CASUALTIES.match(text, match.end()):
        return False  # 致5名学生死亡: an accident reported
    if BASELINE_BEFORE.search(text, max(0, start - 20), start) and BASELINE_AFTER.match(
        text, match.end()
    ):
        return False  # the level a change starts from
    if re.match(rf"(?:调|上调|{CHANGES})(?:到|至)\s?\d", text[match.end() : match.end() + 8]):
        return False  # 二类标准每人每月200元调至500元: the level before the change, in a list
    if unit == "周" and not match.group("num").isdigit():  # 週 is read as 周
        return False  # 提前一周, 一周内: a time phrase (储备2周使用的物品 counts)
    if unit == "米" and re.search(
        r"(?:海拔|高度|宽度?|长|桥面宽|路基宽度|半径为)\s?$", text[max(0, start - 4) : start]
    ):
        return False  # 宽9米, 建筑高度14.85米, 海拔4200米: a size described, nothing to reach
    if unit in ("期", "堂") and (
        not match.group("num").isdigit()
        or re.search(r"(?:年\s?|分)$", text[max(0, start - 2) : start])
    ):
        return False  # 二期工程, 同上一堂课, 2017年5期, 分2期参加: a phase, a lesson, an issue, batches
    # "1+3" names a model; "12所新建+12所改扩建" adds two counts of schools (not "人行道+15米")
    plus = before == "+" and not (
        start >= 2 and HAN.match(text, start - 2) and match.group("unit") in ("所", "个", "家")
    )
    if (
        before in ("第", ".", "满", "每")
        or plus
        or (before.isdigit() and not match.group("num").isdigit())
    ):
        return False  # 第3名; 满20人开班, 不满3名党员: the threshold of a rule; 每3-4个班配备…:
        # the base of a ratio; nothing to reach
    if before.isascii() and before.isalnum():
        return False
    number = match.group("num")
    if not number[0].isdigit() and (
        chinese_to_int(number) is None
        or (
            number in ("百", "千")
            and text[match.end("num") : match.end("num") + 1] not in ("余", "多")
        )
    ):
        return False  # 千家万户, 百年大计 (not 百余所, 千余名: a hundred-odd)
    # 三元镇中学: a place's name; small sums are written in digits (十亿元 is a sum)
    if (
        unit == "元"
        and not number[0].isdigit()
        and not match.group("mult")
        and (chinese_to_int(number) or 0) < 100
    ):
        return False
    # 盛泽最多的达到5所: the largest share of a total, reported (提升至最高35% caps, see
    # _comparator_before)
    if re.search(
        r"(?<![至到])最[多大高少低小]的?,?(?:达到|达|为|是)?$", text[max(0, start - 7) : start]
    ):
        return False
    if re.search(r"分布(?:在|于)全?(?:市|县|区)?$", text[max(0, start - 5) : start]):
        return False  # 12所新开办学校分布在8个不同街道: where what is counted stands
    if _counting(text, match) or (unit == "年" and not _in_years(text, match)):
        return False
    if _counts_listed(text, match) or _scope(text, match) or _teams(text, match):
        return False
    if not number[0].isdigit() and unit in ("%", "个百分点"):
        return False
    return not (unit == "个" and text[match.end() : match.end() + 2] == "百分")


def _counting(text: str, match: re.Match[str]) -> bool:
    unit = match.group("unit")
    if unit not in COUNTING_UNITS:
        return False
    if re.search(r"至少[^,;。\d一二两三]{0,4}$", text[max(0, match.start() - 8) : match.start()]):
        return False  # 每个街镇至少设立一个普惠性托育点: a least number to reach, in words too
    if match.group("num") == "一":
        return True  # 统一部署, 上一篇, 一个总目标: "一" is a word more often than a count
    number = match.group("num")
    if not number[0].isdigit() and (chinese_to_int(number) or 0) <= 10:
        return True  # 两个维护, 一支队伍, 三项重点工程: reports count their own parts in words
    after = text[match.end() : match.end() + 6]
    if unit == "部" and after[:1] in ("门", "委"):
        return True  # 教育部等8部门联合印发: the bodies that issue
    if after[:1] in '“"‘' and PRODUCED.search(text, max(0, match.start() - 4), match.start()):
        return False  # 建设15间“梦想小屋”: what is built, though its name is quoted
    # "促进就业(3项)", "牵头工作(8项)", a PDF's "促进就业(\n3 项)": a heading counts the items under it
    if unit in ("项", "条") and re.search(
        r"[(（]\s*$", text[max(0, match.start() - 4) : match.start()]
    ):
        return True
    # "5大类12个", "其中基建工程类5个", "教育惠民领域2个": a list counting its items by category
    by_category = text[max(0, match.start() - 2) : match.start()].endswith(("类", "领域"))
    # "惠民工程共涉及20项", "《工作要点》共分35小项", "为民办实事项目如下39个": the list that follows
    items_below = re.search(
        r"(?:共|一共)(?:涉及|分为?|包括|包含)$|如下:?$",
        text[max(0, match.start() - 4) : match.start()],
    ) or after.startswith("小项")
    # "确定以下10项为市政府2022年度民生实事项目", "确定15项作为…正式项目": the items chosen
    items_chosen = (
        unit in ("项", "件", "个") and CHOSEN_AS.match(text, match.end())
    ) or VOTED.search(text, max(0, match.start() - 16), match.start())
    # "公开征集意见1016条", "收集意见建议100余条": the views a list was drawn from
    views = unit == "条" and re.search(
        r"(?:意见|建议)$", text[max(0, match.start() - 2) : match.start()]
    )
    return (
        bool(COUNTED.match(after))
        or by_category
        or bool(items_below)
        or bool(items_chosen)
        or bool(views)
        or (
            unit in ("项", "个", "件")
            and text.endswith(
                ("实事", "实事项目", "实事有", "实事项目有", "实事为", "实事项目为"),
                0,
                match.start(),
            )
        )
    )


def _share_of_statistic(
    text: str, match: re.Match[str], statistic: Callable[[re.Match[str]], bool]
) -> bool:
    """ "共有39所…,其中新建11所,改扩建28所": the shares of a reported total are reported too."""
    sentence_start = start_of_sentence(text, match.start(), "。!?\n")
    split = text.rfind("其中", sentence_start, match.start())
    if split < 0:
        return False
    totals = [
        m
        for m in QUANTITY.finditer(text, sentence_start, split)
        if m.group("unit") == match.group("unit")
    ]
    return bool(totals) and statistic(totals[-1])


def _counts_listed(text: str, match: re.Match[str]) -> bool:
    """ "A小学、B幼儿园、C中学3所学校建设项目…", "这6个项目": the number counts the items just
    named."""
    listed = text[clause_start(text, match.start()) : match.start()]
    if re.search(r"[省市县区]、[省市县区]", listed):
        return False  # "创成省、市优质园2所": the levels of a title, not the items counted
    if re.search(r"(?:这|该|上述|以上|前述)$", listed):
        return True  # "这6个项目总建筑面积…": the projects named before, counted again
    # "改扩建好A、B、C、D中心幼儿园等4所": the work done on the schools listed, counted
    built = re.search(r"(?:新建|改扩建|扩建|改建|建成|维修|改造)[^、]*、", listed)
    if re.search(r"\d|各$", listed) or (built and listed.endswith("等")):
        return False  # "特色学校2所、品牌专业10个": a list of figures; "…各2所": each
    # "A小学、B小学和C幼儿园共2所小学": the last item joined by 和 is an item too
    named = listed.count("、") + 1 + bool(re.search(r"、[^、]*和[^、]+共计?$", listed))
    return listed.count("、") >= 1 and match.group("num") == str(named)


def _part_of(text: str, match: re.Match[str]) -> bool:
    """ "9所,其中:凉州区4所,古浪县4所": a share of a total stated just before in the sentence."""
    sentence_start = start_of_sentence(text, match.start(), "。!?\n")
    before = text[sentence_start : match.start()]
    split = before.rfind("其中")
    unit = re.escape(match.group("unit"))
    return split > 0 and re.search(r"\d\s?[万千亿]?" + unit, before[:split]) is not None


# "做好全区66辆校车的安全监管": the figure tells the scope of a standing duty
SCOPE = re.compile(r"[^,;。的]{0,8}的(?:安全|日常|规范)?(?:监管|管理|监督|巡查|维护)")


# days to reach: a week's days of a service, a least number of days (每周5天, 全年不少于200天)
DAYS_AT_LEAST = re.compile(r"(?:每周|每星期|至少|不少于|不低于|不得少于)[^,;。\d]{0,6}$")
# a cycle of several years, months or weeks: "每三年", "每3年", "每两周"
CYCLE = re.compile(r"每(?:[两二三四五六七八九十半]|[2-9]|\d\d)个?(?:年|月|周|星期)[^,;。]{0,20}$")
# a sharing site's counter of its readers: "有1906位读者读过", "3200人阅读"
PAGE_COUNTER = re.compile(r"\s?(?:读者|人读过|人阅读|人浏览|次浏览|次阅读)")
# a goal's baseline in brackets after it: "力争达到60%以上(2022年为54%)", "(2020年:10.8年)"
BASELINE_YEAR = re.compile(r"\(\s?20\d\d年(?:底|末)?(?:[::]|为|是)?\s?$")
# a fee and its price: "保教费:780元", "托管费8元"
FEE = re.compile(r"(?:保教|伙食|托管|住宿|餐|保育|膳食|代办|课时|报名|书本|杂|学)费[:\s]*$")
# a rate applied, not raised: 按(平均)每人每年, 标准为每生每天, 执行每生每课时
RATE = re.compile(
    r"(?:按照?(?:平均)?|标准为|执行)每[生人名个所]?每?(?:天|日|年|学年|学期|课时|月)$"
    r"|资金标准[为是]$"  # 每个培训对象资金标准为5000元
)
# an award each one gets: "每人奖励5000元", "每生奖励1万元" (a subsidy per head is labelled both ways)
PER_HEAD = re.compile(r"每(?:人|名|位|生|个)(?:一次性)?(?:奖励|奖)\s?$")
# "组成11个专项工作组", "派出5个督导组": the teams sent do the work, they are not its result
TEAMS_BEFORE = re.compile(r"(?:组成|成立|派出|抽调|组建|设立|分成|分为)[^,;。\d]{0,6}$")
TEAMS_AFTER = re.compile(r"[^,;。\d]{0,6}(?:组|专班)")


def _teams(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 8) : match.start()]
    return bool(TEAMS_BEFORE.search(before) and TEAMS_AFTER.match(text, match.end()))


def _scope(text: str, match: re.Match[str]) -> bool:
    return bool(SCOPE.match(text, match.end()))


def _in_years(text: str, match: re.Match[str]) -> bool:
    """年 measures only a span of schooling (受教育年限13.5年, 15年以上), never a date."""
    number = match.group("num")
    if not number[0].isdigit() or float(number.replace(" ", ".")) >= 30 or match.group("num2"):
        return False
    if re.match(r"(?:免费|义务|基础|一贯制)?教育", text[match.end() : match.end() + 6]):
        return False  # 普及15年教育, 12年免费教育: the name of a span of schooling
    return "年限" in text[max(0, match.start() - 120) : match.start()]


def _value(match: re.Match[str]) -> float:
    number = match.group("num")
    value = decimal(number) if number[0].isdigit() else float(chinese_to_int(number) or 0)
    return scale(value, match.group("mult") or "")


def _target(text: str, match: re.Match[str], earlier: list[Target]) -> Target | None:
    unit = match.group("unit")
    # 个 only counts points, hours, workdays, periods: "3个工作日", "30个课时"
    measure = unit[1:] if unit.startswith("个") and len(unit) > 1 else unit
    value = _value(match)
    start = clause_start(text, match.start())
    after = text[match.end() : match.end() + 4]
    prefix = text[start : match.start()]
    extra: dict[str, Any] = {}
    tail = 0
    if qualified := _qualified(after.removeprefix(" ")):  # 以上, 以内, 左右 after the figure
        comparator, tail = qualified[0], qualified[1] + after.startswith(" ")
    elif qualified := _qualified(_after_list(text, match)):  # "分别达到45% 和26% 左右"
        comparator = qualified[0]
    elif unit in ("%", "名", "位") and prefix.endswith("前"):
        comparator = "<="  # 进入ESI全球前1%, 位列全市前三名: a rank, the smaller the better
    else:
        comparator = _comparator_before(prefix)
        if (
            comparator == ">="
            and _foreseen(text, match.start())
            and not re.search(r"(?:超过?|不低于|不少于|至少)\s?$", prefix)
        ):
            comparator = "~"
        if comparator == ">=" and _lowered(prefix, unit, value):
            comparator = "<="  # 班额由每班35人调整为30人: a level brought down caps it
    if not tail and re.search(
        rf"\d\s?{re.escape(unit)}\s?(?:至|—|-|~|～|到)\s?$",
        text[max(0, match.start() - 8) : match.start()],
    ):
        comparator = "<="  # 配备2名至6名, 开办3所至5所: the figure that closes a range caps it
    for word, direction in RELATIVE.items():
        if prefix.endswith(word):
            extra["relative"] = {
                "direction": direction,
                "by": value,
                "unit": measure,
            }
            if not tail and comparator != "~":  # "增长7.5%左右", "预计增加1800个" stay about
                comparator = ">="  # "下降0.5个百分点": a change of at least that size
    if match.group("num2"):
        extra["range"] = [value, scale(float(match.group("num2")), match.group("mult") or "")]
    name, name_start, name_end = name_of(text, match, start, earlier)
    end = max(match.end() + tail, name_end)
    span_start = min(name_start, match.start())
    return Target(name, value, measure, comparator, text[span_start:end], span_start, end, extra)


def _counted(
    text: str,
    match: re.Match[str],
    quotes: list[tuple[int, int]],
    stated: list[tuple[int, int]],
    statistic: Callable[[re.Match[str]], bool],
) -> bool:
    """Whether the rules count the figure, whatever its tense: no ordinal, name or quotation,
    nothing the text counts of itself, no share of a statistic (`_is_target`)."""
    return _is_target(text, match, quotes, stated) and not _share_of_statistic(
        text, match, statistic
    )


def _sure(text: str, match: re.Match[str], *, title: str, year: int | None) -> bool:
    """Whether the learned model is sure the figure is a target, on a part of the page that
    plans, though the words of its sentence read as a statistic."""
    made = _target(text, match, [])
    if made is None:
        return False
    weighed = learned.features(
        text,
        match.start(),
        match.end(),
        unit=made.unit,
        comparator=made.comparator,
        report=False,
        title=title,
        year=year,
    )
    return learned.probability(weighed) > learned.SURE


def _lowered(prefix: str, unit: str, value: float) -> bool:
    """Whether the clause brings a level down to the figure: from a higher one of its unit
    (由每班35人调整为30人), the starting level just before the change."""
    change = BASELINE_CHANGE.search(prefix)
    if not change:
        return False
    starts = [m for m in QUANTITY.finditer(change.group(1)) if m.group("unit") == unit]
    return bool(starts) and _value(starts[-1]) > value


def _after_list(text: str, match: re.Match[str]) -> str:
    """What follows the last figure of a list the figure opens with the same unit (45%、26%、
    和30%): a qualifier there speaks for each of them."""
    end = match.end()
    while joined := re.match(r" ?[、和及与] ?", text[end : end + 3]):
        following = QUANTITY.match(text, end + joined.end())
        if following is None or following.group("unit") != match.group("unit"):
            break
        end = following.end()
    return text[end : end + 4].lstrip() if end > match.end() else ""


def _qualified(after: str) -> tuple[str, int] | None:
    """The comparator a qualifier right after a figure gives, and the qualifier's length:
    以上 / 及以上 ≥, 以下 / 以内 ≤, 左右 / 上下 ~."""
    if after.startswith(AT_LEAST_AFTER):
        return ">=", 3 if after.startswith("及以上") else 2
    if after.startswith(AT_MOST_AFTER):
        return "<=", 2
    if after.startswith(ABOUT_AFTER):
        return "~", 2
    return None


def _foreseen(text: str, start: int) -> bool:
    """预计 earlier in the sentence makes its later clauses' figures foreseen, not promised:
    预计到2020年,3年内新增学校12所,新增学位数4万个."""
    sentence = text[start_of_sentence(text, start) : start]
    foreseen = sentence.rfind("预计")
    # "预计投入近10亿元,…,力争到年底…达80%", "预计初中毕业生17712人,计划安排…招生17614人": a
    # commitment after it is no forecast
    return foreseen >= 0 and not re.search(r"力争|确保|目标|计划|规划", sentence[foreseen:])


def _comparator_before(prefix: str) -> str:
    """The comparator word nearest the number wins (不低于 beats the 低于 inside it); 近 just
    before it ("近1万个学位") is about as many."""
    if prefix.endswith("近"):
        return "~"
    if re.search(r"最高[^,;。、\d]{0,4}$", prefix):
        return "<="  # 提升至最高35%, 最高补助1万元: a ceiling
    best, best_end, best_length = ">=", -1, 0
    for word, comparator in COMPARATOR_WORDS.items():
        end = prefix.rfind(word) + len(word)
        if end >= len(word) and (end, len(word)) > (best_end, best_length):
            best, best_end, best_length = comparator, end, len(word)
    return best
