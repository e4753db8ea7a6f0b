"""Does a POS tagger find task clauses better than the list of opening verbs in `actions`?

`pip install jieba && python bench/task_heads.py` — jieba (its own dictionary, offline)
tags each clause; a clause is a task when its first word that is not an adverb, a
preposition or a number marker is a verb. Compared with `actions.GENERIC` on the real
corpus: labelled tasks found, tasks extracted in all (fewer is less noise for a planner to
delete), kind precision, and time.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from duban.tasks.extract import actions
from duban.tasks.extract.document import extract
from tests.extraction.scoring import HERE, documents, pooled, score

SKIPPED = ("d", "ad", "p", "c", "m", "x", "uj", "r")


class JiebaHead:
    """A stand-in for `actions.GENERIC`: `.match(clause)` when the clause opens with a verb."""

    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        self.cut = jieba.posseg.cut

    def match(self, clause: str) -> bool:
        body = re.sub(r"^\d{1,3}\s?[.、]|^\(?[一二三四五六七八九十]{1,3}[)、]", "", clause)
        for word, flag in self.cut(body):
            if word.strip() and not flag.startswith(SKIPPED):
                return flag in ("v", "vn", "vd")
        return False


def measure(name: str) -> None:
    for group in ("dev", "validation"):
        docs = documents(HERE / "real" / group)
        started = time.perf_counter()
        total = pooled(group, [score(*doc) for doc in docs])
        extracted = sum(
            len(item["tasks"])
            for _, source, _ in docs
            for item in extract(source.read_bytes())["items"]
        )
        print(
            f"{name:<22} {group:<10} found {total.tasks_found}/{total.tasks_labelled} "
            f"({total.tasks_found_share:.2f})  kind precision {total.kind_accuracy:.2f}  "
            f"tasks extracted {extracted}  {time.perf_counter() - started:.2f} s"
        )


def main() -> None:
    measure("opening-verb list")
    try:
        head = JiebaHead()
    except ImportError:
        print("jieba is not installed (it is no dependency): pip install jieba to compare")
        return
    head.match("加强教师队伍建设")  # load the dictionary outside the timing
    with mock.patch.object(actions, "GENERIC", head):
        measure("jieba: verb head")


if __name__ == "__main__":
    main()
