"""Evidence files: safe names whatever the upload says, hash-named storage on any fsspec store."""

from __future__ import annotations

import hashlib
import io
import uuid

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
    data = "整改台账".encode() * 10
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
