"""YAML with line numbers: every mapping and sequence remembers where its parts stand.

Dates stay strings (PyYAML would turn `2022-02-30` into a crash), so that the plan
checker can say which date is impossible and on which line. Duplicate keys, which
YAML silently overwrites, are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, SequenceNode


class LineDict(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0
    item_lines: list[int]


@dataclass
class YamlTrouble:
    line: int
    kind: str  # "syntax" | "duplicate-key" | "not-a-mapping"
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)


# libyaml's parser where the package has it (five times faster on a bureau's plan file)
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.troubles: list[YamlTrouble] = []


# Timestamps resolve to plain strings: dates are validated by the plan checker.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_text = str(key)
        line = key_node.start_mark.line + 1
        if key_text in result:
            loader.troubles.append(
                YamlTrouble(line, "duplicate-key", key_text, {"first": result.key_lines[key_text]})
            )
        result[key_text] = loader.construct_object(value_node, deep=True)
        result.key_lines[key_text] = line
    return result


def _construct_sequence(loader: _Loader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)  # type: ignore[arg-type]


def load(text: str) -> tuple[Any, list[YamlTrouble]]:
    """Parse YAML text; a syntax error comes back as a trouble, never as an exception."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        return None, [YamlTrouble(line, "syntax", f"不可打印的字符 #x{exc.character:04x}")]
    try:
        data = loader.get_single_data()
    except (yaml.MarkedYAMLError, ConstructorError) as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [YamlTrouble(line, "syntax", str(exc.problem or exc))]
    except yaml.YAMLError as exc:
        return None, [YamlTrouble(1, "syntax", str(exc))]
    finally:
        loader.dispose()
    return data, loader.troubles


def line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest part of `data` that `loc` (keys and indexes) reaches."""
    line = getattr(data, "line", 1)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
        if isinstance(node, LineDict | LineList) and not isinstance(part, str):
            line = node.line
    return line


__all__ = ["LineDict", "LineList", "YamlTrouble", "line_of", "load"]
