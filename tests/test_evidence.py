"""Evidence files: safe names whatever the upload says, hash-named storage on any fsspec store."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duban.tasks.work.evidence import EvidenceRefused, EvidenceStore, safe_name


@given(st.text(max_size=300))
def test_a_safe_name_is_one_plain_path_part(name: str) -> None:
    clean = safe_name(name)
    assert clean and len(clean) <= 120
    assert "/" not in clean and "\\" not in clean and clean not in (".", "..")
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in clean)


@pytest.mark.parametrize(
    ("given_name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\校长\\Desktop\\自查报告.docx", "自查报告.docx"),
        ("报告\x00.pdf", "报告.pdf"),
        ("..", "file"),
    ],
)
def test_names_that_try_to_leave_the_store_keep_only_their_last_part(
    given_name: str, shown: str
) -> None:
    assert safe_name(given_name) == shown


def test_a_file_goes_to_any_fsspec_store_named_by_its_hash() -> None:
    import fsspec

    url = f"memory://evidence-{uuid.uuid4().hex}"
    store = EvidenceStore(url, 1 << 10)
    data = zipped({"xl/workbook.xml": "整改台账" * 10})  # a spreadsheet is a zip container
    entry = store.save("台账.xlsx", io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    assert entry == {
        "file": "台账.xlsx",
        "type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "size": len(data),
        "sha256": digest,
    }
    assert store.read(digest) == data
    assert fsspec.filesystem("memory").exists(f"{url}/{digest[:2]}/{digest}")
    assert store.save("copy.xlsx", io.BytesIO(data))["sha256"] == digest  # kept once

    with pytest.raises(EvidenceRefused, match="超过 1 KB") as too_big:
        store.save("big.pdf", io.BytesIO(b"x" * 1025))
    assert too_big.value.status == 413
    with pytest.raises(EvidenceRefused, match="不能作为佐证材料"):
        store.save("macro.xlsm", io.BytesIO(b"x"))
    with pytest.raises(EvidenceRefused, match="空文件"):
        store.save("empty.pdf", io.BytesIO(b""))
    with pytest.raises(EvidenceRefused):
        store.read("../../secret")


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03" + b"\x00" * 120 + b"This program cannot be run in DOS mode"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120


@pytest.mark.parametrize(
    ("name", "content", "refused"),
    [
        ("报告.pdf", PDF, None),
        ("照片.png", PNG, None),
        ("台账.docx", zipped({"word/document.xml": "<w:document/>"}), None),
        ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, None),
        ("名单.csv", "学校,人数\n一中,12\n".encode("gb18030"), None),
        ("报告.pdf", EXE, "内容识别为 application/x-msdownload"),  # an executable renamed
        ("台账.docx", ELF, "内容识别为 application/x-executable"),
        ("照片.jpg", PNG, "内容识别为 image/png"),
        ("报告.pdf", "这不是PDF".encode(), "不是 PDF 文件"),
        ("名单.csv", EXE, "内容识别为 application/x-msdownload"),
    ],
)
def test_a_files_content_must_be_what_its_extension_says(
    name: str, content: bytes, refused: str | None
) -> None:
    store = EvidenceStore(f"memory://evidence-{uuid.uuid4().hex}", 1 << 20)
    if refused is None:
        assert store.save(name, io.BytesIO(content))["size"] == len(content)
        return
    with pytest.raises(EvidenceRefused, match=refused) as caught:
        store.save(name, io.BytesIO(content))
    assert "修正" in str(caught.value)
