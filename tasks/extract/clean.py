"""Text as it really arrives: decode it, drop a sharing site's header and footer, and glue
the page chunks back together.

Document-sharing sites prefix each page chunk with a sequential marker on its own line
(`\\n6、化办学`) that cuts words and headings in half. Line-start `N、` markers that count
1, 2, 3 … through the whole document, every 200–400 characters, are those chunk markers; a
document whose own items are numbered `1、` restarts its count in every section, or numbers
one short list whose items are as long as they are, so they are kept.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata

from duban.tasks.extract.tables import inline_tables

FULLWIDTH = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "；": ";",
        "，": ",",
        "．": ".",
        "％": "%",
        "　": " ",
        "～": "~",
        "－": "-",
        "＋": "+",
        "｜": "|",
    }
)
SITE_NOISE = re.compile(
    r"由会员分享|可在线阅读|请在.{0,20}网站上搜索|分享文档赚钱|文档分享平台|下载积分"
)
FOOTER_START = re.compile(
    r"^\s*(- )?(配套讲稿|特殊限制|关 ?键 ?词|限制\d+内|本文档|最新文档|下载文档)"
)
FILENAME = re.compile(r"\.(docx?|pdf|wps|txt)\s*$", re.I)
CHUNK_MARKER = re.compile(r"^(\d{1,4})、", re.M)
CHUNK_SIZE = (200, 400)  # characters from one page-chunk marker to the next (the seed's: 303–304)


class UnreadableText(Exception):
    """Empty, binary, or in an encoding we cannot read."""


def decode(raw: bytes) -> str:
    if not raw.strip():
        raise UnreadableText("文件是空的")
    if b"\x00" in raw[:4096]:
        raise UnreadableText("这是二进制文件，不是文本（如 .doc/.pdf，请先另存为 .txt）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_text(text):
            return text
    raise UnreadableText("无法识别文件编码（支持 UTF-8、GBK/GB18030）")


def _mostly_text(text: str) -> bool:
    sample = text[:20000]
    bad = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\r\n\t"
    )
    return bad <= len(sample) * 0.01


# a forum's anti-copy jammer between lines ("8 c" u" i8 V: o' j) `& ~: A"): short runs of
# letters, digits and several kinds of marks that the page hid (a table's "| 1 | 2 |" has one)
JAMMER = re.compile(r"(?:[!-~]{1,3} ){4,}[!-~]{0,3}")


def _jammer(match: re.Match[str]) -> str:
    run = match.group()
    marks = set(re.findall(r"[^A-Za-z0-9\s|]", run))
    alnum = len(re.findall(r"[A-Za-z0-9]", run))
    return "\n" if len(marks) >= 3 and alnum >= 3 else run


def normalize(text: str) -> str:
    """ASCII punctuation for the structural marks (，stays readable as ","), one space for runs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(FULLWIDTH)
    # an ASCII full stop after Chinese text ends a sentence ("1." and "99.5" keep theirs)
    text = re.sub(r"(?<=[\u4e00-\u9fff%)”])\.(?=\s|$|[\u4e00-\u9fff“])", "。", text, flags=re.M)
    # what a page's HTML left behind: <p>, </p>, and "?/p>" where a paragraph's closing tag ate
    # the character before it, most often its full stop
    text = re.sub(r"\?/p>", "。", text)
    text = re.sub(r"</?(?:p|br|span|div)\s*/?>", "", text, flags=re.I)
    if MARKUP.search(text):
        text = _markup_read(text)
    return JAMMER.sub(_jammer, re.sub(r"[ \t]+", " ", text))


# a page's own markup (a saved page, a template): tables, lists, forms, and paragraphs styled
# by a word processor's export (<p class=MsoNormal style='line-height:150%'>)
MARKUP = re.compile(
    r"<(?:td|tr|th|table|li|ul|ol|input|label|h[1-6])\b[^<>]*>|<(?:p|span|div|font)\s[^<>]*>", re.I
)


def _markup_read(text: str) -> str:
    """The text a browser shows of a page's markup: each cell, row, item and heading on a
    line of its own, a form's choices (<label><input …>已完成</label>) left out, entities read."""
    text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->", "", text, flags=re.I | re.S)
    text = re.sub(r"<label\b[^<>]*>\s*<input\b[^<>]*>.*?</label>", "", text, flags=re.I | re.S)
    text = re.sub(r"</(?:td|th|tr|li|h[1-6]|table)>", "\n", text, flags=re.I)
    return html.unescape(re.sub(r"<[^<>]+>", "", text))


def strip_site(text: str) -> tuple[str, str | None]:
    """Drop the sharing site's header lines and footer; return the text and the file name seen."""
    lines = text.split("\n")
    filename = None
    kept: list[str] = []
    for index, line in enumerate(lines):
        footer = FOOTER_START.match(line)
        if footer and index > 0 and not _article_keywords(footer, lines[index + 1 :]):
            break
        if index < 5 and FILENAME.search(line) and len(line) < 80:
            filename = FILENAME.sub("", line).strip()
            continue
        if SITE_NOISE.search(line) and len(line) < 300:
            continue
        kept.append(line)
    return "\n".join(kept), filename


def _article_keywords(footer: re.Match[str], rest: list[str]) -> bool:
    """A journal's or news page's "关键词:" line under its title, with the article after it,
    starts no footer: a sharing site's keywords close the page, with little after them."""
    return "键" in footer.group(2) and sum(len(line) for line in rest) > 300


def join_chunks(text: str) -> str:
    """Remove sequential page-chunk markers and the line breaks they sit on.

    A sharing site cuts its page every 300 characters or so, mid-word ("服\n9、务经济社会能力");
    a list numbered 1、2、3、 at the starts of its lines is no such cut: its items are as long as
    they are (heldout108: 50–100 characters apart)."""
    markers = list(CHUNK_MARKER.finditer(text))
    numbers = [int(m.group(1)) for m in markers]
    if len(numbers) < 3 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return text
    gaps = [b.start() - a.start() for a, b in itertools.pairwise(markers)]
    if not all(CHUNK_SIZE[0] <= gap <= CHUNK_SIZE[1] for gap in gaps):
        return text
    return re.sub(r"\n?^\d{1,4}、", "", text, flags=re.M)


HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、])"
)


def unwrap(text: str) -> str:
    """Join the lines of a page laid out at a fixed width (a PDF copied line by line).

    Such a text breaks mid-word ("普\n惠性幼儿园"); it is recognised by most of its long
    lines ending without punctuation, and only lines that do not start a heading are joined.
    """
    lines = text.split("\n")
    long = [line for line in lines if len(line.strip()) >= 20]
    open_ended = [line for line in long if not re.search(r"[。;:!?”)]\s*$", line)]
    if len(long) < 5 or len(open_ended) < 0.6 * len(long):
        return text
    out = [lines[0]]
    for line in lines[1:]:
        previous = out[-1]
        if (
            len(previous.strip()) >= 20
            and not re.search(r"[。;:!?]\s*$", previous)
            and line.strip()
            and not HEADING_START.match(line)
        ):
            out[-1] = previous.rstrip() + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def clean(raw: bytes) -> tuple[str, str | None]:
    """Readable, joined text and the document's file name if the site showed one."""
    text, filename = strip_site(normalize(decode(raw)))
    text = unwrap(inline_tables(join_chunks(text)))
    text = re.sub(r"\n{2,}", "\n", text).strip()
    return text, filename
