"""What a number with a unit of measure looks like, and where its clause starts and ends.

Shared by `targets` (which numbers are targets), `names` (what they count) and `actions`.
"""

from __future__ import annotations

import re

from duban.tasks.extract.brackets import end_of, start_of
from duban.tasks.extract.numbers import THOUSANDS

# a fall to a level (降低至35%): the level caps what it measures, and is no part of its name;
# longer words first, so that a name loses 下降至 whole and not only its 降至
FALLS_TO = (
    "下降到",
    "下降至",
    "降低到",
    "降低至",
    "减少到",
    "减少至",
    "减量到",
    "减量至",
    "压减到",
    "压减至",
    "压缩到",
    "压缩至",
    "降到",
    "降至",
    "减到",
    "减至",
)
UNITS = sorted(
    [
        "个百分点",
        "个小时",
        "个工作日",
        "个课时",
        "个学时",
        "个学分",
        "米",
        "周",
        "学分",
        "期",
        "幢",
        "堂",
        "万平方米",
        "平方米",
        "㎡",
        "m²",
        "m2",
        "人次",
        "户次",
        "亩次",
        "场次",
        "批次",
        "吨",
        "学时",
        "课时",
        "小时",
        "分钟",
        "公里",
        "千米",
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
        "台件套",
        "台套",
        "台(件)",
        "人(次)",
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
        "艘",
        "处",
        "张",
        "块",
        "年",
        "%",
        "‰",
        "次",
        "片",
        "节",
        "村",
        "延长米",
        "兆",
        "盏",
        "幅",
        "天",
        "班",  # 总班级数为331班: classes
        "例",  # 免费手术2000例: cases
        "斤",  # 粮食产量1300亿斤
        "公顷",  # 占地面积32.68公顷
        "件次",  # 心理咨询辅导1000件次
        "轨",  # 建成24轨小学: classes per grade
        "平米",  # 新建校舍3000平米
        "千瓦",
        "立方米",
        "分",  # 评估得分在90分以上: points of a score
    ],
    key=len,
    reverse=True,
)
UNIT = "(?P<unit>" + "|".join(map(re.escape, UNITS)) + ")"
# "7 06%", "375 49万个": a scrape that lost the decimal point (see numbers.decimal), or put a
# space after it ("1. 6万个", "136859. 93平方米")
NUMBER = (
    rf"(?P<num>{THOUSANDS}(?!\d)(?! ?%)"
    r"|\d+(?:\.\d+| \d{1,2}(?= ?[万亿千]?(?:%|个|平方米|元))|\. \d{1,2}(?=[万亿]|(?<=\d\d\. \d\d)平方米))?"
    r"|[零〇一二两三四五六七八九十百千]+)"
    r"(?:\s?(?:--|——|[-—–~～至])\s?(?P<num2>\d+(?:\.\d+)?))?"
)
# a unit's character that opens another word is none: "1 支持…" (a list's number before 支持),
# "3部署", "5台账", "0421台风", "2名单", "2023-02人气"
NOT_A_UNIT = (
    r"(?!(?<=支)[持援撑付出])(?!(?<=人)气)(?!(?<=部)[署门])(?!(?<=台)[账风])(?!(?<=名)单)"
    r"(?!(?<=班)[级子主额车长会组次学底制型期])"  # 班 counts classes, not 班级, 班主任, 班车
    r"(?!(?<=家)渠)(?!(?<=张)家[口界港])"  # 五家渠, 张家口, 张家界 and 张家港 are cities
    r"(?!(?<=家)[长庭属])"  # 28万家长, 10万家庭: people counted, not bodies
    r"(?!(?<=项)目)"  # "2022.1—2022.12项目负责人", "1项目支出…申报表": 项目 is a word
    r"(?!(?<=期)间)"  # "十四五期间": a period, no sessions
    r"(?!(?<=周)[年岁边末期一二三四五六日])"  # 30周年, 周边, 一周期, 周四: no weeks counted
    r"(?!(?<=米)[粉饭面线环跑直内])"  # 米粉, 一米线, 400米环形跑道, 50米跑, 500米内
    r"(?!(?<=轨)[道迹])"  # 1轨道交通: no tracks of a school
    # 分 counts points after digits only (十分重要, 三分之一), and no 分之, 分钟, 分校, 分类 …
    r"(?!(?<=[零〇一二两三四五六七八九十百千]分))(?!(?<=分)[之钟别类层校院局批期享布配工级成解析子管会队线册段步])"
)
QUANTITY = re.compile(
    NUMBER
    + r" ?(?:[多余](?=[万亿]))?(?P<mult>[万亿]|千(?!米))?(?:[多余](?=\s?[^\d\s]))? ?"
    + UNIT
    + NOT_A_UNIT
)
AT_LEAST_AFTER = ("及以上", "以上")
AT_MOST_AFTER = ("以下", "以内")
ABOUT_AFTER = ("左右", "上下")
CLAUSE_BREAK = ",;。:!?\n|"


def quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]{0,40}”|\"[^\"]{0,40}\"", text)]


def clause_start(text: str, position: int) -> int:
    return start_of(text, position, CLAUSE_BREAK)


def clause_end(text: str, position: int) -> int:
    return end_of(text, position, CLAUSE_BREAK)


def number_in(text: str) -> bool:
    return any(m.group("unit") != "年" for m in QUANTITY.finditer(text))  # 2015年 is a date


def first_number(text: str) -> int:
    match = next((m for m in QUANTITY.finditer(text) if m.group("unit") != "年"), None)
    return match.start() if match else len(text)
