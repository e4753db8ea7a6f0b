"""`duban plan check`: every problem at once, with the right line and a fix; exit 1; no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.tasks.plan.check import check_file, check_text
from tests.conftest import EXAMPLE_PLAN

# (what is planted, the text replaced, its replacement, the message's telltale words)
PLANTED = [
    (
        "unknown unit",
        "owner: gjc\n    schedule: {due: 2022-06-30}",
        "owner: gjx\n    schedule: {due: 2022-06-30}",
        "未知的单位“gjx”",
    ),
    ("duplicate id", "id: T-gj-yanshou", "id: T-aq-paicha", "任务编号“T-aq-paicha”重复"),
    (
        "impossible date",
        "schedule: {due: 2022-04-29}",
        "schedule: {due: 2022-02-30}",
        "日期“2022-02-30”不存在",
    ),
    (
        "unknown kind",
        "kind: event\n    owner: gjhz",
        "kind: party\n    owner: gjhz",
        "“kind”的取值“party”无效",
    ),
    (
        "unknown comparator",
        'comparator: "~", value: 145000',
        'comparator: "about", value: 145000',
        "“target.comparator”的取值“about”无效",
    ),
    (
        "escalation cycle",
        "role: leader, notify: [ld-jy]}",
        "role: leader, parent: jjc, notify: [ld-jy]}",
        "上级单位形成循环：ld-jy → jjc → ld-jy",
    ),
    ("missing field", "    title: 开展第五批名校（园）长评选\n", "", "缺少必填字段“title”"),
]


def plant(text: str) -> tuple[str, dict[str, int]]:
    """Apply every planted mistake; return the text and the line each one stands on."""
    for name, old, new, _ in PLANTED:
        assert text.count(old) == 1, f"{name}: {old!r} must occur once in the example"
        text = text.replace(old, new)

    def line(needle: str) -> int:  # the planted duplicate id is the later of the two
        return text.count("\n", 0, text.rindex(needle)) + 1

    # a removed field is reported on the mapping it is missing from: the line of its "- id:"
    lines = {name: line(new or "id: T-gb-mingxiaozhang") for name, _, new, _ in PLANTED}
    return text, lines


def test_example_plan_is_clean() -> None:
    result = check_file(EXAMPLE_PLAN)
    assert result.problems == []
    assert result.spec is not None
    assert len(result.spec.tasks) >= 30
    kinds = {t.kind for t in result.spec.tasks}
    assert kinds >= {"inspection", "evaluation", "recruitment", "training", "construction", "event"}


def test_seven_planted_mistakes_are_all_reported_on_their_lines(tmp_path: Path) -> None:
    text, lines = plant(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    broken = tmp_path / "plan-broken.yaml"
    broken.write_text(text, encoding="utf-8")

    result = check_file(broken)

    rendered = [p.render() for p in result.problems]
    assert len(rendered) == len(PLANTED), "\n".join(rendered)
    for name, _, _, words in PLANTED:
        expected = f"{broken}:{lines[name]}: "
        assert any(r.startswith(expected) and words in r for r in rendered), (name, rendered)
    assert all("修正：" in r for r in rendered)


def test_cli_lists_every_problem_and_exits_1_without_traceback(cli, tmp_path: Path) -> None:
    text, _ = plant(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    broken = tmp_path / "plan-broken.yaml"
    broken.write_text(text, encoding="utf-8")

    result = cli("plan", "check", broken)

    assert result.exit_code == 1
    assert result.stderr.count(f"{broken}:") == 7
    assert "共 7 个问题" in result.stderr
    assert "Traceback" not in result.output


def test_import_of_a_broken_plan_writes_nothing(cli, tmp_path: Path) -> None:
    text, _ = plant(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    broken = tmp_path / "plan-broken.yaml"
    broken.write_text(text, encoding="utf-8")

    assert cli("plan", "import", broken).exit_code == 1
    shown = cli("plan", "show")
    assert shown.exit_code == 1
    assert "还没有计划" in shown.stderr


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("plan: {id: p, title: t, year: 2022\nunits: []\n", 2, "YAML 语法错误"),
        ("plan:\n  id: p\n   title: t\n", 3, "YAML 语法错误"),
        (
            "plan: {id: p, title: t, year: 2022}\nplan: {id: q}\nunits: []\n",
            2,
            "重复出现（第 1 行已有）",
        ),
        ("- just\n- a list\n", 1, "顶层应是"),
        ("plan: {id: p, title: t, year: 2022}\nunits: []\nowners: []\n", 3, "未知字段“owners”"),
        ("plan: {id: p, title: t, year: 2027}\nunits: []\n", 1, "2027年的法定节假日"),
        (
            "plan: {id: p, title: t, year: 2022, timezone: Mars/Base}\nunits: []\n",
            1,
            "时区“Mars/Base”",
        ),
        ("plan: {id: p, title: t}\nunits: []\n", 1, "缺少必填字段“year”"),
        ("plan: {id: p, title: t, year: 2022}\n", 1, "缺少必填字段“units”"),
        (
            "plan: {id: p, title: t, year: 2022}\nunits:\n  - {code: a, name: A}\n",
            2,
            "role: coordinator",
        ),
        ("plan: {id: p, title: t, year: 2022}\nunits: 5\n", 2, "“units”的取值“…”无效：应为列表"),
        ("plan: {id: p, title: t, year: 2022}\nunits: []\ngroups: 5\n", 3, "应为“字段: 值”的映射"),
        ("plan: {id: p, title: t, year: 2022}\nunits: []\ngroups: {g: 5}\n", 3, "“groups.g”"),
    ],
)
def test_file_level_mistakes(text: str, line: int, words: str) -> None:
    problems = check_text(text, "p.yaml").problems
    assert any(p.line == line and words in p.render() for p in problems), [
        p.render() for p in problems
    ]


def test_missing_and_undecodable_files_get_one_clear_line(cli, tmp_path: Path) -> None:
    missing = cli("plan", "check", tmp_path / "nope.yaml")
    assert missing.exit_code == 1
    assert "nope.yaml: 文件不存在" in missing.stderr

    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("plan: {id: p, title: 教育局}\n".encode("gbk"))
    undecodable = cli("plan", "check", gbk)
    assert undecodable.exit_code == 1
    assert "不是 UTF-8" in undecodable.stderr
    assert "Traceback" not in missing.output + undecodable.output


def test_english_messages_on_request() -> None:
    problems = check_text("plan: {id: p, title: t}\nunits: []\n", "p.yaml", "en").problems
    assert next(p.render("en") for p in problems).startswith("p.yaml:1: required field 'year'")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_checker_never_crashes_on_arbitrary_text(text: str) -> None:
    result = check_text(text, "fuzz.yaml")
    assert result.ok == (result.spec is not None)
    assert all(p.line is None or p.line >= 1 for p in result.problems)


def test_units_without_a_channel_are_reported_when_a_config_is_given(
    cli_nodb, tmp_path: Path
) -> None:
    config = tmp_path / "apprise.yaml"
    config.write_text(
        "urls:\n  - json://127.0.0.1:9/x:\n      tag: dcs, jjc-mail\n", encoding="utf-8"
    )
    result = cli_nodb("plan", "check", EXAMPLE_PLAN, "--apprise-config", config)
    assert result.exit_code == 1
    assert "单位“jjc”" not in result.stderr  # its second channel, jjc-mail, exists
    assert "单位“aqc”的通知标签 aqc 在 apprise 配置中都没有通道" in result.stderr
    assert "单位“dcs”" not in result.stderr


def test_an_unreadable_apprise_config_is_one_sentence_with_the_fix(cli_nodb, tmp_path) -> None:
    config = tmp_path / "apprise.yaml"
    config.write_bytes(b"\x00urls: [\n")
    result = cli_nodb("plan", "check", EXAMPLE_PLAN, "--apprise-config", config)
    assert result.exit_code == 1
    assert (
        "apprise 配置无法解析" in result.stderr and "修正：检查 --apprise-config" in result.stderr
    )
    assert "Traceback" not in result.output + result.stderr
