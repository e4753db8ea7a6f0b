"""`duban plan extract` on the seed and the labelled documents, and on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.tasks.extract.clean import UnreadableText
from duban.tasks.extract.document import extract
from duban.tasks.extract.numbers import chinese_to_int
from duban.tasks.plan.check import check_text
from tests.conftest import EXAMPLE_PLAN, ROOT
from tests.extraction.scoring import documents, score

SEED = ROOT / "examples" / "report-2022.txt"  # the seed, as scraped


@pytest.fixture(scope="module")
def seed() -> dict:  # type: ignore[type-arg]
    return extract(SEED.read_bytes())


def test_seed_outline_matches_the_hand_made_plan(seed: dict) -> None:  # type: ignore[type-arg]
    plan = yaml.safe_load(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    assert [i["path"] for i in seed["items"]] == [i["path"] for i in plan["items"]]
    titles = {tuple(i["path"]): i["title"] for i in seed["items"]}
    assert titles[("四", "(三)", "2")] == "进一步提升职教基础能力建设"
    assert titles[("三", "(一)")] == "贯彻落实十八大会议精神,引领各级各类教育事业改革发展"
    assert titles[("二",)] == "主要目标"
    assert (seed["title"], seed["year"]) == ("2022市教育局工作报告", 2022)


def test_seed_targets_scale_compare_and_name(seed: dict) -> None:  # type: ignore[type-arg]
    targets = {
        (t["indicator"], t["value"], t["unit"], t["comparator"])
        for item in seed["items"]
        for t in item["targets"]
    }
    assert ("在甬全日制普通高校在校生", 145000, "人", "~") in targets
    assert ("在甬高校科研经费总量", 500000000, "元", ">=") in targets
    assert ("完成企业职工培训项目", 55000, "人", ">=") in targets
    assert ("为全市中小学新增纸质图书", 1000000, "册", ">=") in targets
    assert ("小学教师高一级学历比例", 96, "%", ">=") in targets
    assert ("初中教师高一级学历比例", 93, "%", ">=") in targets
    assert ("教师人均学时", 72, "学时", ">=") in targets
    texts = " ".join(t["text"] for item in seed["items"] for t in item["targets"])
    for not_a_target in ("第六届", "第三批", "十八大", "2013-2015年", "1年以上", "7s", "三年行动"):
        assert not_a_target not in texts
    clean_text = " ".join(i["text"] for i in seed["items"])
    assert all(t["text"] in clean_text for item in seed["items"] for t in item["targets"])


def test_seed_noise_is_gone(seed: dict) -> None:  # type: ignore[type-arg]
    everything = json.dumps(seed, ensure_ascii=False)
    for noise in ("淘文阁", "由会员分享", "配套讲稿", "限制150内", "\n6、"):
        assert noise not in everything
    assert "集团化办学" in everything  # "集团\n6、化办学" glued back


@pytest.mark.parametrize(
    ("name", "source", "labels"), documents(), ids=lambda v: getattr(v, "name", v)
)
def test_labelled_documents(name: str, source: Path, labels: Path) -> None:
    result = score(name, source, labels)
    assert result.precision >= 0.95, result
    assert result.recall >= 0.95, result
    assert result.name_quality >= 0.9, result
    assert result.tasks_found >= 0.8 * result.tasks_labelled, result
    assert result.kind_accuracy >= 0.9, result
    assert result.units_right == result.units_labelled, result


def test_units_and_deadlines_from_annotations() -> None:
    doc = extract((ROOT / "tests" / "extraction" / "county-2023.txt").read_bytes())
    tasks = {t["text"]: t for item in doc["items"] for t in item["tasks"]}
    assert tasks["新建、改扩建公办幼儿园5所"]["units"] == ["学前教育股", "计划财务股"]
    assert tasks["新建、改扩建公办幼儿园5所"]["deadline"] == "2023-12-31"
    assert tasks["每季度开展一次校园安全隐患大排查"]["deadline"] == "每季度末"


def test_a_flat_list_of_sentences_is_one_root_item() -> None:
    doc = extract("全年新建幼儿园两所。引进骨干教师30名。".encode())
    assert [i["path"] for i in doc["items"]] == [[]]
    assert [(t["value"], t["unit"]) for t in doc["items"][0]["targets"]] == [(2, "所"), (30, "名")]
    assert [t["kind"] for t in doc["items"][0]["tasks"]] == ["construction", "recruitment"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "空的"),
        (b"   \n", "空的"),
        (b"\x00\x01\x02PK", "二进制"),
        (bytes(range(128, 256)) * 20, "编码"),
    ],
)
def test_unreadable_input(raw: bytes, message: str) -> None:
    with pytest.raises(UnreadableText, match=message):
        extract(raw)


def test_draft_yaml_lists_exactly_what_is_missing(cli_nodb, tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    result = cli_nodb("plan", "extract", SEED, "--format", "yaml", "-o", draft)
    assert result.exit_code == 0, result.output
    problems = check_text(draft.read_text(encoding="utf-8"), str(draft)).problems
    codes = {(p.code, p.params.get("field")) for p in problems}
    assert codes == {("missing", "owner"), ("missing", "schedule"), ("no-coordinator", None)}
    spec = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert len(spec["indicators"]) == 36 and len(spec["items"]) == 54


def test_cli_json_and_errors(cli_nodb, tmp_path: Path) -> None:
    out = cli_nodb("plan", "extract", ROOT / "tests" / "extraction" / "city-2024.txt")
    assert out.exit_code == 0
    assert json.loads(out.stdout)["title"] == "滨江市教育局2024年重点任务分解表"
    missing = cli_nodb("plan", "extract", tmp_path / "none.txt")
    assert missing.exit_code == 1 and "none.txt: 文件不存在" in missing.stderr
    binary = tmp_path / "report.doc"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\x00\x00binary")
    refused = cli_nodb("plan", "extract", binary, "-o", tmp_path / "out.json")
    assert refused.exit_code == 1 and "二进制" in refused.stderr
    assert not (tmp_path / "out.json").exists()
    assert "Traceback" not in missing.output + refused.output


def chinese(n: int) -> str:
    """1..9999 written the way reports write them (三十, 一百零五, 两千)."""
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                parts.append("零")
            parts.append(("" if (value == 10 and d == 1 and not parts) else digits[d]) + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals(n: int) -> None:
    assert chinese_to_int(chinese(n)) == n


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=99999),
    st.sampled_from(["所", "个", "名", "人", "册"]),
    st.sampled_from(["", "万"]),
)
def test_any_count_is_read_back_with_its_scale(n: int, unit: str, mult: str) -> None:
    doc = extract(f"全年新增示范学校{n}{mult}{unit}。".encode())
    [target] = doc["items"][0]["targets"]
    assert (target["value"], target["unit"]) == (n * (10000 if mult else 1), unit)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_extract_never_crashes(raw: bytes) -> None:
    try:
        doc = extract(raw)
    except UnreadableText:
        return
    assert isinstance(doc["items"], list)


REAL = ROOT / "tests" / "extraction" / "real"


@pytest.mark.parametrize("labels", sorted(REAL.rglob("*.labels.yaml")), ids=lambda p: p.name)
def test_every_real_label_is_quoted_from_its_passage(labels: Path) -> None:
    """A label names text the passage really has, and says where the passage came from."""
    raw = labels.read_text(encoding="utf-8")
    assert raw.startswith("# Source: http"), labels
    text = labels.with_name(labels.name.replace(".labels.yaml", ".txt")).read_text("utf-8")
    data = yaml.safe_load(raw)
    for label in data["tasks"] + (data.get("units") or []):
        assert label["text"] in text, label
    for target in data["targets"]:
        assert target["comparator"] in (">=", "<=", "~"), target
        assert isinstance(target["value"], int | float), target
