"""The document's own tree: `一、` chapters, `(一)` sections and `1.` items, in order.

Headings in scraped reports run straight into their body (`二、主要目标1.学前…`), so a
candidate marker is accepted only where it continues its level's count (一 after nothing,
二 after 一 …; items restart under each parent). Numbers in the body (`99.5%`, `5.5万人`)
never continue a count, because a marker must be followed by text, not a digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.tasks.extract.numbers import chinese_to_int

BEFORE = r"(?:(?<=^)|(?<=[\s。;:!?”\)]))"
CHAPTER = re.compile(BEFORE + r"([一二三四五六七八九十]{1,3})、", re.M)
SECTION = re.compile(BEFORE + r"\(([一二三四五六七八九十]{1,3})\)", re.M)
# a WeChat-style page numbers its parts on lines of their own: "01", "02" above a short title
NUMBERED_LINE = re.compile(r"^\s*0([1-9])\s*$(?=\s*\n\s*\S[^\n]{0,30}\n)", re.M)
ITEM = re.compile(r"(?:(?<=^)|(?<=[^\d.A-Za-z]))(\d{1,2})[.、](?=[^\d\s.%])", re.M)
BODY_STARTS = (
    "多途径",
    "加强",
    "加快",
    "加大",
    "推进",
    "深入",
    "全面",
    "进一步",
    "积极",
    "坚持",
    "围绕",
    "做好",
    "落实",
    "完善",
    "建立",
    "实施",
    "启动",
    "开展",
    "立足",
    "鼓励",
    "统筹",
    "强化",
    "优化",
    "深化",
    "提升",
    "扎实",
    "按照",
    "根据",
    "认真",
    "切实",
    "继续",
    "大力",
    "以",
)


@dataclass
class Heading:
    path: list[str]
    title: str
    start: int  # offset of the marker in the text
    body_start: int  # offset after the marker
    end: int = 0  # offset where this heading's own text ends (next heading)
    text: str = ""
    children: list[Heading] = field(default_factory=list)


def _candidates(text: str) -> list[tuple[int, int, str, int]]:
    found = []
    chapters = CHAPTER if CHAPTER.search(text) else NUMBERED_LINE  # 一、 chapters rule over 01
    for level, pattern in ((0, chapters), (1, SECTION), (2, ITEM)):
        for match in pattern.finditer(text):
            value = match.group(1)
            number = int(value) if value.isdigit() else chinese_to_int(value)
            if number:
                found.append((match.start(), match.end(), f"{level}", number))
    return sorted(found)


def outline(text: str) -> list[Heading]:
    """Headings in document order, each with its path, title and own text."""
    counts = {"0": 0, "1": 0, "2": 0}
    chapter: str | None = None
    section: str | None = None
    headings: list[Heading] = []
    carried = 0  # the last item's number before its parent changed: 民生实事 count on (1…10)
    for start, end, level, number in _candidates(text):
        continues = level == "2" and counts["2"] == 0 and carried and number == carried + 1
        if (
            number != counts[level] + 1
            and not continues
            and not _skips_one(text, start, end, level, number, counts)
        ):
            continue
        if level == "2" and headings and headings[-1].start <= start < headings[-1].body_start:
            continue
        counts[level] = number
        if level == "0":
            chapter, section = _numeral(number), None
            carried = counts["2"] or carried
            counts["1"] = counts["2"] = 0
            path = [chapter]
        elif level == "1":
            if chapter is None:
                continue
            section = f"({_numeral(number)})"
            carried = counts["2"] or carried
            counts["2"] = 0
            path = [chapter, section]
        else:
            path = [p for p in (chapter, section) if p] + [str(number)]
        headings.append(Heading(path=path, title="", start=start, body_start=end))
    for index, heading in enumerate(headings):
        heading.end = headings[index + 1].start if index + 1 < len(headings) else len(text)
        own = text[heading.body_start : heading.end]
        heading.title, heading.text = split_title(own, numbered=heading.path[-1].isdigit())
    return headings


def _skips_one(
    text: str, start: int, end: int, level: str, number: int, counts: dict[str, int]
) -> bool:
    """A chapter whose number skips one (三、 after 一、, the page having lost 二、) on a short
    line of its own: an excerpt cut from a longer plan."""
    if level != "0" or counts["0"] == 0 or number != counts["0"] + 2:
        return False
    line_end = text.find("\n", end)
    line = text[end : line_end if line_end >= 0 else len(text)]
    return (start == 0 or text[start - 1] == "\n") and 0 < len(line.strip()) <= 20


def split_title(own: str, *, numbered: bool) -> tuple[str, str]:
    """(title, whole own text). A numbered item's title is its first sentence."""
    own = own.strip()
    sentence = re.split(r"[。!?]", own, maxsplit=1)[0].strip()
    if numbered:
        return sentence.rstrip("。;").strip(), own
    space = re.search(r"\s", sentence)
    if space:
        return sentence[: space.start()].strip(), own
    if len(sentence) <= 30 or "," not in sentence:
        return sentence[:60], own
    head, _, tail = sentence.partition(",")
    cut = min(
        (tail.find(word) for word in BODY_STARTS if tail.find(word) >= 4),
        default=-1,
    )
    return (f"{head},{tail[:cut]}" if cut > 0 else sentence[:60]), own


NUMERALS = "一二三四五六七八九十"


def _numeral(number: int) -> str:
    if number <= 10:
        return NUMERALS[number - 1]
    if number < 20:
        return "十" + NUMERALS[number - 11]
    tens, ones = divmod(number, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")
