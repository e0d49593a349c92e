"""Front matter of content pages: read with line numbers, checked against a schema.

Glossary and derivation pages declare ``title`` and ``summary`` (required),
and ``aliases``, ``tags``, ``related`` (lists of strings). Keys Material for
MkDocs itself reads are allowed too. Anything else is an error naming the file,
the line and the key, with the closest valid key when it looks misspelt.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import yaml

from ..problems import Problem

REQUIRED = ("title", "summary")
LISTS = ("aliases", "tags", "related")
# Keys Material for MkDocs reads from front matter, accepted as they are.
MATERIAL_KEYS = ("description", "hide", "icon", "search", "status", "template", "subtitle", "comments")
KNOWN = REQUIRED + LISTS + MATERIAL_KEYS
# A sentence end followed by a capital: the summary has a second sentence.
_SECOND_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")


@dataclass(frozen=True)
class PageMeta:
    path: str  # project-relative, for messages
    title: str
    summary: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    # 1-based source line of each key, for later messages (e.g. an unknown related term)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    related_lines: tuple[int, ...] = ()


def split_front_matter(text: str) -> tuple[str | None, int]:
    """The YAML between the leading ``---`` lines, and the body's first line number."""
    if not text.startswith("---"):
        return None, 1
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    return None, 1


def body_first_line(text: str) -> int:
    """The source line of the first line of the Markdown MkDocs hands to plugins.

    MkDocs drops the front matter and the blank lines after it.
    """
    yaml_text, body_line = split_front_matter(text)
    if yaml_text is None:
        return 1
    rest = text.split("\n")[body_line - 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    return body_line + blank


def read_meta(path: str, text: str) -> tuple[PageMeta | None, list[Problem]]:
    """The page's checked front matter, or the problems that stop it being read."""
    yaml_text, _ = split_front_matter(text)
    if yaml_text is None:
        return None, [
            Problem(path, 1, "page has no front matter", hint="start the page with ---, title:, summary:, ---")
        ]
    try:
        node = yaml.compose(yaml_text)
        data = yaml.safe_load(yaml_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        return None, [Problem(path, line, f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return None, [Problem(path, 2, "front matter must be a mapping of keys to values")]

    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    problems: list[Problem] = []
    for key in data:
        if key not in KNOWN:
            close = difflib.get_close_matches(str(key), KNOWN, n=1, cutoff=0.6)
            problems.append(
                Problem(
                    path,
                    lines.get(str(key)),
                    f"unknown front matter key '{key}'",
                    hint=f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(KNOWN)}",
                )
            )
    for key in REQUIRED:
        value = data.get(key)
        if value is None:
            problems.append(Problem(path, 1, f"front matter lacks '{key}'", hint=f"add a line '{key}: ...'"))
        elif not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(path, lines.get(key), f"'{key}' must be non-empty text, got {type(value).__name__}")
            )
    summary = data.get("summary")
    if isinstance(summary, str) and _SECOND_SENTENCE.search(summary):
        problems.append(
            Problem(
                path,
                lines.get("summary"),
                "the summary has more than one sentence",
                hint="hover cards and search show it whole: keep one plain sentence, move the rest into the page",
            )
        )
    lists: dict[str, tuple[str, ...]] = {}
    for key in LISTS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(
                Problem(
                    path,
                    lines.get(key),
                    f"'{key}' must be a list of text items",
                    hint=f"write it as {key}: [first, second]",
                )
            )
            value = []
        lists[key] = tuple(v.strip() for v in value)
    if problems:
        return None, problems

    related_lines = _item_lines(node, "related")
    return (
        PageMeta(
            path=path,
            title=data["title"].strip(),
            summary=" ".join(data["summary"].split()),
            aliases=lists["aliases"],
            tags=lists["tags"],
            related=lists["related"],
            lines=lines,
            related_lines=related_lines,
        ),
        [],
    )


def _item_lines(node: yaml.MappingNode, key: str) -> tuple[int, ...]:
    for k, v in node.value:
        if k.value == key and isinstance(v, yaml.SequenceNode):
            return tuple(item.start_mark.line + 2 for item in v.value)
    return ()
