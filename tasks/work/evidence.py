"""Evidence files (佐证材料): kept outside the database, named by their SHA-256.

A file is taken when its extension is allowed and its content is what the extension says
(read from its first bytes by `filetype`: an executable renamed `.pdf` is refused).

The store is any fsspec location — a directory by default, `s3://bucket/prefix` (with s3fs) in
production. A file's path is its hash, never the name the user gave, so no upload can reach
outside the store (no path traversal) and the same file sent twice is kept once. The ledger
row of the submission records name, type, size and SHA-256: an auditor proves a file is the
one submitted by hashing it (`sha256sum`) and comparing with the ledger.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, BinaryIO

import filetype
import fsspec

# what a report's evidence may be: documents, spreadsheets, scans, photos, archives
ALLOWED = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".wps": "application/vnd.ms-works",
    ".ofd": "application/ofd",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".zip": "application/zip",
}
MAX_FILES = 10
CHUNK = 1 << 16
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the legacy Office/WPS container
ZIPPED = frozenset(ALLOWED[s] for s in (".docx", ".xlsx", ".pptx", ".zip"))
# what the content must be, read by `filetype` from its first bytes, for each extension
CONTENT: dict[str, frozenset[str]] = {
    ".pdf": frozenset({"application/pdf"}),
    ".jpg": frozenset({"image/jpeg"}),
    ".jpeg": frozenset({"image/jpeg"}),
    ".png": frozenset({"image/png"}),
    **dict.fromkeys((".docx", ".xlsx", ".pptx", ".ofd", ".zip"), ZIPPED),
    **dict.fromkeys((".doc", ".xls", ".ppt", ".wps"), frozenset({"ole2"})),
    **dict.fromkeys((".txt", ".csv"), frozenset({"text"})),
}
LABELS = {".doc": "Word", ".xls": "Excel", ".ppt": "PowerPoint", ".wps": "WPS", ".ofd": "OFD"}


class EvidenceRefused(ValueError):
    """A file the store will not take, with the sentence to show."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status  # 413 for a file too large, 422 otherwise


def safe_name(name: str) -> str:
    """The file name to show: the last path part, without control or separator characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    cleaned = re.sub(r'[<>:"|?*]', "_", cleaned).strip(" .")
    return cleaned[:120] or "file"


@dataclass(frozen=True)
class EvidenceStore:
    url: str
    max_bytes: int

    def _path(self, sha256: str) -> str:
        return f"{self.url.rstrip('/')}/{sha256[:2]}/{sha256}"

    def check(
        self, name: str, size: int | None = None, head: bytes | None = None
    ) -> tuple[str, str]:
        """The safe name and its type, or refused by its extension, its size or (given its
        first bytes) its content."""
        clean = safe_name(name)
        suffix = PurePosixPath(clean).suffix.lower()
        if suffix not in ALLOWED:
            kinds = "、".join(sorted(k.lstrip(".") for k in ALLOWED))
            raise EvidenceRefused(f"文件“{clean}”的类型不能作为佐证材料。修正：上传 {kinds} 文件")
        if size is not None and size > self.max_bytes:
            raise self._too_large(clean)
        if head:
            self._check_content(clean, head)
        return clean, ALLOWED[suffix]

    def _check_content(self, name: str, head: bytes) -> None:
        """Refuse a file whose content is not what its extension says (an executable named
        .pdf, a photo named .docx), naming what it was read as."""
        suffix = PurePosixPath(name).suffix.lower()
        found = content_kind(head)
        if found in CONTENT[suffix]:
            return
        what = LABELS.get(suffix, suffix.lstrip(".").upper())
        seen = f"（内容识别为 {found}）" if found not in ("text", "unknown") else ""
        raise EvidenceRefused(
            f"文件“{name}”的内容不是 {what} 文件{seen}。修正：上传真正的 {what} 文件，不要只改扩展名"
        )

    def _too_large(self, name: str) -> EvidenceRefused:
        return EvidenceRefused(f"文件“{name}”超过 {self.limit_text}。修正：压缩或拆分后再上传", 413)

    @property
    def limit_text(self) -> str:
        size = self.max_bytes
        return f"{size >> 20} MB" if size >= 1 << 20 else f"{size >> 10} KB"

    def save(self, name: str, stream: BinaryIO) -> dict[str, Any]:
        """Store one file; its ledger entry. Reads at most max_bytes + 1 bytes."""
        clean, content_type = self.check(name)
        digest, chunks, size = hashlib.sha256(), [], 0
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large(clean)
            digest.update(chunk)
            chunks.append(chunk)
        if size == 0:
            raise EvidenceRefused(f"文件“{clean}”是空文件。修正：选择有内容的文件")
        self._check_content(clean, chunks[0])
        sha256 = digest.hexdigest()
        fs, path = fsspec.core.url_to_fs(self._path(sha256))
        if not fs.exists(path):
            fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            partial = f"{path}.part"
            with fs.open(partial, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            fs.mv(partial, path)  # a reader never sees half a file
        return {"file": clean, "type": content_type, "size": size, "sha256": sha256}

    def read(self, sha256: str) -> bytes:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise EvidenceRefused("文件编号无效")
        fs, path = fsspec.core.url_to_fs(self._path(sha256))
        with fs.open(path, "rb") as f:
            data: bytes = f.read()
        return data


def content_kind(head: bytes) -> str:
    """What a file is by its first bytes: a MIME type as `filetype` reads it; "ole2" for the
    legacy Office/WPS container (which `filetype` names only with more of the file); "text"
    for bytes with no known signature and no NUL; else "unknown"."""
    if head.startswith(OLE2):
        return "ole2"
    guessed = filetype.guess(head)
    if guessed is not None:
        return str(guessed.mime)
    return "unknown" if b"\x00" in head else "text"


def files_in(evidence: list[Any]) -> list[dict[str, Any]]:
    """The file entries among a ledger row's evidence."""
    return [e for e in evidence if isinstance(e, dict) and "sha256" in e and "file" in e]
