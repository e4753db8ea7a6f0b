"""Actionable clauses and their kind; responsible units and deadlines where the text names them.

A clause's kind comes from its action word. A clause that opens with 举办/召开/办好 is an
event; otherwise the last action word wins, because Chinese puts the action a clause is
about last (开展…创建活动 is an event, 开展…评选活动 an evaluation, 完成…评估验收 an
evaluation). Words inside quotation marks are names, and a word followed by 体系/机制/平台…
names an institution, not an action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from duban.tasks.extract.assignment import ANNOTATION, KEY, assigned
from duban.tasks.extract.brackets import spans
from duban.tasks.extract.deadlines import own_deadline, schedule_deadline
from duban.tasks.extract.quantity import QUANTITY, quoted_spans
from duban.tasks.extract.tense import NEXT

KEYWORDS: dict[str, tuple[str, ...]] = {
    "inspection": (
        "检查",
        "督查",
        "排查",
        "督导",
        "巡查",
        "抽查",
        "复查",
        "监督",
        "年检",
        "回头看",
        "自查",
        "查缺补漏",
    ),
    "evaluation": (
        "评估",
        "评选",
        "评定",
        "验收",
        "认定",
        "评审",
        "测评",
        "评比",
        "遴选",
        "评议",
        "争创",
        "创建为",
        "考核",
    ),
    "recruitment": ("招聘", "聘任", "选拔", "聘用", "招录", "引进", "招考", "选调"),
    "training": ("培训", "进修", "研修", "轮训", "集中学习"),
    "construction": (
        "开工建设",
        "开工",
        "施工",
        "改造",
        "扩容",
        "翻新",
        "项目建设",
        "建设项目",
        "校舍",
        "教学楼",
        "新(改、扩)建",
        "改扩建",
        "新建",
        "迁建",
        "扩建",
        "新增",
        "建成",
        "组建",
        "竣工",
        "完工",
        "修缮",
        "维修",
        "主体工程",
        "投入使用",
        "交付使用",
        "工程建设",
        "安装",
    ),
    "event": (
        "活动",
        "大会",
        "比赛",
        "竞赛",
        "大赛",
        "体育节",
        "读书节",
        "科技节",
        "艺术节",
        "周活动",
        "运动会",
        "展演",
        "宣传周",
        "宣传月",
    ),
}
EVENT_OPENERS = ("举办", "召开", "办好", "承办", "举行")
EVENT_NOUNS = re.compile(r"活动|节|周|[^十八]大会(?!议)|会$|赛|论坛|展|典礼|仪式|讲堂")
NOT_ACTIONS = (
    "体系",
    "机制",
    "制度",
    "平台",
    "办法",
    "中心",
    "基地",
    "模式",
    "网络",
    "机构",
    "服务",
    "管理",
    "标准",
    "能力",
    "水平",
    "范围",
    "规模",
    "经费",
    "工作方案",
    "考核",
    "学分",
    "任用",
    "力度",
    "奖惩",
    "结果",
    "进展",
    "情况",
    "资金",
    "政策",
    "补助",
    "补贴",
)
# A clause that opens with an action verb (after a subject with 要, and adverbs) is a task
# even without a kind's word: 做好…工作, 组织…, 制定…方案, 加强…, 推进…, 实施…工程, 完善….
ADVERBS = (
    "全面|进一步|持续|深入|继续|积极|大力|认真|切实|不断|着力|严格|有效|扎实|稳步|逐步|重点|主动"
    "|努力|坚决|及时|广泛|尽快|精心|统筹|因地制宜|对标对表|全力|加快|基本|同时|并|再|还|也"
    "|稳妥|有序|依法|规范|全面|高质量|高标准|多渠道|多措并举|精准|分类|分层|同步|常态化|全方位"
    "|集中|定期|按时|按期|如期|提前|力争|争取|抓紧|加紧|尽早|全速|全面"
)
VERBS = (
    "实施|推进|推动|加强|完善|落实|制定|修订|做好|抓好|组织|开展|深化|优化|构建|建立|健全|加大"
    "|提升|提高|强化|巩固|保障|规范|启动|发展|扩大|增加|完成|迎接|收集|争取|打造|实行|执行|配合"
    "|建设|探索|引导|支持|促进|压实|夯实|筑牢|用好|办好|保持|实现|确保|推广|加快|整治|编制|出台"
    "|理顺|改善|改进|清理|控制|调整|抓|细化|梳理|形成|明晰|明确|对照|谋划|上报|报送|研究|推行|拟定"
    "|落细|抓实|做实|做细|筹建|启用|投用|交付|配备|配齐|补齐|选派|印发|发布|整合|兜牢|守牢|织密"
    "|畅通|拓宽|拓展|开设|增设|设立|成立|管好|建好|用足|落地|引进|确定|消除|布局|创建|争创|筹备|投入|酝酿|督促"
    "|提供|开通|试点|解决|化解|防范|治理|整改|纠正|查处|减轻|降低|减少|缩小|召开|举办|举行|承办"
    "|协调|申报|推荐|普及|资助|补助|奖励|表彰|宣传|营造|培育|培养|指导|鼓励|开发|关爱|聚焦|督办|部署|严把|修缮"
    "|建成|迁建|迁至|新建|扩建|改扩建|新增|开工|进行|接受"
)
MARKER = r"(?:\d{1,3}\s?[.、]|\d{1,3}\s|\(?[一二三四五六七八九十]{1,3}[)、])?\s*"
# before the verb: a subject with 要/将/拟/都 (各地要…, 每个乡镇都…), or the object fronted by
# 对/为 (对控辍保学工作开展…, 为全区老年人提供…)
SUBJECT = r"(?:[^,]{0,14}?(?:要|将|拟|都|均|需|应|计划)|[对为向][^,]{1,20}?)"
GENERIC = re.compile(rf"^{MARKER}{SUBJECT}?(?:(?:{ADVERBS})\s?)*(?:{VERBS})")
# 建设/建成/新建… whose object is a school or a building is building work, whatever verb opens
BUILDING = re.compile(
    r"(?:建设|建成|新建|扩建|迁建|(?:建有|办)(?=\s?\d))[^,;。]{0,24}?"
    r"(?:学校|中学|小学|幼儿园|园所|新校|校区|校舍|教学楼|综合楼|宿舍|食堂|运动场|操场|场馆|场地"
    r"|早教中心|(?<!服务)中心\b)"
)
# 新增 builds when what is new is a place: 学位, 园位, 校舍, 学校, 教室, 床位
NEW_PLACES = re.compile(
    r"[^,;。]{0,12}?(?:学位|园位|托位|床位|校舍|学校|校园|中学|小学|幼儿园|园所|教室|宿舍|面积|场地|场馆)"
)
# 工程 names works unless a quotation names the programme (“蛋奶”工程)
PROJECT = re.compile(r"(?<!”)工程(?!师|院|学院|技术|管理)")
# …and the object before 建设 ("推进学校塑胶运动场地建设")
BUILT = re.compile(r"(?:校舍|教学楼|综合楼|宿舍楼?|食堂|运动场地?|操场|场馆|体育馆|图书馆)建设")
EQUIPPED = re.compile(
    r"(?:设施|设备|器材|装备|空调|电脑|多媒体|直饮水)[^,;。]{0,4}配备|配备[^,;。]{0,6}(?:设施|设备|器材|装备)"
)
# 创建/争创 open the name of a title to win (创建…示范区, 争创…先进县): the words in it are names
TITLE_OPENERS = re.compile(
    rf"^{MARKER}(?:(?:{ADVERBS})\s?)*(?:支持[^,]{{0,16}}?)?(?:创建|争创|创成|申报|争当)"
)
# drafting a plan or a rule, or summing up, whatever the plan is about
DRAFTING = re.compile(
    rf"^{MARKER}(?:(?:{ADVERBS})\s?)*(?:研究)?(?:制定|修订|编制|印发|出台|起草|总结|拟定|酝酿)"
)
# a clause whose object is money or a policy (落实…维修改造资金) funds the work: other
FUNDING = re.compile(r"(?:资金|经费|政策|补助|补贴|奖补)$")
RECRUITED = ("人才", "教师", "学者", "专家", "人员", "名", "博士", "校长", "干部")


@dataclass
class Action:
    kind: str
    text: str
    start: int
    units: list[str] = field(default_factory=list)
    deadline: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.units or self.deadline:
            data["units"] = self.units  # a dated task with no unit named shows an empty list
        if self.deadline:
            data["deadline"] = self.deadline
        return data


WORD_PATTERNS = [
    (kind, word, re.compile(re.escape(word))) for kind, words in KEYWORDS.items() for word in words
]


def classify(clause: str) -> str | None:
    body = clause.strip()
    quotes = quoted_spans(body)
    if body.startswith(EVENT_OPENERS) and EVENT_NOUNS.search(body):
        return "event"
    if TITLE_OPENERS.match(body):
        return "evaluation"
    best: tuple[int, str] | None = None
    for kind, word, pattern in WORD_PATTERNS:
        if word not in body:
            continue
        for match in pattern.finditer(body):
            position = match.start()
            if any(a <= position < b for a, b in quotes):
                continue
            following = body[match.end() : match.end() + 4]
            if following.startswith(NOT_ACTIONS) and kind != "event":
                continue
            if word == "大会" and body[match.end() : match.end() + 1] == "议":
                continue  # 十八大会议
            if word == "新增" and not NEW_PLACES.match(body[match.end() : match.end() + 16]):
                continue  # 新增就业, 新增参保: new places, not new buildings
            if word == "建成" and not QUANTITY.search(body):
                continue  # 建成…体系/格局 is an aim, not a construction
            if kind == "training" and following.startswith(("学院", "学校")):
                continue  # 教师进修学院 is a school's name
            if word == "选拔" and not any(r in body for r in RECRUITED):
                continue  # 大赛市级选拔 picks entries, not people to hire
            if (
                kind == "recruitment"
                and word == "引进"
                and not any(r in body[match.end() : match.end() + 14] for r in RECRUITED)
                and not any(r in body[max(0, position - 8) : position] for r in RECRUITED)
            ):
                continue
            rank = position + (0 if kind != "event" else -1000)  # 活动 only breaks ties
            if best is None or rank > best[0]:
                best = (rank, kind)
    for pattern in (BUILDING, BUILT, EQUIPPED):
        for match in pattern.finditer(body):
            following = body[match.end() : match.end() + 4]
            if (
                not any(a <= match.start() < b for a, b in quotes)
                and not following.startswith((*NOT_ACTIONS, "方案", "计划", "规划"))
                and (best is None or match.start() > best[0])
            ):
                best = (match.start(), "construction")
    if best is None and (project := PROJECT.search(body)) and not _inside(project.start(), quotes):
        return "construction"  # 实施…提升工程: a works programme, when no other word tells
    if best is not None and (DRAFTING.match(body) or FUNDING.search(body)):
        return "other"  # 制定…培训计划, 总结…活动: the plan or the summary is the work
    return best[1] if best else None


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def find_actions(text: str, year: int | None, *, report: bool = False) -> list[Action]:
    """Each actionable clause of `text`, with units and deadline from its annotation.

    In a `report` (what was done) only clauses with a kind's word count, not every verb.
    """
    actions: list[Action] = []
    whole = assigned(text, year, clauses=False)  # an item's (责任单位: …) covers its sentences
    ahead = False  # in a report, a paragraph that turns to what comes next plans
    for sentence in spans(text, "。;!?\n"):
        start, end = sentence
        body = text[start:end]
        if start == 0 or text[start - 1] == "\n":
            ahead = False
        ahead = ahead or bool(NEXT.match(body))
        annotation = assigned(body, year) or whole
        plain = ANNOTATION.sub("", body)
        offset = start
        found = len(actions)
        schedule = schedule_deadline(plain, year)
        for number, (clause_start, clause_end) in enumerate(spans(plain, ",:")):
            clause = plain[clause_start:clause_end].strip()
            kind = classify(clause)
            planned = not report or ahead
            if kind is None and planned and len(clause) >= 6 and GENERIC.match(clause):
                kind = "other"
            if kind is None and schedule and number > 0 and len(clause) >= 6:
                kind = "other"  # each step of a dated schedule is work to track
            if kind and len(clause) >= 4:
                position = text.find(clause, offset)
                due = annotation.get("deadline") or own_deadline(clause, year) or schedule
                found_units = annotation.get("units", [])
                actions.append(Action(kind, clause, max(position, start), found_units, due))
        own = assigned(body, year)
        rest = plain.strip(" 。")
        if len(actions) == found and own.get("units") and rest and not KEY.match(rest):
            # a table's row or an assigned sentence is one task even without an action word
            clause = re.split(r"[。;]", plain.strip(), maxsplit=1)[0].strip()
            actions.append(Action("other", clause, max(text.find(clause, offset), start), **own))
    if not actions and whole:
        # an assigned item with no recognisable action word is still one task to track
        first = ANNOTATION.sub("", text).strip()
        clause = re.split(r"[。;]", first, maxsplit=1)[0].strip()
        if clause:
            actions.append(Action("other", clause, text.find(clause), **whole))
    return actions
