"""A task clause's kind, from its action word (inspection, evaluation, recruitment, training,
construction, event; None when no word tells, and the caller decides whether it is `other`).

A clause that opens with 举办/召开/办好 (after adverbs) is an event, one that opens with 创建/争创
an evaluation (the title it names may hold any word), and so is one whose last action is 创建
(…优质均衡创建). Otherwise the last action word wins, because Chinese
puts the action a clause is about last (开展…创建活动 is an event, 开展…评选活动 an evaluation,
完成…评估验收 an evaluation); an event word counts where the event is held or the clause is its
name (确保比赛顺利进行 is other work). Words inside quotation marks are names, and a word followed by
体系/机制/平台… names an institution, not an action. Building works are also told by their
object (建设…8所学校, …运动场地建设, 空调配备, 实施…工程); drafting a plan or funding work
(制定…培训计划, 落实…维修资金) is other whatever it is about.
"""

from __future__ import annotations

import re

from duban.tasks.extract.quantity import NOT_A_UNIT, QUANTITY, UNIT, quoted_spans

KEYWORDS: dict[str, tuple[str, ...]] = {
    "inspection": (
        "检查",
        "督查",
        "排查",
        "督导",
        "巡查",
        "抽查",
        "复查",
        "监督检查",
        "年检",
        "回头看",
        "自查",
        "查缺补漏",
        "核查",
        "暗访",
        "倒查",
        "督察",
        "察看",
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
        "评出",
        "遴选",
        "评议",
        "争创",
        "创建",
        "考核",
        "命名",
    ),
    "recruitment": (
        "招聘",
        "聘任",
        "选拔",
        "聘用",
        "招录",
        "引进",
        "招考",
        "选调",
        "选聘",
        "新聘",
        "续聘",
        "招募",
        "聘请",
    ),
    "training": ("培训", "进修", "研修", "研训", "轮训", "集中学习", "业务学习", "参培"),
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
        "新(改扩)建",
        "改扩建",
        "改建",
        "新建",
        "兴建",
        "增建",
        "迁建",
        "续建",
        "投建",
        "筹建",
        "扩建",
        "新增",
        "增加",
        "增设",
        "建成",
        "竣工",
        "完工",
        "修缮",
        "维修",
        "主体工程",
        "投入使用",
        "交付使用",
        "工程建设",
        "安装",
        "加装",
        "增配",
        "购置",
        "订购",
        "拆除",
        "撤除",
        "养护",
        "铺设",
        "亮化",
        "修建",
        "装修",
        "重建",
        "增添",
        "添置",
        "扩充",
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
        "演练",
        "演出",
        "联赛",
        "放映",
        "招聘会",
        "联欢会",
        "晚会",
        "讲座",
    ),
}
OF_INSTITUTION = re.compile(r"[^,;。的]{0,12}的[^,;。的]{0,4}(?:体系|机制|制度|平台)$")
EVENT_OPENERS = ("举办", "召开", "办好", "开好", "承办", "举行")
# an event is held: a clause names one as what is held, organised or carried out (or goes on
# with the verb of the clause before: "开展…宁波周,以及甬港、甬台等教育合作交流活动"), or says
# after it where it is held ("运动会将于9月在杭州举办"); 办 stands for 举办, 承办, 主办, 筹办, 办好
HELD = re.compile(r"办|召开|举行|开展|组织|进行|启动|参与|迎接|^(?:以及|及)")
HELD_AFTER = re.compile(r"举办|召开|举行|筹办|承办")
EVENT_NOUNS = re.compile(r"活动|节|周|[^十八]大会(?!议)|会$|(?<!大)会议|赛|论坛|展|典礼|仪式|讲堂")
NOT_ACTIONS = (
    "体系",
    "机制",
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
    "奖惩",
    "结果",
    "进展",
    "情况",
    "资金",
    "政策",
    "补助",
    "补贴",
    "内容",
    "台账",
    "人员",
    "室",
    "需求",
    "时间",
    "报告",
    "成果",
    "体制",
    "方式",
    "方法",
    "作用",
    "问责",
    "改革",
    "队伍",
    "资源",
    "制",  # 制度 and 聘任制 alike
    "统筹",
    "实效",
    "规划",
    "计划",
    "质量",
    "工作要求",
    "工作意见",
    # 督导意见, 评估团队, 评估程序, 督导网页: what the work is done with or by, named
    "意见",
    "团队",
    "程序",
    "网页",
    "通知书",
)
ADVERBS = (
    "全面|进一步|持续|深入|继续|接着|积极|大力|认真|切实|不断|着力|严格|有效|扎实|稳步|逐步|重点|主动"
    "|努力|坚决|及时|广泛|尽快|精心|统筹|因地制宜|对标对表|全力|加快|基本|同时|并|再|还|也"
    "|稳妥|有序|依法|规范|全面|高质量|高标准|多渠道|多措并举|精准|分类|分层|同步|常态化|全方位"
    "|集中|定期|按时|按期|如期|提前|力争|争取|抓紧|加紧|尽早|全速|全面|免费|整体|优先|合理|立即"
    "|亲自|着重|率先|首先|迅速|深刻|充分|及早|坚定|科学|不遗余力|著力|著重|适时|适宜|奋力|务必"
    "|必要时|逐一|逐件|逐项|逐个|分批次|分批|高度|准确|特别|高起点|分年度|仔细|限期|一体|用心用情|旗帜鲜明|彻底"
    "|有力|系统|纵深|普遍|适当|重新|牢牢|至少|新|更好|更加|共同|坚定不移|协同|深度|始终|密切"
    "|结合[^,]{0,12}?实际(?:情况)?|逐人|逐校|紧密|多方位|一并|大规模|大幅度?"
    "|初步|强力|不定期|牢固|择优|有针对性地?|保质足量|按[月季周年]|原则上|足额|互相|大胆|事先|选优"
    "|千方百计|依规|妥善|加力|扩围|多领域|严厉|专题|分别"
)
# a bullet that opens a list item: ① ■ ● —— …
BULLET = r"[①-⑳■□●○◆◇▲△★☆▪•·※√▶►➤➢]|——?|-(?=\s)"
# a list lettered a、b、 (not "A、B等级", two grades named)
LETTER = r"[a-hA-H]、(?=[\u4e00-\u9fff])"
# a rule's article: 第七条 (of a 办法 or 规定)
ARTICLE = r"第[一二三四五六七八九十百零〇\d]{1,5}条"
# a list item's mark: 1. 2、 (三) 1) 一是 a、 第七条 and the bullets
MARKER = (
    rf"(?:\d{{1,3}}\s?[.、]|\d{{1,3}}\s|\(?[一二三四五六七八九十]{{1,3}}[)、]|\(?\d{{1,2}}\)|{LETTER}"
    rf"|[一二三四五六七八九十]{{1,3}}是|{ARTICLE}|{BULLET})?\s*\*?"
)
# a list item's own mark left on its first clause (numbering that restarts is no heading)
LEADING_MARK = re.compile(
    rf"^(?:(?:\d{{1,3}}\s?(?:、|\.(?!\d))|\(?(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\)|{LETTER}|{ARTICLE}|{BULLET})\s*\*?|\*"
    rf"|\d{{1,3}}\s+(?=[\u4e00-\u9fff])(?![万亿千]|{UNIT}{NOT_A_UNIT}))"  # "1 支持…", not "3 所学校"
)
# a clause's opening before its first verb: a list item's mark and adverbs (1. 进一步…, 一是全面…)
OPENS = rf"^{MARKER}(?:(?:{ADVERBS})\s?)*"
# how often, before the verb: "每学期召开一次…会议", "每年至少举办…"
HOW_OFTEN = r"(?:各学校|各校)?每(?:学期|学年|年度?|季度|半年|月|周)(?:至少)?"
EVENT_OPENING = re.compile(
    rf"{OPENS}(?:(?:要|应|须)(?:(?:{ADVERBS})\s?)*)?(?:{HOW_OFTEN})?(?:决定|定于[^,]{{0,16}}?)?"
    rf"(?:组织|筹备)?(?:{'|'.join(EVENT_OPENERS)})"
)
# activities given a shape, not held: 丰富文体活动, 优化幼儿一日活动, 合理安排学生课后活动,
# 每天统一安排30分钟大课间活动 (the day's timetable)
SHAPED = re.compile(
    rf"{OPENS}(?:[^,;。\d]{{0,8}}?(?:要|应|须)\s?)?(?:每天|每日)?(?:科学)?"
    r"(?:丰富|优化|合理安排|(?:统一)?安排(?=[^,;。]{0,16}课间)|规范|改进|完善)"
)
# the places building works make: schools and their buildings, and the public works a 民生实事
# list holds beside them (图书馆, 公园, 公路, 停车场 …)
FACILITIES = (
    r"学校|中学|小学|高中|初中|幼儿园|公办园|园所|新校|校区|校舍|教学楼|综合楼|宿舍楼?|公寓|用房|食堂|餐厅"
    r"|运动场地?|操场|场地|馆|文化宫|教室|功能室|实验室|实训基地|实习基地"
    r"|产业园区?|公园|医院|院区|卫生院|公路|道路|巷道|步道|断头路|管网|停车场|停车位|车位|线路|地铁|桥梁?"
    r"|(?<!新型)基础设施|(?:文化|体育|无障碍|防护|附属|教育|健身|公共|配套|服务)设施|设施设备"
    r"|球场|大楼|住房|公租房|周转房|休息室|综合体|基地|阵地|场所|卫生室|卫生所|幸福院|敬老院|养老院"
    r"|农田|游园|广场|书房|书屋|充电桩|街区|围墙|护栏|礼堂|厨房|泊位"
)
# a count of places built, before or after them: 建设城区户外劳动者综合服务站1万个, 打造16个…助餐点
PLACE = r"(?:站|室|馆|厕所|中心|驿站|小屋|(?<!重)(?<!学位)点|基地)"  # not 重点专业, 学位点
PLACES_COUNTED = r"\s?\d[\d.]*\s?[万千]?\s?(?:个|所|处|座|间|套|栋|幢)"
# 建设/建成/新建… whose object is a school or a building is building work, whatever verb opens;
# so is hardening or opening a road, and repairing one (农村公路大中修)
BUILDING = re.compile(
    # …and 建 alone before a count of them (要建两所新高中)
    r"(?:建设|建成|新建|扩建|迁建|建起|提档升级|改造提升|(?:建有|办|提升)(?=\s?\d)"
    r"|(?<![新改扩迁续筹组创构搭封修重兴援在])建(?=\s?(?:\d+|[一二两三四五六七八九十]+)\s?[所座栋幢]))"
    r"[^,;。]{0,24}?"
    rf"(?:{FACILITIES}|早教中心|(?<!服务)中心\b)"
    r"|(?:硬化|打通)[^,;。]{0,24}?(?:路|巷道)|公路大中修"
    r"|(?:建设|建成|新建|续建)[^,;。]{0,24}?项目$|完成[^,;。]{0,24}?建设任务$"
    # a school's or a building's own project (推进…阳光燕山学校二期项目, 启动…服务中心项目)
    rf"|(?:{FACILITIES}|中心)(?:[一二三四五]期)?(?:工程)?项目$"
    rf"|(?:{FACILITIES})(?!教育)[^,;。]{{0,4}}?(?:提质升级|提档升级)$"
    # the school named before it is finished: "确保古镇中学、晶山幼儿园建成投用"
    rf"|(?:{FACILITIES})(?:建成|竣工|完工)(?:投用|投入使用|交付使用)?$"
    rf"|(?:建设|建成|新建|打造|新增)[^,;。\d]{{0,20}}?{PLACE}(?:\([^()]{{0,8}}\))?{PLACES_COUNTED}"
    rf"|(?:建设|建成|新建|打造|新增){PLACES_COUNTED}[^,;。\d]{{0,20}}?{PLACE}"
    r"(?![^,;。]{0,2}(?:建设|管理))"
)
# 新增 builds when what is new is a place: 学位, 园位, 校舍, 学校, 教室 (not 托位, 床位: a service
# offered, as the labellers read it)
NEW_PLACES = re.compile(
    r"[^,;。]{0,12}?(?:学位(?!点|授予)|园位|学额|校舍|学校|校园|中学|小学|幼儿园|园所|教室|宿舍|面积|场地|场馆"
    r"|停车位|车位|泊位|礼堂|充电桩|书房)(?![^,;。]{0,3}(?:供给|数量|托位))"  # 幼儿园托位: places of care
)
# 工程 names works; a quotation may name a programme (保障“蛋奶”工程), see CARRIED_OUT
PROJECT = re.compile(r"工程(?!师|院|学院|学校|大学|职业|技术|管理)")
# 实施/推进/启动 a works programme, even one whose name is quoted (实施“优质午休”工程)
CARRIED_OUT = re.compile(
    rf"{OPENS}(?:(?:按照?|根据)[^,]{{1,6}}?(?:(?:{ADVERBS})\s?)*)?(?:组织)?(?:实施|推进|推动|启动|开展)"
)
# building an institution (构建…办园体系, 完善…考核评价机制): the words inside describe it
INSTITUTION = re.compile(
    rf"{OPENS}(?:构建|建立健全|建立|健全|完善|形成|创新|落实|执行|实行|细化|强化)[^,;。]*"
    r"(?:体系|机制|制度|平台|模式|办法|细则|规程)》?$"
)
# …and the object before 建设 ("推进学校塑胶运动场地建设")
BUILT = re.compile(
    # a centre that is a building (文体中心, 医疗中心); 教育中心, 创新中心, 研究与指导中心 are institutions
    rf"(?:{FACILITIES}|场所|室|楼|设施|医院|(?:文体|文化|医疗|疾病预防控制|疾控|照料|养老)中心)等?"
    r"(?:二期|一期)?的?(?:标准化|主体|规划|基本|达标)?建设"
)
EQUIPPED = re.compile(
    r"(?:设施|设备|器材|装备|空调|电脑|多媒体|直饮水)[^,;。]{0,4}(?:配备|配置)"
    r"|(?:配备|配齐|(?<!资源)(?<!师资)配置)[^,;。]{0,20}?(?:设施|设备|器材|器械|装备|冰箱|空调|电脑|仪|课桌椅|钢琴"
    r"|软件|沙盘|校车"
    r"|厕所|阅览室|教室|教学平台)"
    r"|设置[^,;。]{0,12}?(?:隔离柱|隔离栏|隔离墩|护栏|减速带|标识|指示牌|标志牌|容器|垃圾桶|垃圾箱)"
)
# 创建/争创 open the name of a title to win (创建…示范区, 争创…先进县): the words in it are names
TITLE_OPENERS = re.compile(
    rf"{OPENS}(?:支持[^,]{{0,16}}?)?(?:创建|争创|创成|申报|争当|(?:确保|争取)(?:继续)?被?评为)"
)
# 建成 a school of a rank (建成30所省级重点中等职业学校, 建成…示范性高中) wins the title too
TITLE_BUILT = re.compile(
    r"建成[^,;。]{0,20}?(?:示范|重点|特色)[^,;。]{0,8}?(?:学校|校|幼儿园|园|高中|专业)"
)
# drafting a plan or a rule, or summing up, whatever the plan is about
DRAFTING = re.compile(
    rf"{OPENS}(?:研究)?(?:制定|制订|修订|编制|印发|出台|起草|总结|拟定|酝酿|谋划)"
)
# …and a clause whose object is the plan drafted (逐个学校制订…改造方案, 提出增加…学位计划)
DRAFTED = re.compile(r"(?:制定|制订|编制|提出)[^,;。]*(?:方案|计划|规划|办法|意见)$")
# the measures a clause takes (采取现场督导、倒排工期等措施): one piece of work, taking them
MEASURES = r"采取[^,;。]*(?:措施|途径|方式|办法)$"
# the preparations for works (…项目的前期工作) or the measures taken
PREPARING = re.compile(rf"(?:前期工作|前期手续|招标|审核|申报|设计方案)$|{MEASURES}")
# 督促各地…: urging others to do the work is the bureau's own work, other; so is putting a
# matter into a plan or a programme (纳入…培训计划, 列入…评估重要内容)
URGING = re.compile(rf"{OPENS}(?:督促|纳入|列入|认识)")
# the qualities of training, not training held: 培训理念, 培训绩效, 培训质量 (at the clause's end)
TRAINING_QUALITIES = re.compile(r"(?:理念|绩效|质量|效果|实效|针对性|水平)$")
# a stance taken (把教师队伍建设作为…民生工程) or a matter placed in a plan (将配套建设幼儿园纳入…规划,
# 把安全教育纳入…培训课程): other work, whatever its words are about (纳入…考核 weighs it there: an
# evaluation)
STANCE = re.compile(
    rf"{OPENS}(?:要|应|须)?把[^,;。]+?作为"
    rf"|{OPENS}(?:要|应|须)?[将把][^,;。]*?(?:纳入|列入)(?![^,;。]*(?:考核|考评|评估|评价|评选))"
)
# 坚持…培训与教学研究相融合: a principle to hold to, whatever it is about
PRINCIPLE = re.compile(rf"^{MARKER}坚持.*(?:相结合|相融合|相配套|相统一|并重|并举)$")
# a clause whose object is money or a policy (落实…维修改造资金) funds the work: other
FUNDING = re.compile(r"(?:资金|经费|政策|补助|补贴|奖补)$")
# sending the paperwork up (…报县专项行动领导小组办公室, 将检查表交保卫处) or writing it (形成自查
# 报告和问题清单, 认真填写《…排查登记表》) is other work, whatever the paper is about
PAPERWORK = re.compile(
    r"(?:报送|上报|报|交|提交|送)(?:至|到|给)?[^,;。]{0,14}(?:局|办公室|办|科|处|室|组|中心|部门)$"
    r"|(?:形成|填写|填好|填报|撰写)[^,;。]*(?:表|清单|报告|材料|意见书)》?$"
    # 公开征集2022年民生实事建设项目: projects asked for or put forward, nothing built yet
    r"|(?:征集|报送)[^,;。]*项目$"
)
# keeping track of the works' progress (倒排施工进度, 掌握…建设进度, 报送上月工程进度, 对工程进展情况
# 予以通报, 项目进度实行月报制度) is the bureau's own work, other; speeding it up (加快…建设进度) builds
TRACKING = re.compile(
    r"(?:倒排|安排|掌握|把握|报送|上报|通报|汇报|了解|跟踪|调度)[^,;。]{0,20}(?:进度|进展)"
    r"|(?:进度|进展)[^,;。]{0,12}(?:(?<![察查导])通报|月报|报送|上报)"  # 督察通报 inspects
)
RECRUITED = ("人才", "教师", "学者", "专家", "人员", "名", "博士", "校长", "干部")


WORD_PATTERNS = [
    (kind, word, re.compile(re.escape(word))) for kind, words in KEYWORDS.items() for word in words
]
# one pass finds the words a clause holds (most hold none of the ~150): at each position the
# longest word that starts there, and with it every word that is its beginning
_WORDS = sorted({word for _, word, _ in WORD_PATTERNS}, key=len, reverse=True)
ANY_WORD = re.compile("(?=(" + "|".join(map(re.escape, _WORDS)) + "))")
_BEGINNINGS = {word: [w for w in _WORDS if word.startswith(w)] for word in _WORDS}


def _words_in(body: str) -> list[tuple[str, str, re.Pattern[str]]]:
    """The entries of WORD_PATTERNS whose word `body` holds, in their order there."""
    held = {w for m in ANY_WORD.finditer(body) for w in _BEGINNINGS[m.group(1)]}
    return [entry for entry in WORD_PATTERNS if entry[1] in held] if held else []


def classify(clause: str) -> str | None:
    body = clause.strip()
    quotes = quoted_spans(body)
    if INSTITUTION.match(body):
        return None
    if EVENT_OPENING.match(body) and EVENT_NOUNS.search(body):
        return "event"
    if TITLE_OPENERS.match(body) or TITLE_BUILT.search(body):
        return "evaluation"
    best: tuple[int, str] | None = None
    unheld = False  # an event named but not held: the clause is other work about it
    for kind, word, pattern in _words_in(body):
        for match in pattern.finditer(body):
            position = match.start()
            if any(a <= position < b for a, b in quotes):
                continue
            following = body[match.end() : match.end() + 4]
            if following.startswith(NOT_ACTIONS) and kind != "event":
                continue
            if kind != "event" and OF_INSTITUTION.match(body, match.end()):
                continue  # 建立…督查督办、总结推广的推进体系: the words describe the system
            if word == "大会" and body[match.end() : match.end() + 1] == "议":
                continue  # 十八大会议
            if word in ("新增", "增加", "增设", "扩充") and not NEW_PLACES.match(
                body[match.end() : match.end() + 16]
            ):
                continue  # 新增就业, 增加学位供给: not new places built
            if word == "创建" and following.startswith(("工程", "项目", "单位", "周期", "期")):
                continue  # 创建工程 is built, 创建单位 are the ones that apply
            if (
                word == "创建"
                and following.startswith(("工作", "各项"))
                and re.search(r"(?:推进|聚焦|参与|确保|加强|整改|完成|将|把)$", body[:position])
            ):
                continue  # 聚焦创建工作重点, 将创建工作纳入…考核: no title named, the work on it
            if word == "创建" and body.endswith("活动"):
                continue  # 开展平安校园创建活动: the campaign is held, an event
            if kind != "event" and re.match(r"[^,;。的]{0,2}的", following):
                continue  # 明确排查整治的范围: the words describe what is named after them
            if word == "改建" and body[max(0, position - 1) : position] == "整":
                continue  # 提出整改建议: an advice to put right, nothing built
            if body[max(0, position - 1) : position] == "被":
                continue  # 被检查学校: the ones inspected, named
            if kind == "training" and (
                re.search(r"(?:校外|学科|學科|类|類)$", body[:position])
                or following.startswith(("机构", "機構", "市场", "负担", "負擔"))
            ):
                continue  # 校外培训机构, 学科培训: the tutoring trade, regulated, not training
            if kind == "recruitment" and following.startswith(("会", "會", "活动", "活動")):
                continue  # 举办招聘会, 开展校园招聘活动: a job fair held, no one hired
            if kind == "inspection" and following.startswith(("组", "組")):
                continue  # 成立督导组, 组成5个督导组: a team formed, its work said elsewhere
            if kind == "inspection" and re.search(r"(?:癌”?|病|健康|优生)$", body[:position]):
                continue  # “两癌”检查, 孕前优生健康检查: a medical examination
            if word == "施工" and following.startswith(("中", "环境")):
                continue  # 解决施工中的困难, 营造良好的施工环境: about the works, not works
            if word == "扩容" and (
                following.startswith(("提质", "提效", "提升"))
                or body[max(0, position - 2) : position] == "提质"
                or _inside(position, quotes)
            ):
                continue  # 学前教育扩容提质, 教育资源提质扩容: growth in general
            if word in ("活动", "周活动") and (
                body[max(0, position - 2) : position] == "教学"
                or following.startswith(("主题", "方式", "用房", "场地", "的"))
                or re.search(r"参加|参与|以[^,]*为", body[:position])
            ):
                continue  # 教学活动, 活动主题, 参加…活动: no event held
            if word == "校舍" and following.startswith("安全"):
                continue  # 校舍安全 is the safety of buildings, looked after, not built
            if word == "建成" and not QUANTITY.search(body):
                continue  # 建成…体系/格局 is an aim, not a construction
            if kind == "training" and following.startswith(("学院", "学校")):
                continue  # 教师进修学院 is a school's name
            if kind == "training" and TRAINING_QUALITIES.match(body, match.end()):
                continue  # 更新培训理念, 增强培训绩效: what training is like, none held
            if word == "选拔" and not any(r in body for r in RECRUITED):
                continue  # 大赛市级选拔 picks entries, not people to hire
            if (
                kind == "recruitment"
                and word == "引进"
                and not any(r in body[match.end() : match.end() + 14] for r in RECRUITED)
                and not any(r in body[max(0, position - 8) : position] for r in RECRUITED)
            ):
                continue
            if (
                kind == "event"
                and not HELD.search(body, 0, position)
                and not HELD_AFTER.search(body, match.end())
                and (body[match.end() :].strip(' ”"') or SHAPED.match(body))
            ):
                unheld = True
                continue  # 确保比赛顺利进行, 落实…大会精神, 保障…活动时间: no event held
            rank = position + (0 if kind != "event" else -1000)  # 活动 only breaks ties
            if best is None or rank > best[0]:
                best = (rank, kind)
    for pattern in (BUILDING, BUILT, EQUIPPED):
        for match in pattern.finditer(body):
            following = body[match.end() : match.end() + 4]
            if (
                not any(a <= match.start() < b for a, b in quotes)
                and not following.startswith((*NOT_ACTIONS, "方案", "布局", "指南", "目标"))
                and (best is None or match.start() > best[0])
            ):
                best = (match.start(), "construction")
    project = PROJECT.search(body)
    named = project and (
        body[project.start() - 1 : project.start()] == "”" or _inside(project.start(), quotes)
    )
    if best is None and project and (not named or CARRIED_OUT.match(body)):
        # 实施…提升工程: a works programme, when no other word tells; its plan drafted is other
        return "other" if _on_paper(body) or STANCE.match(body) else "construction"
    if best is not None and (
        _on_paper(body)
        or URGING.match(body)
        or STANCE.match(body)
        or FUNDING.search(body)
        or PRINCIPLE.search(body)
        or PREPARING.search(body)
        or PAPERWORK.search(body)
    ):
        return "other"  # 制定…培训计划, 总结…活动: the plan or the summary is the work
    return best[1] if best else ("other" if unheld else None)


def _on_paper(body: str) -> bool:
    """Whether the work is a plan drafted or the works' progress tracked (制定…改造方案, 倒排施工进度),
    whatever building or training it is about."""
    return bool(DRAFTING.match(body) or DRAFTED.search(body) or TRACKING.search(body))


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)
