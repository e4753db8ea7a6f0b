"""Actionable clauses, with their kind (`kinds.classify`), units and deadline.

A clause with a kind's word is a task; in a plan, so is one that opens with an action verb
(after a subject, a fronted object and adverbs), as kind `other`. Units and deadlines come
from the sentence's annotation (`assignment`), its own date or its schedule (`deadlines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from duban.tasks.extract.assignment import (
    ANNOTATION,
    BODIES,
    COOP,
    KEY,
    LEAD,
    PARTNERS,
    SPACED,
    addressed,
    assigned,
    only_assigns,
    split_bodies,
)
from duban.tasks.extract.brackets import spans
from duban.tasks.extract.deadlines import (
    PHASE,
    by_year_deadline,
    closing_deadline,
    is_date,
    own_deadline,
    phase_deadline,
    schedule_deadline,
)
from duban.tasks.extract.kinds import ADVERBS, LEADING_MARK, MARKER, MEASURES, classify
from duban.tasks.extract.tense import DONE_LE, NEXT

# A clause that opens with an action verb (after a subject with 要, and adverbs) is a task
# even without a kind's word: 做好…工作, 组织…, 制定…方案, 加强…, 推进…, 实施…工程, 完善….
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
    "|坚持|丰富|采取|核实|核查|核定|安排|列入|纳入|对接|发动|严防|停止|拆除|追究|予以|缓解|制订"
    "|统筹|把握|掌握|锤炼|更新|带动|建强|擦亮|开足|开齐|发挥|提振|负责|挂牌|汲取|保证|加以"
    "|补充|搭建|做强|做优|关心|压减|通报|分析|报告|动工|安置|找准|找好|担当|增强|填报|铺排|学习"
    "|突出|破解|单列|联系|提报|公示|采购|挖掘|激发|树立|弘扬|传承|贯彻|共建|盘活"
    "|帮扶|救助|修建|装修|接收|遵循|调动|担负|编入|讲解|讲授|上好|培树|守住|整理|起草|监测|搬迁"
    "|聘请|扫除|聚力|依托|共享|讲好|开好|扛牢|激活|稳定|汇聚|尊重|找出"
    "|遏制|做到|汇报|查找|发送|预防|强健|升级|摸底|下达|筹措|维护|动员|倡导|展示|测算|创新|肩负|堵塞"
    "|发现|改建|加装|增配|兴办|配建|养护|跟进|办理|审议|储备|公布|批准|紧盯|紧扣|严抓|严肃|理清"
    "|利用|重视|研判|送教|购置|购买|安装|配置"
    # what a plan puts first, where or through what: 把…作为/摆在/贯穿/融于/落到实处
    "|把(?=[^,;。]{2,30}?(?:作为|摆在|放在|贯穿|融入|融于|纳入|列入|落到|抓))"
    "|压缩|充实|杜绝|狠抓|征用|流转|列出|增补|选聘|安置|援助|履行|满足|扶持|给予|硬化|开建|研制"
    "|编写|搞好|摸清|拨付|签订|融入|引领|免除|发放|防止|跟踪|复审|公开|公布|听取|承担|创办|征集"
    "|开办|开放|汇总|查阅|禁止|限制|统一|扩充|扩招|选树|突破|净增|添置|推出|招募|新聘|续聘|接种|体检"
    "|招收|投资|减免|创设|传达|避免|注重|创造|吸引|改革|划定|分配|接入|克服|写好"
    "|投建|分解|修编|倒排|剖析|厉行|力戒|反对|回应|澄清|解读|简化|服从|认领|设置|组建|孵育|孵化|设定|审定|确立|筹划|参与|集聚"
    "|推开|领会|理解|阐释|守护|打通|提档升级|募集|厘清|绘制|填补"
    "|严守|守好|打好|绘就|厚植|攻坚|介绍|关注|悬挂|张贴|取缔|邀请|保留|拉高|提醒|推送|选取|践行|引入|传导|新修(?!订)|严禁|录制|回收|收回"
    "|助推|壮大|铺设|开创|宣讲|把牢|造就|帮助|总结|认识|评出|订购|编撰|编印|制作|张榜|创立|严明|压紧|预设"
    r"|筛查|助力|办成|破除|表扬|发出|立项|深学笃用|迭代更新|新\(改、?扩\)建|新改扩建|开拓(?!进取)|登记"
    "|严格(?=[^,]{0,14}(?:制度|纪律|标准|程序|规定)$)"
    # heldout97–104's plans: funds, titles, schools merged, what pupils and classes do
    "|筹集|聚集|记录|配强|增添|走好|回购|打破|颁发|查漏补缺|合并|撤消|撤销|选拔|探讨|庆祝|寻找"
    "|苦练|延伸|集中|兜住|看牢|命名|并入|建起|补招|填写|强调|收取"
    # heldout117–120's plans: policing a school's surroundings, a school's papers
    "|打击|释放|净化|处理|编印|撰写|告知|报请|观看"
    # heldout109–124's plans: visits and replies, money paid out, a frame chosen
    "|走访|反馈|会商|遵守|改变|敦促|锚定|对标|唱响|开辟|塑造|指定|策划|担任|兑现|摸排|核减|着手|打响|拿出"
    "|树牢|编发|把准|把稳"
    # heldout129–132's plans: enrolment quotas kept, cut or stopped; figures counted up
    "|维持|削减|暂停|签署|缩减|论证|统计|核算|标注|拟订|写出|紧跟"
    # heldout165–176's plans: a studio's meetings, samples drawn, meals served, buses replaced
    "|讨论|商讨|分享(?![至到让给])|上传|抽取|查验|传授|供应|更换|免收|展开"
    # heldout296–299's provincial plans: what is lifted, widened, revived or brought in
    "|提质扩容|提质升级|扩容|扩增|振兴|办优|引育"
    # heldout309–312's plans and replies: funds applied for, papers sent up, records kept
    "|申请|报批|录入|责令|剔除|支付|提取|输送|达成|初筛|批评"
    # heldout317–320: schools built or pulled down, people drawn in, changes met
    "|兴建|增建|撤除|转变|连通|吸纳|应对"
    # heldout326: a notion reshaped
    "|重塑"
)
# before the verb: a subject with 要/将/拟/都 (各地要…, 每个乡镇都…, and its fronted object: 拟对…
# 进行整治) or a reply's 望 (望抓紧做好…, not 有望 or 希望), the object fronted by 对/为/把/将
# (对控辍保学工作开展…, 为全区老年人提供…, 将…纳入…),
# a body that does the work (区教育局成立…, 发展规划处负责…, 教育行政部门在…内统筹…, 各省(区、市)…),
# a notice's request (请…), a partner (联合…, 会同…), a rule followed (按规定, 根据需要, 按…程序), what a
# plan is said to set out (规划提出…, 决定…), a span (节假日期间…), the year's own time (今年…,
# 省财政今年…, 2026年…), a manner (以…方式) or a procedure's step done by whom it names
# (1月21日由学校向…报告); work joined by 并
SUBJECT = (
    r"(?:[^,]{0,16}?(?:要|将|拟|都|均|各|需|须|应|可|(?<![有可希期展渴盼])望|计划|准备)(?:对[^,]{1,30}?|在[^,]{1,12}?)?|[对为向][^,]{1,30}?"
    r"|[^,]{0,6}?[把将][^,]{1,30}?|与[^,]{1,20}?(?=签订|签署|深度合作|合作办学|共同|一起|开展)|面向[^,]{1,16}?|全[国市县区省州镇](?:范围内)?|在(?!校)(?![^,]*(?:[下上中时后]|方面|之年|时期|部分|——)$)[^,]{1,20}?"
    r"|(?:即|并)?(?:每[^,]{1,8}?|工作日|周末|寒假|暑假|寒暑假|节假日)|[^,]{1,10}?期间|(?:联合|会同)[^,]{1,20}?|请"
    r"|(?:按照?|根据|参照)[^,]{0,12}?(?:规定|要求|计划|规划|程序|需要|方案|部署)|以[^,]{1,16}?(?:方式|形式)|20\d\d年(?:底|末)?(?:前|以前|内)?(?![^,]*以来)|[^,]{0,10}?(?:提出|明确|强调|指出|决定|规定|要求|主要包括)"
    r"|(?:20\d\d年)?\d{1,2}月(?:\d{1,2}日|底|末|[上中下]旬)?(?:前|以前)"
    r"|[^,]{0,14}?(?:局|厅|处|科|院|部门|政府|委员会|常委会|各地|各校|学校|幼儿园|公司)(?:在[^,]{1,16}?内)?"
    r"|[^,]{0,10}?(?:今年|明年|年内|全年)|各[^,()]{1,4}\([^()]{1,8}\)"
    # a body named by 各 (各镇街成立…, 各班创设…)
    r"|各[^,()]{0,3}?(?:镇街|乡镇|街道|县|区|市|校|园|单位|部门|科室|股室|处室|班|年级)"
    r"|(?:\d{1,2}月\d{1,2}日)?由[^,]{1,16}?(?:局|委|办|院|厅|处|科|室|中心|政府|学校|班主任|小组|部门)"
    r"(?:负责)?(?:[向对为][^,]{1,30}?)?)"
)
# an action of a list after its first, led by its verb alone (…、改善学校办学条件、推进…)
LED_BY_VERB = re.compile(rf"^(?:(?:{ADVERBS})\s?)*(?:{VERBS})(?!化)")  # 制度化、规范化建设
VERB = re.compile(VERBS)
# a body that does the work, named as the clause's subject with no 要 or 负责 after it: "各市州教育部门
# 对…进行调查摸底", "县教育局成立…领导小组", "各校完成新生报到工作" — not one a verb takes as its
# object ("支持学校开展…", "联合市城管局打造…"), one that issues what others are to do ("省委办公厅
# 印发…"), nor words that merely end as a body's name does ("我省将优化中小学校", NOT_IN_NAME)
DOER = re.compile(
    rf"^(?!(?:{ADVERBS}|{VERBS}|支持|鼓励|帮助|指导|引导|推动|动员|要求|督促|让|使|为|在|以|按|将|把|与|同|经|凡))"
    rf"{BODIES}(?=(?:(?:{ADVERBS})\s?)*(?!印发|发布|出台|下发|提出|决定|明确|强调|指出|要求)"
    rf"(?:{VERBS}|对|向|于|会同|牵头))"
)
# a list item that opens with a body and a colon gives it the item's work: "(一)政法部门:将…;配合…"
# (not a letter's addressee, "闵行区教育局:你局…", nor a form's field, "承办单位:…": the item is numbered)
DUTIES = re.compile(
    rf"\s*(?:[(（][一二三四五六七八九十\d]{{1,3}}[)）]|[一二三四五六七八九十\d]{{1,3}}[、.])\s*"
    rf"(?!(?:组织|发布|承办|主办|协办|建设|实施|责任|牵头|配合|主管|参与|申报|项目建设)单位){BODIES}[:：]"
)
NOT_IN_NAME = re.compile(
    r"[将要在对向为把是经从除我■《逐给据每这该此]|今后|检查|督查|其中|必须|希望|联合|会同|协同|配合|协助|今年|明年|记者|推进|加大"
    r"|优化|实施|计划|结合|按照|根据|针对|继续|进一步|全面|责成|提请|组织(?!部)|通过|报经|开展"
    r"|[布格大全]局|[主承协][办辦]|联系"
)
SHARED_VERB = re.compile(r"(?:新建|改建|扩建|迁建|续建|开工|新增|增加|配备)$")
GENERIC = re.compile(rf"^{MARKER}(?:并|同时|还|再)?{SUBJECT}?(?:(?:{ADVERBS})\s?)*(?:{VERBS})")

# what frames the work is no work: a purpose (为深入贯彻…, 为了加强…), a basis (根据《…》,
# 按照…要求), a title (关于…的通知) or the finding an audit's request answers (对…的问题)
FRAME = re.compile(
    rf"^{MARKER}(?:为了?(?:(?:{ADVERBS})\s?)*(?:{VERBS}|贯彻)|(?:根据|依据|遵照)"
    r"|按照[^,]*(?:要求|精神|规定|部署|安排|原则|思路|流程)$|关于[^,]*的(?:通知|意见|方案|函)$"
    r"|(?:针对|对)[^,]*的问题$)"
)
# a form's field or a section's name is no work: 发布时间, 培训对象, 实施时间, 指导思想, 发展目标
FIELD = re.compile(
    r"^(?:发布|更新|实施|完成|活动|培训|督查|检查|上报|报名|报送|考核|评选|申报|统计)"
    r"(?:时间|日期|地点|对象|内容|目标|要求|方式|范围|程序|条件|区间|口径)$"
    r"|^(?:指导思想|发展目标|总体目标|基本原则|主要目标|工作目标|总体要求)$"
)
# a clause that tells of work done: 已开工, 出台了…, 均已建成 (not 了解, 为了, 除了, nor 已 that
# qualifies what the work is on: 对已整改的机构做好复查)
DONE = re.compile(
    rf"已(?!于|在|达|有|知)(?![^,;。的]{{0,6}}的)|(?<![为占到]){DONE_LE}|正在(?![^,;。]{{0,6}}的)"
)
# …and a summary's bullets and notes: "…托养照护 [3] - 实施就业专项扩岗行动"
LOST_COMMA = re.compile(
    r"\s*(?:\[\d{1,2}\])+\s*(?:-\s+)?|(?<=[\u4e00-\u9fff])\s+(?:-\s+)?(?=[\u4e00-\u9fff])"
)
# a list item's number glued to its verb, with no mark after it: "…意识。2培养学生安全意识"
GLUED_NUMBER = re.compile(rf"^\d{{1,2}}(?=(?:{VERBS}))")
# in a report, a clause that announces what comes next: 准备进行…, 拟…, 即将…, 计划…
AHEAD = re.compile(r"^(?:准备|拟|即将|将要|计划|预计|下一步)")


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


def find_actions(text: str, year: int | None, *, report: bool = False) -> list[Action]:
    """Each actionable clause of `text`, with units and deadline from its annotation.

    In a `report` (what was done) only clauses with a kind's word count, not every verb.
    """
    actions: list[Action] = []
    whole = _covering(text, year)  # an item's one (责任单位: …) covers its sentences
    ahead = False  # in a report, a paragraph that turns to what comes next plans
    paragraph: dict[str, Any] = {}
    phase: str | None = None  # "第二阶段(2022年4月)": its work is due at its span's end
    for sentence in spans(text, "。;!?\n"):
        start, end = sentence
        body = text[start:end]
        if start == 0 or text[start - 1] == "\n":
            ahead = False
            phase = None
            paragraph_end = text.find("\n", start)
            paragraph = _covering(text[start : paragraph_end if paragraph_end >= 0 else None], year)
            if not paragraph.get("units") and (duty := DUTIES.match(text, start)):
                paragraph = {**paragraph, "units": split_bodies(duty.group(1))}
        ahead = ahead or bool(NEXT.match(body))
        own = assigned(body, year)
        # the sentence's own date, and the units its paragraph's annotation gives: "6月30日前完成
        # 选址。〔责任单位:各乡(镇)人民政府…"
        annotation = {**(paragraph or whole), **own}
        plain = ANNOTATION.sub("", body)
        if len(plain) > 60 and not re.search(r"[,;:]", plain):
            # a scrape that lost its commas to spaces: "实施…工程 包括挡墙13.46千米 道路8.72千米"
            plain = LOST_COMMA.sub(",", plain)
        offset = start
        found = len(actions)
        schedule = schedule_deadline(plain, year)
        by_year: str | None = None  # until a clause opens with a year
        units = annotation.get("units") or addressed(plain) or doers(plain)  # whom it addresses
        clauses = [
            piece
            for clause_start, clause_end in spans(plain, ",:")
            for piece in _actions_listed(
                _unmarked(plain[clause_start:clause_end], first=clause_start == 0)
            )
        ]
        closing = closing_deadline(clauses, year)
        for number, clause in enumerate(clauses):
            if heading := PHASE.match(clause):  # the phase's name and span are no work
                phase = phase_deadline(heading, year) or phase
                clause = LEADING_MARK.sub("", clause[heading.end() :].strip())
            if opening := by_year_deadline(clause):  # …强调,2020年底前,要…: the rest is due then
                by_year = opening
                continue
            if number and not annotation.get("units"):
                units = addressed(clause) or doers(clause) or units  # …,各地、各部门要…: theirs
            if FRAME.match(clause) or LEAD.match(clause) or COOP.match(clause):
                continue  # …, 由县市场监管局负责: who does it, not more work
            if KEY.fullmatch(f"{clause}:"):
                continue  # 负责部门:学校语委办 — the annotation's key, not work
            if LEADING_MARK.sub("", clause).strip() in units:
                continue  # "(二)宣传部门:…": the body whose work follows, not work
            if FIELD.match(clause) or DONE.search(clause.split("|")[0]):
                continue  # 这9所新建公办幼儿园均已开园, 出台了…意见: work reported done
            kind = classify(clause)
            planned = not report or ahead or bool(AHEAD.match(clause))
            if kind is None and planned and len(clause) >= 4 and GENERIC.match(clause):
                kind = "other"
            if kind is None and schedule and number > 0 and len(clause) >= 6:
                kind = "other"  # each step of a dated schedule is work to track
            if kind and len(clause) >= 4:
                position = text.find(clause, offset)
                dated = own_deadline(clause, year)
                due = (
                    # the clause's own date: "…在2024年3月底全面开工建设,8月20日前完成重建"
                    (dated if is_date(dated) else None)
                    or annotation.get("deadline")
                    or dated
                    or schedule
                    or closing
                    or phase
                    or by_year
                )
                actions.append(Action(kind, clause, max(position, start), units, due))
        rest = plain.strip(" 。")
        if only_assigns(rest) and own.get("units"):
            # "市卫健委牵头, 市教育局配合, 年底前完成." after the tasks it assigns
            if not actions and start > 0:  # the item's first sentence is the task it assigns
                first = re.split(r"[。;]", ANNOTATION.sub("", text[:start]).strip())[0].strip()
                actions.append(Action("other", first, max(text.find(first), 0)))
            for action in actions:
                if not action.units:
                    action.units, action.deadline = (
                        own["units"],
                        action.deadline or own.get("deadline"),
                    )
            continue
        if (
            len(actions) == found
            and own.get("units")
            and rest
            and not KEY.match(rest.lstrip("〔【[("))
        ):
            # a table's row or an assigned sentence is one task even without an action word
            clause = re.split(r"[。;]", plain.strip().lstrip("| "), maxsplit=1)[0].strip()
            actions.append(Action("other", clause, max(text.find(clause, offset), start), **own))
    if not actions and whole:
        # an assigned item with no recognisable action word is still one task to track
        first = ANNOTATION.sub("", text).strip()
        clause = re.split(r"[。;]", first, maxsplit=1)[0].strip()
        if clause:
            actions.append(Action("other", clause, text.find(clause), **whole))
    return actions


def _unmarked(clause: str, *, first: bool) -> str:
    """A clause without its list item's mark; a sentence's first clause without the number glued
    to its verb too ("2培养学生安全意识": not "22:10发布", a time cut at its colon)."""
    clause = LEADING_MARK.sub("", clause.strip().lstrip("| "))
    return GLUED_NUMBER.sub("", clause) if first else clause


QUOTED_ITEM = re.compile(r"“([^“”]{4,40})[\"”]等?")


def _actions_listed(clause: str) -> list[str]:
    """A clause that lists actions with 、, each led by its verb ("优化学校布局、改善学校办学
    条件、推进学区制改革"), is one task per action; a list of objects (新建、改扩建幼儿园,
    开展安全教育、法制教育) stays one."""
    if "、" not in clause or re.search(MEASURES, clause):  # 采取A、B等措施: one piece of work
        return [clause]
    pieces = [clause[a:b].strip() for a, b in spans(clause, "、")]
    if not pieces:
        return [clause]  # "、" alone
    quoted = [QUOTED_ITEM.fullmatch(p) for p in pieces]
    if len(pieces) > 1 and all(quoted):
        # a list of projects each in quotes: “实施危桥改造项目”、“新建3所公办幼儿园”等
        pieces = [m.group(1) for m in quoted if m]
    first, *rest = pieces
    opening = GENERIC.match(first)
    if (
        rest
        and opening
        # 开工新建、改建169所, 支持各县新建、改扩建…: verbs that share the object after the last
        and len(VERB.sub("", first[opening.end() :])) >= 2
        and not SHARED_VERB.search(first)
        and all(len(p) >= 4 and LED_BY_VERB.match(p) for p in rest)
        and all(p.count("“") == p.count("”") for p in pieces)  # “…、…” is one name
        # 具有…特色、基本满足…的课程体系, 入学率、巩固率分别达到…: the pieces share what follows
        and not re.search(r"的|分别", rest[-1])
    ):
        return pieces
    return [clause]


def _covering(text: str, year: int | None) -> dict[str, Any]:
    """The units and deadline that cover all of `text`: its annotation if it has one; several
    (a list of numbered tasks, each with its own) cover only their own paragraphs."""
    return assigned(text, year, clauses=False) if len(ANNOTATION.findall(text)) <= 1 else {}


# "…,由所属中心学校统筹组织对民办学校进行初检", "招生范围由市教育局另发文规定": the body 由 names
# does the work (not 由于, 由此, 理由, 自由, 由浅入深)
BY = re.compile(r"(?<![理自缘来经])由(?!于|此|浅|表及|衷|来|头)")
PARTNERS_AFTER = re.compile(rf"(?:(?:{ADVERBS})\s?)*{PARTNERS}")
# …whose work names a thing: "由省教育厅主办的…活动", "由市委、市政府支持建设的项目"; a way of
# working (构建由政府统筹…的机制), or a change of who runs it (由政府举办为主转变为…), assigns nothing
BY_WHOM = re.compile(r"[^,;。的]{1,6}的")
BY_WAY = re.compile(r"(?:构建|建立|形成|实现|健全|完善|打造|推动|促进|探索|推行|实行)$")
CHANGE = re.compile(r"转变|转向|为主|居多")


def doers(clause: str) -> list[str]:
    """The bodies a clause names as its subject before the work they do (`DOER`), or as those
    by whom (由) it is done."""
    clause = SPACED.sub("", clause.strip())
    found = DOER.match(clause)
    opening = re.split(r"[,;:]", clause, maxsplit=1)[0]  # 由 in a later clause is that one's
    if not found and (by := BY.search(opening)) and not BY_WAY.search(opening[: by.start()]):
        found = DOER.match(clause[by.end() :])
        if found and (BY_WHOM.match(clause, by.end() + found.end()) or CHANGE.search(opening)):
            found = None
    if not found or NOT_IN_NAME.search(found.group(1)):
        return []
    partners = PARTNERS_AFTER.match(found.string, found.end())  # "区卫健委会同区教育局制定…"
    names = [found.group(1), *(partners.groups() if partners else ())]
    return [n for name in names if name for n in split_bodies(name)]
