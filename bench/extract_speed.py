"""Speed and memory of `duban plan extract`.

`python bench/extract_speed.py` — the seed once, a 100-page report (100 A4 pages of 800
characters), a report 100× the seed's size (some 950 such pages), and the
peak memory over 200 documents in one process (it must not grow with their number).
"""

from __future__ import annotations

import platform
import re
import time
import tracemalloc
from pathlib import Path

from duban.tasks.extract.document import extract

SEED = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "000_4a083884e313f790.txt"
)


def timed(raw: bytes) -> tuple[float, dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    result = extract(raw)
    return time.perf_counter() - started, result


# an A4 page of a government report in 小四 holds about 800 characters: the issue's "100-page
# report" is some 80,000 (the seed, 7,576 characters, is the sharing site's 36 short pages)
A4_PAGE = 800


def repeated(seed: str, times: int) -> bytes:
    """The seed's pages `times` over, as one scraped document with continuous page markers."""
    lines = seed.split("\n")
    header, pages = lines[:2], [line for line in lines[2:] if re.match(r"\d+、", line)]
    footer = lines[2 + len(pages) :]
    bodies = [re.sub(r"^\d+、", "", page) for page in pages]
    numbered = [f"{n + 1}、{body}" for n, body in enumerate(bodies * times)]
    return "\n".join(header + numbered + footer).encode("utf-8")


def main() -> None:
    raw = SEED.read_bytes()
    extract(raw)  # warm up imports and regex caches
    seed_s, doc = timed(raw)
    targets = sum(len(i["targets"]) for i in doc["items"])
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(
        f"seed ({len(raw):,} bytes): {seed_s * 1000:.1f} ms, {len(doc['items'])} items, "
        f"{targets} targets"
    )

    seed = raw.decode("utf-8")
    times = -(-100 * A4_PAGE // len(seed))  # enough seeds for 100 A4 pages
    report = repeated(seed, times)
    report_s, _ = timed(report)
    print(
        f"a 100-page report ({len(report.decode('utf-8')):,} characters, the seed {times}x): "
        f"{report_s:.2f} s"
    )

    big = repeated(seed, 100)
    big_s, big_doc = timed(big)
    big_targets = sum(len(i["targets"]) for i in big_doc["items"])
    print(
        f"100x seed ({len(big) / 1e6:.1f} MB, page markers 1…{100 * 23}): {big_s:.2f} s, "
        f"{big_targets:,} targets"
    )

    tracemalloc.start()
    peaks = []
    for n in range(200):
        extract(raw)
        if n in (9, 199):
            peaks.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    print(
        f"memory held after 10 documents: {peaks[0] / 1024:.0f} KiB, after 200: "
        f"{peaks[1] / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
