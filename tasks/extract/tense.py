"""Whether a number reports what was (a statistic) or states what is to be reached (a target).

Reports mix both: "全市已新建公办幼儿园150所" and "比去年提高了3.5个百分点" report the past,
"力争新建公办幼儿园20所" commits to the future. The word nearest before the number, in its
sentence, decides: 已/了/共有/累计/同比/截至/比上年… mark a statistic, 将/要/力争/确保/
计划/目标/到…年/控制在… a target. Where neither speaks, a statistic word later in the same
clause (251所学校实现了…, 开工率97.4%位居全省第二) decides; otherwise the part of the
document does: a summary, review or progress report states statistics, a plan states targets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from duban.tasks.extract.numbers import chinese_to_int
from duban.tasks.extract.quantity import QUANTITY

# 了 that tells an action done: 消除了, 免除了 too, but not 除了 ("except") nor 了解
DONE_LE = r"(?<![^消清拆排解免破去根铲]除)(?<!^除)了(?!解)"
# 已 after 占, 对, 为 … qualifies the noun after it (占已入学残疾学生比例, 对已建成的…): no past;
# the total a year ahead is to reach is a goal (到2027年,累计实现城镇新增就业8000人以上)
STATISTIC = re.compile(
    rf"(?<![占对向把给])(?<![^因]为)已经?|(?<![为占]){DONE_LE}|共有|(?<!每.)(?<!每..)共计|(?<![面积资金划])共(?=\s?\d)|总计|合计|(?<!到20\d\d年)(?<!到20\d\d年,)(?<!到20\d\d年底)(?<!到20\d\d年底,)累计|同比|环比"
    # 共增加/共新建…: a total done (计划共新建… is still a plan)
    r"|(?<![划争保将要拟总])共(?=落实|收集|收到|征集|抽取|抽样|调查|增加|新增|新建|新改扩建|改扩建|建设|建成|认定|完成|投入|改造|培训"
    r"|招聘|招录|招生|招收|补充|发放|资助|惠及|接收|录取|撤并|减少|开工|竣工|覆盖|开办|开设"
    r"|检查|抽查|督查|走访|排查|发现|开通|申报|安装|评选|评审|评出|受理|办理|拨付|下拨|筹集|捐赠"
    r"|派出|选派|组织|举办|召开|参加|参与|引进|救助|帮扶|慰问|接待|指导|聘请)"
    # 实际补充6914台: what was actually done (not a share of it: 不得低于…实际招生人数的70%)
    r"|实际(?![^,;。\d]{0,12}的\s?\d[\d.]*\s?%)(?=[^,;。\d]{0,24}\d)"
    r"|(?<![比较])去年(?!的?基础)|相比|截至|截止|至目前|(?<!项)目前|超计划|超额|现有|显示|过去"
    # money handed down (下达, 下拨) or received (获3209万元) is there already
    r"|下达(?!的)|下拨(?!的)|获得?(?=\s?\d[\d.]*\s?[万亿]?元)"
    # 期间 of a span gone by (督导期间); an event's week or a holiday (推普周期间, 暑假期间) a
    # plan names too
    r"|(?<![五周假节])(?<!五”)期间|一年来|20\d\d年以来|(?<=五)”?以来"
    r"|这一年|近(?:\d+|[两三四五六七八九十])年来?|这[两三四五六七八九十]年|(?<!\d)一年的|先后|首次"
    r"|(?<![\d今])(?:\d{1,2}|[两三四五六七八九十])年来"  # 5年来,全州新建高中2所
    r"|均为|由(?=\d)|从(?=20\d\d年)|(?<=年)的(?=\s?\d)"
    # 全市有…70所 (not the age of 拥有3岁以下婴幼儿托位数; 要有, 将有, 至少有 are to come; 民生实事
    # 有3项 counts a list of commitments; 拥有 is what a goal says too: "到2025年,…拥有2支…俱乐部")
    r"|(?<=[^\d\s建要将少拥])(?<!少.)(?<!实事|任务|项目)有(?=\s?\d)(?!\s?\d+(?:-\d+)?周?岁)|(?<=[市县区省镇乡])有(?=[^,;。\d有]{1,8}\d)"
    r"|仅为|仅(?:有|占)?(?=\s?\d)|完成[^,;。\d]{0,12}的(?=\s?\d[\d.]*%)"
    # the share of a goal or plan reached so far: 完成2015年目标的68%, 占计划安排的108.8%
    r"|(?:完成|占)[^,;。]{0,12}?(?:目标|计划|任务)[^,;。\d]{0,6}的(?=\s?\d[\d.]*\s?%)"
    r"|发现(?=\s?\d)"  # 检查发现3家托管班…: what an inspection found
)
# 实事 says a list of commitments; "十件民生实事全部如期完成" tells they were kept
TARGET = re.compile(
    r"将(?=[于在要继新开完实推提增扩加建达全启力进重逐投用落为对与以通派组举召采分]|如期)|(?<![主重需纲摘概只简纪扼])要(?![求点素])|力争|确保|(?<![动作度展施按超生资])计划(?!项目|建设项目|的|\s?\d)|预计|(?<!既定)目标(?!考核|管理|责任)|拟|(?<!占)规划(?!量|面积|用地)|(?<!超)预期(?!受教育|寿命)|实事(?![^,;。]{0,10}?(?:全部|如期|见效|落地|完成|办结))|到20\d\d年|20\d\d年底前|年内"
    r"|控制在|不低于|不少于|不超过|不高于|保持|稳定在|提高到|提升到|增加到|达到(?=\D{0,6}以上)"
    # what is needed is still to be made: "已开办幼教点中…需要增加班级2个" (not a need named:
    # 根据产业发展需要新增…专业)
    r"|(?<![展發作际際求])需要(?=增加|新增|新建|建设|配备|补充|招聘|选聘|培训|改造)"
    # a list of tasks announced: "今年市教育局一共有10项建设任务:…"
    r"|(?:任务|实事|项目)(?:有|是|为|如下)?:"
)
# a sum ("…,合计6300名") adds up its own sentence; 共计 and 总计 do carry a review's past on
# (共计新建…。新增…), so they are not in it
SUM = re.compile(r"合计")
# "入学率为100%": in a report a rate as it stands; a plan states the rate to reach so too
RATE_IS = re.compile(r"(?<=率)为(?=\s?\d)")
# a summary's paragraph that turns to the coming work: 下一步, 明年, 今后, 2024年我们将…
NEXT = re.compile(r"^\s*(?:下一步|下阶段|明年|今后|接下来|新的一年|20\d\d年[^,。]{0,6}将)")
# the level a year ahead is to reach, just before the figure: "(2027年达到93%,2035年达到98%)"
YEAR_GOAL = re.compile(
    r"(20\d\d)\s?年(?:底|末)?前?均?(?:达到|达|提高到|提升到|降到|降至|控制在)\s?$"
)
# a short note in brackets after an item that tells it done: "(已完成)", "(已开工)"
NOTE = re.compile(r"\(已[^()]{1,7}\)")
# the words that tell works finished
FINISHED = r"(?:开工|竣工|完工|建成|完成|投入使用|交付使用)"
# a completion notice on the figure itself: "收集反馈问题12项,均已整改到位", "23所,已全部完成建设",
# "17个教育项目全部开工", "15项超额完成", "新增学位120个(已完成)"
DONE_AFTER = re.compile(
    r"^[^,;。]{0,6}[,]\s*(?:均已|已全部|全部已|现已|均已经)"
    r"|^[^,;。\d]{0,2}\(已(?:经)?(?:完成|建成|竣工|完工|开工|投用|投入使用)\)"
    rf"|^[^,;。\d]{{0,8}}(?:全部|均)已?{FINISHED}(?!后)"
    r"|^[^,;。\d]{0,4}(?:圆满|超额|顺利)完成"
)
# …but "全部建成" without 已 after a figure, with a date to meet before it in its sentence, says
# when it is to be done: "11月20日前,62所项目学校全部建成" (a word of the future does not:
# "全省规划建设校舍面积86.66万平方米全部开工" in a progress notice)
ALL_TO_BE_DONE = re.compile(rf"^[^,;。\d已]{{0,8}}(?:全部|均){FINISHED}")
BY_A_DATE = re.compile(r"(?:\d{1,2}\s?月(?:\d{1,2}\s?日|底|末|份)?|年底|年末)前")
# "预计完成地区生产总值90.82亿元" in a review: the year's outcome estimated before its figures are
# in, not a forecast of a goal
YEAR_END_ESTIMATE = re.compile(r"预计(?:完成|全年)")
# "“十三五”末期": the last year of a five-year plan (十一五 ends 2010, 十三五 2020); after 比 or 较
# it is the base a change is measured from
BASELINE = re.compile(r"[比较]“?$")
FIVE_YEAR_PLAN = re.compile(r"(十[一二三四五六七八九])五”?(?:末期?|期间|时期)")
# "…占本科教育的50%以上的目标", "新增超百万座…学位的任务目标": the figure is a goal's
GOAL_AFTER = re.compile(r"[^,;。!?\n]{0,24}?的(?:任务|工作|发展|总体|主要|奋斗)?目标")
STATISTIC_AFTER = re.compile(r"^[^,;。|]*?(?:已|了|位居|居全|排名|排在|正在)")
# "幼儿园28.12万所,比上年增长5.44%": a figure compared with the year before is reported
CHANGED = r"(?:增长|增加|减少|下降|提高|上升|降低)"
COMPARED = r"(?:[比较]上一?年|[比较]去年|同比|[比较]20\d\d年[末底初]?)" + CHANGED
# "到2023年底,…安全事故同比下降10%": a comparison before a figure says what the figure is
# measured against, not when: the words before it decide, for this figure and the later ones
# (unless it follows the figure it compares: "贷款净增186亿元,同比增长12%")
COMPARISON_ONLY = re.compile(r"(?:同比|环比)" + CHANGED + r"\s?(?=\d)")
# "比2012年增加50.8万人,增长25.9%": the rate of the change just reported
CHANGE_GOES_ON = re.compile(COMPARED + r"[^,;。]{0,16},\s*" + CHANGED + r"\s?$")
# "毛入学率达到71.9%,高于全国平均17.5个百分点": a level measured against an average stands
AVERAGE = (
    r"(?:(?:高于|低于|超过|超出)全[国省市]平均(?:水平)?|比全[国省市]平均(?:水平)?(?:高|低)出?)"
)
# a figure followed by its comparison ("…28.12万所,比上年增长5.44%", "…,高于全国平均…") or
# by the goal it passed ("…幼儿园48所,超额完成40所的年度目标任务") is reported
COMPARED_NEXT = re.compile(r"^[^,;。]{0,8}[,]\s*(?:" + COMPARED + "|" + AVERAGE + r"|超额完成)")
COMPARED_HERE = re.compile(r"(?:^|[,;])\s*(?:" + COMPARED + "|" + AVERAGE + r")$")
# a sentence that opens with the year it tells of ("2022年,全县…"), not a deadline
# (after who tells it: "刘绍辉介绍,2022年,…", or the place)
PAST_YEAR = re.compile(
    r"^\s*(?:[^,。;]{0,24}(?:介绍|表示|指出|说|报告|通报|强调|宣布|提到|透露|称|据悉|获悉|了解到)[,:]|[^,。;:]{1,6}:)?"
    # …or the place it tells of: "杭州市 2025 年新(改扩)建中小学 40 所"
    r"\s*(?:[\u4e00-\u9fff]{1,5}[省市县区州旗]\s?)?(?:在|于)?(20\d\d) ?年(?:,|以来|上半年|全年|度,|(?=[新建招完共投改]))"
)
# a sentence of the paragraph opened with that year: the sentences after it tell of it too
PARAGRAPH_YEAR = re.compile(r"(?:^|[。!?,:])\s*(?:在|于)?(20\d\d) ?年(?:,|以来|上半年|全年|度,)")
# "由93.8%提高到95.5%": the new value of a change reported from its old one
# the verbs of a level changed (a change's new level follows them with 到/至)
CHANGES = "提高|提升|增加|上升|下降|降低|减少|调整|压缩|缩减|扩大"
CHANGED_TO = rf"(?:{CHANGES})(?:到|至)"
CHANGE_TO = re.compile(CHANGED_TO + "$")
CHANGE_FROM = re.compile(rf"由[^,;]{{0,20}}?{CHANGED_TO}")
CLAUSE_END = re.compile(r"[,;]")
SENTENCE_END = "。!?\n|"
# a report on what was committed: its tables restate the commitments beside their progress
COMMITMENTS = re.compile(r"实事|项目|任务")
# in a page's opening sentences only these say it reports (成效, 成绩 also praise a plan's aims;
# 成效显著 judges what was done)
REPORTED = re.compile(
    r"工作总结|年终总结|工作回顾|完成情况|进展情况|执行情况公告|统计公报|统计公告|统计数据显示|(?:自评|自查)报告(?=\s*\n)"
    r"|成效显著|成绩显著|亮点频出|亮点纷呈|全部完成年度|已全部完成|均已完成"
    # a reply to a deputy's proposal tells what was done about it: "现将办理情况函复如下"
    r"|办理情况|[函答]复如下"
    # a page that says it sums up or reports what was done: "现将工作情况简要总结如下"
    r"|情况(?:简要|简单)?(?:总结|汇报|报告)如下"
)
# a heading "…规划以来" tells of a span gone by; "今年以来" opens a progress notice whose
# projects may still be under way
REPORT = re.compile(
    r"总结|回顾|(?<!今年)以来|完成情况|进展情况|统计公报|统计数据|成效|成绩|(?<!文)汇报|亮点|基本情况"
    r"|现实基础|发展基础|发展环境|成就|现状|(?<!项目)概况"
    # a plan's background tells what is (a policy's 出台背景 may go on to its measures)
    r"|(?:规划|規劃|编制|編制|发展|發展)背景"
)
# …but a summary asked for is work to do: 做好上半年工作总结, 及时进行提升和总结; and a sharing
# site's category of "计划总结" (…工作计划_幼儿园计划总结) is no summary
SUMMING_UP = re.compile(r"进行|做好|搞好|抓好|认真|及时|计划$")
# …and so is a plan's last stage: (三)总结提高阶段(10月16日-…), 总结信息上报阶段
STAGE = re.compile(r"[^,;。]{0,6}阶段")
# 目标 and 任务 head sections of summaries too (紧盯目标, 完成任务): only these words turn a
# section of a report into a plan
PLAN = re.compile(
    r"计划|要点|主要目标|预期目标|发展目标|安排|打算|思路|下一步|意见|方案|规划|步骤"
    r"|重点工作$|时期任务$"  # 2021年重点工作, “十四五”时期任务
    r"|^\s*(?:年度|工作|总体)?目标$"  # a heading of the goals alone: (一)目标, 年度目标
)


def start_of_sentence(text: str, position: int, ends: str = SENTENCE_END) -> int:
    """Where the sentence holding `position` starts: after the last of `ends` before it.

    Looks in the 500 characters before `position` first: a long text need not be read back
    to its start for every figure (the answer is the same)."""
    near = max(0, position - 500)
    found = max(text.rfind(ch, near, position) for ch in ends)
    if found < 0 and near:
        found = max(text.rfind(ch, 0, near) for ch in ends)
    return found + 1


def is_report(title: str) -> bool:
    """A heading or title that introduces what was done (工作总结, 主要成效, 目标完成情况);
    a summary still to be made ("及时进行提升和总结", "做好上半年工作总结", a plan's
    "总结提高阶段") is work to do."""
    return any(
        not (
            m.group() == "总结"
            and (
                SUMMING_UP.search(title, max(0, m.start() - 8), m.start())
                or STAGE.match(title, m.end())
            )
        )
        for m in REPORT.finditer(title)
    )


# the units a plan gives exactly too: years, areas, lengths, volumes, power, sums
NOT_COUNTS = ("年", "平方米", "万平方米", "平米", "米", "立方米", "千瓦", "元")


def tells_the_past(text: str) -> bool:
    """Whether a page's words of the past (已, 了, 累计, 截至 …) outnumber its words of the
    future (将, 力争, 目标, 到2025年 …) four to one, three at least: a review, a notice or a
    news story that no heading calls one. A plan's own words of the future keep it a plan.

    A page with one word of the future at most tells the past too when its counts are mostly
    exact (城镇新增就业48.81万人, 农村劳动力外出务工335.9万人次): a review cut from the heading
    that said what was counted. A plan rounds what it aims at (新增学位9000个, 1.4万个); areas
    and sums are left out (NOT_COUNTS), since a plan's design sizes and budgets are exact too."""
    past, future = words_of_the_past_and_future(text)
    if past >= 3 and past >= 4 * future:
        return True
    if future > 1:
        return False
    counts = [
        m.group("num")
        for m in QUANTITY.finditer(text)
        if m.group("num")[0].isdigit() and m.group("unit") not in NOT_COUNTS
    ]
    exact = sum(len(re.sub(r"\D", "", number).strip("0")) >= 3 for number in counts)
    return len(counts) >= 5 and exact >= 0.3 * len(counts)


def words_of_the_past_and_future(text: str) -> tuple[int, int]:
    """How many words of the past and of the future a page holds: not those in a document's
    name, of either (《…规划》, 《…三年行动计划》 a review followed; `_words`)."""
    kept = len(COMMITMENTS_KEPT.findall(text))
    past = (
        sum(1 for _ in _words(STATISTIC, text))
        + len(YEAR_ON_YEAR.findall(text))
        + len(ACHIEVED.findall(text))
        + kept
    )
    future = sum(1 for m in _words(TARGET, text) if not _titled(text, m.start(), m.end()))
    return past, max(0, future - kept)


# "高质量完成20件民生实事", "兑现省、市下达的民生实事": commitments kept, not a list of them to keep
COMMITMENTS_KEPT = re.compile(
    r"(?:完成|兑现|办结)[^,;。]{0,12}实事(?![^,;。]{0,10}?(?:全部|如期|见效|落地|完成|办结))"
)


# a statistics bulletin's comparisons with the year before ("校舍总面积…,较上年增加0.56万平方米"),
# words of the past when the page has no word of the future ("力争比上年增长5%" keeps a plan)
YEAR_ON_YEAR = re.compile(r"(?:较|比)(?:上年|去年|上一年)|上年同期")


# what a review tells of its honours, events and work finished: "成功举办…", "获评省级示范社",
# "被命名为…", "顺利完成全县58名教师的…测试"
ACHIEVED = re.compile(
    r"成功(?:举办|引进|创建|承办|入选|申报|获批)|获评|荣获|被(?:评为|评定为|命名为|认定为|授予)|位列|位居"
    r"|(?:圆满|顺利|全面|高质量)完成"
)


def is_plan(title: str) -> bool:
    """A heading or title that introduces what is to be done (主要目标, 重点任务, 工作安排)."""
    return bool(PLAN.search(title)) and not REPORT.search(title)


def is_statistic(
    text: str,
    start: int,
    end: int,
    *,
    report: bool,
    year: int | None = None,
    commitments: bool = False,
) -> bool:
    """Whether the number at text[start:end] reports the past rather than sets a target.

    `year` is the document's: a sentence about an earlier year ("2022年,全县新建…" in a 2023
    report) reports it. `commitments` when the report is on commitments (民生实事项目进展表):
    a table's cell without a word of its own restates what was committed, beside the cells
    that tell the progress.
    """
    sentence_start = start_of_sentence(text, start)
    before = text[sentence_start:end]  # the number itself only completes lookaheads
    # an earlier item's note in brackets speaks for it alone: "…120个(已完成);新建…450个"
    unnoted = _unnoted(before)
    statistic = _last(STATISTIC, unnoted, start - sentence_start)
    while statistic is not None:
        compared = COMPARISON_ONLY.match(before, statistic - 2)
        if not compared or _compares_a_figure(
            text, sentence_start, sentence_start + compared.end()
        ):
            break
        statistic = _last(STATISTIC, unnoted, statistic - 2)
    while statistic is not None:
        # "由目前近800所调整到700所左右,平均在校生规模达到1500人左右": the level a change
        # starts from speaks for its own clause only
        clause_end = CLAUSE_END.search(before, statistic, start - sentence_start)
        its_start = max(before.rfind(",", 0, statistic), before.rfind(";", 0, statistic)) + 1
        if clause_end is None or not CHANGE_FROM.search(before, its_start, clause_end.start()):
            break
        statistic = _last(STATISTIC, unnoted, its_start)
    while (
        statistic is not None
        and re.search(r"共计?\s?$", before[:statistic])
        and any(
            m.group().startswith(("计划", "拟", "将", "力争", "规划", "预计"))
            and not re.search(r"(?:改善|薄改|改薄)$", before[: m.start()])
            for m in TARGET.finditer(before, 0, statistic - 1)
        )
    ):
        # "计划投资10亿元,新建…共50处": the total of what a plan sets out
        statistic = _last(STATISTIC, unnoted, statistic - 2)
    rate = _last(RATE_IS, before, start - sentence_start) if report else None
    if rate is not None and rate > (statistic or -1):
        statistic = rate
    target = _last(TARGET, before, start - sentence_start)
    while report and target is not None and YEAR_END_ESTIMATE.match(before, target - 2):
        target = _last(TARGET, before, target - 2)  # the outcome a review estimates, no goal
    worded = statistic  # a word of the past, not the year a sentence opens with
    clause = re.split(r"[,;]", text[sentence_start:start])[-1]
    if year is not None:
        for past in PAST_YEAR.finditer(before, 0, start - sentence_start):
            if int(past.group(1)) < year and past.end() > (statistic or -1):
                statistic = past.end()
            elif int(past.group(1)) > year and past.end() > (target or -1):
                target = past.end()  # "2010年,每个乡镇都建有…" in a 2005 plan: a year ahead
        # "…,2021年新增学位5.9万个": a clause that opens with a year tells of it too
        opening = PAST_YEAR.match(clause)
        if opening and int(opening.group(1)) < year:
            at = start - sentence_start - len(clause) + opening.end()
            statistic = max(statistic or -1, at)
        for period in FIVE_YEAR_PLAN.finditer(before, 0, start - sentence_start):
            if BASELINE.search(before, max(0, period.start() - 2), period.start()):
                continue  # "力争…达3亿元,比“十三五”末增0.8亿元": the base of a change to come
            last_year = 1955 + 5 * (chinese_to_int(period.group(1)) or 0)
            if last_year < year and period.end() > (statistic or -1):
                statistic = period.end()  # "“十三五”末期,…达10.8年" told in 2021
        # "…主要指标…有3项,包括学前教育毛入园率(2027年达到93%,2035年达到98%)": the level a
        # year ahead is to reach, just before the figure, is a goal
        ahead = YEAR_GOAL.search(clause)
        if ahead and int(ahead.group(1)) > year:
            target = max(target or -1, start - sentence_start)
    after = text[end : end + 20]
    done = DONE_AFTER.match(after) and not (
        statistic is None and ALL_TO_BE_DONE.match(after) and BY_A_DATE.search(before)
    )
    if done or CHANGE_GOES_ON.search(text, max(sentence_start, start - 40), start):
        return True
    if worded is None and GOAL_AFTER.match(text, end):
        return False  # "2020年,…明确…新增超百万座学位的任务目标": the goal it set
    origin = max(clause.rfind("由"), clause.rfind("从"))
    if CHANGE_TO.search(clause) and origin >= 0:
        # "从2020年的10.8年提高到11.3年": the words after 从 describe the old value
        limit = start - sentence_start - len(clause) + origin
        statistic, target = _last(STATISTIC, unnoted, limit), _last(TARGET, before, limit)
        if statistic is None and target is None:
            # a list of 民生实事 or a plan's paragraph may say it for the sentences after it
            statistic, target = _earlier(_paragraph_before(text, sentence_start), report)
        return target is None or (statistic or -1) > target  # a change without 将/力争… is past
    if statistic is not None or target is not None:
        return (statistic or -1) > (target or -1)
    if STATISTIC_AFTER.match(text[end : end + 30]) or COMPARED_NEXT.match(text[end : end + 30]):
        return True
    if _compares_a_figure(text, sentence_start, start):
        return True
    if text[sentence_start - 1 : sentence_start] == "|":
        return report and not commitments  # a table's cell speaks for itself
    # no word in the sentence: the sentences just before it in the paragraph may have one
    earlier = _paragraph_before(text, sentence_start)
    statistic, target = _earlier(earlier, report)
    own_year = PAST_YEAR.match(text[sentence_start:start])
    if year is not None and not (own_year and int(own_year.group(1)) >= year):
        for past in PARAGRAPH_YEAR.finditer(earlier):
            if int(past.group(1)) < year and past.end() > (statistic or -1):
                statistic = past.end()
    if statistic is not None or target is not None:
        return (statistic or -1) > (target or -1)
    if year is not None and _listed_after_past_year(text, sentence_start, year):
        return True
    return report


# a line that opens a list of what a year did: "会议提到,2024年全市教育发展总体水平进入…。主要体现在
# 六个方面:" (the list's own paragraphs follow it, each without a word of its tense)
NAMED_YEAR = r"(20\d\d) ?年"
LIST_INTRO = re.compile(rf"[^\n]*{NAMED_YEAR}[^\n]*[:：]\s*$")


def _listed_after_past_year(text: str, sentence_start: int, year: int) -> bool:
    """Whether the paragraph at `sentence_start` is an item of a list whose opening line tells of
    an earlier year than the page's, with no word of the future between them."""
    near = max(0, sentence_start - 1500)
    paragraph_start = text.rfind("\n", near, sentence_start)
    if paragraph_start < 0:
        return False
    lines = text[near:paragraph_start].split("\n")
    for line in reversed(lines):
        if not line.strip():
            continue
        future = _last(TARGET, line, len(line)) is not None
        intro = LIST_INTRO.match(line)
        if intro:
            return int(intro.group(1)) < year and not future
        if future or re.search(NAMED_YEAR, line):
            return False
    return False


def _compares_a_figure(text: str, sentence_start: int, start: int) -> bool:
    """ "贷款净增186亿元,同比增长12%": the comparison itself, after the figure it compares."""
    return bool(COMPARED_HERE.search(text[max(sentence_start, start - 12) : start])) and bool(
        re.search(r"\d\s?[万亿千]?[^\d,;。]{0,3}$", text[sentence_start:start].rsplit(",", 1)[0])
    )


def _paragraph_before(text: str, sentence_start: int) -> str:
    """The paragraph's sentences before the one at `sentence_start` (300 characters at most)."""
    near = max(0, sentence_start - 300)
    return text[max(text.rfind("\n", near, sentence_start), near) : sentence_start]


def _earlier(earlier: str, report: bool) -> tuple[int | None, int | None]:
    """Where the last statistic and the last future word end in `earlier` (a note in brackets
    speaks for its own item: "…新增学位120个(已完成);新建…新增学位450个")."""
    return (
        _last(STATISTIC, _unnoted(earlier), len(earlier), skip=SUM),
        # in a report a future word speaks for its own sentence only (预计…竣工。建设教学楼1栋)
        None if report and not NEXT.match(earlier) else _last(TARGET, earlier, len(earlier)),
    )


def _unnoted(text: str) -> str:
    """`text` with its short notes in brackets blanked (`NOTE`), of the same length."""
    return NOTE.sub(lambda m: " " * len(m.group()), text)


def _last(
    pattern: re.Pattern[str], text: str, limit: int, skip: re.Pattern[str] | None = None
) -> int | None:
    """Where the last word of `pattern` that ends before `limit` ends (`_words`; a match `skip`
    matches whole is passed over)."""
    found = None
    for found_match in _words(pattern, text):
        if found_match.end() > limit:
            break
        if skip is None or not skip.fullmatch(found_match.group()):
            found = found_match.end()
    return found


def _words(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in `text` that speak as words of the past or future: not in
    short quotation marks (“为民办实事”任务), a statistic word not in a document's title, and
    no 提高到/增加到 after 由/从 in its clause (that reports a change)."""
    for found_match in pattern.finditer(text):
        if _quoted(text, found_match.start(), found_match.end()):
            continue
        if pattern is STATISTIC and _titled(text, found_match.start(), found_match.end()):
            continue
        if pattern is TARGET and CHANGE_TO.search(found_match.group()):
            start = found_match.start()
            clause_start = max(text.rfind(",", 0, start), text.rfind(";", 0, start)) + 1
            if re.search(r"[由从]", text[clause_start:start]):
                continue
        yield found_match


def _quoted(text: str, start: int, end: int) -> bool:
    opening = text.rfind("“", max(0, start - 12), start)
    closing = text.find("”", end, end + 12)
    return opening >= 0 and closing >= 0 and "”" not in text[opening:start]


def _titled(text: str, start: int, end: int) -> bool:
    """Inside a document's title: 《关于下达…任务的通知》 reports nothing (though a title's
    实事 tells that a plan is carried out)."""
    return named_document(text, start, end) is not None


def named_document(text: str, start: int, end: int) -> str | None:
    """The name of the document, 《…》, that text[start:end] stands in (40 characters each
    side at most); None outside one."""
    opening = text.rfind("《", max(0, start - 40), start)
    closing = text.find("》", end, end + 40)
    if opening < 0 or closing < 0 or "》" in text[opening:start]:
        return None
    return text[opening + 1 : closing]
