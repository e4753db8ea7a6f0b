"""Task tables flattened into text, read back row by row.

A 任务分解表 or 民生实事 table scraped from a page arrives one cell per line (often ending
in "|"): 序号 | 重点工作任务 | 牵头单位 | 配合单位, then each row's cells in that order.
Each row becomes its task text followed, sentence by sentence, by the annotation the
rest of the extractor already reads: "(牵头单位: 县教育局; 配合单位: 县各有关单位)".
"""

from __future__ import annotations

import re

from duban.tasks.extract.reading import AID, TABLE

CELL_END = re.compile(r"\s*\|\s*$")
# a row's number; a city's list numbers its projects on (1081, 1082 …), but a year is no row
ROW_NUMBER = re.compile(r"^(?!(?:19|20)\d\d$)\d{1,4}$")
COLUMN_WORD = re.compile(
    r"序号|任务|内容|目标|事项|名称|项目|单位|部门|处室|科室|牵头|配合|协同|责任|领导|时限|时间|备注|类别"
)
# a section's row: "二、…", or a category's name in a row merged across the columns
# ("高等教育 | |||||||")
SECTION_ROW = re.compile(r"^[一二三四五六七八九十]{1,3}、|^[^|]{1,16}(?:\|\s*){3,}$")
TASK_COLUMN = re.compile(r"任务|内容|目标|事项|工作安排")
CATEGORY = re.compile(r"名称|分类|类别")  # 事项名称, 事项分类: a task's name or its kind, not it
NAME_COLUMN = re.compile(r"项目名称|名称|项目")
LEAD_COLUMN = re.compile(r"牵头|主要责任|主责|(?:责任|负责)(?:单位|部门|处室|科室)")
COOPERATING_COLUMN = re.compile(r"配合|协同|协办|参与|责任单位|责任部门")
DEADLINE_COLUMN = re.compile(r"时限|完成时间|时间节点|完成期限|截止时间|完成日期|^时间$")
# the steps a task is carried out by (工作举措及实施计划: "1.4月底前…主体完工;2.8月底前…竣工交付")
MEASURE_COLUMN = re.compile(r"举措|措施|实施计划|实施步骤|进度安排|推进计划")


def inline_tables(text: str) -> str:
    """`text` with each flattened task table turned into annotated sentences."""
    text = _unit_cells(_indicator_table(_rows_per_line(_indicator_rows(_budget_cells(text)))))
    lines = _one_cell_per_line(text.split("\n"))
    cells = [CELL_END.sub("", line).strip() for line in lines]
    start = next((i for i, cell in enumerate(cells) if _header_cell(cell) == "序号"), None)
    if start is None:
        return _barred_cells(text)
    header: list[str] = []
    for cell in cells[start:]:
        if ROW_NUMBER.match(cell) or SECTION_ROW.match(cell):
            break
        if cell:
            header.append(_header_cell(cell))
    roles = _roles(header)
    if roles is None:
        return text
    out = lines[:start]
    rest = _after_header(cells, start, header)
    if not rest:
        return text  # a header that runs to the end read no row: the page is kept as it is
    index = 0
    above: list[str] = []
    spread = False  # a row listed its units a line each
    while index < len(rest):
        cell = rest[index]
        if not ROW_NUMBER.match(cell) or index + len(header) > len(rest):
            out.append(cell)  # a section row (二、…) or a stray line
            index += 1
            continue
        # units a line each may push the content on only where they stand just left of it
        after_units = roles[0] if roles[1] == roles[0] - 1 else None
        length = _row_length(rest, index, len(header), after_units, spread=spread)
        spread = spread or length > len(header)
        row = _fitted(rest[index : index + length], header, above, roles[0])
        out.append(_sentence(row, roles))
        above = row
        index += length
    return "\n".join(out)


UNIT_CELL = re.compile(
    r"^[^,。;:]{1,16}(?:局|委|办|院|厅|部|处|科|室|中心|政府|街道\)?|镇|乡|联|会|公司|集团)$"
)


def _row_length(
    cells: list[str], index: int, columns: int, task: int | None, *, spread: bool = False
) -> int:
    """How many cells the row numbered at `index` has: as many as the header, unless the next
    row's number (n + 1) comes sooner or later — a cell merged with the row above (类别), or
    a column that lists its units a line each (协同单位: 东孝街道, 孝顺镇, …). The last row of
    a table whose rows did that (`spread`) goes on while its cells name bodies; so does one
    whose units, listed a line each, stand where its content (the `task` column, given only when
    the units' column is just left of it) should."""
    following = str(int(cells[index]) + 1)
    if index + columns < len(cells) and cells[index + columns] == following:
        return columns
    ahead = cells[index + columns // 2 + 1 : index + 3 * columns]
    if following in ahead:
        return columns // 2 + 1 + ahead.index(following)
    length = columns
    while (
        task is not None
        and index + length < len(cells)
        and _names_unit(cells, index + task + length - columns, wrapped=length > columns)
    ):
        length += 1
    while spread and index + length < len(cells) and UNIT_CELL.search(cells[index + length]):
        length += 1
    return length


def _fitted(row: list[str], header: list[str], above: list[str], task: int) -> list[str]:
    """A row of one cell per line in the header's columns, aligned on its content (the cell
    that closes with 。, else the longest): cells it lacks left of it are those the row above
    spans (类别); cells past the columns, left or right of it, list more units in the column
    next to it (责任单位: 万盛街道, 东林街道, 万东镇 a line each)."""
    if len(row) == len(header):
        return row
    closed = [i for i, cell in enumerate(row) if cell.endswith("。")]
    content = closed[0] if closed else max(range(1, len(row)), key=lambda i: len(row[i]))
    before, after = row[1:content], row[content + 1 :]
    missing = max(task - 1 - len(before), 0)
    filler = above[1 : 1 + missing] if len(above) == len(header) else [""] * missing
    left = [row[0], *filler, *before]
    if len(left) > task:  # the column left of the content lists its units a line each
        left = [*left[: task - 1], _listed(left[task - 1 :])]
    right_columns = len(header) - task - 1
    if len(after) > right_columns > 0:
        after = [*after[: right_columns - 1], _listed(after[right_columns - 1 :])]
    return [*left, row[content], *after, *[""] * (right_columns - len(after))]


def _names_unit(cells: list[str], index: int, *, wrapped: bool) -> bool:
    """Whether the cell names a unit, or, with `wrapped` (after a unit), begins one the page
    wrapped ("区新兴产业\n服务中心")."""
    cell, following = cells[index], cells[index + 1] if index + 1 < len(cells) else ""
    return bool(
        UNIT_CELL.search(cell)
        or (wrapped and re.fullmatch(r"[^,。;:\d]{2,10}", cell) and UNIT_CELL.search(following))
    )


# the last character of a body's name (局, 单位, 学校, 街道 …): a line that ends otherwise was wrapped
NAME_END = re.compile(
    r"[局委办辦院厅廳部处處科室心府道镇鎮乡鄉联聯会會司团團位门門校园園构構所站队隊组組村区區县縣市省等/]$"
)


def _listed(cells: list[str]) -> str:
    """Units a line each as one cell: "区新兴产业\n服务中心", a name the page wrapped, is one."""
    joined = ""
    for n, cell in enumerate(cells):
        # a bracket closing the name is its own (各乡镇(街道)), as is a reading aid (產(chǎn)業(yè))
        wrapped = n + 1 < len(cells) and not NAME_END.search(re.sub(r"\([^()]*\)$", "", cell))
        joined += cell if wrapped else f"{cell}、"
    return joined.rstrip("、")


def _header_cell(cell: str) -> str:
    """A header cell as the column words are written: no reading aids or spaces (時(shí) 間),
    simplified characters (工作內容 | 責任部門, 序號 on a traditional page)."""
    return re.sub(r"\s+", "", AID.sub("", cell)).translate(TABLE)


def _split_row(line: str, separator: str = r"[|\t]") -> list[str]:
    return [c.strip() for c in re.split(separator, line.strip().strip("|"))]


def _space_header(line: str) -> bool:
    """ "序号 项目名称 主要内容 牵头单位 配合单位": a header whose cells the page's spaces split."""
    words = line.split()
    return "|" not in line and len(words) >= 4 and all(len(w) <= 8 for w in words)


def _rows_per_line(text: str) -> str:
    """A table whose header and rows each sit on one line, cells split by |, a tab or spaces.

    A row with fewer cells than the header lost cells that the row above spans (merged
    cells): a 序号 it shares, a 类别 on its left, a 责任单位 on its right; it takes them from
    that row (see `_merged`). Columns other than the task, its name and its units (progress,
    成效, 分管领导, 监督电话) are left out: they report, they do not plan. Each row's
    sentence opens with "|", as a cell does: it speaks for itself (see `tense.is_statistic`).
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        separator = r"\s+" if _space_header(line) else r"[|\t]"
        header = [_header_cell(c) for c in _split_row(line, separator)]
        one_cell_per_line = "序号" in header and not _numbered_rows(lines[index + 1 :], separator)
        if len(header) < 3 or one_cell_per_line:
            continue
        roles = _roles(header)
        if roles is None:
            continue
        out = lines[:index]
        above: list[str] = []
        for row_line in lines[index + 1 :]:
            row = _split_row(row_line, separator)
            while row and not row[-1]:
                row.pop()
            if len(row) < len(header) - 2 or len(row) > len(header):
                out.append(row_line)
                continue
            row = _merged(row, header, above)
            task, lead = roles[0], roles[1]
            if not row[task] or lead is None or not row[lead]:
                out.append(row_line)
                continue
            above = row
            out.append("|" + _sentence(row, roles))
        return "\n".join(out)
    return text


def _numbered_rows(lines: list[str], separator: str) -> bool:
    """Whether a numbered table's first row sits on one line ("1 | 新建… | 教育局 |"), not
    one cell per line (read by `inline_tables`)."""
    row = _split_row(next((line for line in lines if line.strip()), ""), separator)
    return len(row) >= 3 and bool(ROW_NUMBER.match(row[0]))


def _merged(row: list[str], header: list[str], above: list[str]) -> list[str]:
    """`row` aligned with the header, the cells it lacks taken from the row above.

    A row starting with its number starts at the 序号 column; one without a number, in a
    numbered table, shares the number above; otherwise it lost cells on the left (类别).
    """
    if len(row) == len(header):
        return row
    number = header.index("序号") if "序号" in header else None
    if number is not None and ROW_NUMBER.match(row[0]):
        start = number
    elif number is not None and above:
        start = number + 1
    else:
        start = len(header) - len(row)
    start = min(start, len(header) - len(row))
    filler = above or [""] * len(header)
    return filler[:start] + row + filler[start + len(row) :]


def _one_cell_per_line(lines: list[str]) -> list[str]:
    """A row on one line ("1 | 新建幼儿园 | 县教育局", or separated by tabs) split into cells."""
    out: list[str] = []
    for line in lines:
        cells = re.split(r"\s*[|\t]\s*", line.strip().strip("|"))
        out.extend(cells if len(cells) >= 3 else [line])
    return out


def _after_header(cells: list[str], start: int, header: list[str]) -> list[str]:
    seen, index = 0, start
    while seen < len(header):
        seen += bool(cells[index])
        index += 1
    return [cell for cell in cells[index:] if cell]


Roles = tuple[int, int | None, list[int], int | None, int | None, list[int]]


def _roles(header: list[str]) -> Roles | None:
    """(task, lead, cooperating, name, deadline and measures columns), or None if it is no
    task table."""
    task = next(
        (i for i, h in enumerate(header) if TASK_COLUMN.search(h) and not CATEGORY.search(h)),
        None,
    )
    name = next((i for i, h in enumerate(header) if NAME_COLUMN.search(h) and i != task), None)
    if task is None:
        task, name = name, None
    lead = next((i for i, h in enumerate(header) if LEAD_COLUMN.search(h)), None)
    if task is None or lead is None:
        return None
    cooperating = [
        i for i, h in enumerate(header) if i not in (task, lead) and COOPERATING_COLUMN.search(h)
    ]
    deadline = next((i for i, h in enumerate(header) if DEADLINE_COLUMN.search(h)), None)
    taken = (task, lead, name, deadline, *cooperating)
    measures = [i for i, h in enumerate(header) if i not in taken and MEASURE_COLUMN.search(h)]
    return task, lead, cooperating, name, deadline, measures


MARKED = re.compile(r"\((?:牵头|配合|主责|协办)(?:单位)?\)")


def _sentence(row: list[str], roles: Roles) -> str:
    task, lead, cooperating, name, deadline, measures = roles
    row = [cell if i == task else MARKED.sub("", cell) for i, cell in enumerate(row)]
    parts = []
    if lead is not None and row[lead].strip("。 "):
        parts.append(f"牵头单位:{row[lead].strip('。 ')}")
    others = ",".join(row[i].strip("。 ") for i in cooperating if row[i].strip("。 "))
    if others:
        parts.append(f"配合单位:{others}")
    if deadline is not None and row[deadline].strip("。 "):
        parts.append(f"完成时限:{row[deadline].strip('。 ')}")
    note = f"({';'.join(parts)})" if parts else ""
    cells = (row[task], *(row[i] for i in measures))
    sentences = [s for cell in cells for s in re.split(r"(?<=[。;])", cell) if s.strip()]
    title = f"{row[name].strip('。 ')}:" if name is not None and row[name].strip("。 ") else ""
    return title + "".join(
        f"{s.rstrip('。;')}{note}{s[len(s.rstrip('。;')) :] or '。'}" for s in sentences
    )


VALUE = re.compile(
    r"^[\d.]+\s?(?:%|年|所|个|人|万人|元|万元|亿元|小时|学时)?(?:以上|以下|以内|左右)?$"
)
ATTRIBUTE = re.compile(r"^(?:约束性|预期性|指导性)$")


def _indicator_table(text: str) -> str:
    """A plan's indicator table, one cell per line: 指标 | 2020年 | 2025年 | 属性.

    Each indicator (and each 其中 part of it) becomes "<name>达到<the last column's value>。":
    the first year's column is the baseline, a statistic, and is left out.
    """
    lines = text.split("\n")
    cells = [re.sub(r"\s+", "", line) for line in lines]
    start = next((i for i, c in enumerate(cells) if c == "指标"), None)
    if start is None:
        return text
    header = [c for c in cells[start + 1 : start + 8] if c][:3]
    if len(header) < 2 or not all(re.fullmatch(r"20\d\d年", c) for c in header[:2]):
        return text
    out = lines[:start]
    names: list[str] = []
    values: list[str] = []

    def flush() -> None:
        if names and values:
            parent = _indicator_name(names[0])
            named = names
            if len(values) % len(names) and len(names) > 1:  # "班额比例" only heads 其中:小学, 初中
                named = names[1:]
            targets = values[len(values) - len(named) :]
            for name, value in zip(named, targets, strict=False):
                own = _indicator_name(name)
                if name.startswith("其中") or name != names[0]:
                    own = own if own.endswith(("比例", "率")) else own + parent
                out.append(f"{own}达到{value}。")
        names.clear()
        values.clear()

    for cell in cells[start + 1 :]:
        if not cell or cell in header:
            continue
        if ATTRIBUTE.match(cell):
            flush()
        elif VALUE.match(cell):
            values.append(cell)
        elif re.match(r"^[一二三四五六七八九十]{1,3}、", cell):
            flush()
            out.append(cell)
        else:
            if values:
                flush()
            names.append(cell)
    flush()
    return "\n".join(out)


# an indicator table laid out a row per line: "幼儿在园人数 万人 181 222" under "单位 2015年 2020年",
# or "人均体育场地面积(平方米) - 2 预期性", "城镇登记失业率(%) 2.6% ≤ 4% 约束性", and, numbered, with
# the target alone: "1.残疾人家庭人均收入年均增长(%) >7.5 预期性"
YEARS_HEADER = re.compile(r"(?:^|\s)20\d\d年\s+20\d\d年(?:\s+属性)?\s*$")
ROW_UNITS = r"%|‰|万人次|人次|万人|人|万元|亿元|元|所|个|平方米|年|岁"
INDICATOR_ROW = re.compile(
    rf"^\s*(?:\d{{1,2}}\.)?(?P<name>[^\s\d|][^\s|]{{1,30}}?)(?:\((?P<bracket>{ROW_UNITS})\))?"
    rf"\s+(?:(?P<unit>{ROW_UNITS})\s+)?(?:(?P<base>[-—]|[\d.]+%?)\s+)?(?P<sign>[≥≤><]\s?)?"
    r"(?P<target>\d[\d.]*)(?P<mult>[万亿]?)(?P<percent>%?)"
    r"(?P<attribute>\s+(?:约束性|预期性|指导性))?\s*$"
)


def _indicator_rows(text: str) -> str:
    """Each row of a row-per-line indicator table as "<name>达到<its last value>。": the first
    value is the baseline, a statistic. A row with both counts under a header of two years (kept
    for the next 40 lines); any row counts when it ends with the indicator's attribute (约束性,
    预期性)."""
    out = []
    under_header = 0
    for line in text.split("\n"):
        row = INDICATOR_ROW.match(line)
        if YEARS_HEADER.search(line):
            under_header = 40
        elif row and (row.group("attribute") or (under_header and row.group("base"))):
            unit = "%" if row.group("percent") else row.group("unit") or row.group("bracket") or ""
            if not unit and row.group("name").endswith("人次"):
                unit = "人次"  # 全县公共图书馆年流通人次 - 120万
            verb = _bound_words(row.group("sign"))
            value = row.group("target") + row.group("mult")
            line = f"{row.group('name')}{verb}{value}{unit}。"
        under_header = max(0, under_header - 1)
        out.append(line)
    return "\n".join(out)


# an indicator table one cell per line, each indicator's unit in its name's brackets and its value
# alone on the next line: a 督导 standard's "学前三年毛入园率(%)" then "≥85", a 绩效目标表's
# "新增学位数量(个)" then "3000" and "1200" (the whole period's and the year's); a scrape may
# lose the opening bracket ("达标率%)")
CELL_UNITS = r"%|‰|个|個|所|人次|人|名|亿元|億元|万元|萬元|元|平方米|亩|畝|间|間|套|台|臺|次|天|小时|小時|学时|學時"
UNIT_NAME = re.compile(
    rf"^(?:\d{{1,2}}[.、])?(?P<name>(?:20\d\d年?)?[^\d\s≥≤<>|(][^\s|]{{1,40}}?)\(?(?P<unit>{CELL_UNITS})"
    r"(?:/[年生人次])?\)$"
)
# …and a standard written in the name's brackets: "幼儿园生均建筑面积(≥10.44平方米)"
BRACKET_STANDARD = re.compile(
    rf"^(?P<name>[^\d\s≥≤<>|(][^\s|(]{{1,40}})\((?P<sign>[≥≤])(?P<value>\d+(?:\.\d+)?)"
    rf"(?P<unit>{CELL_UNITS})\)$"
)
VALUE_CELL = re.compile(r"^(?P<sign>[≥≤><])?(?P<value>\d+(?:\.\d+)?)(?P<percent>%?)$")


def _unit_cells(text: str) -> str:
    """Each indicator of a one-cell-per-line table whose unit its name's brackets give (two such
    indicators at least) as "<name>达到<value><unit>。", one sentence per value cell: a second
    bare value is the year's beside the period's, but never after a standard (≥85) and never the
    next row's number."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    # a scrape's spaces inside a cell are none of its words: "每千名 3 岁以下婴幼儿拥有托位数(个)"
    cells = [re.sub(r"\s+", "", lines[i]) for i in filled]
    found: dict[int, str] = {}
    row = None  # the last row's number
    for n, cell in enumerate(cells):
        following = cells[n + 1] if n + 1 < len(cells) else ""
        if n not in found and ROW_NUMBER.match(cell) and not VALUE_CELL.match(following):
            row = int(cell)
        standard = BRACKET_STANDARD.match(cell)
        if standard:
            verb = _bound_words(standard["sign"], otherwise="不低于")
            found[n] = f"{standard['name']}{verb}{standard['value']}{standard['unit']}。"
            continue
        named = UNIT_NAME.match(cell)
        values = [VALUE_CELL.match(value) for value in cells[n + 1 : n + 3]]
        if not named or not values or not values[0]:
            continue
        second = values[-1] if len(values) == 2 else None
        if (
            second is None
            or values[0]["sign"]
            or second["sign"]
            or (row is not None and second["value"] == str(row + 1))
        ):
            values = values[:1]
        sentences = [
            f"{named['name']}{_bound_words(read['sign'])}{read['value']}{named['unit']}。"
            for read in values
            if read and (not read["percent"] or named["unit"] == "%")
        ]
        if sentences:
            found[n] = "".join(sentences)
            for k in range(1, len(values) + 1):
                found.setdefault(n + k, "")
    if sum(1 for sentence in found.values() if sentence) < 2:
        return text
    for n, sentence in found.items():
        lines[filled[n]] = sentence
    return "\n".join(lines)


def _bound_words(sign: str | None, otherwise: str = "达到") -> str:
    """The words a table's sign becomes in a sentence: a ceiling (≤, <) 不超过, else `otherwise`."""
    return "不超过" if (sign or "").startswith(("≤", "<")) else otherwise


# a performance-target table's (绩效目标表) funds, their amounts bare under a header in 万元:
# "项目资金 (万元) | 年度资金总额 | 372 |", "年度预算申请\n(万元)\n资金总额:704"
FUND_NAMES = (
    r"(?:中期|年度|当年|本年度?)?资金总额",
    r"(?:本年度?|当年)?申请资金",
    r"项目预算金额",
    r"收入预算总额",
    r"(?:一般)?公共(?:财政|预算)拨款(?:小计)?",
    r"(?:当年|本年)?财政拨款",
    r"上级资金",
    r"其他资金",
    r"基本支出",
    r"项目支出",
    r"合\s?计",
    r"[市县区]本级",
)
# the name, then a colon or the cell's bars (a line break at most), then the bare amount
FUNDS = re.compile(
    rf"(?P<name>{'|'.join(FUND_NAMES)})\s?[:|]?[ \t|]*\n?[ \t|]*(?P<amount>\d+(?:\.\d+)?)"
    r"(?=\s*(?:\||\n|$))"
)


def _budget_cells(text: str) -> str:
    """Each bare amount of a 绩效目标表's funds, within 300 characters after a "(万元)" header,
    as "<name>372万元。"."""
    out, done = [], 0
    for match in FUNDS.finditer(text):
        header = text.rfind("(万元)", 0, match.start())
        if header < 0 or match.start() - header > 300 or float(match.group("amount")) == 0:
            continue
        out.append(text[done : match.start()])
        out.append(f"{match.group('name')}{match.group('amount')}万元。")
        done = match.end()
    return "".join(out) + text[done:]


def _indicator_name(cell: str) -> str:
    """ "1.学前教育毛入园率(%)" → 学前教育毛入园率; "其中:小学" → 小学."""
    name = re.sub(r"^\d{1,2}\.|^其中:?", "", cell)
    return re.sub(r"\((?:%|年|个|所|人|万人|元)\)$", "", name)


def _barred_cells(text: str) -> str:
    """A table without 序号, one cell per line, each cell closed by "|": rows go by count."""
    lines = text.split("\n")
    barred = [bool(CELL_END.search(line)) and line.strip() != "|" for line in lines]
    for start in range(len(lines)):
        header: list[str] = []
        index = start
        while (
            index < len(lines)
            and barred[index]
            and len(lines[index].strip()) <= 12
            and COLUMN_WORD.search(lines[index])
        ):
            header.append(re.sub(r"\s+", "", CELL_END.sub("", lines[index])))
            index += 1
        roles = _roles(header) if len(header) >= 3 else None
        if roles is None:
            continue
        out = lines[:start]
        cells = [CELL_END.sub("", line).strip() for line in lines[index:]]
        row: list[str] = []
        for line, cell in zip(lines[index:], cells, strict=True):
            if not CELL_END.search(line):
                out.append(line)
                continue
            row.append(cell)
            if len(row) == len(header):
                out.append(_sentence(row, roles))
                row = []
        return "\n".join(out)
    return text
