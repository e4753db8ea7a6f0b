"""The name of a target: what its number counts, complete enough to stand alone in a table.

Chinese puts the thing measured before the number (毛入园率达到98%) or counts it after
(新建幼儿园5所); enumerations (、), 分别 lists, 其中 parts and a bare rate (城市受训率) each
need the words around them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from duban.tasks.extract.brackets import end_of
from duban.tasks.extract.kinds import LEADING_MARK
from duban.tasks.extract.quantity import (
    ABOUT_AFTER,
    AT_LEAST_AFTER,
    AT_MOST_AFTER,
    FALLS_TO,
    QUANTITY,
    clause_end,
    clause_start,
    first_number,
    number_in,
)
from duban.tasks.extract.tense import start_of_sentence

if TYPE_CHECKING:
    from duban.tasks.extract.targets import Target

TRAILING: tuple[str, ...] = (
    "力争达到",
    "力争达",
    "预期达到",
    "保持在",
    "稳定在",
    "控制在",
    "不低于",
    "不少于",
    "不超过",
    "不得",
    "不能",
    "不应",
    "不宜",
    "分别达到",
    "达到",
    "至少",
    "严禁超过",
    "严禁超",
    "不超",
    "超过",
    "超",
    "力争",
    "分别",
    "完成",
    "大约",
    "大概",
    "达",
    "为",
    "约",
    "在",
    "是",
)
TRAILING = (
    *TRAILING,
    *FALLS_TO,
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "增加到",
    "增加至",
    "保持",
    "下降",
    "提高",
    "增长",
    "增加",
    "降低",
    "减少",
    "较上年",
    "比上年",
    # the modal before the verb: "学前三年毛入园率要", "覆盖率要有", "毛入学率将"
    "要有",
    "将有",
    "要",
    "将",
    "应当",
    "应",
    "必须",
    "须",
    "同比",
    "环比",
    "≥",
    "≤",
)
# a qualifier between a number and what it counts: 300所左右全国性…, 20所以上公办…
QUALIFIER = re.compile(
    f"^(?:{'|'.join((*AT_LEAST_AFTER, *AT_MOST_AFTER, *ABOUT_AFTER, '余', '多'))})"
)
# an age that qualifies whom a figure counts: "15万名80周岁以上老人", "2万名35-64岁妇女"
AGE = re.compile(r"^\d{1,3}(?:\s?[-—~至]\s?\d{1,3})?\s?周?岁(?:及以上|以上|以下)?的?")
CUT_AT = (
    "不低于",
    "不少于",
    "不超过",
    "不高于",
    "控制在",
    "至少",
    "不能高于",
    "不得高于",
    "不能低于",
    "不得低于",
    "不能超过",
    "不得超过",
    "不能少于",
    "不得少于",
    "应达到",
)
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


# a bound the clause sets for its group: "初中生应达到9小时", "数学不能高于10%"
PARALLEL_BOUND = re.compile(
    r"(?:应|要|须|不能|不得|不应)(?:达到|高于|低于|超过|少于|不低于|不少于|不超过)$"
)
# whom or where a rate is given for: 城镇, 农村中学生, 村级小学, 初中
GROUP = (
    r"(?=.)(?:城镇|农村|城市|城区|县城|乡村|乡镇|市区|村级|镇级)?"
    r"(?:[小中]学生|初中生|高中生|[小中]学|初中|高中|中心小学|幼儿园)?"
)
# what a name measures when it ends so: a rate, a share, a number, an amount
MEASURED = ("率", "比例", "比重", "占比", "数", "量", "额", "经费")
# a list's head before a colon: "低分率:1—3年级语文不能高于15%"
HEADER = re.compile(
    r"(?:^|(?<=[,;。\n])|(?<=\d、)|(?<=[一二三四五六七八九十]、))([^,;。:、\n]{1,8}(?:率|比例|时间|标准)):$"
)
# a name that is only a year says when, not what: "计划任务:2009 年 30 万人,2010 年 35万人", a table's
# rows "学前教育三年入园率 2016年 87%" then "2018年 93%"
YEAR = r"(?:19|20)\d\d\s?年(?:度|底|末)?"
YEAR_ONLY = re.compile(YEAR)
# …what is the heading before the sentence's colon, or the row above's name without its year
COLON_HEADING = re.compile(r"([\u4e00-\u9fff]{2,12})[:：][^:：。\n]*$")
YEAR_AFTER = re.compile(rf"\s*{YEAR}$")
# the words before a share that say only when and where: 确保2022年全省, 2020年底的全省, 山西
WHEN_WHERE = re.compile(
    r"(?:确保|力争|到|至|使)?(?:20\d\d年(?:底|末)?(?:前)?的?)?(?:全[国省市县区]|[\u4e00-\u9fff]{2,3}?[省市县区]?)?"
)


def name_of(
    text: str, match: re.Match[str], start: int, earlier: list[Target]
) -> tuple[str, int, int]:
    """The indicator's name, complete enough to stand alone in a table; and its span."""
    opened = text.rfind("“", start, match.start())
    quoted = opened >= 0 and not re.search(r"[”\"]", text[opened : match.start()])
    if quoted:
        start = opened + 1  # a figure inside a quotation is named by it alone: “…”、“新建3所…”
    name, name_start = _subject(text, match, start, earlier)
    if name is not None:
        name = name.replace("（）", "")  # a group named by nothing
    if name is not None and not NAMES_SOMETHING.search(name):
        # a flattened table's bare cell ("30人 |"): the nearest words before it that count nothing
        name = _nearest_words(text, start) or name
    if name is None:  # the thing counted follows the number ("建成300所左右…标杆学校")
        after, skipped = _after_count(text, match)
        obj = _split_outside_brackets(after)
        if quoted:  # the quotation the figure stands in closes its name
            obj = re.split(r"[”\"]", obj)[0]
        verb = _verb_prefix(text, start, match.start())
        bare = re.sub(r"(建设|工作)$", "", obj) or obj
        bare += _shared_head(after[len(obj) :], obj)
        adjacent = text[match.start() - len(verb) : match.start()] == verb
        span_start = match.start() - len(verb) if adjacent else match.start()
        named = LEADING_MARK.sub("", (verb + bare).strip()) or bare  # "1 支持…": the mark goes
        return named, span_start, match.end() + skipped + len(obj)
    return name, name_start, 0


# a name holds two Han characters or a Latin word at least: not "", "（）", "超" or "(略)"
NAMES_SOMETHING = re.compile(r"[\u4e00-\u9fff][^\u4e00-\u9fff]*[\u4e00-\u9fff](?<!略)|[A-Za-z]{2}")
WORDS = re.compile(r"[^|\n。;,:\d]*[\u4e00-\u9fff]{2}[^|\n。;,:\d]*")


def _nearest_words(text: str, start: int) -> str:
    """The last words before `start` (within 120 characters) that hold no figure: a table's row
    or column label, a list's heading."""
    pieces = re.split(r"[|\n。;,:]", text[max(0, start - 120) : start])
    return next((strip_name(p.strip()) for p in reversed(pieces) if WORDS.fullmatch(p.strip())), "")


def _after_count(text: str, match: re.Match[str]) -> tuple[str, int]:
    """The rest of the clause after a count, without a qualifier (以上, 左右, 余) or an age
    (80周岁以上); and how many characters the age took."""
    after = QUALIFIER.sub("", text[match.end() : clause_end(text, match.end())])
    age = AGE.match(after)
    skipped = age.end() if age else 0
    # "完成300所、400所、500所中小学校…": the figures listed after it share what they count
    # (not rates: "分别达到98%、99%以上" are named before them)
    listed = re.match(
        rf"(?:、\s?\d+(?:\.\d+)?\s?{re.escape(match.group('unit'))})+(?=(?!以上|以下|以内|左右|及以上)[\u4e00-\u9fff])",
        after,
    )
    if listed and not age and match.group("unit") not in ("%", "个百分点"):
        skipped = listed.end()
    return after[skipped:], skipped


def _shared_head(rest: str, obj: str) -> str:
    """ "1个省级、2个市级德育品牌", "1个国家级、3个省级示范基地": the first item shares the last
    one's head noun (德育品牌), which follows the word the two qualifiers end alike (级, 办);
    items of their own ("2所小学、1所幼儿园") share nothing."""
    following = QUANTITY.match(rest[1:]) if rest.startswith("、") else None
    if following is None or not obj:
        return ""
    last = _split_outside_brackets(rest[1 + following.end() :])
    # the qualifiers are short and about as long as each other: 公办/民办, 国家级/省级
    alike = last.find(obj[-1], max(1, len(obj) - 2), len(obj) + 1)
    if len(obj) > 4 or alike < 0 or number_in(last):
        return ""
    return last[alike + 1 :]


LEVEL_AND_UP = re.compile(r"(?<=级)及(?=以[上下])")
# 及 inside a word joins nothing: 普及, 涉及, 惠及, 及时
WORD_WITH_JI = re.compile(r"(?<=[普涉惠危波触顾企])及|及(?=时)")


def _split_outside_brackets(text: str) -> str:
    """The first item of an enumeration: up to the first 、和及与 outside brackets ("市级及以上"
    is one level, "艺术普及教育活动" one word: no enumeration)."""
    return text[: end_of(WORD_WITH_JI.sub("_", LEVEL_AND_UP.sub("_", text)), 0, "、和及与")]


def _subject(
    text: str, match: re.Match[str], start: int, earlier: list[Target]
) -> tuple[str | None, int]:
    clause = text[start : match.start()]
    # "新评定2所特色专业学校、10个市级品牌专业", "建成300所左右全国性…学校": no subject before,
    # the object after
    rest, _ = _after_count(text, match)
    if (
        rest
        and not rest.startswith(("的", "和", "、", "("))
        and re.match(r"[\u4e00-\u9fff“]", rest)
    ):
        return None, start
    if "分别" in clause and not number_in(clause[: clause.find("分别")]):
        index = sum(1 for t in earlier if t.start == start)
        return _respectively(text, start, clause, index), start
    # "…、品牌专业10个": one item of an enumeration, after 、 or 和
    segment_start = max(clause.rfind("、"), clause.rfind("和") if "分别" not in clause else -1)
    if segment_start >= 0 and number_in(clause[:segment_start]):
        segment = clause[segment_start + 1 :]
        base = strip_name(segment)
        head = clause[: first_number(clause)]
        word = next((v for v in VERBS if v in head), "")
        verb = head[: head.find(word) + len(word)] if word else ""
        if earlier and not base:
            return earlier[-1].indicator, start + segment_start + 1
        lent = _measure_for_group(text, start, earlier, match.group("unit"), base)
        if lent:  # "合格率:小学生100%、中学生达99%"
            return lent, start + segment_start + 1
        # "全市新建幼儿园5所、小学3所": the item shares the first's verb, and what comes before it;
        # an item with the verb of its own has its own subject ("A幼儿园新增学位180个、B幼儿园新增学位450个")
        shared = verb and (word not in base or base == word)
        return (verb + base if shared else base), start + segment_start + 1
    name = strip_name(clause)
    if rest.startswith("的") and (
        not name
        or (
            match.group("unit") == "%"
            and WHEN_WHERE.fullmatch(name)
            and not re.match(r"的(?:目标|任务|要求)", rest)  # 普惠率85%的目标
        )
    ):
        # ",50%的乡镇(街道)建有老年学校", "确保2022年全省70%以上的…机关建成节约型机关": the share
        # names what it is a share of, after it
        return rest[1:], start
    share = re.fullmatch(r"(.+?)(达到|占)(.+?)的", name)
    if share:
        name = f"{share.group(1)}占{share.group(3)}的比例"
    if name.endswith(("人均", "平均")) and match.group("unit") != "%":
        name += match.group("unit")
    header = HEADER.search(text, max(0, start - 12), start)
    if header and not name.endswith(MEASURED):
        # "低分率:1—3年级语文不能高于15%": the measure heads the list
        return f"{header.group(1)}（{name}）", start
    if match.group("unit") == "%" and name and not name.endswith(MEASURED):
        own = re.fullmatch(rf"(.{{2,}}?(?:率|比例|比重))({GROUP})", name)
        if own:
            # "残疾儿童少年入学率城镇达到75%": the clause's own measure, for a group
            return f"{own.group(1)}（{own.group(2)}）", start
        if earlier and earlier[-1].unit == "%" and earlier[-1].indicator.endswith(MEASURED):
            # "小学入学率达到100%,初中达到98%": the rate just before measures this figure too
            return f"{earlier[-1].indicator}（{name}）", start
        lent = _measure_for_group(text, start, earlier, match.group("unit"), name)
        if lent:  # "…合格率城镇中学生98%,农村中学生96%"
            return lent, start
    if (
        name
        and earlier
        and len(name) <= 6
        and not name.endswith((*MEASURED, "时间", "时长"))
        and PARALLEL_BOUND.search(clause)
        and earlier[-1].unit == match.group("unit")
        and (measure := _base(earlier[-1].indicator)).endswith((*MEASURED, "时间", "时长"))
        and "。" not in text[earlier[-1].start : start]
    ):
        # "小学生每天睡眠时间应达到10小时,初中生应达到9小时": the same measure, for another group
        return f"{measure}（{name}）", start
    part = re.search(r"[(（]其中[:,]?([^()（）]*)$", name)
    if part:
        # "规划班级数为48个(其中小学30个,初中18个)": the parts of the total just before
        whole = name[: part.start()]
        if earlier and (number_in(whole) or not whole.strip()):
            whole = re.sub(r"[(（]其中[^()（）]*[)）]?|（[^（）]*）$", "", earlier[-1].indicator)
        return f"{whole}（{re.split(r'[,;、]', part.group(1))[-1]}）", start
    if name.startswith("其中") and earlier and len(name) > 2:
        # a part of the last
        return f"{_base(earlier[-1].indicator)}（{name[2:].lstrip(':')}）", start
    if PLACE_RATE.fullmatch(name) and start > 0:
        # "开展0-6岁儿童家长培训,城市受训率达到90%,农村受训率达到80%": of the clause before
        previous_start = clause_start(text, start - 1)
        previous = text[previous_start : start - 1]
        if previous and text[start - 1] == "," and not number_in(previous):
            return f"{name}（{strip_name(previous)}）", start
        last = PLACE_RATE.match(earlier[-1].indicator) if earlier else None
        if last and earlier[-1].indicator[last.end() :].startswith("（"):
            return name + earlier[-1].indicator[last.end() :], start
    if YEAR_ONLY.fullmatch(name):
        sentence = text[start_of_sentence(text, start, "。\n") : start]
        heading = COLON_HEADING.search(sentence)
        if heading:
            return f"{heading.group(1)}（{name}）", start
        if earlier:
            return f"{YEAR_AFTER.sub('', _base(earlier[-1].indicator))}（{name}）", start
    if len(name) < 3 or name in GENERIC_NAMES:
        previous_start = clause_start(text, start - 1) if start > 0 else 0
        previous = text[previous_start : max(previous_start, start - 1)]
        if previous and not number_in(previous):
            # a goal table's name on the line above ("小学就读人数\n<=6962人")
            return (
                f"{strip_name(previous)}的{name}" if name else strip_name(previous)
            ), previous_start
        if earlier:
            return f"{_base(earlier[-1].indicator)}（{name}）", start
    return name, start


def _measure_for_group(
    text: str, start: int, earlier: list[Target], unit: str, group: str
) -> str | None:
    """A rate given for one group lends its measure to the next group's figure in the same
    sentence: "合格率:小学生100%、中学生达99%", "…合格率城镇中学生98%,农村中学生96%"."""
    if unit != "%" or not earlier or earlier[-1].unit != "%" or not re.fullmatch(GROUP, group):
        return None
    measure = _base(earlier[-1].indicator)
    if measure.endswith(MEASURED) and "。" not in text[earlier[-1].start : start]:
        return f"{measure}（{group}）"
    return None


def _base(indicator: str) -> str:
    """An earlier name without the part it named in brackets: "幼儿园（建设）" lends "幼儿园" to
    the next figure, which names its own part."""
    return re.sub(r"（[^（）]*）$", "", indicator)


def _respectively(text: str, start: int, clause: str, index: int) -> str:
    """小学、初中教师高一级学历比例分别达到96%和93% → one name per number, in order.

    "2020年分别达到98%、99%…" names nothing itself: the names are those of the previous
    分别 enumeration, across the sentence break.
    """
    base = re.sub(r"^(?:到)?20\d\d年(?:底|末)?", "", clause[: clause.find("分别")])
    parts = base.split("、")
    if len(parts) < 2:
        previous = text.rfind("分别", 0, start)
        if previous < 0 or len(base.strip(" ,")) >= 2:
            return base  # a name of its own: "…外来务工人员的培训率分别达到70%和50%"
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
    if cut >= 0 and number_in(head[:cut]):
        head = text[start : start + first_number(head)]
    return head.strip()


def strip_name(name: str) -> str:
    for word in CUT_AT:  # "生均公用经费标准不低于每生每年" → "生均公用经费标准"
        if (index := name.find(word)) >= 2:
            name = name[:index]
    name = re.sub(r"(?:比|较)(?:20\d\d年|上年|去年)(?=[^,]{0,4}$)", "", name)  # the baseline
    dated = re.sub(r"^(?:到|至|在)?20\d\d年(?:底|末|前)?(?:,|前)?", "", name)  # not a name
    name = dated if len(dated) >= 2 else name
    name = LEADING_MARK.sub("", name.strip(" 、")) or name  # "(2)新建学校": the item's mark
    changed = True
    while changed:
        changed = False
        for word in TRAILING:
            if word == "应" and name[-2:-1] in "供响适反相对答效感回呼照":
                continue  # 供应, 适应: a word, no modal
            if name.endswith(word) and len(name) > len(word):
                name, changed = name[: -len(word)], True
    # …and the level a change starts from: "毛入学率从63%提高到", "年限从2020年的10.8年提高到"
    name = re.sub(r"(?<=..)[从由][^从由,]{0,12}\d[\d.]*\s?(?:%|‰|年|个|元)?$", "", name)
    return name.strip(" 、").rstrip("<>=≥≤(（")  # a goal table's "<=6962人", "=100%"
