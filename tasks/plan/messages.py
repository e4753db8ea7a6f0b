"""Messages for people: zh-CN first, English on request. Domain code speaks in codes."""

from __future__ import annotations

from typing import Any

# code: (zh-CN, en) — a message, then " 修正：" / " Fix: " and the fix.
CATALOG: dict[str, tuple[str, str]] = {
    "yaml-syntax": (
        "YAML 语法错误：{detail}。修正：检查本行及上一行的缩进、冒号和括号是否配对。",
        "YAML syntax error: {detail}. Fix: check indentation, colons and brackets here and on the line above.",
    ),
    "duplicate-key": (
        "字段“{key}”重复出现（第 {first} 行已有）。修正：删除其中一个。",
        "key '{key}' appears twice (first on line {first}). Fix: remove one of them.",
    ),
    "not-a-mapping": (
        "计划文件的顶层应是“字段: 值”的映射。修正：以 plan:、units:、tasks: 等段落开头。",
        "the plan file must be a mapping at the top. Fix: start with plan:, units:, tasks: sections.",
    ),
    "missing": (
        "缺少必填字段“{field}”。修正：在 {where} 中补上 {field}:。",
        "required field '{field}' is missing. Fix: add {field}: to {where}.",
    ),
    "extra": (
        "未知字段“{field}”。修正：删除它，或改为以下之一：{allowed}。",
        "unknown field '{field}'. Fix: remove it or use one of: {allowed}.",
    ),
    "choice": (
        "“{field}”的取值“{value}”无效。修正：改为以下之一：{allowed}。",
        "'{value}' is not a valid {field}. Fix: use one of: {allowed}.",
    ),
    "type": (
        "“{field}”的取值“{value}”无效：应为{expected}。修正：改成{expected}。",
        "'{value}' is not valid for {field}: expected {expected}. Fix: write {expected}.",
    ),
    "bad-date": (
        "日期“{value}”不存在或格式不对。修正：写成 YYYY-MM-DD 形式的真实日期，例如 {example}。",
        "date '{value}' does not exist or is malformed. Fix: write a real date as YYYY-MM-DD, e.g. {example}.",
    ),
    "bad-time": (
        "时间“{value}”无效。修正：写成 HH:MM，例如 18:00。",
        "time '{value}' is invalid. Fix: write HH:MM, e.g. 18:00.",
    ),
    "bad-rrule": (
        "重复规则“{value}”无法解析：{detail}。修正：写成 RFC 5545 RRULE，例如 FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1（每季度末）。",
        "recurrence '{value}' cannot be parsed: {detail}. Fix: write an RFC 5545 RRULE, e.g. FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1 (quarter ends).",
    ),
    "bad-timezone": (
        "时区“{value}”不存在。修正：使用 IANA 时区名，例如 Asia/Shanghai。",
        "time zone '{value}' does not exist. Fix: use an IANA name such as Asia/Shanghai.",
    ),
    "schedule-one-of": (
        "schedule 需要且只能有 due（一次性截止日期）或 rrule（重复规则）之一。修正：保留其中一个。",
        "schedule needs exactly one of due (a one-off date) or rrule (a recurrence). Fix: keep one.",
    ),
    "bad-value": (
        "“{field}”的取值无效：{detail}。修正：{fix}",
        "invalid {field}: {detail}. Fix: {fix}",
    ),
    "duplicate-id": (
        "{entity}编号“{code}”重复（第 {first} 行已定义）。修正：改用唯一的编号。",
        "{entity} id '{code}' is used twice (first on line {first}). Fix: give it a unique id.",
    ),
    "unknown-unit": (
        "未知的单位“{code}”（{field}）。修正：在 units 中添加该单位，或改为已有单位：{known}。",
        "unknown unit '{code}' ({field}). Fix: add it under units, or use one of: {known}.",
    ),
    "unknown-item": (
        "计划条目 {path} 不存在（{field}）。修正：在 items 中添加该条目，或改为已有条目。",
        "plan item {path} does not exist ({field}). Fix: add it under items, or use an existing one.",
    ),
    "unknown-indicator": (
        "未知的指标“{code}”。修正：在 indicators 中添加它，或改为已有指标：{known}。",
        "unknown indicator '{code}'. Fix: add it under indicators, or use one of: {known}.",
    ),
    "escalation-cycle": (
        "上级单位形成循环：{chain}。修正：让逐级上报的链条终止于分管领导或督查室（其 parent 留空）。",
        "the escalation chain is a cycle: {chain}. Fix: end the chain at a leader or the coordinators (no parent).",
    ),
    "no-coordinator": (
        "没有 role: coordinator 的单位，逾期升级无人接收。修正：添加督查室等协调单位并设 role: coordinator。",
        "no unit has role: coordinator, so escalations reach nobody. Fix: add one with role: coordinator.",
    ),
}

ENTITY = {
    "unit": ("单位", "unit"),
    "indicator": ("指标", "indicator"),
    "task": ("任务", "task"),
    "item": ("计划条目", "plan item"),
}

EXPECTED = {
    "int": ("整数", "a whole number"),
    "number": ("数字", "a number"),
    "text": ("文本", "text"),
    "list": ("列表（[...] 或 - 开头的多行）", "a list"),
    "mapping": ("“字段: 值”的映射", "a mapping of fields"),
    "bool": ("true 或 false", "true or false"),
}


def render(code: str, params: dict[str, Any], lang: str = "zh-CN") -> str:
    zh, en = CATALOG[code]
    return (en if lang == "en" else zh).format(**params)


def localize(pair: tuple[str, str], lang: str = "zh-CN") -> str:
    return pair[1] if lang == "en" else pair[0]


CATALOG.update(
    {
        "file-missing": (
            "文件不存在或无法读取。修正：检查路径是否正确。",
            "the file does not exist or cannot be read. Fix: check the path.",
        ),
        "calendar-missing": (
            "{year}年的法定节假日和调休安排尚无内置数据，无法计算工作日。修正：国务院办公厅发布通知后，"
            "在 calendar 段写明 covers: [{year}]，并在 holidays 和 workdays 中列出该年的放假日期和调休上班日期。",
            "there is no holiday data for {year}, so workdays cannot be counted. Fix: once the State Council "
            "publishes it, add calendar: covers: [{year}] with that year's holidays and working weekends.",
        ),
        "unreachable": (
            "单位“{code}”的通知标签 {tags} 在 apprise 配置中都没有通道，提醒将无法送达。"
            "修正：在 apprise 配置中为其中一个标签添加通道，或改正 notify。",
            "unit '{code}' has no channel for its tags {tags} in the apprise config. "
            "Fix: add a URL with one of these tags, or correct notify.",
        ),
        "file-encoding": (
            "文件不是 UTF-8 编码的文本。修正：用 UTF-8 另存该文件。",
            "the file is not UTF-8 text. Fix: save it as UTF-8.",
        ),
        "unknown-group": (
            "“{name}”既不是单位组也不是单位（units）。修正：在 groups 中定义该组，或改为已有的组（{known}）或单位编号。",
            "'{name}' is neither a group nor a unit (units). Fix: define it under groups, or use a group ({known}) or a unit code.",
        ),
        "empty-group": (
            "单位组“{name}”是空的。修正：列出至少一个单位，或删除该组。",
            "group '{name}' is empty. Fix: list at least one unit, or remove the group.",
        ),
        "group-name-taken": (
            "单位组名“{name}”与一个单位的编号相同，写在 units 中时无法区分。修正：给组换一个名字。",
            "group name '{name}' is also a unit code, so units: cannot tell them apart. Fix: rename the group.",
        ),
        "unit-twice": (
            "单位“{code}”列了两次（{via}）。修正：只保留一次。",
            "unit '{code}' is listed twice ({via}). Fix: keep it once.",
        ),
        "nobody-under": (
            "没有以“{code}”为上级（parent）的单位，units: {{under: {code}}} 一个单位也选不到。修正：改为有下级单位的编号，或直接列出单位。",
            "no unit has '{code}' as its parent, so units: {{under: {code}}} selects nobody. Fix: name a unit that has units under it, or list the units.",
        ),
        "cooperating-with-units": (
            "任务分办给了 {count} 个单位（units），不能再有协办单位：协办意见要报送给唯一的主办。修正：删除 cooperating，或拆成一个主办（owner）带协办的任务。",
            "the task is given to {count} units (units), so it cannot have cooperating units: their input goes to one lead. Fix: drop cooperating, or split the task.",
        ),
        "cooperating-is-responsible": (
            "单位“{code}”既是承办单位又是协办单位。修正：从 cooperating 中删除它。",
            "unit '{code}' is both responsible for the task and cooperating on it. Fix: remove it from cooperating.",
        ),
        "shares-sum": (
            "指标“{indicator}”各单位分解数合计 {total}，与目标 {target} 相差 {difference}。修正：调整 shares，使合计等于目标。",
            "the shares of indicator '{indicator}' add up to {total}, not its target {target} (a difference of {difference}). Fix: adjust the shares.",
        ),
        "share-not-reported": (
            "单位“{code}”分到了指标“{indicator}”的份额，但报送该指标的任务没有交给它。修正：把它加入这些任务的 units，或删除它的份额。",
            "unit '{code}' has a share of indicator '{indicator}', but no task reporting that indicator is given to it. Fix: add it to those tasks' units, or drop its share.",
        ),
    }
)
